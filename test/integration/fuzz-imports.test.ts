import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { LOCAL_ADMIN } from '../../src/domain/access.js';
import { AppError } from '../../src/domain/errors.js';
import { decodeText } from '../../src/lib/text.js';
import { parseScenario } from '../../src/model/scenarios/compile.js';
import { serverWithMetadata } from '../support/auth.js';
import { runCli } from '../support/cli.js';
import { fingerprint } from '../support/fingerprint.js';

/**
 * Importer fuzz (issue 10): every file importer gets generated malformed and mis-encoded files.
 * Each must be refused with a 4xx in the error shape (API) or an AppError of a 4xx code (the CLI
 * readers and services, which the CLI prints as one line and exits 1), never a 5xx or a hang, and
 * the store must be left as it was. Bounded: a fixed seed and a few dozen cases per importer.
 */

const SEED = 20261203;
const RUNS = 30;

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let token: string;

const UNIT = 'FuzzUnit001'; // exists
const GHOST = 'FuzzGhost01'; // does not: every document that parses still has a conflict

/** Ways to break a file, each a function of the file's bytes and a position. */
const MUTATIONS: Record<string, (b: Buffer, at: number) => Buffer> = {
  truncated: (b, at) => b.subarray(0, at % Math.max(1, b.length)),
  latin1: (b, at) => Buffer.concat([b.subarray(0, at % b.length), Buffer.from([0xe9, 0x20, 0xe8]), b.subarray(at % b.length)]),
  utf16le: (b) => Buffer.from(b.toString('utf8'), 'utf16le'),
  utf16be: (b) => Buffer.from(b.toString('utf8'), 'utf16le').swap16(),
  utf16bom: (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
  bom: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  nul: (b, at) => Buffer.concat([b.subarray(0, at % b.length), Buffer.from([0]), b.subarray(at % b.length)]),
  loneSurrogateBytes: (b, at) => Buffer.concat([b.subarray(0, at % b.length), Buffer.from([0xed, 0xa0, 0x80]), b.subarray(at % b.length)]),
  loneSurrogateEscape: (b) => Buffer.from(b.toString('utf8').replace(/"(Fuzz[A-Za-z0-9]*|[A-Z][a-z]+[^"]*)"/, '"\\ud800$1"')),
  nulEscape: (b) => Buffer.from(b.toString('utf8').replace(/"([A-Z][a-z]+[^"]*)"/, '"\\u0000$1"')),
  hugeNumber: (b) =>
    Buffer.from(
      b
        .toString('utf8')
        .replace(/(?<![\w.])-?\d+(\.\d+)?(?![\w.])/, '1e400')
        .replace(/"5"/, '"123456789012345678901234567890"'),
    ),
  wrongType: (b, at) => Buffer.from(b.toString('utf8').replace(/"[^"]*"(?=\s*[,}\]])/, ['[]', '{}', 'true', 'null', '-0.5'][at % 5]!)),
  deepNesting: (b) => Buffer.concat([Buffer.from('['.repeat(20_000)), b, Buffer.from(']'.repeat(20_000))]),
  hugeField: (b, at) => {
    const s = b.toString('utf8');
    const q = s.indexOf('"', at % s.length);
    const i = q >= 0 ? q + 1 : at % s.length;
    return Buffer.from(s.slice(0, i) + 'x'.repeat(300_000) + s.slice(i));
  },
  duplicated: (b, at) => {
    const lines = b.toString('utf8').split('\n');
    const k = at % lines.length;
    lines.splice(k, 0, lines[k]!);
    return Buffer.from(lines.join('\n'));
  },
  duplicateKey: (b) => Buffer.from(b.toString('utf8').replace(/\{"/, '{"dataValues":[],"')),
  binary: (b, at) => Buffer.from(Array.from({ length: 64 + (at % 64) }, (_, i) => (i * 97 + at) % 256)),
  empty: () => Buffer.alloc(0),
};
const mutation = fc.record({ name: fc.constantFrom(...Object.keys(MUTATIONS)), at: fc.nat({ max: 1_000_000 }) });
const mutate = (base: Buffer, m: { name: string; at: number }) => MUTATIONS[m.name]!(base, m.at);

const post = (url: string, payload: Buffer, contentType: string) =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });

/** The API must refuse (4xx, error shape), or answer a DHIS2 summary with status ERROR (nothing stored). */
function refused(res: { statusCode: number; body: string }, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode === 200) {
    // A summary: refused (ERROR), or a file with no values left (an empty or header-only file).
    const summary = JSON.parse(res.body) as { status: string; importCount: { imported: number; updated: number; deleted: number } };
    const wrote = summary.importCount.imported + summary.importCount.updated + summary.importCount.deleted;
    expect(summary.status === 'ERROR' || wrote === 0, `${what}: ${res.body.slice(0, 300)}`).toBe(true);
    return;
  }
  expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(typeof body.error.code, what).toBe('string');
  expect(body.error.message.length, what).toBeLessThan(2000);
}

/** A CLI reader or service must throw an AppError of a 4xx code (the CLI prints it, exits 1, never 70). */
async function refusedLocally(work: () => Promise<unknown>, what: string): Promise<void> {
  const err = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${what}: accepted`).toBeInstanceOf(AppError);
  expect((err as AppError).status, `${what}: ${(err as Error).message}`).toBeGreaterThanOrEqual(400);
  expect((err as AppError).status, `${what}: ${(err as Error).message}`).toBeLessThan(500);
  expect((err as Error).message.length, what).toBeLessThan(2000);
}

beforeAll(async () => {
  ({ services, app, token, drop } = await serverWithMetadata({
    organisationUnits: [{ id: UNIT, name: 'Fuzz unit', code: 'FUZZ_U' }],
    dataElements: [{ id: 'FuzzCount01', name: 'Fuzz count', valueType: 'INTEGER' }],
  }));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const csvHeader = 'dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup';
// The conflicting value comes first: a truncated file that still holds a good value holds it too.
const API_IMPORTERS: { name: string; url: string; type: string; base: string }[] = [
  {
    name: 'dataValueSets JSON',
    url: '/api/dataValueSets',
    type: 'application/json',
    base: JSON.stringify({
      period: '202401',
      dataValues: [
        { dataElement: 'FuzzCount01', orgUnit: GHOST, value: '6' },
        { dataElement: 'FuzzCount01', orgUnit: UNIT, value: '5', comment: 'Kampala' },
      ],
    }),
  },
  {
    name: 'dataValueSets CSV',
    url: '/api/dataValueSets',
    type: 'text/csv',
    base: `${csvHeader}\nFuzzCount01,202401,${GHOST},,,6,,,,false\nFuzzCount01,202401,${UNIT},,,5,,,"Kampala",false\n`,
  },
  {
    name: 'dataValueSets XML',
    url: '/api/dataValueSets',
    type: 'application/xml',
    base: `<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="202401">\n<dataValue dataElement="FuzzCount01" orgUnit="${GHOST}" value="6"/>\n<dataValue dataElement="FuzzCount01" orgUnit="${UNIT}" value="5" comment="Kampala"/>\n</dataValueSet>\n`,
  },
  {
    name: 'dataValueSets ADX',
    url: '/api/dataValueSets',
    type: 'application/adx+xml',
    base: `<?xml version="1.0"?>\n<adx xmlns="urn:ihe:qrph:adx:2015">\n<group orgUnit="${GHOST}" period="2024-01-01/P1M" dataSet="NoSuchSet01">\n<dataValue dataElement="FuzzCount01" value="5"/>\n</group>\n</adx>\n`,
  },
  {
    name: 'metadata JSON',
    url: '/api/metadata',
    type: 'application/json',
    base: JSON.stringify({
      dataElements: [{ id: 'FuzzNew0001', name: 'Fuzz new', valueType: 'NUMBER', categoryCombo: { id: 'NoSuchCombo' } }],
      organisationUnits: [{ id: 'FuzzUnit002', name: 'Kampala', parent: { id: UNIT } }],
    }),
  },
];

describe('importer fuzz through the API', () => {
  for (const imp of API_IMPORTERS) {
    it(`${imp.name}: malformed and mis-encoded files are refused and store nothing`, async () => {
      const before = await fingerprint(services.store.db);
      const lastAudit = (await services.store.repos.audit.recent(1))[0]?.id ?? 0;
      // The unmutated file is refused too (a conflict by construction): no variant may be stored.
      refused(await post(imp.url, Buffer.from(imp.base), imp.type), `${imp.name} base`);
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => refused(await post(imp.url, mutate(Buffer.from(imp.base), m), imp.type), `${imp.name} ${m.name}@${m.at}`)),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      for (const name of Object.keys(MUTATIONS)) refused(await post(imp.url, mutate(Buffer.from(imp.base), { name, at: 17 }), imp.type), `${imp.name} ${name}`);
      const after = await fingerprint(services.store.db);
      // An empty (or header-only) file is an accepted import of nothing: the audit trail records
      // that attempt, with zero counts; no other table may change.
      expect(Object.keys(after).filter((t) => after[t] !== before[t] && t !== 'audit_events')).toEqual([]);
      for (const e of (await services.store.repos.audit.recent(1000)).filter((x) => x.id > lastAudit)) {
        const d = e.details as { imported: number; updated: number; deleted: number };
        expect([e.action, d.imported + d.updated + d.deleted], JSON.stringify(e)).toEqual(['import', 0]);
      }
    });
  }
});

/** Bases that parse but are refused by the service (an unknown country or parent), so that no variant is stored. */
const sitesCsv =
  'code,name,type,country,latitude,longitude\nUG-FUZZ-1,Tororo stop,truck_stop,XXX,0.69,34.18\nUG-FUZZ-2,"Malaba, east",truck_stop,UGA,0.64,34.27\n';
const sitesGeo = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [34.18, 0.69] },
      properties: { code: 'UG-FUZZ-3', name: 'Tororo', type: 'truck_stop', country: 'XXX' },
    },
  ],
});
const sitesHxl =
  'Site code,Site name,Site type,Country,Latitude,Longitude\n#loc+code,#loc+name,#loc+type,#country+code,#geo+lat,#geo+lon\nUG-FUZZ-4,Tororo,truck_stop,XXX,0.69,34.18\n';
const placesCsv = 'name,code,level,parent,latitude,longitude\nTororo,UG-FUZZ-T,admin1,NO-SUCH-PARENT,0.69,34.18\n';
const flowsCsv = 'from,to,period_start,period_end,count\nNO-SUCH-PLACE,UGA,2024-01-01,2024-01-31,5\nUGA,KEN,2024-01-01,2024-01-31,"7"\n';
const placesGeo = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'Tororo', code: 'UG-FUZZ-G', level: 'admin1', parent: 'NO-SUCH-PARENT' },
      geometry: { type: 'Point', coordinates: [34.18, 0.69] },
    },
  ],
});
const scenario = (() => {
  const s = JSON.parse(readFileSync(new URL('../../data/scenarios/northern-corridor.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return JSON.stringify({ ...s, years: -5 }, null, 1);
})();

const LOCAL_IMPORTERS: { name: string; base: string; run: (text: string) => Promise<unknown> }[] = [
  { name: 'sites CSV', base: sitesCsv, run: async (t) => services.sites.importText(LOCAL_ADMIN, { format: 'csv', text: t, source: 'fuzz' }) },
  { name: 'sites HXL', base: sitesHxl, run: async (t) => services.sites.importText(LOCAL_ADMIN, { format: 'hxl', text: t, source: 'fuzz' }) },
  { name: 'sites GeoJSON', base: sitesGeo, run: async (t) => services.sites.importText(LOCAL_ADMIN, { format: 'geojson', text: t, source: 'fuzz' }) },
  { name: 'places CSV', base: placesCsv, run: async (t) => services.places.importText(LOCAL_ADMIN, { format: 'csv', text: t, source: 'fuzz' }) },
  { name: 'places GeoJSON', base: placesGeo, run: async (t) => services.places.importText(LOCAL_ADMIN, { format: 'geojson', text: t, source: 'fuzz' }) },
  { name: 'flows CSV', base: flowsCsv, run: async (t) => services.corridors.importFlowsText(LOCAL_ADMIN, { format: 'csv', text: t }) },
  { name: 'scenario file', base: scenario, run: async (t) => parseScenario(t) },
];

describe('importer fuzz through the CLI readers and services', () => {
  for (const imp of LOCAL_IMPORTERS) {
    it(`${imp.name}: malformed and mis-encoded files are refused with a 4xx error and store nothing`, async () => {
      const before = await fingerprint(services.store.db);
      // As the CLI reads a file (src/cli/context.ts: readInputFile), then parses and imports it.
      const attempt = (bytes: Buffer) => async () => imp.run(decodeText(bytes));
      await refusedLocally(attempt(Buffer.from(imp.base)), `${imp.name} base`);
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => refusedLocally(attempt(mutate(Buffer.from(imp.base), m)), `${imp.name} ${m.name}@${m.at}`)),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      for (const name of Object.keys(MUTATIONS)) await refusedLocally(attempt(mutate(Buffer.from(imp.base), { name, at: 17 })), `${imp.name} ${name}`);
      expect(await fingerprint(services.store.db)).toEqual(before);
    });
  }
});

describe('the built CLI on broken files', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-fuzz-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 1 (never 70) with one line naming the problem', async () => {
    const latin1 = Buffer.from('name,code,level,parent,latitude,longitude\nMurang\xe1,KE-FZ,admin1,KEN,-0.7,37.1\n', 'latin1');
    const cases: [string[], string, Buffer, RegExp][] = [
      [['places', 'import'], 'places.csv', latin1, /not UTF-8.*Latin-1 \(ISO-8859-1\).*--encoding latin1/],
      [['sites', 'import'], 'sites.geojson', Buffer.from(sitesGeo, 'utf16le'), /UTF-16/],
      [
        ['import', 'dhis2'],
        'values.csv',
        Buffer.concat([Buffer.from(`${csvHeader}\nFuzzCount01,202401,`), Buffer.from([0]), Buffer.from(`${UNIT},,,5,,,,false\n`)]),
        /NUL/,
      ],
      [['import', 'dhis2-metadata'], 'metadata.json', Buffer.from('['.repeat(50_000)), /JSON|metadata/],
      [['model', 'run'], 'scenario.json', Buffer.from(scenario.slice(0, 500)), /JSON/],
    ];
    for (const [command, file, bytes, message] of cases) {
      writeFileSync(path.join(tmp, file), bytes);
      const res = await runCli([...command, path.join(tmp, file), '--data-dir', path.join(tmp, 'data'), '--no-demo']);
      expect(res.code, `${command.join(' ')}: ${res.stderr}`).toBe(1);
      const lines = res.stderr.trim().split('\n');
      expect(lines, res.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^corridor: /);
      expect(lines[0]).toMatch(message);
    }
  });
});
