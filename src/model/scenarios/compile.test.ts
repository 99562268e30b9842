import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failure } from '../../../test/support/errors.js';
import type { AppError, Issue } from '../../domain/errors.js';
import { compileScenario, parseScenario, validateScenario } from './compile.js';

const DEMO = readFileSync(new URL('../../../data/scenarios/northern-corridor.json', import.meta.url), 'utf8');

// The tests break scenarios field by field, in ways no type would allow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A small valid scenario: two places, two mobile groups; each test breaks one thing in a copy. */
function minimal(): Loose {
  return {
    name: 'Test world',
    places: [
      {
        code: 'HOME',
        name: 'Home village',
        initialPrevalence: 0.05,
        population: [
          { sex: 'F', count: 100 },
          { sex: 'M', count: 100 },
        ],
      },
      {
        code: 'MINE',
        name: 'Mine',
        kind: 'site',
        siteType: 'mine',
        population: [{ group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 10, initialPrevalence: 0.3 }],
      },
    ],
    mobileGroups: [
      { code: 'miners', name: 'Miners', home: 'HOME', sex: 'M', count: 20, pattern: { type: 'circular', destination: 'MINE' } },
      {
        code: 'drivers',
        name: 'Truck drivers',
        home: 'HOME',
        sex: 'M',
        count: 20,
        pattern: { type: 'transport_route', route: ['MINE', 'HOME', 'MINE'], daysAtStop: [1, 2, 3] },
      },
    ],
  };
}

/** Validates a broken copy of the minimal scenario and returns the error. */
function invalid(breakIt: (s: Loose) => void): AppError {
  const s = minimal();
  breakIt(s);
  const e = failure(() => validateScenario(s));
  expect(e.code).toBe('VALIDATION_FAILED');
  expect(e.status).toBe(400);
  return e;
}

const fields = (e: AppError) => (e.details as Issue[]).map((i) => i.field);

describe('scenario validation: bad files are refused with the field named', () => {
  it('accepts the minimal scenario', () => {
    expect(() => validateScenario(minimal())).not.toThrow();
  });

  it('requires places', () => {
    const e = invalid((s) => delete s.places);
    expect(e.message).toBe('invalid scenario: places: is required');
    expect(fields(e)).toEqual(['places']);
    expect(invalid((s) => (s.places = [])).message).toMatch(/^invalid scenario: places: /);
  });

  it('requires the home of a mobile group and other required fields', () => {
    expect(invalid((s) => delete s.mobileGroups[0].home).message).toBe('invalid scenario: mobileGroups[0].home: is required');
    expect(invalid((s) => delete s.name).message).toBe('invalid scenario: name: is required');
    // (A missing number is reported as "must be a number" by the shared messages in src/domain/validation.ts.)
    expect(invalid((s) => delete s.places[1].population[0].count).message).toContain('places[1].population[0].count: ');
    expect(invalid((s) => delete s.mobileGroups[1].pattern).message).toContain('mobileGroups[1].pattern');
  });

  it('refuses negative rates and counts', () => {
    expect(invalid((s) => (s.partnerships = { casual: { formationRatePerYear: -1 } })).message).toBe(
      'invalid scenario: partnerships.casual.formationRatePerYear: must be at least 0 (value -1)',
    );
    expect(invalid((s) => (s.places[0].population[1].count = -5)).message).toBe(
      'invalid scenario: places[0].population[1].count: must be at least 1 (value -5)',
    );
    expect(invalid((s) => (s.mobileGroups[0].count = 0)).message).toContain('mobileGroups[0].count: must be at least 1 (value 0)');
    expect(invalid((s) => (s.places[0].population[0].count = 2.5)).message).toContain('places[0].population[0].count: must be a whole number (value 2.5)');
    expect(invalid((s) => (s.parameters = { care: { testingRatePerYear: -0.1 } })).message).toContain('parameters.care.testingRatePerYear: must be at least 0');
  });

  it('refuses a route or destination through a place the scenario does not have', () => {
    expect(invalid((s) => (s.mobileGroups[1].pattern.route[1] = 'XYZ')).message).toBe(
      'invalid scenario: mobileGroups[1].pattern.route[1]: no place in this scenario has this code (value "XYZ")',
    );
    expect(invalid((s) => (s.mobileGroups[0].pattern.destination = 'NOWHERE')).message).toContain(
      'mobileGroups[0].pattern.destination: no place in this scenario has this code (value "NOWHERE")',
    );
    expect(invalid((s) => (s.mobileGroups[0].home = 'ELSEWHERE')).message).toContain('mobileGroups[0].home: no place in this scenario has this code');
    expect(invalid((s) => (s.mobileGroups[0].pattern.destination = 'HOME')).message).toContain(
      'mobileGroups[0].pattern.destination: the destination is the group’s home',
    );
  });

  it('refuses probabilities above 1', () => {
    expect(invalid((s) => (s.places[0].population[0].initialPrevalence = 1.5)).message).toBe(
      'invalid scenario: places[0].population[0].initialPrevalence: must be at most 1 (value 1.5)',
    );
    expect(invalid((s) => (s.places[0].initialPrevalence = 1.5)).message).toBe('invalid scenario: places[0].initialPrevalence: must be at most 1 (value 1.5)');
    expect(invalid((s) => (s.parameters = { transmission: { condomEfficacy: 1.2 } })).message).toBe(
      'invalid scenario: parameters.transmission.condomEfficacy: must be at most 1 (value 1.2)',
    );
    expect(invalid((s) => (s.places[1].services = { testing: 2 })).message).toContain('places[1].services.testing: must be at most 1 (value 2)');
  });

  it('refuses a daysAtStop array whose length is not the number of stops', () => {
    const e = invalid((s) => (s.mobileGroups[1].pattern.daysAtStop = [1, 2]));
    expect(e.message).toBe('invalid scenario: mobileGroups[1].pattern.daysAtStop: needs one number per stop of the route (3) (value 2)');
    expect(invalid((s) => (s.mobileGroups[1].pattern.daysAtStop = [1, 2, -3])).message).toContain('mobileGroups[1].pattern.daysAtStop[2]');
  });

  it('refuses duplicate place codes and duplicate group codes', () => {
    const e = invalid((s) => (s.places[1].code = 'HOME'));
    expect(e.message).toContain('places[1].code: another place has this code (value "HOME")');
    expect(invalid((s) => (s.mobileGroups[1].code = 'miners')).message).toContain('mobileGroups[1].code: another group has this code (value "miners")');
    expect(invalid((s) => (s.mobileGroups[0].code = 'general')).message).toContain('mobileGroups[0].code: another group has this code (value "general")');
  });

  it('names unknown fields with their path, so a misspelt parameter is not silently ignored', () => {
    expect(invalid((s) => (s.places[0].population[0].prevalence = 0.1)).message).toBe(
      'invalid scenario: places[0].population[0].prevalence: unknown scenario parameter "prevalence"',
    );
    expect(invalid((s) => (s.parameters = { transmission: { betaMaleToFemal: 0.01 } })).message).toContain('parameters.transmission.betaMaleToFemal');
  });

  it('refuses a pattern type it does not know, and other wrong kinds of value', () => {
    expect(invalid((s) => (s.mobileGroups[0].pattern.type = 'teleport')).message).toContain('mobileGroups[0].pattern.type');
    expect(invalid((s) => (s.years = '20')).message).toBe('invalid scenario: years: must be a number (value "20")');
    expect(invalid((s) => (s.places[0].population[0].sex = 'X')).message).toContain('places[0].population[0].sex: must be one of F, M (value "X")');
    expect(invalid((s) => (s.places[0].population[1].sexWorker = true)).message).toContain(
      'places[0].population[1].sexWorker: only women are modelled as sex workers',
    );
    expect(invalid((s) => (s.places[0].country = 'Kenya')).message).toContain('places[0].country: must be an ISO3 code such as KEN');
  });

  it('bounds the length of a mobility cycle, which is built day by day', () => {
    expect(invalid((s) => (s.mobileGroups[0].pattern.monthsAway = 1e12)).message).toContain('mobileGroups[0].pattern.monthsAway: must be at most 120');
    expect(invalid((s) => (s.mobileGroups[1].pattern.daysHome = 1e9)).message).toContain('mobileGroups[1].pattern.daysHome: must be at most 365');
  });

  it('keeps starting ages within the age range, and named groups to groups that exist', () => {
    expect(invalid((s) => (s.mobileGroups[0].ageBand = { min: 10, max: 30 })).message).toContain('mobileGroups[0].ageBand: must lie within ageRange (15–50)');
    expect(invalid((s) => (s.places[0].population[0].ageBand = { min: 30, max: 20 })).message).toContain('places[0].population[0].ageBand');
    expect(invalid((s) => (s.groups = [{ code: 'sex_worker', name: 'Sex workers' }])).message).toContain(
      'groups[0].code: no population or mobile group has this code (value "sex_worker")',
    );
  });

  it('lists every problem in the details, and the first three in the message', () => {
    const e = invalid((s) => {
      s.years = 0;
      s.places[0].population[0].count = -1;
      s.places[0].population[1].initialPrevalence = 2;
      s.parameters = { transmission: { condomEfficacy: 1.2 } };
    });
    expect(fields(e)).toEqual([
      'years',
      'places[0].population[0].count',
      'places[0].population[1].initialPrevalence',
      'parameters.transmission.condomEfficacy',
    ]);
    expect(e.message).toMatch(/; and 1 more$/);
  });

  it('names line and column of malformed JSON', () => {
    const e = failure(() => parseScenario('{\n  "name": "x",\n  "places": [\n    { "code": "A", }\n  ]\n}'));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toBe('not valid JSON: line 4, column 20: expected a property name in double quotes, found "}"');
    expect(failure(() => parseScenario('')).message).toMatch(/line 1, column 1/);
    expect(failure(() => parseScenario('{"name": "x", "places": [}')).message).toMatch(/line 1, column 26/);
  });
});

describe('scenario defaults', () => {
  it('fills every model parameter with its documented default', () => {
    const s = validateScenario(minimal());
    expect(s.parameters.transmission.betaMaleToFemale).toBe(0.003);
    expect(s.parameters.transmission.betaFemaleToMale).toBe(0.0038);
    expect(s.parameters.transmission.acuteMultiplier).toBe(8);
    expect(s.parameters.transmission.condomEfficacy).toBe(0.8);
    expect(s.parameters.transmission.suppressedMultiplier).toBe(0.04);
    expect(s.parameters.history.survivalMedianYears).toBe(11);
    expect(s.parameters.care.linkProbability).toBe(0.8);
    expect(s.parameters.demography.backgroundMortalityPerYear).toBe(0.005);
    expect(s.parameters.mixing.ageGapMeanYears).toBe(5);
    expect(s.partnerships.marital).toMatchObject({ meanDurationYears: 20, actsPerWeek: 1.5, endOnLeave: 0, targets: { F: { low: 1, medium: 1, high: 0 } } });
    expect(s.partnerships.casual.endOnLeave).toBe(1);
    expect(s.partnerships.commercial).toEqual({ contactsPerYear: { low: 0, medium: 2, high: 12 }, actsPerContact: 1, condomShare: 0.6 });
    expect(s).toMatchObject({ illustrative: true, timeStep: 'week', years: 20, startYear: 2025, seed: 1, burnInYears: 3, ageRange: { min: 15, max: 50 } });
    expect(s.places[0]).toMatchObject({ kind: 'home', services: { testing: 1, artRefill: true } });
    expect(s.places[0]!.population[0]).toMatchObject({ group: 'general', risk: 'low', sexWorker: false, circumcisedShare: 0, prepCoverage: 0 });
    expect(s.mobileGroups[0]).toMatchObject({ risk: 'medium', pattern: { type: 'circular', monthsAway: 11, monthsHome: 1 } });
    expect(s.mobileGroups[1]!.pattern).toMatchObject({ daysHome: 7 });
  });

  it('keeps a partial override and fills the rest of the block', () => {
    const s = validateScenario({ ...minimal(), partnerships: { casual: { condomShare: 0.7 } }, parameters: { transmission: { betaMaleToFemale: 0.002 } } });
    expect(s.partnerships.casual).toMatchObject({ condomShare: 0.7, formationRatePerYear: 6, meanDurationYears: 0.1 });
    expect(s.parameters.transmission).toMatchObject({ betaMaleToFemale: 0.002, betaFemaleToMale: 0.0038 });
  });
});

describe('compiling', () => {
  it('turns mobility patterns into day schedules', () => {
    const { world } = compileScenario(validateScenario(minimal()));
    const [circular, route] = world.patterns;
    // 11 months at the mine (place 1) and 1 at home (place 0), by days of 365/12.
    expect(circular!.schedule.length).toBe(Math.round(11 * (365 / 12)) + Math.round(365 / 12));
    expect(circular!.schedule[0]).toBe(1);
    expect(circular!.schedule[circular!.schedule.length - 1]).toBe(0);
    expect(Array.from(route!.schedule)).toEqual([1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(world.steps).toBe(20 * 52);
    expect(world.burnInSteps).toBe(156);
    expect(compileScenario(validateScenario(minimal()), 7).world.seed).toBe(7);
  });

  it('compiles the Northern Corridor demo into its places, groups and agents', () => {
    const scenario = parseScenario(DEMO);
    expect(scenario.illustrative).toBe(true);
    const { world, labels } = compileScenario(scenario);
    expect(labels.places).toHaveLength(15);
    expect(labels.places.filter((p) => p.kind === 'site')).toHaveLength(8);
    expect(labels.groups).toHaveLength(14);
    expect(labels.groups.filter((g) => g.mobile).map((g) => g.code)).toEqual([
      'truck_drivers',
      'migrant_miners',
      'tea_pickers_men',
      'tea_pickers_women',
      'cross_border_traders',
      'displaced_men',
      'displaced_women',
    ]);
    expect(world.profiles).toHaveLength(108);
    expect(world.profiles.reduce((n, p) => n + p.count, 0)).toBe(56_490);
    expect(world.patterns).toHaveLength(7);
    // Every pattern type is used: the trucking route (21 days), circular, seasonal (a 364-day model year of 52 weeks), cross-border, one-way.
    expect(world.patterns.map((p) => [p.schedule.length, p.synchronized, p.oneWay])).toEqual([
      [21, false, false],
      [182, false, false],
      [364, true, false],
      [364, true, false],
      [8, false, false],
      [1, false, true],
      [1, false, true],
    ]);
    expect(world.steps).toBe(20 * 52);
    // Every group code has a readable name.
    expect(labels.groups.every((g) => g.name !== g.code)).toBe(true);
  });
});
