import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMany } from '../../src/model/runs.js';
import { runScenario } from '../../src/model/scenarios/run.js';
import { validateScenario } from '../../src/model/scenarios/compile.js';
import type { ScenarioInput } from '../../src/model/scenarios/scenario.schema.js';
import { runCli } from '../support/cli.js';

// A small two-place world with miners who commute between home and a mine.
const small: ScenarioInput = {
  name: 'small mining world',
  years: 4,
  places: [
    {
      code: 'HOME',
      name: 'Home village',
      initialPrevalence: 0.1,
      population: [
        { sex: 'F', count: 600 },
        { sex: 'M', count: 500 },
        { sex: 'F', risk: 'medium', count: 200 },
        { sex: 'M', risk: 'medium', count: 200 },
      ],
    },
    {
      code: 'MINE',
      name: 'Mine',
      kind: 'site',
      initialPrevalence: 0.2,
      population: [
        { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 80 },
        { sex: 'F', risk: 'medium', count: 150 },
      ],
    },
  ],
  mobileGroups: [{ code: 'miners', name: 'Miners', home: 'HOME', sex: 'M', count: 400, pattern: { type: 'circular', destination: 'MINE' } }],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-model-'));
  writeFileSync(path.join(dir, 'small.json'), JSON.stringify(small));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model runs in parallel', () => {
  it('gives the same bytes in a worker thread as in the main thread', async () => {
    const scenario = validateScenario(small);
    const [inWorker] = await runMany(scenario, [7], { workers: 1 });
    expect(JSON.stringify(inWorker)).toBe(JSON.stringify(runScenario(scenario, 7)));
  });

  it('returns one result per seed, in seed order, whatever the number of workers', async () => {
    const scenario = validateScenario(small);
    const two = await runMany(scenario, [1, 2, 3], { workers: 2 });
    const one = await runMany(scenario, [1, 2, 3], { workers: 1 });
    expect(two.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(two[0]!.totals).not.toEqual(two[1]!.totals);
  });
});

describe('corridor model run', () => {
  it('runs several seeds and writes JSON with a summary and CSV files', async () => {
    const out = path.join(dir, 'results.json');
    const csv = path.join(dir, 'csv');
    const res = await runCli(['model', 'run', path.join(dir, 'small.json'), '--runs', '3', '--out', out, '--csv', csv]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/new infections/);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      seeds: number[];
      runs: unknown[];
      summary: { totals: { infections: { mean: number; lo: number; hi: number } } };
    };
    expect(doc.seeds).toEqual([1, 2, 3]);
    expect(doc.runs).toHaveLength(3);
    const { mean, lo, hi } = doc.summary.totals.infections;
    expect(lo).toBeLessThanOrEqual(mean);
    expect(mean).toBeLessThanOrEqual(hi);
    const series = readFileSync(path.join(csv, 'series.csv'), 'utf8').trim().split('\n');
    expect(series[0]).toBe(
      'seed,year,place,group,sex,population,plhiv,infections,incidencePer100py,prevalence,diagnosed,onArt,suppressed,deathsHiv,deathsOther',
    );
    expect(series.length).toBeGreaterThan(3 * 4 * 3);
    expect(readFileSync(path.join(csv, 'who-infects-whom.csv'), 'utf8')).toMatch(
      /^seed,source_group,target_group,place,partnership_type,source_away,infections\n1,/,
    );
  });

  it('gives byte-identical output for the same seed, run to run', async () => {
    const a = await runCli(['model', 'run', path.join(dir, 'small.json'), '--seed', '11', '--json']);
    const b = await runCli(['model', 'run', path.join(dir, 'small.json'), '--seed', '11', '--json']);
    const c = await runCli(['model', 'run', path.join(dir, 'small.json'), '--seed', '12', '--json']);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('rejects a bad scenario in one line naming the field', async () => {
    const bad = { ...small, mobileGroups: [{ ...small.mobileGroups![0]!, pattern: { type: 'transport_route', route: ['HOME', 'NOWHERE'] } }] };
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
    const res = await runCli(['model', 'run', path.join(dir, 'bad.json')]);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(
      /bad\.json: invalid scenario: mobileGroups\[0\]\.pattern\.route\[1\]: no place in this scenario has this code \(value "NOWHERE"\)/,
    );
    const runs = await runCli(['model', 'run', path.join(dir, 'small.json'), '--runs', '0']);
    expect(runs.code).not.toBe(0);
    expect(runs.stderr).toMatch(/--runs/);
  });

  it('benchmarks the model and reports JSON', async () => {
    const res = await runCli(['model', 'bench', '--agents', '2000', '--years', '1', '--json']);
    expect(res.code).toBe(0);
    const bench = JSON.parse(res.stdout) as Record<string, number>;
    expect(Object.keys(bench)).toEqual(expect.arrayContaining(['agents', 'steps', 'seconds', 'agentStepsPerSecond', 'peakRssMb']));
    expect(bench.agents).toBeGreaterThan(1900);
    expect(bench.steps).toBe(52 * (1 + 3)); // one year and three of burn-in
  });
});
