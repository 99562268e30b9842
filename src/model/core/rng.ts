/**
 * Counter-based random numbers: a draw is a pure function of (seed, stream, step, purpose), so
 * each agent has its own streams (common random numbers across scenarios), results do not depend
 * on the order in which agents are visited, and a run is bitwise reproducible anywhere.
 */

/** A 32-bit integer hash with full avalanche ("triple32", Chris Wellons' hash prospector). */
export function mix32(x: number): number {
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}

const INV_2_32 = 1 / 4294967296;

/** The key of one stream (an agent's unique id) under a seed. */
export function streamKey(seed: number, stream: number): number {
  return mix32(mix32(seed ^ 0x5bd1e995) ^ Math.imul(stream, 0x2c1b3c6d)) | 0;
}

/** The key of one (step, purpose) under a seed; the engine tabulates these once per step. */
export function stepKey(seed: number, step: number, purpose: number): number {
  return mix32(mix32(seed ^ 0x68e31da4) ^ Math.imul(step, 0x9e3779b1) ^ Math.imul(purpose, 0x85ebca6b)) | 0;
}

/** A uniform draw in (0, 1) from a stream key and a step key: one hash per draw in the hot loops. */
export function draw(streamKeyValue: number, stepKeyValue: number): number {
  return (mix32(streamKeyValue ^ stepKeyValue) + 0.5) * INV_2_32;
}

/** The draw of `stream` (an agent's unique id) at `step` for `purpose`: what the engine draws for that agent. */
export function uniform(seed: number, stream: number, step: number, purpose: number): number {
  return draw(streamKey(seed, stream), stepKey(seed, step, purpose));
}

/** Number of purposes tabulated per step. */
export const PURPOSES = 256;

/** Draw purposes: each independent decision has its own, so adding one never shifts another. */
export const enum Purpose {
  Age = 1,
  Death = 2,
  Sex = 3,
  InitialInfection = 4,
  InitialStage = 5,
  Survival = 6,
  Circumcision = 7,
  MobilityOffset = 8,
  MobilityDay = 9,
  OneWayReturn = 10,
  Test = 11,
  Link = 12,
  Interrupt = 13,
  Restart = 14,
  LeaveEnd = 15,
  Commercial = 17,
  CommercialPick = 18,
  CommercialTransmit = 19,
  Risk = 20,
  Prep = 21,
  /** Partnership durations: one purpose per type from here. */
  Duration = 32,
  /** When a seeking agent next tries to form a partnership: one purpose per type from here. */
  FormSchedule = 40,
  /** Formation uses 32 purposes from here: type × attempt. */
  Form = 64,
  /** Survival of infections present at the start: 16 rejection-sampling tries (2 draws each) from here. */
  InitialSurvival = 96,
  /** Transmission uses one purpose per partnership type from here. */
  Transmit = 128,
}

/** An exponential waiting time with the given mean, from a uniform draw. */
export function exponential(u: number, mean: number): number {
  return -Math.log(u) * mean;
}

/**
 * A whole number of steps ≥ 1 with mean `meanSteps`: geometric, P(k) = p(1 − p)^(k − 1) with
 * p = 1 / meanSteps — the discrete-time twin of an exponential duration.
 */
export function geometricSteps(u: number, meanSteps: number): number {
  if (meanSteps <= 1) return 1;
  if (!Number.isFinite(meanSteps)) return 2 ** 30;
  return Math.min(2 ** 30, Math.max(1, Math.ceil(Math.log(u) / Math.log(1 - 1 / meanSteps))));
}

/** A Weibull draw with shape k and scale λ, from a uniform draw. */
export function weibull(u: number, shape: number, scale: number): number {
  return scale * Math.pow(-Math.log(u), 1 / shape);
}
