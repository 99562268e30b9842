import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { benchModel } from '../../model/runner/bench.js';
import { runMany } from '../../model/runner/pool.js';
import { parseScenario } from '../../model/scenarios/compile.js';
import { summarize, toCsvFiles, type MultiRunResult, type RunResult } from '../../model/scenarios/results.js';
import { aboutFile, readInputFile, type GlobalOptions } from '../context.js';
import { printJson, printTable, progress } from '../output.js';

const integer = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`"${v}" is not a whole number from ${min} to ${max}`);
  return n;
};

function readScenario(file: string) {
  return aboutFile(file, async () => parseScenario(readInputFile(file)));
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(x < 1 ? 4 : 1));

function printSummary(summary: MultiRunResult, runs: RunResult[]): void {
  const first = runs[0]!;
  console.log(`${summary.scenario}: ${runs.length} run${runs.length > 1 ? 's' : ''}, seeds ${summary.seeds.join(', ')}, ${first.startYear}–${first.startYear + first.years - 1}`);
  if (summary.illustrative) console.log('Illustrative scenario: its inputs are assumptions, not calibrated estimates.');
  const t = summary.summary.totals;
  printTable(
    ['OUTCOME', 'MEAN', '95% INTERVAL'],
    [
      ['new infections', fmt(t.infections.mean), `${fmt(t.infections.lo)}–${fmt(t.infections.hi)}`],
      ['bridged to home partners', fmt(t.bridgedInfections.mean), `${fmt(t.bridgedInfections.lo)}–${fmt(t.bridgedInfections.hi)}`],
      ['HIV deaths', fmt(t.deathsHiv.mean), `${fmt(t.deathsHiv.lo)}–${fmt(t.deathsHiv.hi)}`],
      ['final prevalence', fmt(t.finalPrevalence.mean), `${fmt(t.finalPrevalence.lo)}–${fmt(t.finalPrevalence.hi)}`],
    ],
  );
  const matrix = new Map<string, number>();
  for (const r of runs) for (const m of r.whoInfectsWhom) {
    const k = `${m.sourceGroup} → ${m.targetGroup}\t${m.place}\t${m.type}`;
    matrix.set(k, (matrix.get(k) ?? 0) + m.infections / runs.length);
  }
  console.log('\nWho infects whom (mean infections per run, top 10):');
  printTable(
    ['SOURCE → TARGET', 'PLACE', 'TYPE', 'INFECTIONS'],
    [...matrix].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => [...k.split('\t'), fmt(Math.round(v * 10) / 10)]),
  );
}

/** `corridor model …`: the transmission model. */
export function modelCommand(): Command {
  const model = new Command('model').description('the HIV transmission model across the mobility network');
  model
    .command('run <scenario>')
    .description('run a scenario file (JSON; see docs/scenario-format.md), once per seed, in parallel')
    .option('--seed <n>', "first seed (default: the scenario's)", integer(0, 2 ** 32 - 1))
    .option('--runs <n>', 'number of runs (seeds seed, seed+1, …)', integer(1, 1000), 1)
    .option('--workers <n>', 'worker threads (default: one per core)', integer(1, 256))
    .option('--out <file>', 'write the results as JSON to this file')
    .option('--csv <dir>', 'write series.csv, who-infects-whom.csv and bridged.csv to this directory')
    .action(async (file: string, opts: { seed?: number; runs: number; workers?: number; out?: string; csv?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const scenario = await readScenario(file);
      const first = opts.seed ?? scenario.seed;
      const seeds = Array.from({ length: opts.runs }, (_, k) => (first + k) >>> 0);
      const bar = progress(`Running ${opts.runs} × ${scenario.years} years`, opts.runs * scenario.years);
      let runs: RunResult[];
      try {
        runs = await runMany(scenario, seeds, { workers: opts.workers, onProgress: (done) => bar.update(done) });
      } finally {
        bar.stop();
      }
      const summary = summarize(runs);
      const document = runs.length === 1 ? runs[0] : summary;
      if (opts.out) writeFileSync(opts.out, JSON.stringify(document, null, 1) + '\n');
      if (opts.csv) {
        mkdirSync(opts.csv, { recursive: true });
        for (const [name, text] of Object.entries(toCsvFiles(runs))) writeFileSync(path.join(opts.csv, name), text);
      }
      if (global.json) printJson(document);
      else {
        printSummary(summary, runs);
        if (opts.out) console.log(`\nResults: ${opts.out}`);
        if (opts.csv) console.log(`CSV: ${opts.csv}/series.csv, who-infects-whom.csv, bridged.csv`);
      }
    });
  model
    .command('bench')
    .description('measure model speed on one core with a synthetic world (full model: mobility, partnerships, care)')
    .option('--agents <n>', 'number of agents', integer(10, 20_000_000), 100_000)
    .option('--years <n>', 'years simulated', integer(1, 100), 20)
    .action((opts: { agents: number; years: number }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const bar = progress(`Simulating ${opts.agents} agents`, opts.years);
      let result;
      try {
        result = benchModel(opts.agents, opts.years, (year) => bar.update(year));
      } finally {
        bar.stop();
      }
      if (global.json) printJson(result);
      else {
        console.log(
          `${result.agents} agents × ${result.steps} weekly steps in ${result.seconds} s: ` +
            `${(result.agentStepsPerSecond / 1e6).toFixed(1)} million agent-steps per second, peak memory ${result.peakRssMb} MB`,
        );
      }
    });
  return model;
}
