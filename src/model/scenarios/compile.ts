import { invalidInput, type Issue } from '../../domain/errors.js';
import { zodIssues } from '../../domain/validation.js';
import { parseJson } from '../../lib/json.js';
import { CASUAL, FEMALE, MALE, MARITAL, REGULAR, RISK_NAMES, RISKS, type PartnershipType, type Pattern, type Profile, type World } from '../core/world.js';
import { ScenarioSchema, type Scenario } from './scenario.schema.js';

const DAYS_PER_MONTH = 365 / 12;

/** Validates a scenario object; throws VALIDATION_FAILED naming every bad field (e.g. `places[2].population[0].count`). */
export function validateScenario(input: unknown): Scenario {
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) {
    // Name fields the way the checks below do (`places[2].code`), and unknown keys with their path.
    const zodList = parsed.error.issues;
    fail(
      zodIssues(parsed.error, input, 'scenario').map((issue, k) => {
        const zi = zodList[k]!;
        const path = zi.code === 'unrecognized_keys' && zi.keys.length === 1 ? [...zi.path, zi.keys[0]!] : zi.path;
        return { ...issue, field: fieldPath(path) || 'scenario' };
      }),
    );
  }
  const scenario = parsed.data;
  const issues: Issue[] = [];
  const places = new Set<string>();
  scenario.places.forEach((p, i) => {
    if (places.has(p.code)) issues.push({ field: `places[${i}].code`, value: p.code, message: 'another place has this code' });
    places.add(p.code);
    p.population.forEach((pop, k) => {
      if (pop.sexWorker && pop.sex !== 'F') {
        issues.push({ field: `places[${i}].population[${k}].sexWorker`, value: true, message: 'only women are modelled as sex workers' });
      }
    });
  });
  // Entrants join a block at the bottom of its age band and leave at its top; bands must lie within ageRange.
  const withinAgeRange = (band: { min: number; max: number } | undefined, field: string) => {
    const { min, max } = scenario.ageRange;
    if (band && (band.min < min || band.max > max)) issues.push({ field, value: band, message: `must lie within ageRange (${min}–${max})` });
  };
  scenario.places.forEach((p, i) => p.population.forEach((pop, k) => withinAgeRange(pop.ageBand, `places[${i}].population[${k}].ageBand`)));
  const knownPlace = (value: string, field: string) => {
    if (!places.has(value)) issues.push({ field, value, message: 'no place in this scenario has this code' });
  };
  const groupCodes = new Set(scenario.places.flatMap((p) => p.population.map((pop) => pop.group)));
  scenario.mobileGroups.forEach((g, i) => {
    if (groupCodes.has(g.code)) issues.push({ field: `mobileGroups[${i}].code`, value: g.code, message: 'another group has this code' });
    groupCodes.add(g.code);
    knownPlace(g.home, `mobileGroups[${i}].home`);
    withinAgeRange(g.ageBand, `mobileGroups[${i}].ageBand`);
    const pat = g.pattern;
    if (pat.type === 'transport_route') {
      pat.route.forEach((c, k) => knownPlace(c, `mobileGroups[${i}].pattern.route[${k}]`));
      if (Array.isArray(pat.daysAtStop) && pat.daysAtStop.length !== pat.route.length) {
        issues.push({
          field: `mobileGroups[${i}].pattern.daysAtStop`,
          value: pat.daysAtStop.length,
          message: `needs one number per stop of the route (${pat.route.length})`,
        });
      }
    } else {
      knownPlace(pat.destination, `mobileGroups[${i}].pattern.destination`);
      if (pat.destination === g.home) {
        issues.push({ field: `mobileGroups[${i}].pattern.destination`, value: pat.destination, message: 'the destination is the group’s home' });
      }
    }
  });
  const named = new Set<string>();
  scenario.groups.forEach((g, i) => {
    if (named.has(g.code)) issues.push({ field: `groups[${i}].code`, value: g.code, message: 'this group is already named' });
    else if (!groupCodes.has(g.code)) issues.push({ field: `groups[${i}].code`, value: g.code, message: 'no population or mobile group has this code' });
    named.add(g.code);
  });
  if (scenario.ageRange.max <= scenario.ageRange.min) {
    issues.push({ field: 'ageRange.max', value: scenario.ageRange.max, message: 'must be greater than ageRange.min' });
  }
  const agents =
    scenario.places.reduce((s, p) => s + p.population.reduce((a, pop) => a + pop.count, 0), 0) + scenario.mobileGroups.reduce((s, g) => s + g.count, 0);
  if (agents === 0) issues.push({ field: 'places', message: 'the scenario has no people: give some place a population' });
  if (agents > 20_000_000) issues.push({ field: 'places', value: agents, message: 'more than 20 million agents' });
  if (issues.length > 0) fail(issues);
  return scenario;
}

/** `places[2].population[0].count` from a path of keys and indices. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((f, k) => (typeof k === 'number' ? `${f}[${k}]` : f ? `${f}.${String(k)}` : String(k)), '');
}

function fail(issues: Issue[]): never {
  throw invalidInput('scenario', issues);
}

/** Parses and validates a scenario file's text. */
export function parseScenario(text: string): Scenario {
  return validateScenario(parseJson(text));
}

/** A probability per step from a rate per year. */
const perStep = (ratePerYear: number, dt: number) => 1 - Math.exp(-ratePerYear * dt);

function schedule(places: Map<string, number>, home: number, pattern: Scenario['mobileGroups'][number]['pattern'], dt: number, stepDays: number): Pattern {
  const days: number[] = [];
  const stay = (place: number, n: number) => {
    for (let k = 0; k < Math.max(1, Math.round(n)); k++) days.push(place);
  };
  switch (pattern.type) {
    case 'circular':
      stay(places.get(pattern.destination)!, pattern.monthsAway * DAYS_PER_MONTH);
      stay(home, pattern.monthsHome * DAYS_PER_MONTH);
      return { schedule: Uint16Array.from(days), synchronized: false, jitterDays: 0, oneWay: false, returnProbPerStep: 0 };
    case 'seasonal': {
      // A model year from 1 January (364 days with weekly steps, 365 with monthly ones, so the
      // season does not drift against the model's years): away for monthsAway from startMonth.
      const yearDays = Math.round(stepDays / dt);
      const month = yearDays / 12;
      const start = Math.round((pattern.startMonth - 1) * month);
      const length = Math.round(pattern.monthsAway * month);
      for (let d = 0; d < yearDays; d++) days.push((d - start + yearDays) % yearDays < length ? places.get(pattern.destination)! : home);
      return { schedule: Uint16Array.from(days), synchronized: true, jitterDays: 14, oneWay: false, returnProbPerStep: 0 };
    }
    case 'transport_route':
      pattern.route.forEach((c, k) => {
        const d = Array.isArray(pattern.daysAtStop) ? pattern.daysAtStop[k]! : pattern.daysAtStop;
        stay(places.get(c)!, d);
      });
      stay(home, pattern.daysHome);
      return { schedule: Uint16Array.from(days), synchronized: false, jitterDays: 0, oneWay: false, returnProbPerStep: 0 };
    case 'cross_border_trade': {
      const cycle = Math.max(pattern.daysAway + 1, 30 / pattern.tripsPerMonth);
      stay(places.get(pattern.destination)!, pattern.daysAway);
      stay(home, cycle - pattern.daysAway);
      return { schedule: Uint16Array.from(days), synchronized: false, jitterDays: 0, oneWay: false, returnProbPerStep: 0 };
    }
    case 'one_way':
      return {
        schedule: Uint16Array.of(places.get(pattern.destination)!),
        synchronized: false,
        jitterDays: 0,
        oneWay: true,
        returnProbPerStep: perStep(-Math.log(1 - Math.min(0.999999, pattern.returnProbabilityPerYear)), dt),
      };
  }
}

/** The names behind the indices of a compiled world, for labelling outputs. */
export interface WorldLabels {
  places: { code: string; name: string; kind: string }[];
  groups: { code: string; name: string; mobile: boolean }[];
  startYear: number;
}

/** Builds the engine's world from a validated scenario (`seed` overrides the file's). */
export function compileScenario(s: Scenario, seed = s.seed): { world: World; labels: WorldLabels } {
  const dt = s.timeStep === 'week' ? 1 / 52 : 1 / 12;
  const stepDays = s.timeStep === 'week' ? 7 : 365 / 12;
  const placeIndex = new Map(s.places.map((p, i) => [p.code, i]));
  const groups: WorldLabels['groups'] = [];
  const groupIndex = new Map<string, number>();
  const groupOf = (code: string, mobile: boolean, name?: string) => {
    if (!groupIndex.has(code)) {
      groupIndex.set(code, groups.length);
      groups.push({ code, name: name ?? s.groups.find((g) => g.code === code)?.name ?? code, mobile });
    }
    return groupIndex.get(code)!;
  };
  const P = s.parameters;
  const com = s.partnerships.commercial;
  const riskIndex = (r: string) => RISK_NAMES.indexOf(r as (typeof RISK_NAMES)[number]);
  const profiles: Profile[] = [];
  const patterns: Pattern[] = [];
  s.places.forEach((place, pi) => {
    for (const pop of place.population) {
      const r = riskIndex(pop.risk);
      profiles.push({
        group: groupOf(pop.group, false),
        home: pi,
        sex: pop.sex === 'F' ? FEMALE : MALE,
        risk: r,
        sexWorker: pop.sexWorker,
        count: pop.count,
        ageMin: pop.ageBand?.min ?? s.ageRange.min,
        ageMax: pop.ageBand?.max ?? s.ageRange.max,
        initialPrevalence: pop.initialPrevalence ?? place.initialPrevalence,
        circumcisedShare: pop.sex === 'M' ? pop.circumcisedShare : 0,
        pattern: -1,
        testProbPerStep: perStep(pop.testingRatePerYear ?? P.care.testingRatePerYear, dt),
        commercialProbPerStep: pop.sex === 'M' ? perStep(pop.commercialContactsPerYear ?? com.contactsPerYear[pop.risk], dt) : 0,
        prepCoverage: pop.prepCoverage,
      });
    }
  });
  for (const g of s.mobileGroups) {
    const home = placeIndex.get(g.home)!;
    const pattern = schedule(placeIndex, home, g.pattern, dt, stepDays);
    patterns.push(pattern);
    profiles.push({
      group: groupOf(g.code, true, g.name),
      home,
      sex: g.sex === 'F' ? FEMALE : MALE,
      risk: riskIndex(g.risk),
      sexWorker: false,
      count: g.count,
      ageMin: g.ageBand?.min ?? s.ageRange.min,
      ageMax: g.ageBand?.max ?? s.ageRange.max,
      initialPrevalence: g.initialPrevalence ?? s.places[home]!.initialPrevalence,
      circumcisedShare: g.sex === 'M' ? g.circumcisedShare : 0,
      pattern: patterns.length - 1,
      testProbPerStep: perStep(g.testingRatePerYear ?? P.care.testingRatePerYear, dt),
      commercialProbPerStep: g.sex === 'M' ? perStep(g.commercialContactsPerYear ?? com.contactsPerYear[g.risk], dt) : 0,
      prepCoverage: g.prepCoverage,
    });
  }
  const type = (t: Scenario['partnerships']['marital'], atHomeOnly: boolean): PartnershipType => {
    const target = new Uint8Array(2 * RISKS);
    RISK_NAMES.forEach((r, k) => {
      target[MALE * RISKS + k] = t.targets.M[r];
      target[FEMALE * RISKS + k] = t.targets.F[r];
    });
    return {
      meanDurationSteps: t.meanDurationYears / dt,
      actsPerStep: t.actsPerWeek * (stepDays / 7),
      condomShare: t.condomShare,
      formationProbPerStep: perStep(t.formationRatePerYear, dt),
      endOnLeave: t.endOnLeave,
      atHomeOnly,
      target,
    };
  };
  const types: PartnershipType[] = [];
  types[MARITAL] = type(s.partnerships.marital, true);
  types[REGULAR] = type(s.partnerships.regular, false);
  types[CASUAL] = type(s.partnerships.casual, false);
  const T = P.transmission;
  const stepsPerYear = Math.round(1 / dt);
  const world: World = {
    seed: seed >>> 0,
    steps: s.years * stepsPerYear,
    burnInSteps: Math.round(s.burnInYears * stepsPerYear),
    stepDays,
    dt,
    minAge: s.ageRange.min,
    maxAge: s.ageRange.max,
    nPlaces: s.places.length,
    nGroups: groups.length,
    placeTesting: Float64Array.from(s.places.map((p) => p.services.testing)),
    placeArtRefill: Uint8Array.from(s.places.map((p) => (p.services.artRefill ? 1 : 0))),
    profiles,
    patterns,
    types,
    commercial: { actsPerContact: com.actsPerContact, condomShare: com.condomShare },
    transmission: {
      betaMaleToFemale: T.betaMaleToFemale,
      betaFemaleToMale: T.betaFemaleToMale,
      acuteMultiplier: T.acuteMultiplier,
      lateMultiplier: T.lateMultiplier,
      suppressedMultiplier: T.suppressedMultiplier,
      condomEfficacy: T.condomEfficacy,
      circumcisionMultiplier: T.circumcisionMultiplier,
      prepEfficacy: T.prepEfficacy,
      prepAdherence: T.prepAdherence,
      stiCofactor: T.stiCofactor,
      stiPrevalence: T.stiPrevalence,
    },
    history: {
      acuteYears: T.acuteMonths / 12,
      lateYears: T.lateMonths / 12,
      survivalShape: P.history.survivalShape,
      // Weibull median = λ (ln 2)^(1/k)
      survivalScaleYears: P.history.survivalMedianYears / Math.pow(Math.LN2, 1 / P.history.survivalShape),
    },
    care: {
      linkProb: P.care.linkProbability,
      suppressionDelaySteps: Math.round((P.care.suppressionMonths / 12) * stepsPerYear),
      interruptProbPerStep: perStep(P.care.interruptionRatePerYear, dt),
      interruptMultiplierNoRefill: P.care.interruptionMultiplierNoRefill,
      restartProbPerStep: perStep(P.care.restartRatePerYear, dt),
      initialDiagnosedShare: P.care.initialDiagnosedShare,
      initialOnArtShare: P.care.initialOnArtShare,
    },
    backgroundMortalityPerYear: P.demography.backgroundMortalityPerYear,
    ageGapMean: P.mixing.ageGapMeanYears,
    ageGapSd: P.mixing.ageGapSdYears,
    assortativity: P.mixing.assortativity,
  };
  return {
    world,
    labels: { places: s.places.map((p) => ({ code: p.code, name: p.name, kind: p.kind })), groups, startYear: s.startYear },
  };
}
