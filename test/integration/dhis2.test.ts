import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDhis2Csv } from '../../src/monitoring/interop/dhis2-csv.js';
import { parseDhis2Xml } from '../../src/monitoring/interop/dhis2-xml.js';
import type { Services } from '../../src/app.js';
import { as, serverWithMetadata, userWithToken } from '../support/auth.js';

const sampleXml = readFileSync(new URL('../fixtures/dhis2/dataValueSetA.xml', import.meta.url), 'utf8');
/** The metadata the XML sample needs: its two org units and its data element (shared with dhis2-cli.test.ts). */
const sampleXmlMetadata = JSON.parse(readFileSync(new URL('../fixtures/dhis2/dataValueSetA.metadata.json', import.meta.url), 'utf8')) as unknown;
const sample = JSON.parse(readFileSync(new URL('../fixtures/dhis2/dataValueSetJ.json', import.meta.url), 'utf8')) as { dataValues: unknown[] };

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as> & { auth: string };

/** Sierra Leone-like units: a root, and 1,000 facilities under it. */
const ROOT = 'DiszpKrYNg8';
const facilities = Array.from({ length: 1000 }, (_, i) => `Fac${String(i).padStart(8, '0')}`);
const metadata = {
  organisationUnits: [{ id: ROOT, name: 'Ngelehun CHC', code: 'OU_559' }, ...facilities.map((id, i) => ({ id, name: `Facility ${i}`, parent: { id: ROOT } }))],
  dataElements: [
    { id: 'f7n9E0hX8qk', name: 'Expected births', valueType: 'NUMBER', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'TxCurrCount', name: 'TX_CURR', code: 'TX_CURR', valueType: 'INTEGER_ZERO_OR_POSITIVE' },
  ],
  dataSets: [
    {
      id: 'TestDataSet',
      name: 'Test set',
      periodType: 'Monthly',
      dataSetElements: [{ dataElement: { id: 'f7n9E0hX8qk' } }],
      organisationUnits: [{ id: ROOT }],
    },
  ],
  indicators: [{ id: 'IndicatorAa', name: 'Births per 1000', numerator: '#{f7n9E0hX8qk}', denominator: '1', indicatorType: { factor: 1000 } }],
};

function thousand(bad?: { index: number; field: 'dataElement' | 'period' | 'orgUnit' | 'value'; value: string }) {
  const dataValues = facilities.map((ou, i) => ({ dataElement: 'f7n9E0hX8qk', period: '202401', orgUnit: ou, value: String(i) }));
  if (bad) dataValues[bad.index] = { ...dataValues[bad.index]!, [bad.field]: bad.value };
  return { dataValues };
}

beforeAll(async () => {
  const made = await serverWithMetadata(metadata);
  ({ services, app, drop } = made);
  admin = { ...made.admin, auth: `Bearer ${made.token}` };
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

describe('DHIS2 metadata', () => {
  it('creates then updates, counting each', async () => {
    const res = await admin.send('POST', '/api/metadata', {
      dataElements: [metadata.dataElements[0]],
      organisationUnits: [{ id: 'NewUnit0001', name: 'New', parent: { id: ROOT } }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'OK', stats: { created: 1, updated: 1 } });
    expect((await admin.get('/api/places/NewUnit0001')).json()).toMatchObject({ level: 'admin1', parentId: ROOT });
  });

  it('refuses bad input whole, naming the object and field', async () => {
    const res = await admin.send('POST', '/api/metadata', {
      organisationUnits: [{ id: 'Orphan00001', name: 'Orphan', parent: { id: 'NoSuchUnit1' } }],
      dataElements: [{ id: 'BadCombo001', name: 'x', valueType: 'NUMBER', categoryCombo: { id: 'NoSuchCombo' } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/organisationUnits\[0\]\.parent\.id/);
    expect(res.json().error.message).toMatch(/dataElements\[0\]\.categoryCombo\.id/);
    expect((await admin.get('/api/places/Orphan00001')).statusCode).toBe(404);
    const bad = await admin.send('POST', '/api/metadata', { dataElements: [{ id: 'BadType0001', name: 'x', valueType: 'FLOAT' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/dataElements\.0\.valueType/);
  });
});

describe('dataValueSets (JSON)', () => {
  it('imports the DHIS2 sample and exports the same value', async () => {
    const res = await admin.send('POST', '/api/dataValueSets', sample);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'SUCCESS', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 }, conflicts: [] });
    const out = (await admin.get(`/api/dataValueSets?dataSet=TestDataSet&period=201201&orgUnit=${ROOT}`)).json<{ dataValues: Record<string, unknown>[] }>();
    expect(out.dataValues).toHaveLength(1);
    expect(out.dataValues[0]).toMatchObject({
      dataElement: 'f7n9E0hX8qk',
      period: '201201',
      orgUnit: ROOT,
      categoryOptionCombo: 'HllvX50cXC0',
      attributeOptionCombo: 'HllvX50cXC0',
      value: '10',
    });
    const audit = await services.store.repos.dataValues.audit(10);
    expect(audit.find((a) => a.ou === ROOT && a.pe === '201201')).toMatchObject({ action: 'create', after: { value: '10' } });
    // Updating the value is counted and audited with before and after.
    const upd = await admin.send('POST', '/api/dataValueSets', { period: '201201', orgUnit: ROOT, dataValues: [{ dataElement: 'f7n9E0hX8qk', value: '11' }] });
    expect(upd.json()).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 1 } });
    expect((await services.store.repos.dataValues.audit(1))[0]).toMatchObject({ action: 'update', before: { value: '10' }, after: { value: '11' } });
  });

  for (const bad of [
    { index: 17, field: 'dataElement', value: 'NoSuchElem1', message: /unknown data element "NoSuchElem1"/ },
    { index: 250, field: 'period', value: '2024M13', message: /invalid period "2024M13"/ },
    { index: 500, field: 'orgUnit', value: 'NoSuchUnit1', message: /unknown org unit "NoSuchUnit1"/ },
    { index: 999, field: 'value', value: 'twelve', message: /value "twelve".*must be a number/ },
  ] as const) {
    it(`refuses 1,000 values whole under ALL and stores 999 under NONE when one has a bad ${bad.field}`, async () => {
      const before = (await admin.get('/api/dataValueSets?period=202401')).json<{ dataValues: unknown[] }>().dataValues.length;
      const all = (await admin.send('POST', '/api/dataValueSets', thousand(bad))).json();
      expect(all).toMatchObject({ status: 'ERROR', importCount: { imported: 0, updated: 0, deleted: 0 } });
      // Said in the user's words, not as the option's name (atomicMode=ALL).
      expect(all.description).toBe('Nothing was imported: the import is all or nothing, and a value has a conflict');
      expect(all.conflicts).toHaveLength(1);
      expect(all.conflicts[0]).toMatchObject({ object: bad.field === 'value' ? 'f7n9E0hX8qk' : bad.value, property: bad.field });
      expect(all.conflicts[0].message).toMatch(new RegExp(`^dataValues\\[${bad.index}\\]`));
      expect(all.conflicts[0].message).toMatch(bad.message);
      expect((await admin.get('/api/dataValueSets?period=202401')).json<{ dataValues: unknown[] }>().dataValues.length).toBe(before);

      const started = Date.now();
      const none = (await admin.send('POST', '/api/dataValueSets?atomicMode=NONE', thousand(bad))).json();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(none.status).toBe('WARNING');
      expect(none.conflicts).toHaveLength(1);
      expect(none.importCount.imported + none.importCount.ignored + none.importCount.updated).toBe(1000);
      const stored = (await admin.get('/api/dataValueSets?period=202401')).json<{ dataValues: { orgUnit: string }[] }>().dataValues;
      expect(stored.length).toBeGreaterThanOrEqual(999);
    });
  }

  it('counts a re-import of the same values as ignored', async () => {
    await admin.send('POST', '/api/dataValueSets', thousand());
    const again = (await admin.send('POST', '/api/dataValueSets', thousand())).json();
    expect(again).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 1000, deleted: 0 } });
  });

  it('stores nothing on a dry run, but reports exactly', async () => {
    const auditBefore = (await services.store.repos.audit.recent(1))[0]!.id;
    const values = { dataValues: facilities.slice(0, 10).map((ou) => ({ dataElement: 'f7n9E0hX8qk', period: '202402', orgUnit: ou, value: '5' })) };
    const dry = (await admin.send('POST', '/api/dataValueSets?dryRun=true', values)).json();
    expect(dry).toMatchObject({ status: 'SUCCESS', dryRun: true, importCount: { imported: 10 } });
    expect((await admin.get('/api/dataValueSets?period=202402')).json().dataValues).toEqual([]);
    expect((await services.store.repos.audit.recent(1))[0]!.id).toBe(auditBefore);
  });

  it('deletes with importStrategy=DELETE, softly, and audits it', async () => {
    const one = { dataValues: [{ dataElement: 'f7n9E0hX8qk', period: '202401', orgUnit: facilities[3], value: '3' }] };
    const res = (await admin.send('POST', '/api/dataValueSets?importStrategy=DELETE', one)).json();
    expect(res.importCount).toMatchObject({ deleted: 1 });
    const left = (await admin.get(`/api/dataValueSets?period=202401&orgUnit=${facilities[3]}`)).json().dataValues;
    expect(left).toEqual([]);
    expect((await services.store.repos.dataValues.audit(1))[0]).toMatchObject({ action: 'delete', before: { value: '3' } });
  });

  it('matches ids by code with idScheme=CODE, and checks value types', async () => {
    const res = (
      await admin.send('POST', '/api/dataValueSets?idScheme=CODE&atomicMode=NONE', {
        period: '2024Q1',
        orgUnit: 'OU_559',
        dataValues: [
          { dataElement: 'TX_CURR', value: '12' },
          { dataElement: 'TX_CURR', value: '-1', categoryOptionCombo: 'default', orgUnit: 'OU_559', period: '2024Q2' },
        ],
      })
    ).json();
    expect(res.importCount.imported).toBe(1);
    expect(res.conflicts[0].message).toMatch(/dataValues\[1\].*must be a whole number, 0 or more/);
  });

  it('exports with children=true the values of the subtree', async () => {
    const res = (await admin.get(`/api/dataValueSets?orgUnit=${ROOT}&children=true&period=202401`)).json<{ dataValues: unknown[] }>();
    expect(res.dataValues.length).toBeGreaterThan(990);
  });

  it('lets a viewer do nothing, and a user scoped elsewhere neither write nor read these values', async () => {
    const viewer = as(app, (await userWithToken(services, 'viewer', ['UGA'])).token);
    expect((await viewer.send('POST', '/api/dataValueSets', sample)).statusCode).toBe(403);
    expect((await viewer.send('POST', '/api/metadata', metadata)).statusCode).toBe(403);
    const kenyan = as(app, (await userWithToken(services, 'data_entry', ['KEN'])).token);
    const res = (await kenyan.send('POST', '/api/dataValueSets?atomicMode=NONE', thousand())).json();
    expect(res.status).toBe('WARNING');
    expect(res.conflicts).toHaveLength(1000);
    expect(res.conflicts[0].message).toMatch(/outside your scope/);
    expect((await kenyan.get('/api/dataValueSets?period=202401')).json().dataValues).toEqual([]);
  });
});

describe('dataValueSets (CSV and DXF2 XML)', () => {
  const post = (url: string, type: string, payload: string) =>
    app.inject({ method: 'POST', url, headers: { authorization: admin.auth, 'content-type': type }, payload });
  const exportAs = async (format: string) => {
    const texts: string[] = [];
    for (const pe of ['201201', '201202']) {
      const res = await admin.get(`/api/dataValueSets?dataElement=f7n9E0hX8qk&period=${pe}&format=${format}`);
      expect(res.statusCode, res.body).toBe(200);
      texts.push(res.body);
      expect(res.headers['content-type']).toMatch(format === 'csv' ? /^text\/csv/ : /^application\/xml/);
    }
    return texts;
  };
  const triples = (values: { orgUnit?: string; period?: string; value?: unknown }[]) => values.map((v) => `${v.orgUnit}/${v.period}=${v.value}`).sort();
  const expected = ['BdfsJfj87js/201201=10002', 'DiszpKrYNg8/201201=10001', 'DiszpKrYNg8/201202=10003'];

  it('imports the DHIS2 XML sample, exports it as XML and CSV, and counts a re-import as ignored', async () => {
    const meta = await admin.send('POST', '/api/metadata', sampleXmlMetadata);
    expect(meta.statusCode, meta.body).toBe(200);
    const res = await post('/api/dataValueSets', 'application/xml', sampleXml);
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ status: 'SUCCESS', conflicts: [] });
    expect(summary.importCount.imported + summary.importCount.updated).toBe(3);

    const xml = await exportAs('xml');
    const fromXml = xml.flatMap((t) => parseDhis2Xml(t).dataValues);
    expect(triples(fromXml)).toEqual(expected);
    expect(fromXml.every((v) => v.storedBy === 'john' && v.comment === 'comment' && v.followup === false)).toBe(true);
    const csv = await exportAs('csv');
    expect(csv[0]!.split('\n')[0]).toBe(
      'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted',
    );
    expect(triples(csv.flatMap((t) => parseDhis2Csv(t).dataValues))).toEqual(expected);
    const accept = await app.inject({
      method: 'GET',
      url: '/api/dataValueSets?dataElement=f7n9E0hX8qk&period=201202',
      headers: { authorization: admin.auth, accept: 'text/csv' },
    });
    expect(accept.headers['content-type']).toMatch(/^text\/csv/);

    const again = (await post('/api/dataValueSets', 'application/xml', sampleXml)).json();
    expect(again).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 3, deleted: 0 } });
    for (const text of csv) {
      const res = (await post('/api/dataValueSets', 'text/csv', text)).json();
      expect(res.importCount.ignored).toBe(res.importCount.imported + res.importCount.updated + res.importCount.ignored);
    }
    const xmlAgain = (await post('/api/dataValueSets', 'text/xml; charset=utf-8', xml[0]!)).json();
    expect(xmlAgain.importCount).toMatchObject({ imported: 0, updated: 0, ignored: 2 });
  });

  it('answers 422 naming the line of malformed CSV or XML, and refuses other text types', async () => {
    const xml = await post('/api/dataValueSets', 'application/xml', '<dataValueSet>\n<dataValue dataElement="f7n9E0hX8qk" value="1 & 2"/>\n</dataValueSet>');
    expect(xml.statusCode).toBe(422);
    expect(xml.json().error.message).toMatch(/XML line 2/);
    const csv = await post('/api/dataValueSets', 'text/csv', 'de,pe,ou,coc,acoc,value\nf7n9E0hX8qk,,DiszpKrYNg8,,,1\n');
    expect(csv.statusCode).toBe(422);
    expect(csv.json().error.message).toMatch(/CSV line 2: period is missing/);
    expect((await post('/api/dataValueSets', 'text/plain', 'x')).statusCode).toBeGreaterThanOrEqual(400);
  });
});
