/**
 * DESIGN §5.6: the outputs are the model's own state, counted right. Checked step by step on the
 * full corridor scenario (mobility, every partnership type, sex work, care, deaths and entries).
 */
import { describe, expect, it } from 'vitest';
import { STORED_TYPES, SUSCEPTIBLE } from '../../src/model/core/world.js';
import { toRunResult } from '../../src/model/scenarios/results.js';
import { corridorScenario } from '../support/scenarios.js';
import { build, burnIn, countInfected, stepsPerYear, sumOf } from '../support/worlds.js';

describe('output bookkeeping', () => {
  it('stocks, flows and partnership counts agree with the agents at every step', () => {
    const scenario = corridorScenario();
    const { sim, world, labels } = build(scenario);
    burnIn(sim);
    const spy = stepsPerYear(world);
    const out = sim.outputs;
    const problems: string[] = [];
    let susceptibleYears = 0;
    let prevInfections = 0;
    let newlyInfected = 0;
    while (sim.t < world.steps) {
      sim.step();
      const t = sim.t - 1;
      const infected = countInfected(sim);
      if (sumOf(out.infected) !== infected) problems.push(`step ${t}: ${sumOf(out.infected)} infected in the outputs, ${infected} agents`);
      susceptibleYears += (sim.n - infected) * world.dt;
      // New infections this step: agents infected at t (they cannot have died in the same step).
      let now = 0;
      for (let i = 0; i < sim.n; i++) if (sim.hiv[i] !== SUSCEPTIBLE && sim.infStep[i] === t) now++;
      newlyInfected += now;
      const recorded = sumOf(out.infections);
      if (recorded - prevInfections !== now) problems.push(`step ${t}: ${recorded - prevInfections} infections recorded, ${now} agents infected`);
      prevInfections = recorded;
      let partners = 0;
      for (let k = 0; k < sim.n * STORED_TYPES; k++) partners += sim.partnerCount[k]!;
      if (partners !== 2 * sim.activePartnerships) problems.push(`step ${t}: partner counts sum to ${partners}, ${sim.activePartnerships} partnerships`);
      if ((t + 1) % spy === 0) {
        const y = (t + 1) / spy - 1;
        const plhiv = sumOf(out.plhiv.subarray(y * out.cells, (y + 1) * out.cells));
        const population = sumOf(out.population.subarray(y * out.cells, (y + 1) * out.cells));
        if (plhiv !== infected) problems.push(`year ${y}: PLHIV ${plhiv}, agents infected ${infected}`);
        if (population !== sim.n) problems.push(`year ${y}: population ${population}, agents ${sim.n}`);
      }
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
    expect(newlyInfected).toBeGreaterThan(100);
    expect(sumOf(out.susceptibleYears)).toBeCloseTo(susceptibleYears, 6);
    // The labelled results add up the same way.
    const result = toRunResult(scenario, scenario.seed, labels, out);
    expect(result.totals.infections).toBe(newlyInfected);
    expect(result.whoInfectsWhom.reduce((s, m) => s + m.infections, 0)).toBe(newlyInfected);
    // Bridged infections are a subset: home partners infected at home by people who acquired HIV away.
    const atHomeBySourcesAtHome = result.whoInfectsWhom.filter((m) => !m.sourceAway && m.place === 'HOME').reduce((s, m) => s + m.infections, 0);
    expect(result.totals.bridgedInfections).toBeGreaterThan(0);
    expect(result.totals.bridgedInfections).toBeLessThanOrEqual(atHomeBySourcesAtHome);
    expect(result.series.reduce((s, r) => s + r.deathsHiv, 0)).toBe(sumOf(out.deathsHiv));
  });
});
