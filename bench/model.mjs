// Model benchmarks (DESIGN §7): throughput on one core at several sizes, and the speed-up of
// parallel runs, measured against a one-worker reference run in the same invocation.
// Usage: npm run bench -- model [--sizes 10000,100000,1000000] [--years 20]
import { execFileSync } from 'node:child_process';
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

const { runMany } = await import('../dist/model/runner/pool.js');
const { validateScenario } = await import('../dist/model/scenarios/compile.js');
const { benchScenario } = await import('../dist/model/scenarios/bench-scenario.js');
const scenario = validateScenario(benchScenario(20000, 5));
const seeds = [1, 2, 3, 4];
const time = async (workers) => {
  const start = process.hrtime.bigint();
  await runMany(scenario, seeds, { workers });
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const workers = Math.min(availableParallelism(), seeds.length);
const oneWorker = await time(1);
const parallel = await time(workers);

console.log(
  JSON.stringify(
    {
      benchmark: 'model',
      throughput,
      parallel: { runs: seeds.length, agents: 20000, years: 5, workers, secondsOneWorker: oneWorker, secondsParallel: parallel, speedup: Math.round((oneWorker / parallel) * 100) / 100 },
    },
    null,
    2,
  ),
);
