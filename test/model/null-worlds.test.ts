/**
 * DESIGN §5.7.1: null worlds produce no infection. Each null world has a control that differs in
 * the one thing removed and does produce infections, so that a test cannot pass because nothing ran.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/model/scenarios/run.js';
import { validateScenario } from '../../src/model/scenarios/compile.js';
import { toRunResult } from '../../src/model/scenarios/results.js';
import type { Scenario, ScenarioInput } from '../../src/model/scenarios/scenario.schema.js';
import { build, burnIn, merge, NO_TARGETS, sumOf, type DeepPartial } from '../support/worlds.js';

/**
 * A small world with everything on: two home communities, a mine with sex work, circular miners
 * and truck drivers on a route, every partnership type and the care cascade at their defaults.
 */
function fullWorld(over: DeepPartial<ScenarioInput> = {}, prevalence = 0.1): Scenario {
  const base: ScenarioInput = {
    name: 'full world',
    years: 8,
    burnInYears: 1,
    places: [
      {
        code: 'H1',
        name: 'Home one',
        initialPrevalence: prevalence,
        population: [
          { sex: 'M', risk: 'low', count: 800 },
          { sex: 'M', risk: 'medium', count: 300 },
          { sex: 'F', risk: 'low', count: 1000 },
          { sex: 'F', risk: 'medium', count: 300 },
        ],
      },
      {
        code: 'H2',
        name: 'Home two',
        initialPrevalence: prevalence,
        population: [
          { sex: 'M', risk: 'low', count: 500 },
          { sex: 'F', risk: 'low', count: 700 },
        ],
      },
      {
        code: 'MINE',
        name: 'Mine',
        kind: 'site',
        initialPrevalence: prevalence,
        services: { testing: 0.3, artRefill: false },
        population: [
          { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 60, initialPrevalence: prevalence * 3 },
          { sex: 'F', risk: 'medium', count: 200 },
          { sex: 'M', risk: 'medium', count: 100 },
        ],
      },
    ],
    mobileGroups: [
      { code: 'miners', name: 'Miners', home: 'H1', sex: 'M', count: 400, risk: 'high', pattern: { type: 'circular', destination: 'MINE' } },
      { code: 'drivers', name: 'Drivers', home: 'H2', sex: 'M', count: 150, pattern: { type: 'transport_route', route: ['MINE', 'H1'], daysAtStop: 3 } },
    ],
  };
  return validateScenario(merge(base, over));
}

describe('null worlds', () => {
  it('no seed infection: zero infections, PLHIV and HIV deaths over 8 years of a full world', () => {
    const result = runScenario(fullWorld({}, 0), 11);
    expect(result.totals.infections).toBe(0);
    expect(result.totals.deathsHiv).toBe(0);
    expect(result.series.every((r) => r.plhiv === 0 && r.infections === 0 && r.onArt === 0)).toBe(true);
    expect(result.whoInfectsWhom).toEqual([]);
    // The world is not inert: people partner, buy sex, die and are replaced.
    expect(result.totals.commercialContacts).toBeGreaterThan(100);
    expect(result.series.reduce((s, r) => s + r.deathsOther, 0)).toBeGreaterThan(10);
    // Control: the same world with 10% prevalence at the start.
    expect(runScenario(fullWorld({}, 0.1), 11).totals.infections).toBeGreaterThan(50);
  });

  it('no partnerships and no commercial sex: zero infections despite 30% prevalence', () => {
    const none = { targets: NO_TARGETS };
    const scenario = fullWorld(
      { partnerships: { marital: none, regular: none, casual: none, commercial: { contactsPerYear: { low: 0, medium: 0, high: 0 } } } },
      0.3,
    );
    const { sim, world } = build(scenario, { seed: 12 });
    let maxPartnerships = 0;
    while (sim.t < world.steps) {
      sim.step();
      maxPartnerships = Math.max(maxPartnerships, sim.activePartnerships);
    }
    expect(maxPartnerships).toBe(0);
    expect(sim.outputs.commercialContacts).toBe(0);
    expect(sumOf(sim.outputs.infections)).toBe(0);
    // Prevalent infections are there (and progress to death), they just cannot spread.
    expect(sumOf(sim.outputs.deathsHiv)).toBeGreaterThan(50);
  });

  it('control: commercial sex alone (no partnerships) does spread infection', () => {
    const none = { targets: NO_TARGETS };
    const scenario = fullWorld({ partnerships: { marital: none, regular: none, casual: none } }, 0.3);
    const { sim, labels } = build(scenario, { seed: 12 });
    burnIn(sim);
    expect(sim.activePartnerships).toBe(0);
    const result = toRunResult(scenario, 12, labels, sim.run());
    expect(sim.activePartnerships).toBe(0);
    expect(result.totals.commercialContacts).toBeGreaterThan(100);
    expect(result.totals.infections).toBeGreaterThan(5);
    // Every infection is commercial, and happened at the mine, where the sex workers are.
    expect(new Set(result.whoInfectsWhom.map((m) => `${m.type}@${m.place}`))).toEqual(new Set(['commercial@MINE']));
    expect(result.whoInfectsWhom.reduce((s, m) => s + m.infections, 0)).toBe(result.totals.infections);
  });
});
