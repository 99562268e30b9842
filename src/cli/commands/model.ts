import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openModelService } from '../../app.js';
import { toCsvFiles, type MultiRunResult, type RunResult } from '../../model/scenarios/results.js';
import { aboutFile, LOCAL_ACTOR, readInputFile, type GlobalOptions } from '../context.js';
import { printJson, printTable, progress } from '../output.js';
import { num, t } from '../i18n.js';

const integer = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(t('model.notInteger', { value: v, min, max }));
  return n;
};

const fmt = (x: number) => (Number.isInteger(x) ? num(x) : num(x, x < 1 ? 4 : 1));

function printSummary(summary: MultiRunResult, runs: RunResult[]): void {
  const first = runs[0]!;
  console.log(
    t('model.header', {
      scenario: summary.scenario,
      count: runs.length,
      seeds: summary.seeds.join(', '),
      from: first.startYear,
      to: first.startYear + first.years - 1,
    }),
  );
  if (summary.illustrative) console.log(t('model.illustrative'));
  const totals = summary.summary.totals;
  printTable(
    [t('model.headOutcome'), t('model.headMean'), t('model.headInterval')],
    [
      [t('model.infections'), fmt(totals.infections.mean), `${fmt(totals.infections.lo)}–${fmt(totals.infections.hi)}`],
      [t('model.bridged'), fmt(totals.bridgedInfections.mean), `${fmt(totals.bridgedInfections.lo)}–${fmt(totals.bridgedInfections.hi)}`],
      [t('model.deaths'), fmt(totals.deathsHiv.mean), `${fmt(totals.deathsHiv.lo)}–${fmt(totals.deathsHiv.hi)}`],
      [t('model.prevalence'), fmt(totals.finalPrevalence.mean), `${fmt(totals.finalPrevalence.lo)}–${fmt(totals.finalPrevalence.hi)}`],
    ],
  );
  const matrix = new Map<string, number>();
  for (const r of runs)
    for (const m of r.whoInfectsWhom) {
      const k = `${m.sourceGroup} → ${m.targetGroup}\t${m.place}\t${m.type}`;
      matrix.set(k, (matrix.get(k) ?? 0) + m.infections / runs.length);
    }
  console.log(`\n${t('model.whoInfectsWhom')}`);
  printTable(
    [t('model.headSourceTarget'), t('model.headPlace'), t('model.headType'), t('model.headInfections')],
    [...matrix]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, v]) => [...k.split('\t'), fmt(Math.round(v * 10) / 10)]),
  );
}

/** `corridor model …`: the transmission model. */
export function modelCommand(): Command {
  const model = new Command('model').description(t('model.description'));
  model
    .command('run <scenario>')
    .description(t('model.run'))
    .option('--seed <n>', t('model.seed'), integer(0, 2 ** 32 - 1))
    .option('--runs <n>', t('model.runs'), integer(1, 1000), 1)
    .option('--workers <n>', t('model.workers'), integer(1, 256))
    .option('--out <file>', t('model.out'))
    .option('--csv <dir>', t('model.csv'))
    .action(async (file: string, opts: { seed?: number; runs: number; workers?: number; out?: string; csv?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const model = openModelService({ workers: opts.workers });
      let bar: ReturnType<typeof progress> | undefined;
      let summary: MultiRunResult;
      try {
        // Errors about the scenario name the file (and the field path within it).
        summary = await aboutFile(file, () =>
          model.run(LOCAL_ACTOR, { scenario: readInputFile(file), runs: opts.runs, seed: opts.seed }, (done, total) => {
            bar ??= progress(t('model.progressRun', { runs: opts.runs, years: total / opts.runs }), total);
            bar.update(done);
          }),
        );
      } finally {
        bar?.stop();
        await model.close();
      }
      const runs = summary.runs;
      const document = runs.length === 1 ? runs[0] : summary;
      if (opts.out) writeFileSync(opts.out, JSON.stringify(document, null, 1) + '\n');
      if (opts.csv) {
        mkdirSync(opts.csv, { recursive: true });
        for (const [name, text] of Object.entries(toCsvFiles(runs))) writeFileSync(path.join(opts.csv, name), text);
      }
      if (global.json) printJson(document);
      else {
        printSummary(summary, runs);
        if (opts.out) console.log(`\n${t('model.results', { file: opts.out })}`);
        if (opts.csv) console.log(t('model.csvFiles', { dir: opts.csv }));
      }
    });
  model
    .command('bench')
    .description(t('model.bench'))
    .option('--agents <n>', t('model.agents'), integer(10, 20_000_000), 100_000)
    .option('--years <n>', t('model.years'), integer(1, 100), 20)
    .action(async (opts: { agents: number; years: number }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const bar = progress(t('model.progressBench', { agents: opts.agents }), opts.years);
      const model = openModelService();
      let result;
      try {
        result = model.bench(LOCAL_ACTOR, opts.agents, opts.years, (year) => bar.update(year));
      } finally {
        bar.stop();
        await model.close();
      }
      if (global.json) printJson(result);
      else {
        console.log(
          t('model.benchResult', {
            agents: result.agents,
            steps: result.steps,
            seconds: result.seconds,
            rate: num(result.agentStepsPerSecond / 1e6),
            memory: result.peakRssMb,
          }),
        );
      }
    });
  return model;
}
