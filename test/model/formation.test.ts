/**
 * DESIGN §5.2: each agent has a target number of partners per type; a man seeking a type forms
 * one at that type's rate. Seeking one type must not change the rate at which he forms another.
 */
import { describe, expect, it } from 'vitest';
import { binomialInterval } from '../support/stats.js';
import { AGES_20_30, build, maritalCount, quietScenario } from '../support/worlds.js';

describe('partnership formation', () => {
  const rate = 0.5;
  const men = 8000;
  // Men who also seek casual partners, in a world where no woman does (women's casual target is
  // 0): the casual attempts all fail, and must not hold back the marital ones.
  const scenario = (alsoCasual: boolean) =>
    quietScenario({
      years: 1,
      burnInYears: 0,
      places: [
        {
          code: 'H',
          name: 'Home',
          population: [
            { sex: 'M', risk: 'medium', count: men, ageBand: AGES_20_30 },
            { sex: 'F', risk: 'medium', count: men, ageBand: AGES_20_30 },
          ],
        },
      ],
      partnerships: {
        marital: { targets: { F: { low: 1, medium: 1, high: 1 }, M: { low: 1, medium: 1, high: 1 } }, formationRatePerYear: rate, meanDurationYears: 1e6 },
        casual: { targets: { F: { low: 0, medium: 0, high: 0 }, M: { low: 0, medium: alsoCasual ? 1 : 0, high: 0 } }, formationRatePerYear: 6 },
      },
    });

  it.each([false, true])('marriages form at the marital rate from the first step (men also seeking casual partners: %s)', (alsoCasual) => {
    const { sim, world } = build(scenario(alsoCasual), { seed: 1, closed: true });
    const steps = 13;
    while (sim.t < steps) sim.step();
    let married = 0;
    for (let i = 0; i < sim.n; i++) if (sim.sex[i] === 0) married += maritalCount(sim, i);
    // Attempts start the step after the man starts seeking (here: after step 0), one chance in
    // f = 1 − exp(−rate·dt) per step; every attempt succeeds (8000 single women, no preferences).
    const f = 1 - Math.exp(-rate * world.dt);
    const { lo, hi } = binomialInterval(men, 1 - Math.pow(1 - f, steps - 1), 0.999);
    expect(married, `${married} married of ${men}, 99.9% interval [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
    expect(married).toBeLessThanOrEqual(hi);
  });
});
