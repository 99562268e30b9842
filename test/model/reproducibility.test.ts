/**
 * DESIGN §5.5: a run is identified by (scenario, seed) and is bitwise reproducible, in this
 * process or another; different seeds give different runs; and each agent draws from its own
 * streams (common random numbers), so a change in one part of a world leaves unconnected parts
 * exactly as they were.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/model/scenarios/run.js';
import { validateScenario } from '../../src/model/scenarios/compile.js';
import type { ScenarioInput } from '../../src/model/scenarios/scenario.schema.js';
import { ROOT } from '../support/cli.js';
import { corridorScenario } from '../support/scenarios.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('reproducibility', () => {
  it('the same scenario and seed give byte-identical results, whatever ran before in the process', () => {
    const scenario = corridorScenario();
    const first = JSON.stringify(runScenario(scenario, 7));
    // Another run in between (another seed, then a fresh copy of the scenario) must not matter.
    runScenario(scenario, 8);
    const second = JSON.stringify(runScenario(corridorScenario(), 7));
    expect(second).toBe(first);
    expect(first.length).toBeGreaterThan(5000);
  });

  it('different seeds give different results', () => {
    const scenario = corridorScenario();
    const a = runScenario(scenario, 7);
    const b = runScenario(scenario, 8);
    expect(JSON.stringify(b.series)).not.toBe(JSON.stringify(a.series));
    expect(b.totals.infections).not.toBe(a.totals.infections);
  });

  it('a fresh Node process gives the same bytes as this one', async () => {
    const here = sha256(JSON.stringify(runScenario(corridorScenario(), 9)));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/support/run-hash.ts', '9'], { cwd: ROOT });
    expect(stdout.trim()).toBe(here);
  });
});

describe('common random numbers', () => {
  // Two communities that never meet: no mobility, so nothing that happens in B can reach A.
  const twoPlaces = (prevalenceB: number, circumcisedB: number): ScenarioInput => ({
    name: 'two unconnected places',
    years: 6,
    places: [
      {
        code: 'A',
        name: 'A',
        initialPrevalence: 0.1,
        population: [
          { sex: 'M', risk: 'medium', count: 1200 },
          { sex: 'F', risk: 'medium', count: 1200 },
          { group: 'sw_a', sex: 'F', risk: 'high', sexWorker: true, count: 30 },
        ],
      },
      {
        code: 'B',
        name: 'B',
        initialPrevalence: prevalenceB,
        population: [
          { sex: 'M', risk: 'medium', count: 1200, circumcisedShare: circumcisedB },
          { sex: 'F', risk: 'medium', count: 1200 },
        ],
      },
    ],
  });

  it('changing one place leaves an unconnected place exactly as it was, year after year', () => {
    const base = runScenario(validateScenario(twoPlaces(0.1, 0)), 3);
    // B's epidemic differs (more infections at the start, VMMC): more HIV deaths, more new agents.
    const changed = runScenario(validateScenario(twoPlaces(0.3, 0.8)), 3);
    const at = (r: typeof base, place: string) => JSON.stringify(r.series.filter((s) => s.place === place));
    expect(at(changed, 'B')).not.toBe(at(base, 'B'));
    const deathsB = (r: typeof base) => r.series.filter((s) => s.place === 'B').reduce((n, s) => n + s.deathsHiv, 0);
    expect(deathsB(changed)).toBeGreaterThan(deathsB(base));
    // A's people, partnerships, infections, deaths and entrants are unchanged, to the byte.
    expect(at(changed, 'A')).toBe(at(base, 'A'));
    expect(JSON.stringify(changed.whoInfectsWhom.filter((m) => m.place === 'A'))).toBe(JSON.stringify(base.whoInfectsWhom.filter((m) => m.place === 'A')));
  });
});
