import { describe, expect, it } from 'vitest';
import { gapsOf, needsOf } from './gaps.js';

const rules = [
  { category: null, option: null, service: 'hiv_testing', about: null },
  { category: 'key_population', option: 'sex_worker', service: 'prep', about: null },
  { category: 'mobility_pattern', option: null, service: 'art_refill', about: null },
];

describe('needs and gaps', () => {
  it('matches rules for every group, a category, or one option', () => {
    expect(needsOf({}, rules)).toEqual(['hiv_testing']);
    expect(needsOf({ key_population: 'sex_worker' }, rules)).toEqual(['hiv_testing', 'prep']);
    expect(needsOf({ key_population: 'msm' }, rules)).toEqual(['hiv_testing']);
    expect(needsOf({ mobility_pattern: 'seasonal' }, rules).sort()).toEqual(['art_refill', 'hiv_testing']);
  });

  it('lists a population lacking a needed service, partial availability as partial, and skips absent populations', () => {
    const groups = new Map<string, Record<string, string>>([
      ['sw', { key_population: 'sex_worker' }],
      ['drivers', { mobility_pattern: 'long_distance_transport' }],
      ['nobody', {}],
    ]);
    const gaps = gapsOf(
      [
        { group: 'sw', groupName: 'Sex workers', sizeHigh: 120 },
        { group: 'drivers', groupName: 'Drivers', sizeHigh: 400 },
        { group: 'nobody', groupName: 'Nobody', sizeHigh: 0 },
      ],
      [
        { service: 'hiv_testing', availability: 'full' },
        { service: 'prep', availability: 'partial' },
      ],
      groups,
      rules,
      new Map([
        ['prep', 'PrEP'],
        ['art_refill', 'ART refill'],
      ]),
    );
    expect(gaps).toEqual([
      { group: 'sw', groupName: 'Sex workers', service: 'prep', serviceName: 'PrEP', severity: 'partial' },
      { group: 'drivers', groupName: 'Drivers', service: 'art_refill', serviceName: 'ART refill', severity: 'missing' },
    ]);
  });
});
