import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app.js';
import { LOCAL_ADMIN, type Actor } from '../../src/domain/access.js';
import { AppError } from '../../src/domain/errors.js';
import { SiteInputSchema, SiteRecordSchema } from '../../src/domain/registry.js';
import { serverWithMetadata, type as } from '../support/auth.js';
import { fingerprint } from '../support/fingerprint.js';

/** Import robustness (issue 10, defects 9, 10 and 12): encodings, limits, dry runs, codes. */

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as>;
let token: string;

const ROOT = 'ImpRoot0001';
const metadata = {
  organisationUnits: [
    { id: ROOT, name: 'Import root', code: 'IMP_ROOT' },
    { id: 'ImpUnit0001', name: 'Unit one', code: 'IMP_U1', parent: { id: ROOT } },
  ],
  dataElements: [
    { id: 'ImpCount001', name: 'Import count', valueType: 'INTEGER' },
    { id: 'ImpPos00001', name: 'Import positive', valueType: 'INTEGER_POSITIVE' },
    { id: 'ImpText0001', name: 'Import text', valueType: 'TEXT' },
  ],
};

const post = (url: string, payload: string | Buffer, contentType: string) =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
const snapshot = () => fingerprint(services.store.db);

beforeAll(async () => {
  ({ services, app, token, admin, drop } = await serverWithMetadata(metadata));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

describe('dry runs and validate-only imports never write', () => {
  it('POST /api/metadata?importMode=VALIDATE reports and stores nothing', async () => {
    const before = await snapshot();
    const res = await admin.send('POST', '/api/metadata?importMode=VALIDATE', {
      dataElements: [{ id: 'ImpNew00001', name: 'Never stored', valueType: 'NUMBER' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stats: { created: 1 } });
    expect(await snapshot()).toEqual(before);
    const list = (await admin.get('/api/metadata/dataElements')).json<{ dataElements: { id: string }[] }>().dataElements;
    expect(list.map((d) => d.id)).not.toContain('ImpNew00001');
  });

  it('still refuses bad metadata under importMode=VALIDATE', async () => {
    const res = await admin.send('POST', '/api/metadata?importMode=VALIDATE', {
      dataElements: [{ id: 'ImpNew00002', name: 'Bad', valueType: 'NUMBER', categoryCombo: { id: 'NoSuchCombo' } }],
    });
    expect(res.statusCode).toBe(400);
  });

  it('honours dryRun="true" in a DXF2 XML body, and "dryRun": true in a JSON body', async () => {
    const before = await snapshot();
    const xml = `<?xml version="1.0"?><dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dryRun="true" period="202401" orgUnit="ImpUnit0001"><dataValue dataElement="ImpCount001" value="5"/></dataValueSet>`;
    const res = await post('/api/dataValueSets', xml, 'application/xml');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'SUCCESS', dryRun: true, importCount: { imported: 1 } });
    const json = await admin.send('POST', '/api/dataValueSets', {
      dryRun: true,
      period: '202401',
      orgUnit: 'ImpUnit0001',
      dataValues: [{ dataElement: 'ImpCount001', value: '6' }],
    });
    expect(json.json()).toMatchObject({ dryRun: true, importCount: { imported: 1 } });
    expect(await snapshot()).toEqual(before);
  });
});

describe('one set of field limits, in the service', () => {
  it('refuses a comment beyond the API limit given straight to the service (as the CLI and CSV do)', async () => {
    const before = await snapshot();
    const set = { dataValues: [{ dataElement: 'ImpText0001', period: '202401', orgUnit: 'ImpUnit0001', value: 'x', comment: 'c'.repeat(60_000) }] };
    const err = await services.dataValues
      .import({ label: 'cli', userId: null, role: 'admin', scopePaths: null }, set, {
        dryRun: false,
        importStrategy: 'CREATE_AND_UPDATE',
        atomicMode: 'ALL',
        idScheme: 'UID',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect((err as AppError).message).toMatch(/comment/);
    expect((err as AppError).message.length).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a 10,000,000-character comment in a CSV body with a 4xx', async () => {
    const csv = `dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\nImpText0001,202401,ImpUnit0001,,,x,,,${'c'.repeat(10_000_000 - 200)},false\n`;
    const res = await post('/api/dataValueSets', csv, 'text/csv');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('INTEGER values are 32-bit, as in DHIS2', () => {
  it('refuses values beyond 2147483647 with a conflict naming the value', async () => {
    for (const [de, value] of [
      ['ImpCount001', '2147483648'],
      ['ImpCount001', '9007199254740993'],
      ['ImpCount001', '-2147483649'],
      ['ImpPos00001', '3000000000'],
    ] as const) {
      const res = await admin.send('POST', '/api/dataValueSets?dryRun=true', {
        period: '202401',
        orgUnit: 'ImpUnit0001',
        dataValues: [{ dataElement: de, value }],
      });
      const summary = res.json<{ status: string; conflicts: { message: string }[] }>();
      expect(summary.status, value).toBe('ERROR');
      expect(summary.conflicts[0]!.message).toContain(`"${value}"`);
    }
    const ok = await admin.send('POST', '/api/dataValueSets?dryRun=true', {
      period: '202401',
      orgUnit: 'ImpUnit0001',
      dataValues: [
        { dataElement: 'ImpCount001', value: '2147483647' },
        { dataElement: 'ImpPos00001', value: '2147483647' },
        { dataElement: 'ImpCount001', value: '-2147483648', orgUnit: ROOT },
      ],
    });
    expect(ok.json()).toMatchObject({ status: 'SUCCESS' });
  });
});

describe('encodings of request bodies', () => {
  const row = (comment: string) =>
    `dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\nImpText0001,202402,ImpUnit0001,,,x,,,${comment},false\n`;

  it('refuses a Latin-1 body naming the encoding, and reads it with charset=ISO-8859-1', async () => {
    const before = await snapshot();
    const latin1 = Buffer.from(row('Gulu – café près du marché'.replace('–', '-')), 'latin1');
    const res = await post('/api/dataValueSets', latin1, 'text/csv');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/not UTF-8.*Latin-1 \(ISO-8859-1\)/);
    expect(await snapshot()).toEqual(before);
    const ok = await post('/api/dataValueSets', latin1, 'text/csv; charset=ISO-8859-1');
    expect(ok.statusCode, ok.body).toBe(200);
    const out = (await admin.get('/api/dataValueSets?orgUnit=ImpUnit0001&period=202402')).json<{ dataValues: { comment: string }[] }>();
    expect(out.dataValues[0]!.comment).toBe('Gulu - café près du marché');
  });

  it('accepts a UTF-8 BOM in JSON and reads UTF-16 with a BOM; names UTF-16 without one', async () => {
    const body = JSON.stringify({ period: '202403', orgUnit: 'ImpUnit0001', dataValues: [{ dataElement: 'ImpCount001', value: '3' }] });
    const bom = await post('/api/dataValueSets?dryRun=true', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), 'application/json');
    expect(bom.statusCode, bom.body).toBe(200);
    const utf16 = await post('/api/dataValueSets?dryRun=true', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]), 'application/json');
    expect(utf16.statusCode, utf16.body).toBe(200);
    const bare = await post('/api/dataValueSets?dryRun=true', Buffer.from(body, 'utf16le'), 'application/json');
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.message).toMatch(/UTF-16/);
  });
});

describe('GET /api/dataValueSets?orgUnit=', () => {
  it('refuses an unknown org unit with 404 naming it, and resolves codes with orgUnitIdScheme=CODE', async () => {
    await admin.send('POST', '/api/dataValueSets', { period: '202404', orgUnit: 'ImpUnit0001', dataValues: [{ dataElement: 'ImpCount001', value: '4' }] });
    const byCode = await admin.get('/api/dataValueSets?orgUnit=IMP_U1');
    expect(byCode.statusCode).toBe(404);
    expect(byCode.json().error.message).toContain('"IMP_U1"');
    const resolved = await admin.get('/api/dataValueSets?orgUnit=IMP_U1&orgUnitIdScheme=CODE&period=202404');
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<{ dataValues: unknown[] }>().dataValues).toHaveLength(1);
  });
});

describe('codes held outside the caller’s scope', () => {
  it('are refused without naming the holder; in scope, the holder is named', async () => {
    const places = services.store.repos.places;
    const uga = (await places.findByCode('UGA'))!;
    const ken = (await places.findByCode('KEN'))!;
    const uganda: Actor = { label: 'uga-admin', userId: null, role: 'admin', scopePaths: [(await places.pathOf(uga.id))!] };
    const everywhere: Actor = { label: 'admin', userId: null, role: 'admin', scopePaths: null };
    const kenyan = await services.sites.create(
      everywhere,
      SiteInputSchema.parse({ code: 'KE-SECRET-1', name: 'Busia truck stop', type: 'truck_stop', country: ken.code, latitude: 0.46, longitude: 34.1 }),
    );
    expect(kenyan.code).toBe('KE-SECRET-1');
    const site = SiteInputSchema.parse({ code: 'KE-SECRET-1', name: 'Tororo stop', type: 'truck_stop', country: 'UGA', latitude: 0.69, longitude: 34.18 });
    const outOfScope = await services.sites.create(uganda, site).catch((e: AppError) => e);
    expect((outOfScope as AppError).message).toMatch(/Site code cannot be used; choose another/);
    expect((outOfScope as AppError).message).not.toMatch(/Busia|another place/);
    const imported = await services.sites
      .import(uganda, [{ line: 2, record: SiteRecordSchema.parse(site), hasPopulations: false, hasServices: false }], { source: 't', unit: 'line' })
      .catch((e: AppError) => e);
    expect((imported as AppError).message).toMatch(/line 2: Site code \(field "code"\) cannot be used/);
    expect((imported as AppError).message).not.toMatch(/Busia|outside your scope/);
    const unknown = await services.sites.create(uganda, { ...site, code: 'KE-NOT-THERE' });
    expect(unknown.code).toBe('KE-NOT-THERE');
    const inScope = await services.sites.create(everywhere, site).catch((e: AppError) => e);
    expect((inScope as AppError).message).toMatch(/Site code is already the code of site "Busia truck stop"/);
    const placeImport = await services.places
      .import(uganda, [{ line: 2, code: 'KE-SECRET-1', name: 'X', parentCode: 'UGA', geometry: null } as never], { source: 't' })
      .catch((e: AppError) => e);
    expect((placeImport as AppError).message).toMatch(/this code cannot be used/);
  });
});

describe('site imports check every row before writing', () => {
  it('names every bad row (not just the first) and writes nothing', async () => {
    const before = await snapshot();
    const { parseSiteCsv } = await import('../../src/registry/site-import.js');
    const csv = [
      'code,name,type,country,latitude,longitude',
      'KE-CHK-1,Good one,truck_stop,KEN,0.5,35.5',
      'KE-CHK-2,Off the map,truck_stop,KEN,45,35.5',
      'KE-CHK-3,Good two,truck_stop,KEN,0.6,35.6',
      'KE-CHK-4,Nowhere,truck_stop,XXX,0.6,35.6',
    ].join('\n');
    const err = await services.sites
      .import({ label: 'cli', userId: null, role: 'admin', scopePaths: null }, parseSiteCsv(csv), { source: 't', unit: 'line' })
      .catch((e: AppError) => e);
    expect((err as AppError).code).toBe('IMPORT_INVALID');
    expect((err as AppError).message).toMatch(/line 3: Latitude \(field "latitude"\) lies outside Kenya/);
    expect((err as AppError).message).toMatch(/line 5: Country \(field "country"\) is not a known country/);
    expect(await snapshot()).toEqual(before);
  });

  it('writes a good file in bulk, each site audited', async () => {
    const { parseSiteCsv } = await import('../../src/registry/site-import.js');
    const rows = Array.from({ length: 1500 }, (_, k) => `KE-BULK-${k},Bulk ${k},truck_stop,KEN,${(k % 100) / 100},${35 + (k % 50) / 100}`);
    const res = await services.sites.import(
      { label: 'cli', userId: null, role: 'admin', scopePaths: null },
      parseSiteCsv(['code,name,type,country,latitude,longitude', ...rows].join('\n')),
      { source: 't', unit: 'line' },
    );
    expect(res).toEqual({ created: 1500, updated: 0 });
    const site = await services.store.repos.sites.getByCode('KE-BULK-1499');
    expect(site).toMatchObject({ name: 'Bulk 1499', country: 'KEN', latitude: 0.99, longitude: 35.49 });
    const again = await services.sites.import(
      { label: 'cli', userId: null, role: 'admin', scopePaths: null },
      parseSiteCsv(['code,name,type,country,latitude,longitude', rows[0]!.replace('Bulk 0', 'Renamed')].join('\n')),
      { source: 't', unit: 'line' },
    );
    expect(again).toEqual({ created: 0, updated: 1 });
  });
});

describe('malformed CSV quoting is refused, naming the line (issue 11)', () => {
  const head = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n';
  it('POST /api/dataValueSets: "12"3 is not 123; a quote inside a field and an unclosed quote are refused too', async () => {
    const before = await snapshot();
    const cases: [string, RegExp][] = [
      [`${head}ImpCount001,202401,ImpUnit0001,,,"12"3\n`, /^CSV line 2, field 6 \(character 38 of the line\): text after the closing quote/],
      [
        `${head}ImpCount001,202401,ImpUnit0001,,,12"3\n`,
        /^CSV line 2, field 6 \(character 36 of the line\): a quote inside a field that does not start with one/,
      ],
      [
        `${head}ImpCount001,202401,ImpUnit0001,,,5\nImpCount001,202402,ImpUnit0001,,,"12\n`,
        /^CSV line 3, field 6 \(character 34 of the line\): a quoted field is never closed/,
      ],
    ];
    for (const [csv, message] of cases) {
      const res = await post('/api/dataValueSets', csv, 'text/csv');
      expect(res.statusCode, res.body).toBe(422);
      const error = res.json<{ error: { code: string; message: string; details: { line: number; field: string }[] } }>().error;
      expect(error.code).toBe('IMPORT_INVALID');
      expect(error.message).toMatch(message);
      expect(error.details[0]).toMatchObject({ field: 'field 6' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('site, place and flow CSV files (the service call of the CLI and of any face) are refused the same way', async () => {
    const before = await snapshot();
    const refusal = (work: Promise<unknown>) =>
      work.then(
        () => null,
        (e: unknown) => e as AppError,
      );
    const site = await refusal(
      services.sites.importText(LOCAL_ADMIN, {
        format: 'csv',
        text: 'code,name,type,country,latitude,longitude\nKE-Q-1,"Busia"stop,truck_stop,KEN,0.5,35.5\n',
        source: 't',
      }),
    );
    expect(site).toMatchObject({
      code: 'IMPORT_INVALID',
      status: 422,
      message: expect.stringMatching(/^CSV line 2, field 2 \(character 15 of the line\): text after the closing quote/),
    });
    const place = await refusal(
      services.places.importText(LOCAL_ADMIN, {
        format: 'csv',
        text: 'name,code,level,parent\nMalaba,KE-Q-2,admin1,KEN\nTororo "east",KE-Q-3,admin1,KEN\n',
        source: 't',
      }),
    );
    expect(place).toMatchObject({
      code: 'IMPORT_INVALID',
      message: expect.stringMatching(/^CSV line 3, field 1 \(character 8 of the line\): a quote inside a field/),
    });
    const flow = await refusal(
      services.corridors.importFlowsText(LOCAL_ADMIN, { format: 'csv', text: 'from,to,period_start,period_end,count\nUGA,KEN,2024-01-01,2024-01-31,"12"3\n' }),
    );
    expect(flow).toMatchObject({ code: 'IMPORT_INVALID', message: expect.stringMatching(/^CSV line 2, field 5 .*text after the closing quote/) });
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /api/dataValueSets and /api/metadata take text in the media types they list', () => {
  it('refuses another media type, or none, with 415 naming those it reads', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post('/api/dataValueSets', 'x', type);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringMatching(
          /^unsupported content type [^;]+; send one of application\/json, text\/csv, application\/xml, application\/adx\+xml, text\/xml$/,
        ),
      });
    }
    const none = await app.inject({ method: 'POST', url: '/api/dataValueSets', headers: { authorization: `Bearer ${token}` } });
    expect(none.statusCode, none.body).toBe(415);
    expect((await post('/api/metadata', '<metadata/>', 'application/xml')).json().error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(/send one of application\/json$/),
    });
    // JSON routes read JSON only: a CSV body there is not a string to validate.
    expect((await post('/api/sites', 'a,b\n1,2\n', 'text/csv')).statusCode).toBe(415);
  });

  it('names the line and column of malformed JSON, as the CLI does', async () => {
    const res = await post('/api/dataValueSets', '{\n  "dataValues": [,]\n}', 'application/json');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.message).toMatch(/^not valid JSON: line 2, column \d+/);
    const md = await post('/api/metadata', '{"dataElements": [}', 'application/json');
    expect(md.json().error.message).toMatch(/^not valid JSON: line 1, column \d+/);
  });

  it('documents each media type in OpenAPI, the JSON one with its schema', async () => {
    const doc = (await admin.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { type?: string; $ref?: string } }> } }>>;
    }>();
    const content = doc.paths['/api/dataValueSets']!.post!.requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(['application/adx+xml', 'application/json', 'application/xml', 'text/csv', 'text/xml']);
    expect(content['application/json']!.schema.$ref).toMatch(/DataValueSet$/);
    expect(content['text/csv']!.schema).toEqual({ type: 'string' });
    expect(Object.keys(doc.paths['/api/metadata']!.post!.requestBody!.content)).toEqual(['application/json']);
  });
});
