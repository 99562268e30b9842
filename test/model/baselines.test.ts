/**
 * DESIGN §5.7.3: fixed-seed regression baselines committed in the repository. A change to the
 * engine, the compiler or the defaults that changes any output of these runs fails here; when the
 * change is intended, regenerate the files and commit them with it:
 *
 *   UPDATE_BASELINES=1 npx vitest run --project model test/model/baselines.test.ts
 *
 * Each file holds the key outputs in the clear (so a diff shows what moved, and by how much) and
 * the SHA-256 of the whole results JSON (so that nothing else moved either).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/model/scenarios/run.js';
import type { RunResult } from '../../src/model/scenarios/results.js';
import type { Scenario } from '../../src/model/scenarios/scenario.schema.js';
import { corridorScenario } from '../support/scenarios.js';

const UPDATE = process.env.UPDATE_BASELINES === '1';

interface Baseline {
  scenario: string;
  seed: number;
  totals: RunResult['totals'];
  deathsOther: number;
  onArtFinal: number;
  /** New infections per year, all places and groups. */
  infectionsByYear: number[];
  sha256: string;
}

function summarise(scenario: Scenario, seed: number): Baseline {
  const result = runScenario(scenario, seed);
  const lastYear = result.startYear + result.years - 1;
  return {
    scenario: scenario.name,
    seed,
    totals: result.totals,
    deathsOther: result.series.reduce((s, r) => s + r.deathsOther, 0),
    onArtFinal: result.series.filter((r) => r.year === lastYear).reduce((s, r) => s + r.onArt, 0),
    infectionsByYear: Array.from({ length: result.years }, (_, y) =>
      result.series.filter((r) => r.year === result.startYear + y).reduce((s, r) => s + r.infections, 0),
    ),
    sha256: createHash('sha256').update(JSON.stringify(result)).digest('hex'),
  };
}

const CASES = [
  { file: 'corridor-seed-20240601.json', scenario: corridorScenario, seed: 20240601 },
  { file: 'corridor-seed-7.json', scenario: corridorScenario, seed: 7 },
];

describe('regression baselines', () => {
  it.each(CASES)('$file', ({ file, scenario, seed }) => {
    const path = new URL(`./baselines/${file}`, import.meta.url);
    const actual = summarise(scenario(), seed);
    // The baseline exercises the whole model.
    expect(actual.totals.infections).toBeGreaterThan(100);
    expect(actual.totals.bridgedInfections).toBeGreaterThan(0);
    expect(actual.totals.deathsHiv).toBeGreaterThan(0);
    expect(actual.onArtFinal).toBeGreaterThan(0);
    if (UPDATE) {
      writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    let expected: Baseline;
    try {
      expected = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
    } catch {
      throw new Error(`no baseline test/model/baselines/${file}: run with UPDATE_BASELINES=1 to create it`);
    }
    // Key outputs first, so that a failure says what changed; then the hash of everything.
    const { sha256: _expectedHash, ...expectedKeys } = expected;
    const { sha256: _actualHash, ...actualKeys } = actual;
    expect(actualKeys, 'key outputs differ from the baseline (UPDATE_BASELINES=1 regenerates it if intended)').toEqual(expectedKeys);
    expect(actual.sha256, 'the results JSON differs from the baseline (UPDATE_BASELINES=1 regenerates it if intended)').toBe(expected.sha256);
  });
});
