/**
 * Small worlds for the model validation tests, built as scenario files (so the compiler's unit
 * conversions are part of what is tested) with everything a test does not study switched off.
 */
import { Simulation } from '../../src/model/core/engine.js';
import { MARITAL, STORED_TYPES, SUSCEPTIBLE, type World } from '../../src/model/core/world.js';
import { compileScenario, validateScenario, type WorldLabels } from '../../src/model/scenarios/compile.js';
import type { Scenario, ScenarioInput } from '../../src/model/scenarios/scenario.schema.js';

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: values in `over` win; arrays are replaced, not merged. */
export function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return base;
  if (!isPlain(base) || !isPlain(over)) return over as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = v === undefined ? base[k] : merge(base[k], v as never);
  return out as T;
}

const zero = { low: 0, medium: 0, high: 0 };
export const NO_TARGETS = { F: zero, M: zero };
/** One partner of the type for everyone, whatever the risk group. */
export const ONE_EACH = { F: { low: 1, medium: 1, high: 1 }, M: { low: 1, medium: 1, high: 1 } };

/**
 * Everything off: no partnerships, no commercial sex, no testing and nobody on ART, no background
 * deaths, and mixing without age or risk preference. Each test switches on what it studies. (People
 * still leave at the top of their age band: see `withoutExits`.)
 */
export const QUIET: Omit<ScenarioInput, 'places'> = {
  name: 'validation world',
  years: 1,
  burnInYears: 0.5,
  seed: 1,
  ageRange: { min: 15, max: 100 },
  partnerships: {
    marital: { targets: NO_TARGETS },
    regular: { targets: NO_TARGETS },
    casual: { targets: NO_TARGETS },
    commercial: { contactsPerYear: zero },
  },
  parameters: {
    care: { testingRatePerYear: 0, initialDiagnosedShare: 0, initialOnArtShare: 0 },
    demography: { backgroundMortalityPerYear: 0 },
    mixing: { ageGapMeanYears: 0, ageGapSdYears: 1000, assortativity: 0 },
  },
};

export const AGES_20_30 = { min: 20, max: 30 };

/** A validated scenario: QUIET with `over` merged in. */
export function quietScenario(over: DeepPartial<ScenarioInput> & Pick<ScenarioInput, 'places'>): Scenario {
  return validateScenario(merge<ScenarioInput>({ ...QUIET, places: [] }, over));
}

export interface Built {
  scenario: Scenario;
  world: World;
  labels: WorldLabels;
  sim: Simulation;
}

/**
 * Compiles a scenario and starts a simulation of it (before burn-in). `seed` overrides the
 * scenario's; `closed` makes HIV death the only exit (see `withoutExits`).
 */
export function build(scenario: Scenario, opts: { seed?: number; closed?: boolean } = {}): Built {
  const { world, labels } = compileScenario(scenario, opts.seed ?? scenario.seed);
  const sim = new Simulation(world);
  if (opts.closed) withoutExits(sim);
  return { scenario, world, labels, sim };
}

/**
 * Nobody leaves except by HIV death. Agents leave their block at the top of its age band, and a
 * scenario cannot give a band that nobody reaches within a run (ages are spread over the band), so
 * tests that need a closed population move every agent's exit step beyond any run instead. With
 * background mortality 0 (as in QUIET) that leaves HIV deaths as the only way out.
 */
export function withoutExits(sim: Simulation): void {
  for (let i = 0; i < sim.n; i++) sim.exitStep[i] = 2 ** 30;
}

/** Runs the burn-in steps, leaving the simulation at step 0. */
export function burnIn(sim: Simulation): void {
  while (sim.t < 0) sim.step();
}

export const stepsPerYear = (world: World): number => Math.round(1 / world.dt);

export function countInfected(sim: Simulation): number {
  let k = 0;
  for (let i = 0; i < sim.n; i++) if (sim.hiv[i] !== SUSCEPTIBLE) k++;
  return k;
}

export const maritalCount = (sim: Simulation, i: number): number => sim.partnerCount[i * STORED_TYPES + MARITAL]!;

export const sumOf = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

export interface CouplesOptions {
  couples: number;
  /** Which partner is infected at the start. */
  infected: 'M' | 'F';
  actsPerWeek?: number;
  condomShare?: number;
  circumcisedShare?: number;
  transmission?: DeepPartial<Scenario['parameters']['transmission']>;
  years?: number;
  timeStep?: 'week' | 'month';
  /** Survival without ART (median, years); long by default so that nobody dies during a test. */
  survivalMedianYears?: number;
}

/**
 * `couples` men and `couples` women in one place, marital partnerships only (one each), formed
 * within the first step of burn-in and lasting for ever; one partner of every couple is infected.
 * No mobility, no other partners, no testing, no demography: every partnership is discordant and
 * co-located at step 0.
 */
export function couplesScenario(o: CouplesOptions): Scenario {
  return quietScenario({
    years: o.years ?? 1,
    timeStep: o.timeStep ?? 'week',
    burnInYears: 0.2,
    places: [
      {
        code: 'H',
        name: 'Home',
        population: [
          { sex: 'M', count: o.couples, ageBand: AGES_20_30, initialPrevalence: o.infected === 'M' ? 1 : 0, circumcisedShare: o.circumcisedShare ?? 0 },
          { sex: 'F', count: o.couples, ageBand: AGES_20_30, initialPrevalence: o.infected === 'F' ? 1 : 0 },
        ],
      },
    ],
    partnerships: {
      marital: {
        targets: ONE_EACH,
        formationRatePerYear: 5000,
        meanDurationYears: 1e6,
        actsPerWeek: o.actsPerWeek ?? 1.5,
        condomShare: o.condomShare ?? 0.05,
      },
    },
    parameters: {
      transmission: o.transmission ?? {},
      history: { survivalMedianYears: o.survivalMedianYears ?? 1e6 },
    },
  });
}
