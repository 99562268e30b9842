/**
 * DESIGN §5.7.1: the per-partnership probability of transmission matches its closed form, both as
 * a formula and as observed over many partnerships; doubling β roughly doubles early transmission.
 */
import { describe, expect, it } from 'vitest';
import { ACUTE, CHRONIC, FEMALE, LATE, MALE, SUSCEPTIBLE, type World } from '../../src/model/core/world.js';
import { runScenario } from '../../src/model/scenarios/run.js';
import { validateScenario } from '../../src/model/scenarios/compile.js';
import { binomialInterval } from '../support/stats.js';
import { AGES_20_30, build, burnIn, couplesScenario, maritalCount, quietScenario, sumOf, type CouplesOptions } from '../support/worlds.js';

/** DESIGN §5.3: p = 1 − (1 − βm)^(n(1−c)) · (1 − βm(1−e))^(nc), with βm capped at 1. */
function closedForm(betaM: number, acts: number, condomShare: number, efficacy: number): number {
  const bm = Math.min(1, betaM);
  return 1 - Math.pow(1 - bm, acts * (1 - condomShare)) * Math.pow(1 - bm * (1 - efficacy), acts * condomShare);
}

/** The multiplier m of DESIGN §5.3, computed here from the world's parameters, not by the engine. */
function multiplier(tr: World['transmission'], o: { stage: number; suppressed?: boolean; circumcised?: boolean; prep?: boolean }): number {
  let m = o.suppressed ? tr.suppressedMultiplier : o.stage === ACUTE ? tr.acuteMultiplier : o.stage === LATE ? tr.lateMultiplier : 1;
  if (o.circumcised) m *= tr.circumcisionMultiplier;
  if (o.prep) m *= 1 - tr.prepEfficacy * tr.prepAdherence;
  return m * (1 + tr.stiPrevalence * (tr.stiCofactor - 1));
}

describe('the per-partnership transmission probability', () => {
  it('Simulation.transmissionProbability is the closed form for every stage, direction, condom share and number of acts', () => {
    const { sim, world } = build(couplesScenario({ couples: 4, infected: 'M' }));
    const man = Array.from({ length: sim.n }, (_, i) => i).find((i) => sim.sex[i] === MALE)!;
    const woman = Array.from({ length: sim.n }, (_, i) => i).find((i) => sim.sex[i] === FEMALE)!;
    const tr = world.transmission;
    const e = tr.condomEfficacy;
    let checked = 0;
    for (const sti of [0, 0.3]) {
      tr.stiPrevalence = sti;
      for (const [source, target, beta] of [
        [man, woman, tr.betaMaleToFemale],
        [woman, man, tr.betaFemaleToMale],
      ] as const) {
        for (const stage of [ACUTE, CHRONIC, LATE]) {
          for (const suppressed of [false, true]) {
            for (const protectedTarget of [false, true]) {
              sim.hiv[source] = stage;
              sim.suppressed[source] = suppressed ? 1 : 0;
              sim.hiv[target] = SUSCEPTIBLE;
              // Circumcision protects a susceptible man; PrEP a susceptible woman here.
              sim.circumcised[target] = target === man && protectedTarget ? 1 : 0;
              sim.onPrep[target] = target === woman && protectedTarget ? 1 : 0;
              const m = multiplier(tr, { stage, suppressed, circumcised: target === man && protectedTarget, prep: target === woman && protectedTarget });
              for (const acts of [0, 1, 1.5, 4, 30]) {
                for (const c of [0, 0.05, 0.4, 1]) {
                  const expected = closedForm(beta * m, acts, c, e);
                  expect(sim.transmissionProbability(source, target, acts, c)).toBeCloseTo(expected, 12);
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(2 * 2 * 3 * 2 * 2 * 5 * 4);
    // Some probabilities are far from small: the formula, not its linearisation, is what is checked.
    tr.stiPrevalence = 0;
    sim.hiv[man] = ACUTE;
    sim.suppressed[man] = 0;
    sim.onPrep[woman] = 0;
    expect(sim.transmissionProbability(man, woman, 30, 0)).toBeGreaterThan(0.5);
  });

  it('is capped at certainty when β·m exceeds 1, and is 0 without acts', () => {
    const { sim, world } = build(couplesScenario({ couples: 2, infected: 'M', transmission: { betaMaleToFemale: 0.2 } }));
    const man = Array.from({ length: sim.n }, (_, i) => i).find((i) => sim.sex[i] === MALE)!;
    const woman = Array.from({ length: sim.n }, (_, i) => i).find((i) => sim.sex[i] === FEMALE)!;
    sim.hiv[man] = ACUTE; // 0.2 × 8 = 1.6
    sim.suppressed[man] = 0;
    expect(world.transmission.betaMaleToFemale * world.transmission.acuteMultiplier).toBeGreaterThan(1);
    expect(sim.transmissionProbability(man, woman, 1, 0)).toBe(1);
    expect(sim.transmissionProbability(man, woman, 0, 0)).toBe(0);
    const p = sim.transmissionProbability(man, woman, 2, 1);
    expect(p).toBeCloseTo(1 - Math.pow(1 - (1 - world.transmission.condomEfficacy), 2), 12);
  });
});

interface Case {
  name: string;
  options: CouplesOptions;
  /** Stage the infected partners are put in after burn-in. */
  stage: typeof ACUTE | typeof CHRONIC | typeof LATE;
  suppressed?: boolean;
}

/**
 * Empirical check: in a world of N always co-located discordant couples (one place, marital only,
 * no mobility, demography or testing), the number of first-step transmissions is Binomial(N, p)
 * with p the closed form computed here from the inputs. Each case must fall inside the central
 * 99.9% interval of that binomial. The first step is used because after it couples are no longer
 * all discordant.
 */
const CASES: Case[] = [
  // Default marital behaviour and β: p ≈ 0.0043, about 430 infections in 100,000 couples.
  { name: 'male→female, default β, 1.5 acts/week, 5% condoms, chronic', options: { couples: 100_000, infected: 'M' }, stage: CHRONIC },
  {
    name: 'female→male, circumcised men, 4 acts/week, 50% condoms, chronic',
    options: { couples: 50_000, infected: 'F', actsPerWeek: 4, condomShare: 0.5, circumcisedShare: 1, transmission: { betaFemaleToMale: 0.05 } },
    stage: CHRONIC,
  },
  {
    name: 'male→female, acute stage (×8), 2 acts/week, 30% condoms',
    options: { couples: 30_000, infected: 'M', actsPerWeek: 2, condomShare: 0.3, transmission: { betaMaleToFemale: 0.02 } },
    stage: ACUTE,
  },
  {
    name: 'female→male, late stage (×7), 2 acts/week, no condoms',
    options: { couples: 30_000, infected: 'F', actsPerWeek: 2, condomShare: 0, transmission: { betaFemaleToMale: 0.02 } },
    stage: LATE,
  },
  {
    // p ≈ 0.57 here; a condom model that scaled β by (1 − c·e) instead would give ≈ 0.55, outside the interval.
    name: 'male→female, large β·n: the condom term is multiplicative per act (β 0.3, 4 acts, 50% condoms)',
    options: { couples: 50_000, infected: 'M', actsPerWeek: 4, condomShare: 0.5, transmission: { betaMaleToFemale: 0.3 } },
    stage: CHRONIC,
  },
  {
    name: 'male→female, virally suppressed on ART (×0.04), β 0.3, 3 acts/week',
    options: { couples: 50_000, infected: 'M', actsPerWeek: 3, condomShare: 0, transmission: { betaMaleToFemale: 0.3 } },
    stage: CHRONIC,
    suppressed: true,
  },
];

describe('first-step transmissions in discordant couples', () => {
  it.each(CASES)('$name: inside the binomial 99.9% interval of the closed form', ({ options, stage, suppressed }) => {
    const scenarioInput = couplesScenario(options);
    if (suppressed) {
      // Everyone infected starts diagnosed, on ART and suppressed, and never interrupts.
      scenarioInput.parameters.care.initialDiagnosedShare = 1;
      scenarioInput.parameters.care.initialOnArtShare = 1;
      scenarioInput.parameters.care.interruptionRatePerYear = 0;
    }
    const { sim, world } = build(scenarioInput, { closed: true });
    burnIn(sim);
    const tr = world.transmission;
    // Put every infected partner in the stage under test (the clock is read after the step's ageing).
    let infected = 0;
    let onArt = 0;
    for (let i = 0; i < sim.n; i++) {
      if (sim.hiv[i] === SUSCEPTIBLE) continue;
      infected++;
      onArt += sim.onArt[i]!;
      sim.hivClock[i] = stage === ACUTE ? 0 : stage === LATE ? sim.survival[i]! - 0.5 : 100;
    }
    expect(onArt).toBe(suppressed ? options.couples : 0);
    expect(infected).toBe(options.couples);
    // Every susceptible partner is in a couple (formation during burn-in paired everyone).
    let discordant = 0;
    for (let i = 0; i < sim.n; i++) if (sim.hiv[i] === SUSCEPTIBLE && maritalCount(sim, i) === 1) discordant++;
    expect(discordant).toBe(options.couples);

    sim.step();
    let transmissions = 0;
    let sourcesInStage = 0;
    for (let i = 0; i < sim.n; i++) {
      if (sim.hiv[i] === SUSCEPTIBLE) continue;
      if (sim.infStep[i] === 0) transmissions++;
      else if (sim.hiv[i] === stage) sourcesInStage++;
    }
    // The infected partners were in the stage under test when they transmitted (stages are set
    // before transmission within a step, so the stage after the step is the one that was used).
    expect(sourcesInStage).toBe(options.couples);

    const beta = options.infected === 'M' ? tr.betaMaleToFemale : tr.betaFemaleToMale;
    const m = multiplier(tr, { stage, suppressed, circumcised: options.infected === 'F' && options.circumcisedShare === 1 });
    const acts = world.types[0]!.actsPerStep;
    expect(acts).toBeCloseTo(options.actsPerWeek ?? 1.5, 12); // weekly steps
    const p = closedForm(beta * m, acts, options.condomShare ?? 0.05, tr.condomEfficacy);
    const { lo, hi } = binomialInterval(discordant, p, 0.999);
    expect(transmissions, `observed ${transmissions} of ${discordant} (expected ${(p * discordant).toFixed(1)})`).toBeGreaterThanOrEqual(lo);
    expect(transmissions, `observed ${transmissions} of ${discordant} (expected ${(p * discordant).toFixed(1)})`).toBeLessThanOrEqual(hi);
  });
});

describe('timing', () => {
  it('a person infected in a step transmits from the next step on: infection moves one partnership per step', () => {
    // Chains man A (infected) – woman B – man C: A and B married, B and C regular partners. With
    // β = 1 every act transmits, so B is infected at step 0 and C at step 1, never at step 0.
    const chains = 2000;
    const scenario = quietScenario({
      years: 1,
      burnInYears: 0.2,
      places: [
        {
          code: 'H',
          name: 'Home',
          population: [
            { sex: 'M', risk: 'low', count: chains, ageBand: AGES_20_30, initialPrevalence: 1 },
            { sex: 'F', risk: 'low', count: chains, ageBand: AGES_20_30, initialPrevalence: 0 },
            { sex: 'M', risk: 'medium', count: chains, ageBand: AGES_20_30, initialPrevalence: 0 },
          ],
        },
      ],
      partnerships: {
        marital: { targets: { F: { low: 1, medium: 0, high: 0 }, M: { low: 1, medium: 0, high: 0 } }, formationRatePerYear: 5000, meanDurationYears: 1e6 },
        regular: { targets: { F: { low: 1, medium: 0, high: 0 }, M: { low: 0, medium: 1, high: 0 } }, formationRatePerYear: 5000, meanDurationYears: 1e6 },
      },
      parameters: { transmission: { betaMaleToFemale: 1, betaFemaleToMale: 1 }, history: { survivalMedianYears: 1e6 } },
    });
    const { sim } = build(scenario, { closed: true });
    burnIn(sim);
    expect(sim.activePartnerships).toBe(2 * chains);
    const infectedAt = (step: number, sex: number) => {
      let k = 0;
      for (let i = 0; i < sim.n; i++) if (sim.sex[i] === sex && sim.hiv[i] !== SUSCEPTIBLE && sim.infStep[i] === step) k++;
      return k;
    };
    sim.step();
    expect(infectedAt(0, FEMALE)).toBe(chains);
    expect(infectedAt(0, MALE)).toBe(0);
    sim.step();
    expect(infectedAt(1, MALE)).toBe(chains);
  });
});

describe('doubling β', () => {
  it('roughly doubles transmissions in the first year of a default world', () => {
    // One place with every partnership type, sex work and the care cascade at their defaults.
    const scenarioFor = (factor: number) =>
      validateScenario({
        name: 'double beta',
        years: 1,
        burnInYears: 2,
        places: [
          {
            code: 'T',
            name: 'Town',
            initialPrevalence: 0.15,
            population: [
              { sex: 'M', risk: 'low', count: 2400 },
              { sex: 'M', risk: 'medium', count: 1200 },
              { sex: 'M', risk: 'high', count: 400 },
              { sex: 'F', risk: 'low', count: 2800 },
              { sex: 'F', risk: 'medium', count: 1000 },
              { sex: 'F', risk: 'high', count: 150 },
              { group: 'sw', sex: 'F', risk: 'high', sexWorker: true, count: 50, initialPrevalence: 0.4 },
            ],
          },
        ],
        parameters: { transmission: { betaMaleToFemale: 0.003 * factor, betaFemaleToMale: 0.0038 * factor } },
      });
    // Year one, stepped by hand to keep the simulation at hand.
    const early = (factor: number, seed: number) => {
      const { sim, world } = build(scenarioFor(factor), { seed });
      burnIn(sim);
      while (sim.t < 52) sim.step();
      expect(world.steps).toBe(52);
      return sumOf(sim.outputs.infections);
    };
    let single = 0;
    let double = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      single += early(1, seed);
      double += early(2, seed);
    }
    // About 130 infections per run at β. Saturation of discordant partnerships pulls the ratio
    // under 2; onward transmission within the year by the newly infected (acute stage ×8, and twice
    // as likely at 2β) pushes it over: 2.13 over these eight seeds when written, with a spread
    // between seeds of about ±0.15. A linear response is 2; no response would be 1 and a quadratic
    // one 4, so [1.7, 2.5] tells them apart.
    expect(single).toBeGreaterThan(500);
    const ratio = double / single;
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.5);
  });

  it('is visible in a full run too: more infections, and no infections at β = 0', () => {
    const base = {
      name: 'beta zero',
      years: 2,
      places: [
        {
          code: 'T',
          name: 'Town',
          initialPrevalence: 0.2,
          population: [
            { sex: 'M', risk: 'medium', count: 1500 },
            { sex: 'F', risk: 'medium', count: 1500 },
          ],
        },
      ],
    } as const;
    const zero = runScenario(validateScenario({ ...base, parameters: { transmission: { betaMaleToFemale: 0, betaFemaleToMale: 0 } } }), 5);
    const some = runScenario(validateScenario(base), 5);
    expect(zero.totals.infections).toBe(0);
    expect(some.totals.infections).toBeGreaterThan(10);
  });
});
