// Model benchmarks (DESIGN §7): throughput on one core at several sizes, and the speed-up of
// parallel runs, measured against a one-worker reference run in the same invocation. As a second
// reference, the same machine's own scaling: two independent processes, one after the other and
// then side by side (no Corridor code shared), shows what two cores give at best here.
// Usage: npm run bench -- model [--sizes 10000,100000,1000000] [--years 20]
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt('sizes', '10000,100000,1000000').split(',').map(Number);
const years = Number(opt('years', '20'));

// Each size in its own process, so that peak memory is that run's own.
const throughput = sizes.map((agents) =>
  JSON.parse(
    execFileSync(process.execPath, ['bin/corridor.js', 'model', 'bench', '--agents', String(agents), '--years', String(years), '--json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }),
  ),
);

const { runMany } = await import('../dist/model/runs.js');
const { validateScenario } = await import('../dist/model/scenarios/compile.js');
const { benchScenario } = await import('../dist/model/scenarios/bench-scenario.js');
const PAR_AGENTS = 200000;
const PAR_YEARS = 5;
const scenario = validateScenario(benchScenario(PAR_AGENTS, PAR_YEARS));
const seeds = [1, 2, 3, 4];
const time = async (workers) => {
  const start = process.hrtime.bigint();
  await runMany(scenario, seeds, { workers });
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const workers = Math.min(availableParallelism(), seeds.length);
const oneWorker = await time(1);
const parallel = await time(workers);

const run = promisify(execFile);
const benchArgs = ['bin/corridor.js', 'model', 'bench', '--agents', String(PAR_AGENTS), '--years', String(PAR_YEARS), '--json'];
const wall = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const oneAfterOther = await wall(async () => {
  for (let k = 0; k < workers; k++) await run(process.execPath, benchArgs, { cwd: root });
});
const sideBySide = await wall(() => Promise.all(Array.from({ length: workers }, () => run(process.execPath, benchArgs, { cwd: root }))));

console.log(
  JSON.stringify(
    {
      benchmark: 'model',
      throughput,
      parallel: {
        runs: seeds.length,
        agents: PAR_AGENTS,
        years: PAR_YEARS,
        workers,
        secondsOneWorker: oneWorker,
        secondsParallel: parallel,
        speedup: Math.round((oneWorker / parallel) * 100) / 100,
        machineSpeedupOfIndependentProcesses: Math.round((oneAfterOther / sideBySide) * 100) / 100,
      },
    },
    null,
    2,
  ),
);
