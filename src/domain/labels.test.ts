import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../paths.js';
import { describeIssues, invalidInput } from './errors.js';
import { labelAt, SERVICE_TYPE_LABELS, SITE_TYPE_LABELS } from './labels.js';
import { CorridorInputSchema, SitePopulationsInputSchema, SiteQuerySchema, SiteRecordSchema } from './registry.js';
import { zodIssues } from './validation.js';

const issuesOf = (schema: Parameters<typeof zodIssues>[3] & { safeParse(v: unknown): { error?: unknown } }, input: unknown) =>
  zodIssues(schema.safeParse(input).error as never, input, 'body', schema);

describe('labels of fields and options', () => {
  it('name the site and service types as the bundled taxonomy does', () => {
    const taxonomy = JSON.parse(readFileSync(`${DATA_DIR}/registry/taxonomy.json`, 'utf8')) as {
      siteTypes: { code: string; name: string }[];
      serviceTypes: { code: string; name: string }[];
    };
    expect(Object.fromEntries(taxonomy.siteTypes.map((t) => [t.code, t.name]))).toEqual(SITE_TYPE_LABELS);
    expect(Object.fromEntries(taxonomy.serviceTypes.map((t) => [t.code, t.name]))).toEqual(SERVICE_TYPE_LABELS);
  });

  it('are found by path, through lists (numbered from 1) and wrappers', () => {
    expect(labelAt(SiteRecordSchema, ['populations', 1, 'sizeHigh'])).toBe('Highest size estimate (population 2)');
    expect(labelAt(SiteRecordSchema, 'services.0.languages.2')).toBe('Language 3 (service 1)');
    expect(labelAt(SiteRecordSchema, 'venue.sexOnSite')).toBe('Sex on site');
    expect(labelAt(CorridorInputSchema, 'places.3')).toBe('Place 4');
    expect(labelAt(SitePopulationsInputSchema, '0.sizeLow')).toBe('Lowest size estimate (population 1)');
    expect(labelAt(SiteRecordSchema, 'nosuchfield')).toBeUndefined();
  });

  it('make messages of the labels and option names, keeping paths, issue codes and allowed codes for programs', () => {
    const pops = issuesOf(SitePopulationsInputSchema, [{ group: 'truck_drivers', sizeLow: 9, sizeHigh: 3 }]);
    expect(invalidInput('site', pops).message).toBe('invalid site: Lowest size estimate (population 1) must not exceed the highest (value 9)');
    expect(pops[0]).toMatchObject({ field: '0.sizeLow', code: 'custom' });

    const site = { name: 'A', type: '', country: '', latitude: 0, longitude: 0 };
    const issues = issuesOf(SiteRecordSchema, site);
    expect(describeIssues(issues)).toBe(
      'Site type is required: choose one of Land border post, Port, Mine, Construction site, Farm compound, Truck stop, Fishing landing, Market, Transit centre, Camp / settlement, Other (value ""); Choose a country (value "")',
    );
    expect(issues[0]).toMatchObject({ field: 'type', code: 'invalid_value', allowed: expect.arrayContaining(['land_border_post']) as unknown });
    // In a file, the field's name is given too: it is what the file's author wrote.
    expect(describeIssues(issues.map((i) => ({ ...i, line: 4 })))).toMatch(/^line 4: Site type \(field "type"\) is required/);
  });

  it('leave query parameters (codes people type) listing the codes', () => {
    const issues = issuesOf(SiteQuerySchema, { type: 'harbour' });
    expect(describeIssues(issues)).toMatch(/^field "type": must be one of land_border_post, port/);
  });
});
