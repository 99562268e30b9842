import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { parseAdx } from '../../src/monitoring/interop/adx.js';
import { periodOf } from '../../src/shared/periods.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * Data entry, completeness, approval, validation rules, outliers and ADX, through the HTTP API,
 * on a small self-contained programme: a district with two sites in Uganda and one site in Kenya,
 * a Sex disaggregation and a Project attribute combo.
 */
const U = {
  district: 'DeDistrict1',
  s1: 'DeSiteUga01',
  s2: 'DeSiteUga02',
  k1: 'DeSiteKen01',
  sex: 'DeCatSex001',
  female: 'DeOptFemale',
  male: 'DeOptMale01',
  sexCombo: 'DeComboSex1',
  cocF: 'DeCocFemale',
  cocM: 'DeCocMale01',
  project: 'DeCatProj01',
  p1: 'DeOptProj01',
  p2: 'DeOptProj02',
  projCombo: 'DeComboProj',
  aoc1: 'DeAocProj01',
  aoc2: 'DeAocProj02',
  tested: 'DeElTested1',
  positive: 'DeElPositiv',
  condoms: 'DeElCondoms',
  ds: 'DeDataSet01',
  rule: 'DeRulePosLe',
};

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as>;
let entry: ReturnType<typeof as>;
let manager: ReturnType<typeof as>;
let kenyaEntry: ReturnType<typeof as>;

const unit = (orgUnit: string, period = '2024Q1', aoc = U.aoc1) => ({ dataSet: U.ds, period, orgUnit, attributeOptionCombo: aoc });
const qs = (o: Record<string, string>) => new URLSearchParams(o).toString();
const cell = (orgUnit: string, dataElement: string, coc: string | undefined, value: string | null, period = '2024Q1') => ({
  ...unit(orgUnit, period),
  dataElement,
  ...(coc ? { categoryOptionCombo: coc } : {}),
  value,
});

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store, { demo: false });
  app = await buildServer(services);
  admin = as(app, (await userWithToken(services, 'admin', [], 'root@test.org')).token);
  entry = as(app, (await userWithToken(services, 'data_entry', ['UGA'])).token);
  manager = as(app, (await userWithToken(services, 'country_manager', ['UGA'])).token);
  kenyaEntry = as(app, (await userWithToken(services, 'data_entry', ['KEN'])).token);
  const uga = (await services.store.repos.places.findByCode('UGA'))!.id;
  const ken = (await services.store.repos.places.findByCode('KEN'))!.id;
  const res = await admin.send('POST', '/api/metadata', {
    organisationUnits: [
      { id: U.district, name: 'Test district', code: 'DE-DIST', parent: { id: uga } },
      { id: U.s1, name: 'Test site one', code: 'DE-S1', parent: { id: U.district } },
      { id: U.s2, name: 'Test site two', code: 'DE-S2', parent: { id: U.district } },
      { id: U.k1, name: 'Kenyan site', code: 'DE-K1', parent: { id: ken } },
    ],
    categoryOptions: [
      { id: U.female, name: 'Female', code: 'F' },
      { id: U.male, name: 'Male', code: 'M' },
      { id: U.p1, name: 'Project one', code: 'P1' },
      { id: U.p2, name: 'Project two', code: 'P2' },
    ],
    categories: [
      { id: U.sex, name: 'Sex', code: 'SEX', categoryOptions: [{ id: U.female }, { id: U.male }] },
      { id: U.project, name: 'Project', code: 'PROJECT', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: U.p1 }, { id: U.p2 }] },
    ],
    categoryCombos: [
      { id: U.sexCombo, name: 'Sex', categories: [{ id: U.sex }] },
      { id: U.projCombo, name: 'Project', dataDimensionType: 'ATTRIBUTE', categories: [{ id: U.project }] },
    ],
    categoryOptionCombos: [
      { id: U.cocF, name: 'Female', categoryCombo: { id: U.sexCombo }, categoryOptions: [{ id: U.female }] },
      { id: U.cocM, name: 'Male', categoryCombo: { id: U.sexCombo }, categoryOptions: [{ id: U.male }] },
      { id: U.aoc1, name: 'Project one', categoryCombo: { id: U.projCombo }, categoryOptions: [{ id: U.p1 }] },
      { id: U.aoc2, name: 'Project two', categoryCombo: { id: U.projCombo }, categoryOptions: [{ id: U.p2 }] },
    ],
    dataElements: [
      { id: U.tested, name: 'Tested', code: 'TESTED', valueType: 'INTEGER_ZERO_OR_POSITIVE', categoryCombo: { id: U.sexCombo } },
      { id: U.positive, name: 'Positive', code: 'POSITIVE', valueType: 'INTEGER_ZERO_OR_POSITIVE', categoryCombo: { id: U.sexCombo } },
      { id: U.condoms, name: 'Condoms', code: 'CONDOMS', valueType: 'NUMBER' },
    ],
    dataSets: [
      {
        id: U.ds,
        name: 'Test quarterly',
        code: 'DE_QDS',
        periodType: 'Quarterly',
        categoryCombo: { id: U.projCombo },
        dataSetElements: [{ dataElement: { id: U.tested } }, { dataElement: { id: U.positive } }, { dataElement: { id: U.condoms } }],
        organisationUnits: [{ id: U.district }, { id: U.s1 }, { id: U.s2 }, { id: U.k1 }],
      },
    ],
    validationRules: [
      {
        id: U.rule,
        name: 'Positives at most tests',
        code: 'POS_LE_TESTED',
        periodType: 'Quarterly',
        importance: 'HIGH',
        leftSide: { expression: `#{${U.positive}}` },
        operator: 'less_than_or_equal_to',
        rightSide: { expression: `#{${U.tested}}` },
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

describe('data entry', () => {
  it('gives the form: elements, their disaggregations, values and status', async () => {
    const res = await entry.get(`/api/dataEntry/form?${qs(unit(U.s1))}`);
    expect(res.statusCode, res.body).toBe(200);
    const form = res.json();
    expect(form.elements.map((e: { name: string }) => e.name)).toEqual(['Condoms', 'Positive', 'Tested']);
    const sex = form.categoryCombos.find((c: { id: string }) => c.id === U.sexCombo);
    expect(sex.cocs.map((c: { id: string }) => c.id).sort()).toEqual([U.cocF, U.cocM].sort());
    expect(form).toMatchObject({ values: [], completed: null, approved: null, locked: false, attributeOptionCombo: { id: U.aoc1 } });
  });

  it('saves cells, checks the value type and the period, and answers rule violations', async () => {
    expect((await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocF, '10'))).json()).toEqual({ status: 'created', violations: [] });
    const over = (await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.positive, U.cocF, '12'))).json();
    expect(over.status).toBe('created');
    expect(over.violations).toHaveLength(1);
    expect(over.violations[0]).toMatchObject({ rule: { code: 'POS_LE_TESTED' }, leftSide: { value: 12 }, rightSide: { value: 10 } });
    expect((await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.positive, U.cocF, '12'))).json().status).toBe('unchanged');
    expect((await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.positive, U.cocF, '3'))).json()).toEqual({ status: 'updated', violations: [] });

    const bad = await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocM, 'abc'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/"abc".*whole number/);
    const month = await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocM, '5', '202401'));
    expect(month.statusCode).toBe(400);
    expect(month.json().error.message).toMatch(/Quarterly.*202401 is a Monthly period/);
    const wrongCoc = await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.condoms, U.cocF, '5'));
    expect(wrongCoc.statusCode).toBe(400);
    const form = (await entry.get(`/api/dataEntry/form?${qs(unit(U.s1))}`)).json();
    expect(form.values.map((v: { dataElement: string; value: string }) => [v.dataElement, v.value]).sort()).toEqual(
      [
        [U.positive, '3'],
        [U.tested, '10'],
      ].sort(),
    );
    const audit = await services.store.repos.dataValues.audit(10);
    expect(audit.filter((a) => a.de === U.positive).map((a) => a.action)).toEqual(['update', 'create']);
  });

  it("keeps a data set's places and attribute combo when a metadata re-import leaves them out", async () => {
    const again = await admin.send('POST', '/api/metadata', {
      dataSets: [
        {
          id: U.ds,
          name: 'Test quarterly',
          code: 'DE_QDS',
          periodType: 'Quarterly',
          dataSetElements: [{ dataElement: { id: U.tested } }, { dataElement: { id: U.positive } }, { dataElement: { id: U.condoms } }],
        },
      ],
    });
    expect(again.statusCode, again.body).toBe(200);
    const detail = (await admin.get(`/api/metadata/dataSets/${U.ds}`)).json();
    expect(detail.organisationUnits).toHaveLength(4);
    expect((await entry.get(`/api/dataEntry/form?${qs(unit(U.s1))}`)).statusCode).toBe(200);
  });

  it('keeps places out of scope out of reach', async () => {
    expect((await kenyaEntry.get(`/api/dataEntry/form?${qs(unit(U.s1))}`)).statusCode).toBe(404);
    const res = await kenyaEntry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocF, '99'));
    expect(res.statusCode).toBe(404);
    expect(
      (await as(app, (await userWithToken(services, 'viewer', ['UGA'])).token).send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocF, '99')))
        .statusCode,
    ).toBe(403);
  });
});

describe('completeness', () => {
  it('counts complete and on-time forms over the assigned places', async () => {
    const now = periodOf('Quarterly', new Date()).id;
    for (const p of ['2024Q1', now]) expect((await entry.send('POST', '/api/completeDataSetRegistrations', unit(U.s1, p))).statusCode).toBe(200);
    const late = (await entry.get(`/api/completeness?${qs(unit(U.district))}`)).json();
    expect(late).toMatchObject({ expected: 3, completed: 1, onTime: 0, completeness: 33.3, timeliness: 0 });
    expect(late.places.find((p: { place: { id: string } }) => p.place.id === U.s1)).toMatchObject({ completed: true, onTime: false, values: 2 });
    const current = (await entry.get(`/api/completeness?${qs(unit(U.district, now))}`)).json();
    expect(current).toMatchObject({ expected: 3, completed: 1, onTime: 1 });
    // A Uganda-scoped reader never counts the Kenyan site.
    expect((await entry.get(`/api/completeness?${qs(unit(U.district))}`)).json().places.map((p: { place: { name: string } }) => p.place.name)).not.toContain(
      'Kenyan site',
    );
    const { attributeOptionCombo: _aoc, ...everyProject } = unit(U.district);
    expect((await entry.get(`/api/completeness?${qs(everyProject)}`)).json()).toMatchObject({ attributeOptionCombo: null, completed: 1 });
    expect((await entry.get(`/api/completeness?${qs(unit(U.district, '2024Q1', U.aoc2))}`)).json()).toMatchObject({ completed: 0 });
    expect((await entry.send('DELETE', `/api/completeDataSetRegistrations?${qs(unit(U.s1, now))}`)).statusCode).toBe(200);
    expect((await entry.get(`/api/completeness?${qs(unit(U.district, now))}`)).json().completed).toBe(0);
  });
});

describe('approval', () => {
  it('goes bottom-up, locks approved data (409) and unlocks it when withdrawn', async () => {
    expect((await entry.send('POST', '/api/dataApprovals', unit(U.s1))).statusCode).toBe(403);
    const early = await manager.send('POST', '/api/dataApprovals', unit(U.district));
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/bottom-up.*Test site one/);
    expect((await manager.send('POST', '/api/dataApprovals', unit(U.s1))).statusCode).toBe(200);

    const write = await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocF, '11'));
    expect(write.statusCode).toBe(409);
    expect(write.json().error).toMatchObject({ code: 'DATA_APPROVED' });
    expect(write.json().error.message).toMatch(/approved for 2024Q1 at Test site one/);
    // The same lock through the DHIS2 endpoint: refused whole under ALL; left out under NONE.
    const set = {
      dataValues: [
        { dataElement: U.tested, period: '2024Q1', orgUnit: U.s1, categoryOptionCombo: U.cocF, attributeOptionCombo: U.aoc1, value: '11' },
        { dataElement: U.tested, period: '2024Q1', orgUnit: U.s2, categoryOptionCombo: U.cocF, attributeOptionCombo: U.aoc1, value: '7' },
      ],
    };
    expect((await entry.send('POST', '/api/dataValueSets', set)).statusCode).toBe(409);
    const none = (await entry.send('POST', '/api/dataValueSets?atomicMode=NONE', set)).json();
    expect(none).toMatchObject({ status: 'WARNING', importCount: { imported: 1, ignored: 1 } });
    expect(none.conflicts[0].message).toMatch(/dataValues\[0\].*approved/);
    // A data set with an attribute combo takes only its own combos.
    const wrongAoc = (
      await entry.send('POST', '/api/dataValueSets?dryRun=true', {
        dataSet: U.ds,
        dataValues: [
          { ...set.dataValues[1]!, attributeOptionCombo: U.cocF },
          { ...set.dataValues[1]!, attributeOptionCombo: undefined },
        ],
      })
    ).json();
    expect(wrongAoc.conflicts.map((c: { message: string }) => c.message)).toEqual([
      expect.stringMatching(/attribute option combo ".*" is not one of data set/),
      expect.stringMatching(/needs an attributeOptionCombo/),
    ]);
    // Another project's data at the same place is not locked.
    expect((await entry.send('PUT', '/api/dataEntry/values', { ...cell(U.s1, U.tested, U.cocF, '4'), attributeOptionCombo: U.aoc2 })).statusCode).toBe(200);
    expect((await entry.send('POST', '/api/completeDataSetRegistrations', unit(U.s1))).statusCode).toBe(409);
    expect((await entry.get(`/api/dataEntry/form?${qs(unit(U.s1))}`)).json()).toMatchObject({ locked: true });

    // Site two now has data: the district waits for it.
    expect((await manager.send('POST', '/api/dataApprovals', unit(U.district))).statusCode).toBe(409);
    expect((await manager.send('POST', '/api/dataApprovals', unit(U.s2))).statusCode).toBe(200);
    expect((await manager.send('POST', '/api/dataApprovals', unit(U.district))).statusCode).toBe(200);
    const state = (await manager.get(`/api/dataApprovals?${qs(unit(U.s1))}`)).json();
    expect(state).toMatchObject({ locked: true, approvedAbove: [{ placeName: 'Test district' }] });
    expect((await manager.send('DELETE', `/api/dataApprovals?${qs(unit(U.s1))}`)).statusCode).toBe(409);
    expect((await manager.send('DELETE', `/api/dataApprovals?${qs(unit(U.district))}`)).statusCode).toBe(200);
    expect((await manager.send('DELETE', `/api/dataApprovals?${qs(unit(U.s1))}`)).statusCode).toBe(200);
    expect((await entry.send('PUT', '/api/dataEntry/values', cell(U.s1, U.tested, U.cocF, '11'))).json().status).toBe('updated');
    const actions = (await services.store.repos.audit.recent(200)).filter((e) => e.objectType === 'data-approval').map((e) => e.action);
    expect(actions.filter((a) => a === 'approve')).toHaveLength(3);
    expect(actions.filter((a) => a === 'unapprove')).toHaveLength(2);
    expect((await manager.send('DELETE', `/api/dataApprovals?${qs(unit(U.s2))}`)).statusCode).toBe(200);
  });
});

describe('validation rules and outliers', () => {
  beforeAll(async () => {
    // Eight quarters of history around 100 tests, then a spike of 400 in 2024Q3.
    const history = [101, 98, 103, 97, 100, 102, 99, 101];
    const periods = ['2022Q1', '2022Q2', '2022Q3', '2022Q4', '2023Q1', '2023Q2', '2023Q3', '2023Q4'];
    const dataValues = periods.map((pe, k) => ({
      dataElement: U.tested,
      period: pe,
      orgUnit: U.s2,
      categoryOptionCombo: U.cocM,
      attributeOptionCombo: U.aoc1,
      value: String(history[k]),
    }));
    dataValues.push({ dataElement: U.tested, period: '2024Q3', orgUnit: U.s2, categoryOptionCombo: U.cocM, attributeOptionCombo: U.aoc1, value: '400' });
    dataValues.push({ dataElement: U.positive, period: '2024Q3', orgUnit: U.s2, categoryOptionCombo: U.cocM, attributeOptionCombo: U.aoc1, value: '401' });
    expect((await entry.send('POST', '/api/dataValueSets', { dataValues })).json().status).toBe('SUCCESS');
  });

  it('lists rule violations for the place and the places below it', async () => {
    const res = (await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3'))}&outliers=NONE`)).json();
    expect(res).toMatchObject({ rulesChecked: 1, places: 3, outliers: [] });
    expect(res.ruleViolations).toHaveLength(1);
    expect(res.ruleViolations[0]).toMatchObject({ orgUnit: { id: U.s2, name: 'Test site two' }, leftSide: { value: 401 }, rightSide: { value: 400 } });
    const alone = (await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3'))}&children=false`)).json();
    expect(alone.ruleViolations).toEqual([]);
    // Without an attribute option combo: every project's values.
    const { attributeOptionCombo: _aoc, ...everyProject } = unit(U.district, '2024Q3');
    const all = (await entry.get(`/api/validation?${qs(everyProject)}`)).json();
    expect(all).toMatchObject({ attributeOptionCombo: null, ruleViolations: [{ attributeOptionCombo: U.aoc1 }], outliers: [{ value: 400 }] });
    const other = (await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3', U.aoc2))}`)).json();
    expect(other).toMatchObject({ ruleViolations: [], outliers: [] });
  });

  it('flags the spike by modified z-score and by z-score, and by min-max bounds once they are set', async () => {
    for (const method of ['MOD_Z_SCORE', 'Z_SCORE']) {
      const res = (await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3'))}&outliers=${method}`)).json();
      expect(res.outliers, method).toHaveLength(1);
      expect(res.outliers[0]).toMatchObject({ dataElement: { id: U.tested, name: 'Tested' }, categoryOptionCombo: { name: 'Male' }, value: 400, method });
      expect(res.outliers[0].score).toBeGreaterThan(method === 'Z_SCORE' ? 3 : 3.5);
    }
    expect((await entry.get(`/api/validation?${qs(unit(U.district, '2023Q4'))}`)).json().outliers).toEqual([]);
    expect((await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3'))}&outliers=MIN_MAX`)).json().outliers).toEqual([]);
    const set = await entry.send('PUT', '/api/minMaxValues', [{ dataElement: U.tested, orgUnit: U.s2, categoryOptionCombo: U.cocM, min: 50, max: 150 }]);
    expect(set.statusCode, set.body).toBe(200);
    const mm = (await entry.get(`/api/validation?${qs(unit(U.district, '2024Q3'))}&outliers=MIN_MAX`)).json();
    expect(mm.outliers).toMatchObject([{ value: 400, method: 'MIN_MAX', min: 50, max: 150 }]);
    expect(
      (await entry.send('PUT', '/api/minMaxValues', [{ dataElement: U.tested, orgUnit: U.s2, categoryOptionCombo: U.cocM, min: 50, max: 10 }])).statusCode,
    ).toBe(400);
    expect(
      (await kenyaEntry.send('PUT', '/api/minMaxValues', [{ dataElement: U.tested, orgUnit: U.s2, categoryOptionCombo: U.cocM, min: 1, max: 2 }])).statusCode,
    ).toBe(404);
  });
});

describe('ADX', () => {
  const adx = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015">
  <group orgUnit="DE-S2" period="2025-01-01/P3M" dataSet="DE_QDS" PROJECT="P2">
${body}
  </group>
</adx>`;
  let send: (text: string, query?: string) => Promise<Awaited<ReturnType<ReturnType<typeof as>['get']>>>;
  beforeAll(async () => {
    const token = (await userWithToken(services, 'data_entry', ['UGA'], 'adx@test.org')).token;
    send = (text, query = '') =>
      app.inject({
        method: 'POST',
        url: `/api/dataValueSets${query}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/adx+xml' },
        payload: text,
      });
  });

  it('imports category attributes into category option combos and exports them back', async () => {
    const res = await send(
      adx(`    <dataValue dataElement="TESTED" SEX="F" value="21"/>
    <dataValue dataElement="TESTED" SEX="M" value="19"><annotation>two clinics</annotation></dataValue>
    <dataValue dataElement="CONDOMS" value="1500"/>`),
    );
    expect(res.json(), res.body).toMatchObject({ status: 'SUCCESS', importCount: { imported: 3 } });
    const stored = (await admin.get(`/api/dataValueSets?dataSet=${U.ds}&period=2025Q1&orgUnit=${U.s2}`)).json().dataValues;
    expect(
      stored
        .map((v: { dataElement: string; categoryOptionCombo: string; attributeOptionCombo: string; value: string }) => [
          v.dataElement,
          v.categoryOptionCombo,
          v.attributeOptionCombo,
          v.value,
        ])
        .sort(),
    ).toEqual(
      [
        [U.condoms, 'HllvX50cXC0', U.aoc2, '1500'],
        [U.tested, U.cocF, U.aoc2, '21'],
        [U.tested, U.cocM, U.aoc2, '19'],
      ].sort(),
    );

    const out = await admin.get(`/api/dataValueSets?dataSet=${U.ds}&period=2025Q1&orgUnit=${U.s2}&format=adx`);
    expect(out.headers['content-type']).toMatch(/application\/adx\+xml/);
    const doc = parseAdx(out.body);
    expect(doc.groups).toHaveLength(1);
    expect(doc.groups[0]).toMatchObject({ orgUnit: 'DE-S2', period: '2025Q1', dataSet: 'DE_QDS', attributes: { PROJECT: 'P2' } });
    expect(doc.groups[0]!.dataValues.map((v) => [v.dataElement, v.categories, v.value, v.comment ?? null]).sort()).toEqual(
      [
        ['CONDOMS', {}, '1500', null],
        ['TESTED', { SEX: 'F' }, '21', null],
        ['TESTED', { SEX: 'M' }, '19', 'two clinics'],
      ].sort(),
    );
    // Round trip: the exported document imports back with every value ignored as identical.
    expect((await send(out.body)).json()).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 3 } });
  });

  it('names the ADX line of a bad disaggregation, and refuses the whole document under ALL', async () => {
    const text = adx(`    <dataValue dataElement="TESTED" SEX="F" value="30"/>
    <dataValue dataElement="TESTED" SEX="X" value="31"/>
    <dataValue dataElement="TESTED" value="32"/>`);
    const all = (await send(text)).json();
    expect(all.status).toBe('ERROR');
    expect(all.conflicts.map((c: { message: string }) => c.message)).toEqual([
      expect.stringMatching(/^ADX line 5: .*category SEX has no option "X"/),
      expect.stringMatching(/^ADX line 6: .*category SEX \(Sex\) is missing/),
    ]);
    expect((await send(text, '?atomicMode=NONE')).json()).toMatchObject({ status: 'WARNING', importCount: { updated: 1 } });
    const malformed = await send('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="DE-S2" dataSet="DE_QDS"/></adx>');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().error.message).toMatch(/ADX line 1: .*period/);
  });
});
