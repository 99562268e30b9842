/**
 * DESIGN §5.2: sex acts happen only in a step in which both partners are at the partnership's
 * place; otherwise the partnership is paused. Leaving ends it with a per-type probability (a
 * marital partnership is kept). Partnerships that form only at home form while the man is home.
 */
import { describe, expect, it } from 'vitest';
import { MARITAL, REGULAR, STORED_TYPES, SUSCEPTIBLE } from '../../src/model/core/world.js';
import { binomialInterval } from '../support/stats.js';
import { AGES_20_30, build, burnIn, maritalCount, ONE_EACH, quietScenario, sumOf } from '../support/worlds.js';

/** Men on a one-way move to a city, married at home during burn-in to wives who are all infected. */
function oneWayCouples(returnProbabilityPerYear: number) {
  return quietScenario({
    years: 3,
    burnInYears: 0.5,
    places: [
      { code: 'H', name: 'Home', population: [{ sex: 'F', count: 1000, ageBand: AGES_20_30, initialPrevalence: 1 }] },
      { code: 'C', name: 'City', kind: 'site', population: [] },
    ],
    mobileGroups: [
      {
        code: 'movers',
        name: 'Movers',
        home: 'H',
        sex: 'M',
        count: 1000,
        ageBand: AGES_20_30,
        initialPrevalence: 0,
        pattern: { type: 'one_way', destination: 'C', returnProbabilityPerYear },
      },
    ],
    partnerships: { marital: { targets: ONE_EACH, formationRatePerYear: 50, meanDurationYears: 1e6, actsPerWeek: 3, condomShare: 0 } },
    // Transmission would be near certain within weeks if the couples ever met (p ≈ 0.27 per week).
    parameters: { transmission: { betaFemaleToMale: 0.1 }, history: { survivalMedianYears: 1e6 } },
  });
}

describe('paused partnerships', () => {
  it('a marriage whose partners are never at its place together transmits nothing, and is kept', () => {
    const { sim, world } = build(oneWayCouples(0), { closed: true });
    burnIn(sim);
    const men: number[] = [];
    for (let i = 0; i < sim.n; i++) if (sim.sex[i] === 0) men.push(i);
    // Married at home during burn-in although they live in the city (everyone counts as home then).
    const married = men.filter((i) => maritalCount(sim, i) === 1).length;
    expect(married).toBeGreaterThan(990);
    while (sim.t < world.steps) {
      sim.step();
      for (const i of men) if (sim.loc[i] === sim.home[i]) throw new Error('a one-way mover with no return came home');
    }
    expect(sumOf(sim.outputs.infections)).toBe(0);
    for (const i of men) expect(sim.hiv[i]).toBe(SUSCEPTIBLE);
    // endOnLeave is 0 for marital partnerships: every marriage still exists after three years.
    expect(men.filter((i) => maritalCount(sim, i) === 1).length).toBe(married);
    expect(sim.activePartnerships).toBe(married);
  });

  it('control: the same couples transmit once the men come home', () => {
    const { sim } = build(oneWayCouples(0.999), { closed: true });
    sim.run();
    // Returns at about 7 per person-year: nearly every man is home within weeks, then infected.
    expect(sumOf(sim.outputs.infections)).toBeGreaterThan(900);
  });

  it('circular migrants are infected by their wives only in the weeks they are at home', () => {
    const scenario = quietScenario({
      years: 3,
      burnInYears: 0.5,
      places: [
        { code: 'H', name: 'Home', population: [{ sex: 'F', count: 2000, ageBand: AGES_20_30, initialPrevalence: 1 }] },
        { code: 'M', name: 'Mine', kind: 'site', population: [] },
      ],
      mobileGroups: [
        {
          code: 'miners',
          name: 'Miners',
          home: 'H',
          sex: 'M',
          count: 2000,
          ageBand: AGES_20_30,
          initialPrevalence: 0,
          pattern: { type: 'circular', destination: 'M', monthsAway: 11, monthsHome: 1 },
        },
      ],
      partnerships: { marital: { targets: ONE_EACH, formationRatePerYear: 50, meanDurationYears: 1e6, actsPerWeek: 2, condomShare: 0 } },
      parameters: { transmission: { betaFemaleToMale: 0.02 }, history: { survivalMedianYears: 1e6 } },
    });
    const { sim, world } = build(scenario, { closed: true });
    burnIn(sim);
    let atHome = 0;
    let infections = 0;
    while (sim.t < world.steps) {
      sim.step();
      const t = sim.t - 1;
      for (let i = 0; i < sim.n; i++) {
        if (sim.sex[i] !== 0) continue;
        if (sim.loc[i] === sim.home[i]) atHome++;
        if (sim.hiv[i] !== SUSCEPTIBLE && sim.infStep[i] === t) {
          infections++;
          expect(sim.loc[i], `man ${i} infected at step ${t} away from home`).toBe(sim.home[i]);
        }
      }
    }
    expect(infections).toBeGreaterThan(100);
    // About one step in twelve at home (30 of 365 days).
    expect(atHome / (2000 * world.steps)).toBeGreaterThan(0.07);
    expect(atHome / (2000 * world.steps)).toBeLessThan(0.1);
  });

  it('leaving home ends partnerships whose type ends on leave, and keeps (pauses) marriages', () => {
    const scenario = quietScenario({
      years: 2,
      burnInYears: 1,
      places: [
        { code: 'H', name: 'Home', population: [{ sex: 'F', count: 3000, ageBand: AGES_20_30 }] },
        { code: 'M', name: 'Mine', kind: 'site', population: [] },
      ],
      mobileGroups: [
        {
          code: 'miners',
          name: 'Miners',
          home: 'H',
          sex: 'M',
          count: 1000,
          ageBand: AGES_20_30,
          pattern: { type: 'circular', destination: 'M', monthsAway: 2, monthsHome: 2 },
        },
      ],
      partnerships: {
        marital: { targets: ONE_EACH, formationRatePerYear: 50, meanDurationYears: 1e6, endOnLeave: 0 },
        regular: { targets: ONE_EACH, formationRatePerYear: 50, meanDurationYears: 1e6, endOnLeave: 1 },
      },
    });
    const { sim, world } = build(scenario, { closed: true });
    burnIn(sim);
    const men: number[] = [];
    for (let i = 0; i < sim.n; i++) if (sim.sex[i] === 0) men.push(i);
    let awayWithRegular = 0;
    let homeWithRegular = 0;
    let awaySteps = 0;
    let unmarried = 0;
    while (sim.t < world.steps) {
      sim.step();
      for (const i of men) {
        if (sim.partnerCount[i * STORED_TYPES + MARITAL] !== 1) unmarried++;
        const regular = sim.partnerCount[i * STORED_TYPES + REGULAR]!;
        if (sim.loc[i] === sim.home[i]) homeWithRegular += regular;
        else {
          awaySteps++;
          awayWithRegular += regular;
        }
      }
    }
    // Every man stays married throughout, through every departure.
    expect(unmarried).toBe(0);
    // Regular partnerships form at home (no women at the mine) and all end when the man leaves.
    expect(awaySteps).toBeGreaterThan(0.4 * men.length * world.steps);
    expect(awayWithRegular).toBe(0);
    expect(homeWithRegular).toBeGreaterThan(0.3 * men.length * world.steps);
  });
});

describe('formation at home only', () => {
  it('circular migrants marry at the input rate per unit of time spent at home', () => {
    // No burn-in: marriages form only from step 0, and only in steps the man is at home.
    const rate = 0.5;
    const scenario = quietScenario({
      years: 2,
      burnInYears: 0,
      places: [
        { code: 'H', name: 'Home', population: [{ sex: 'F', count: 6000, ageBand: AGES_20_30 }] },
        { code: 'M', name: 'Mine', kind: 'site', population: [] },
      ],
      mobileGroups: [
        {
          code: 'miners',
          name: 'Miners',
          home: 'H',
          sex: 'M',
          count: 6000,
          ageBand: AGES_20_30,
          pattern: { type: 'circular', destination: 'M', monthsAway: 11, monthsHome: 1 },
        },
      ],
      partnerships: { marital: { targets: ONE_EACH, formationRatePerYear: rate, meanDurationYears: 1e6 } },
    });
    const { sim, world } = build(scenario, { seed: 3, closed: true });
    const men: number[] = [];
    for (let i = 0; i < sim.n; i++) if (sim.sex[i] === 0) men.push(i);
    const homeSteps = new Float64Array(sim.n);
    while (sim.t < world.steps) {
      const before = men.map((i) => maritalCount(sim, i));
      sim.step();
      men.forEach((i, k) => {
        const home = sim.loc[i] === sim.home[i];
        if (home) homeSteps[i]!++;
        if (maritalCount(sim, i) > before[k]!) expect(home, `man ${i} married away from home`).toBe(true);
      });
    }
    // Each man's chance of having married is 1 − (1 − f)^h for his h steps at home, with
    // f = 1 − exp(−rate·dt) per step; the count is Poisson-binomial, its 99.9% band ≈ ±3.29 sd.
    const f = 1 - Math.exp(-rate * world.dt);
    let expected = 0;
    let variance = 0;
    for (const i of men) {
      const p = 1 - Math.pow(1 - f, homeSteps[i]!);
      expected += p;
      variance += p * (1 - p);
    }
    const married = men.filter((i) => maritalCount(sim, i) === 1).length;
    expect(Math.abs(married - expected), `married ${married}, expected ${expected.toFixed(1)}`).toBeLessThan(3.29 * Math.sqrt(variance));
    // For scale: had the men been home all the time, about 1 − e^(−1) ≈ 63% would have married.
    const always = binomialInterval(men.length, 1 - Math.exp(-rate * 2), 0.999);
    expect(married).toBeLessThan(always.lo / 4);
  });
});
