import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * The CLI on the inputs that made the API answer 500 (issue 10, defect 4): NUL bytes, lone
 * surrogates and impossible dates in files and arguments. Each is refused with one readable
 * line naming the line and field, and an exit code that says "your input" (never 70,
 * "unexpected error"). Arguments cannot carry a NUL or a lone surrogate (the OS and Node refuse
 * them), so those come in files, as JSON escapes or raw bytes.
 */
let tmp: string;
let dataDir: string;
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-fuzz-cli-'));
  dataDir = path.join(tmp, 'data');
  // Creates the demo world once, so every case below meets real places and data elements.
  expect((await runCli(['places', 'list', '--level', 'country', '--limit', '1', '--data-dir', dataDir])).code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FLOWS = 'from,to,corridor,period_start,period_end,sex,age_band,nationality,reason,count\n';
const SITES = 'code,name,type,country,latitude,longitude,assessment_date\n';
const feature = (name: string) =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [32.5, 0.3] }, properties: { code: 'UG-FUZZ-1', name, type: 'market', country: 'UGA' } },
    ],
  });
const values = (comment: string) => `{"dataValues":[{"dataElement":"CrdDeCondom","period":"202401","orgUnit":"UGA","value":"1","comment":"${comment}"}]}`;

const CASES: { what: string; args: () => string[]; says: RegExp }[] = [
  {
    what: 'an impossible date in a flows CSV',
    args: () => ['flows', 'import', file('flows-feb30.csv', `${FLOWS}KEN,UGA,,2024-02-30,2024-03-31,all,all,all,trade,120\n`)],
    says: /line 2: Start of the period \(field "period_start"\) is not a calendar date/,
  },
  {
    what: 'year 0 in a flows CSV',
    args: () => ['flows', 'import', file('flows-year0.csv', `${FLOWS}KEN,UGA,,0000-01-01,2024-03-31,all,all,all,trade,120\n`)],
    says: /line 2: Start of the period \(field "period_start"\)/,
  },
  {
    what: 'month 13 in a sites CSV',
    args: () => ['sites', 'import', file('sites-month13.csv', `${SITES}UG-FUZZ-1,Fuzz site,market,UGA,0.3,32.5,2023-13-01\n`)],
    says: /line 2: Assessment date \(field "assessmentDate"\) is not a calendar date/,
  },
  {
    what: 'a NUL byte in a sites CSV',
    args: () => ['sites', 'import', file('sites-nul.csv', `${SITES}UG-FUZZ-1,Fuzz\u0000site,market,UGA,0.3,32.5,\n`)],
    says: /line 2: Site name \(field "name"\) must not contain a NUL/,
  },
  {
    what: 'a lone surrogate in GeoJSON',
    args: () => ['sites', 'import', file('sites-surrogate.geojson', feature('x\uD800'))],
    says: /feature 1: Site name \(field "name"\) must be valid Unicode/,
  },
  {
    what: 'a NUL escape in a DHIS2 data value set',
    args: () => ['import', 'dhis2', file('values-nul.json', values('a\\u0000b'))],
    says: /field "dataValues\.0\.comment": must not contain a NUL/,
  },
  {
    what: 'a lone surrogate escape in a DHIS2 data value set',
    args: () => ['import', 'dhis2', file('values-surrogate.json', values('a\\udc00b'))],
    says: /field "dataValues\.0\.comment": must be valid Unicode/,
  },
  {
    what: 'a NUL escape in DHIS2 metadata',
    args: () => [
      'import',
      'dhis2-metadata',
      file(
        'metadata-nul.json',
        '{"dataElements":[{"id":"CrdDeFuzz01","name":"N\\u0000ul","shortName":"Nul","valueType":"INTEGER","aggregationType":"SUM","domainType":"AGGREGATE"}]}',
      ),
    ],
    says: /field "dataElements\.0\.name": must not contain a NUL/,
  },
  {
    what: 'a field nested 10,000 deep in a DHIS2 data value set',
    args: () => [
      'import',
      'dhis2',
      file('values-deep.json', `{"dataValues":[{"dataElement":${'['.repeat(10_000)}${']'.repeat(10_000)},"period":"202401","orgUnit":"UGA","value":"1"}]}`),
    ],
    says: /field "dataValues\.0\.dataElement"/,
  },
  { what: 'an impossible period argument', args: () => ['export', 'dhis2', '--period', '2024-02-30'], says: /invalid period "2024-02-30"/ },
];

describe('CLI: malformed input is one readable line and a "bad input" exit code, never 70', () => {
  for (const c of CASES) {
    it(`refuses ${c.what}`, async () => {
      const res = await runCli([...c.args(), '--data-dir', dataDir]);
      expect(res.code, res.stderr).not.toBe(0);
      expect(res.code, res.stderr).not.toBe(70);
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
      expect(res.stderr).toMatch(/^corridor: /);
      expect(res.stderr).toMatch(c.says);
      expect(res.stderr).not.toMatch(/unexpected error/);
    });
  }
});
