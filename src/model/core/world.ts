/**
 * The compiled world the engine runs: plain numbers and typed arrays, in steps rather than years.
 * `src/model/scenarios` builds it from a validated scenario file; the engine never sees the file.
 */

export const MALE = 0;
export const FEMALE = 1;

/** Partnership types. The first three are kept as partnerships; commercial contacts are one-off. */
export const MARITAL = 0;
export const REGULAR = 1;
export const CASUAL = 2;
export const COMMERCIAL = 3;
export const STORED_TYPES = 3;
export const ALL_TYPES = 4;
export const TYPE_NAMES = ['marital', 'regular', 'casual', 'commercial'] as const;

/** Risk groups: index into per-risk parameters. */
export const RISKS = 3;
export const RISK_NAMES = ['low', 'medium', 'high'] as const;

/** HIV states. */
export const SUSCEPTIBLE = 0;
export const ACUTE = 1;
export const CHRONIC = 2;
export const LATE = 3;

export interface PartnershipType {
  /** Mean duration, in steps (exponentially distributed). */
  meanDurationSteps: number;
  /** Sex acts per step while both partners are at the partnership's place. */
  actsPerStep: number;
  /** Share of acts with a condom. */
  condomShare: number;
  /** Probability per step that a man seeking this type tries to form one. */
  formationProbPerStep: number;
  /** Probability that the partnership ends when a partner leaves its place (0: kept, paused). */
  endOnLeave: number;
  /** Forms only at the home place of both partners (marital). */
  atHomeOnly: boolean;
  /** Target number of concurrent partners, indexed [sex * RISKS + risk]. */
  target: Uint8Array;
}

/** A block of agents that share group, home, sex and risk; entries replace exits within a block. */
export interface Profile {
  group: number;
  home: number;
  sex: number;
  risk: number;
  sexWorker: boolean;
  count: number;
  ageMin: number;
  ageMax: number;
  initialPrevalence: number;
  circumcisedShare: number;
  /** Index of the mobility pattern, or -1 for residents who stay home. */
  pattern: number;
  /** HIV testing probability per step at a place with full testing services. */
  testProbPerStep: number;
  /** Probability per step of commercial sex contact (clients), where sex workers are present. */
  commercialProbPerStep: number;
  prepCoverage: number;
}

/** Where a mobile agent is on each day of its cycle. */
export interface Pattern {
  /** Place index for each day of the cycle. */
  schedule: Uint16Array;
  /** All agents of the pattern keep the same calendar (seasonal work), with some jitter. */
  synchronized: boolean;
  jitterDays: number;
  /** One-way moves: the agent lives at `schedule[0]` and returns home with this probability per step. */
  oneWay: boolean;
  returnProbPerStep: number;
}

export interface World {
  seed: number;
  /** Steps simulated after burn-in. */
  steps: number;
  /** Steps of partnership formation and mobility, without transmission, before step 0. */
  burnInSteps: number;
  stepDays: number;
  /** Years per step. */
  dt: number;
  minAge: number;
  maxAge: number;
  nPlaces: number;
  nGroups: number;
  /** Testing availability at each place, 0..1, multiplying each agent's testing rate. */
  placeTesting: Float64Array;
  /** 1 where ART refills are available. */
  placeArtRefill: Uint8Array;
  profiles: Profile[];
  patterns: Pattern[];
  types: PartnershipType[];
  commercial: { actsPerContact: number; condomShare: number };
  transmission: {
    betaMaleToFemale: number;
    betaFemaleToMale: number;
    acuteMultiplier: number;
    lateMultiplier: number;
    suppressedMultiplier: number;
    condomEfficacy: number;
    circumcisionMultiplier: number;
    prepEfficacy: number;
    prepAdherence: number;
    stiCofactor: number;
    stiPrevalence: number;
  };
  history: { acuteYears: number; lateYears: number; survivalShape: number; survivalScaleYears: number };
  care: {
    linkProb: number;
    suppressionDelaySteps: number;
    interruptProbPerStep: number;
    interruptMultiplierNoRefill: number;
    restartProbPerStep: number;
    initialDiagnosedShare: number;
    initialOnArtShare: number;
  };
  backgroundMortalityPerYear: number;
  ageGapMean: number;
  ageGapSd: number;
  /** Probability that a match across risk groups is refused (0: random mixing, 1: fully assortative). */
  assortativity: number;
}
