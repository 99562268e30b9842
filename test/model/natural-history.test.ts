/**
 * DESIGN §5.7.1 and §5.3: stage durations match their inputs, and survival without ART follows the
 * Weibull of the inputs (median ≈ 11 years), both as drawn and as lived: agents die when it says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/model/core/engine.js';
import { ACUTE, LATE, SUSCEPTIBLE } from '../../src/model/core/world.js';
import { ksDistance, mean, quantileRankInterval, sorted, weibullCdf, weibullMoments } from '../support/stats.js';
import { build, burnIn, couplesScenario, stepsPerYear, sumOf } from '../support/worlds.js';

/**
 * Couples in which every man is infected and transmits with certainty (β = 1) at step 0; the
 * women, infected together at step 0, are then followed. Men keep long survival so that they do
 * not die before transmitting; women get the default natural history.
 */
function infectWomenAtStepZero(couples: number, timeStep: 'week' | 'month', years: number, history: { acuteMonths?: number; lateMonths?: number } = {}) {
  const scenario = couplesScenario({ couples, infected: 'M', timeStep, years, transmission: { betaMaleToFemale: 1, ...history } });
  scenario.parameters.history.survivalMedianYears = 11; // the default, for everyone
  const built = build(scenario, { closed: true });
  const { sim } = built;
  burnIn(sim);
  // Men: infected at a random point of a very long course, so none dies in the first step.
  for (let i = 0; i < sim.n; i++) if (sim.hiv[i] !== SUSCEPTIBLE) sim.survival[i] = 1e6;
  sim.step();
  const women: number[] = [];
  for (let i = 0; i < sim.n; i++) if (sim.hiv[i] !== SUSCEPTIBLE && sim.infStep[i] === 0) women.push(i);
  return { ...built, women };
}

interface Followed {
  /** Steps after the infection step in which the agent was acute (so transmitted at the acute rate). */
  acuteSteps: number;
  lateSteps: number;
  /** Survival drawn at infection (years). */
  survival: number;
  /** Step at which the agent died of HIV, or -1 if alive at the end. */
  deathStep: number;
}

/** Steps `sim` to its end, following the agents in `slots` (infected at step 0) until they die. */
function follow(sim: Simulation, slots: number[], until: number): Followed[] {
  const uid = slots.map((i) => sim.uid[i]!);
  const f: Followed[] = slots.map((i) => ({ acuteSteps: 0, lateSteps: 0, survival: sim.survival[i]!, deathStep: -1 }));
  while (sim.t < until) {
    sim.step();
    const t = sim.t - 1;
    slots.forEach((i, k) => {
      const a = f[k]!;
      if (a.deathStep >= 0) return;
      // With no background deaths and nobody ageing out, a new agent in the slot means an HIV death.
      if (sim.uid[i] !== uid[k]) {
        a.deathStep = t;
        return;
      }
      if (sim.hiv[i] === ACUTE) a.acuteSteps++;
      else if (sim.hiv[i] === LATE) a.lateSteps++;
    });
  }
  return f;
}

describe('stage durations', () => {
  // The acute stage should last its input, rounded to whole steps: an agent infected in step t
  // transmits from step t + 1 on, at the acute rate for round(acuteMonths / step) steps.
  it.each([
    { timeStep: 'week' as const, acuteMonths: 3, expected: 13 },
    { timeStep: 'month' as const, acuteMonths: 3, expected: 3 },
    { timeStep: 'week' as const, acuteMonths: 2, expected: 9 }, // 8.7 weeks
    { timeStep: 'month' as const, acuteMonths: 5, expected: 5 },
  ])('acute stage of $acuteMonths months with a $timeStep step: $expected steps of acute transmission', ({ timeStep, acuteMonths, expected }) => {
    const { sim, world, women } = infectWomenAtStepZero(2000, timeStep, 1, { acuteMonths });
    expect(women.length).toBe(2000);
    const followed = follow(sim, women, expected + 3);
    const counts = new Map<number, number>();
    for (const a of followed) counts.set(a.acuteSteps, (counts.get(a.acuteSteps) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ [expected]: women.length });
    expect(Math.abs(expected * world.dt - acuteMonths / 12)).toBeLessThanOrEqual(world.dt / 2);
  });

  it('the late stage covers the last 10 months before an HIV death, and nobody dies of anything else', () => {
    const { sim, world, women } = infectWomenAtStepZero(3000, 'month', 40);
    const followed = follow(sim, women, world.steps);
    const late = world.history.lateYears / world.dt; // 10 monthly steps
    let checked = 0;
    for (const a of followed) {
      expect(a.deathStep).toBeGreaterThan(0);
      if (a.survival < world.history.acuteYears + world.history.lateYears + 2 * world.dt) continue;
      // Late from the first step at which the clock passes survival − 10 months to the step before death.
      expect(Math.abs(a.lateSteps - late)).toBeLessThanOrEqual(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(2900);
    expect(sumOf(sim.outputs.deathsOther)).toBe(0);
  });
});

describe('survival without ART', () => {
  const N = 5000;
  let built: ReturnType<typeof infectWomenAtStepZero>;
  beforeAll(() => {
    built = infectWomenAtStepZero(N, 'week', 32);
  });

  it('is Weibull with median 11 years, as drawn at infection', () => {
    const { sim, world, women } = built;
    const { survivalShape: shape, survivalScaleYears: scale } = world.history;
    const w = weibullMoments(shape, scale);
    const drawn = women.map((i) => sim.survival[i]!);
    expect(women.length).toBe(N);
    expect(w.median).toBeCloseTo(11, 10);
    const s = sorted(drawn);
    // Distribution-free 99.9% interval for the median from the order statistics.
    const r = quantileRankInterval(N, 0.5, 0.999);
    expect(s[r.lo]!).toBeLessThanOrEqual(11);
    expect(s[r.hi]!).toBeGreaterThanOrEqual(11);
    // Mean within 3.29 standard errors (99.9%) of the Weibull mean λΓ(1 + 1/k) ≈ 11.55 years.
    expect(Math.abs(mean(drawn) - w.mean)).toBeLessThan((3.29 * w.sd) / Math.sqrt(N));
    // And the whole distribution: Kolmogorov–Smirnov at the 0.1% level.
    expect(ksDistance(drawn, (x) => weibullCdf(x, shape, scale))).toBeLessThan(1.95 / Math.sqrt(N));
  });

  it('is how long infected agents live: each dies in the step its clock reaches survival, median ≈ 11 years', () => {
    const { sim, world, women } = built;
    const followed = follow(sim, women, world.steps);
    const dt = world.dt;
    const spy = stepsPerYear(world);
    let dead = 0;
    for (const a of followed) {
      if (a.deathStep < 0) {
        // Still alive after 32 years: only if survival was longer.
        expect(a.survival).toBeGreaterThan(world.steps * dt - dt);
        continue;
      }
      dead++;
      // Time on the clock at death is survival rounded up to the step (with no time on ART).
      const years = a.deathStep / spy;
      expect(years).toBeGreaterThanOrEqual(a.survival - 1e-9);
      expect(years).toBeLessThan(a.survival + dt + 1e-9);
    }
    // P(survival > 32 years) ≈ 0.0006: nearly everyone died.
    expect(dead).toBeGreaterThan(N * 0.99);
    // The empirical median time to HIV death (all deaths observed but a handful: the median is).
    const times = sorted(followed.map((a) => (a.deathStep < 0 ? Infinity : a.deathStep / spy)));
    const r = quantileRankInterval(N, 0.5, 0.999);
    // Deaths happen at the end of the step in which survival falls: half a step later on average.
    expect(times[r.lo]!).toBeLessThanOrEqual(11 + dt);
    expect(times[r.hi]!).toBeGreaterThanOrEqual(11);
    expect(sumOf(sim.outputs.deathsOther)).toBe(0);
    // Every HIV death of a followed woman is counted in the outputs (men die too, so ≥).
    expect(sumOf(sim.outputs.deathsHiv)).toBeGreaterThanOrEqual(dead);
  });
});

describe('ART halts progression', () => {
  it('infected agents who stay virally suppressed on ART do not progress or die of HIV', () => {
    const scenario = couplesScenario({ couples: 1000, infected: 'M', years: 30 });
    Object.assign(scenario.parameters.care, { initialDiagnosedShare: 1, initialOnArtShare: 1, interruptionRatePerYear: 0 });
    scenario.parameters.history.survivalMedianYears = 11;
    const { sim } = build(scenario, { closed: true });
    burnIn(sim);
    const men: number[] = [];
    for (let i = 0; i < sim.n; i++) if (sim.hiv[i] !== SUSCEPTIBLE) men.push(i);
    const clock = men.map((i) => sim.hivClock[i]!);
    const uid = men.map((i) => sim.uid[i]!);
    sim.run();
    men.forEach((i, k) => {
      expect(sim.uid[i]).toBe(uid[k]);
      expect(sim.hivClock[i]).toBe(clock[k]);
    });
    // Their wives, infected despite ART (4% of the infectiousness), are untreated and do die.
    expect(sumOf(sim.outputs.deathsHiv)).toBeGreaterThan(0);
  });
});
