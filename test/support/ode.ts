/**
 * The compartmental (ODE) twin of the agent model in its simplest setting (DESIGN §5.7.2): one
 * place, men and women who each have at most one partner at a time (serial monogamy), partnerships
 * that form between singles at random and end at a constant rate, and an infection without
 * recovery or death (SI) passed on within discordant partnerships at a constant hazard.
 *
 * Because nobody has two partners at once, the state of the population is fully described by the
 * numbers of single men and women by infection status and of partnerships by the status of both
 * partners: the pair-formation model of Dietz & Hadeler (1988) and Kretzschmar & Dietz (1998).
 * It is not a mean-field approximation of the network but its exact large-population limit: the
 * agent model should agree with it up to sampling noise and the effects of a discrete time step.
 * (The classical "contacts × prevalence" SI model would not: it ignores that a partner who has
 * already infected you cannot infect you again, which matters whenever partnerships last longer
 * than the time it takes to transmit.)
 */

export interface PairModelParameters {
  /** Rate (per year) at which a single man forms a partnership, with a single woman chosen at random. */
  formationRatePerYear: number;
  /** Mean partnership duration (years; exponential). */
  meanDurationYears: number;
  /** Transmission hazard per year in a partnership of an infected man and a susceptible woman. */
  hazardMaleToFemale: number;
  /** Transmission hazard per year in a partnership of an infected woman and a susceptible man. */
  hazardFemaleToMale: number;
}

/** Counts (or shares) of single men/women by status and of partnerships by (man, woman) status. */
export interface PairState {
  mS: number;
  mI: number;
  wS: number;
  wI: number;
  pSS: number;
  pSI: number;
  pIS: number;
  pII: number;
}

const KEYS = ['mS', 'mI', 'wS', 'wI', 'pSS', 'pSI', 'pIS', 'pII'] as const;
const toVec = (s: PairState): number[] => KEYS.map((k) => s[k]);
const fromVec = (v: number[]): PairState => Object.fromEntries(KEYS.map((k, i) => [k, v[i]!])) as unknown as PairState;

/** Right-hand side: the rates of change of each compartment. */
export function pairModelDerivative(par: PairModelParameters, s: PairState): PairState {
  const rho = par.formationRatePerYear;
  const sigma = 1 / par.meanDurationYears;
  const W = s.wS + s.wI;
  const M = s.mS + s.mI;
  // Men form at rate ρ; each picks a single woman at random, so women are chosen in proportion.
  const fS = W > 0 ? s.wS / W : 0;
  const fI = W > 0 ? s.wI / W : 0;
  const formWomen = W > 0 ? rho * M : 0;
  const ma = par.hazardMaleToFemale;
  const fm = par.hazardFemaleToMale;
  return {
    mS: -rho * s.mS * (W > 0 ? 1 : 0) + sigma * (s.pSS + s.pSI),
    mI: -rho * s.mI * (W > 0 ? 1 : 0) + sigma * (s.pIS + s.pII),
    wS: -formWomen * fS + sigma * (s.pSS + s.pIS),
    wI: -formWomen * fI + sigma * (s.pSI + s.pII),
    pSS: rho * s.mS * fS - sigma * s.pSS,
    pSI: rho * s.mS * fI - (sigma + fm) * s.pSI,
    pIS: rho * s.mI * fS - (sigma + ma) * s.pIS,
    pII: rho * s.mI * fI - sigma * s.pII + fm * s.pSI + ma * s.pIS,
  };
}

/** Classical fourth-order Runge–Kutta for a vector ODE y' = f(y), from 0 to each time in `at`. */
export function rk4(f: (y: number[]) => number[], y0: number[], at: number[], h: number): number[][] {
  const out: number[][] = [];
  let y = y0.slice();
  let t = 0;
  const axpy = (a: number[], k: number[], c: number) => a.map((v, i) => v + c * k[i]!);
  for (const target of at) {
    while (t < target - 1e-12) {
      const dt = Math.min(h, target - t);
      const k1 = f(y);
      const k2 = f(axpy(y, k1, dt / 2));
      const k3 = f(axpy(y, k2, dt / 2));
      const k4 = f(axpy(y, k3, dt));
      y = y.map((v, i) => v + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
      t += dt;
    }
    out.push(y.slice());
  }
  return out;
}

/** Solves the pair model from `initial` and returns the state at each time in `at` (years). */
export function solvePairModel(par: PairModelParameters, initial: PairState, at: number[], h = 1 / 365): PairState[] {
  return rk4((y) => toVec(pairModelDerivative(par, fromVec(y))), toVec(initial), at, h).map(fromVec);
}

export const infectedOf = (s: PairState): number => s.mI + s.wI + s.pSI + s.pIS + 2 * s.pII;
export const populationOf = (s: PairState): number => s.mS + s.mI + s.wS + s.wI + 2 * (s.pSS + s.pSI + s.pIS + s.pII);
export const prevalenceOf = (s: PairState): number => infectedOf(s) / populationOf(s);

/**
 * The state at the end of burn-in: `men` men and `women` women, a share `prevalence` of each
 * infected independently of partnership status, after `burnInYears` of partnership formation from
 * nobody partnered (the agent model assigns infections at the start, then forms partnerships
 * without transmission during burn-in, so statuses are independent of who is partnered).
 */
export function burnedInState(par: PairModelParameters, men: number, women: number, prevalence: number, burnInYears: number): PairState {
  const noTransmission = { ...par, hazardMaleToFemale: 0, hazardFemaleToMale: 0 };
  const start: PairState = {
    mS: men * (1 - prevalence),
    mI: men * prevalence,
    wS: women * (1 - prevalence),
    wI: women * prevalence,
    pSS: 0,
    pSI: 0,
    pIS: 0,
    pII: 0,
  };
  return burnInYears > 0 ? solvePairModel(noTransmission, start, [burnInYears])[0]! : start;
}

/**
 * The constant hazard (per year) of transmission in a discordant partnership with `actsPerYear`
 * acts, a share c of them with a condom of efficacy e: acts per year × [(1−c)(−ln(1−β)) +
 * c(−ln(1−β(1−e)))]. It is −ln(1 − p)/dt for the model's per-step probability
 * p = 1 − (1 − β)^(n(1−c)) · (1 − β(1−e))^(nc) with n = actsPerYear·dt acts per step.
 */
export function hazardPerYear(beta: number, actsPerYear: number, condomShare: number, condomEfficacy: number): number {
  return actsPerYear * ((1 - condomShare) * -Math.log1p(-beta) + condomShare * -Math.log1p(-beta * (1 - condomEfficacy)));
}
