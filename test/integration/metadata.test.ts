import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { SYSTEM } from '../../src/domain/access.js';
import { DEMO_STORED_BY, loadDemoMonitoring } from '../../src/monitoring/demo-data.js';
import { STANDARD } from '../../src/monitoring/standard-set.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as>;
let ugandan: ReturnType<typeof as>;
let firstStartMs: number;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  const t = performance.now();
  services = await servicesFor(fresh.store); // a new store: the world, the standard set, the demo and its M&E data
  firstStartMs = performance.now() - t;
  app = await buildServer(services);
  admin = as(app, (await userWithToken(services, 'admin', [])).token);
  ugandan = as(app, (await userWithToken(services, 'viewer', ['UGA'])).token);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

type Json = Record<string, unknown>;

describe('the demo programme', () => {
  it('holds illustrative quarterly values for at least 10 sites and 12 quarters, with consistent cascades', async () => {
    const { dataValues } = await services.dataValues.export(SYSTEM, { dataSet: STANDARD.quarterly, children: false, includeDeleted: false, limit: 1_000_000 });
    expect(dataValues.length).toBeGreaterThan(5_000);
    expect(dataValues.length).toBeLessThan(20_000);
    expect(new Set(dataValues.map((v) => v.orgUnit)).size).toBeGreaterThanOrEqual(10);
    expect([...new Set(dataValues.map((v) => v.period))].sort()).toEqual(['2023', '2024', '2025'].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`)));
    expect(dataValues.every((v) => v.storedBy === DEMO_STORED_BY)).toBe(true);
    // Per cell and per site: positives ≤ tests, started ART ≤ newly diagnosed, suppressed ≤ VL results ≤ on ART.
    const E = STANDARD.elements;
    const sums = new Map<string, Map<string, number>>();
    for (const v of dataValues) {
      for (const k of [`${v.orgUnit}|${v.period}|${v.attributeOptionCombo}|${v.categoryOptionCombo}`, `${v.orgUnit}|${v.period}|${v.attributeOptionCombo}`]) {
        const m = sums.get(k) ?? sums.set(k, new Map()).get(k)!;
        m.set(v.dataElement, (m.get(v.dataElement) ?? 0) + Number(v.value));
      }
    }
    const n = (m: Map<string, number>, de: string) => m.get(de) ?? 0;
    for (const [k, m] of sums) {
      expect(n(m, E.positive), k).toBeLessThanOrEqual(n(m, E.tested));
      expect(n(m, E.newlyDiagnosed), k).toBeLessThanOrEqual(n(m, E.positive));
      expect(n(m, E.newlyDiagnosedOnArt), k).toBeLessThanOrEqual(n(m, E.newlyDiagnosed));
      expect(n(m, E.viralLoadSuppressed), k).toBeLessThanOrEqual(n(m, E.viralLoadResult));
      expect(n(m, E.viralLoadResult), k).toBeLessThanOrEqual(n(m, E.onArt));
    }
    const ibbs = await services.dataValues.export(SYSTEM, { dataSet: STANDARD.ibbs, children: false, includeDeleted: false, limit: 100_000 });
    expect(new Set(ibbs.dataValues.map((v) => v.period))).toEqual(new Set(['2023', '2024']));
    expect(new Set(ibbs.dataValues.map((v) => v.orgUnit)).size).toBe(3);
  });

  it('loads again without changing anything, and starts in reasonable time', async () => {
    const counts = await loadDemoMonitoring(services, SYSTEM);
    expect(counts.values).toBeLessThan(20_000);
    const { dataValues } = await services.dataValues.export(SYSTEM, { dataSet: STANDARD.quarterly, children: false, includeDeleted: false, limit: 1_000_000 });
    expect(new Set(dataValues.map((v) => v.lastUpdated)).size).toBeLessThanOrEqual(2); // nothing rewritten
    expect(firstStartMs).toBeLessThan(60_000);
  });
});

describe('metadata read routes', () => {
  it('lists data sets with their attribute combo and counts, places within the caller’s scope', async () => {
    const res = await admin.get('/api/metadata/dataSets');
    expect(res.statusCode, res.body).toBe(200);
    const sets = res.json<{ dataSets: Json[] }>().dataSets;
    const quarterly = sets.find((s) => s.id === STANDARD.quarterly)!;
    expect(quarterly).toMatchObject({
      code: 'CRD_MIGRANT_HIV_QUARTERLY',
      periodType: 'Quarterly',
      timelyDays: 30,
      categoryCombo: { id: 'CrdCmbProj1', name: 'Project' },
      dataElementCount: 12,
    });
    expect(quarterly.organisationUnitCount).toBeGreaterThanOrEqual(30);
    const scoped = (await ugandan.get('/api/metadata/dataSets')).json<{ dataSets: Json[] }>().dataSets.find((s) => s.id === STANDARD.quarterly)!;
    expect(scoped.organisationUnitCount).toBeGreaterThan(0);
    expect(scoped.organisationUnitCount).toBeLessThan(quarterly.organisationUnitCount as number);
  });

  it('shows one data set with its elements, combo structures and places (by id or code)', async () => {
    const res = await ugandan.get('/api/metadata/dataSets/CRD_MIGRANT_HIV_QUARTERLY');
    expect(res.statusCode, res.body).toBe(200);
    const ds = res.json<{
      id: string;
      dataElements: { id: string; categoryCombo: { id: string } }[];
      categoryCombos: { id: string; categories: unknown[]; cocs: { id: string; name: string; options: string[] }[] }[];
      organisationUnits: { id: string; code: string; name: string }[];
    }>();
    expect(ds.id).toBe(STANDARD.quarterly);
    expect(ds.dataElements).toHaveLength(12);
    const combos = new Map(ds.categoryCombos.map((c) => [c.id, c]));
    expect(combos.get(STANDARD.combo)!.cocs).toHaveLength(1024);
    expect(combos.get(STANDARD.combo)!.cocs.every((c) => c.options.length === 4)).toBe(true);
    expect(combos.get('CrdCmbProj1')!.cocs).toHaveLength(6);
    expect(combos.has('bjDvmb4bfuf')).toBe(true); // condoms: not disaggregated
    expect(ds.organisationUnits.length).toBeGreaterThan(0);
    expect(ds.organisationUnits.every((p) => p.code.startsWith('UG-'))).toBe(true);
    expect((await admin.get('/api/metadata/dataSets/NoSuchSet01')).statusCode).toBe(404);
  });

  it('lists data elements, category combos, indicators and validation rules', async () => {
    const elements = (await ugandan.get('/api/metadata/dataElements')).json<{ dataElements: Json[] }>().dataElements;
    expect(elements.find((d) => d.id === STANDARD.elements.positive)).toMatchObject({
      code: 'CRD_HTS_POSITIVE',
      valueType: 'INTEGER_ZERO_OR_POSITIVE',
      aggregationType: 'SUM',
      categoryCombo: { id: STANDARD.combo },
    });
    const combos = (await ugandan.get('/api/metadata/categoryCombos')).json<{
      categoryCombos: { id: string; cocCount: number; categories: { name: string; options: unknown[] }[] }[];
    }>().categoryCombos;
    const std = combos.find((c) => c.id === STANDARD.combo)!;
    expect(std.cocCount).toBe(1024);
    expect(std.categories.map((c) => [c.name, c.options.length])).toEqual([
      ['Sex', 2],
      ['Age (WHO bands)', 4],
      ['Migrant status', 8],
      ['Population group', 16],
    ]);
    const indicators = (await ugandan.get('/api/metadata/indicators')).json<{ indicators: Json[] }>().indicators;
    expect(indicators.find((i) => i.code === 'ART.3')).toMatchObject({
      numerator: '#{CrdDeVlSupp}',
      denominator: '#{CrdDeVlRslt}',
      factor: 100,
      source: expect.stringMatching(/WHO/),
    });
    const rules = (await ugandan.get('/api/metadata/validationRules')).json<{ validationRules: Json[] }>().validationRules;
    expect(rules.find((r) => r.code === 'CRD_VR_POSITIVE_LE_TESTED')).toMatchObject({
      operator: 'less_than_or_equal_to',
      periodType: 'Quarterly',
      importance: 'HIGH',
      leftSide: { expression: '#{CrdDeTstPos}', missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING' },
      rightSide: { expression: '#{CrdDeTstRes}' },
    });
    // The read shape of a rule imports back unchanged.
    const back = await admin.send('POST', '/api/metadata', { validationRules: rules });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ stats: { created: 0, updated: rules.length } });
  });

  it('shows a Uganda-scoped user no Kenyan place in any of them', async () => {
    const sites = (await admin.get('/api/sites?limit=1000')).json<{ items: { id: string; code: string; country: string }[] }>().items;
    const kenyan = new Set(sites.filter((s) => s.country === 'KEN').flatMap((s) => [s.id, s.code]));
    expect(kenyan.size).toBeGreaterThan(10);
    const ids = (await admin.get(`/api/metadata/dataSets/${STANDARD.quarterly}`))
      .json<{ organisationUnits: { id: string }[] }>()
      .organisationUnits.map((p) => p.id);
    expect(ids.some((id) => kenyan.has(id))).toBe(true);
    for (const url of [
      '/api/metadata/dataSets',
      `/api/metadata/dataSets/${STANDARD.quarterly}`,
      `/api/metadata/dataSets/${STANDARD.ibbs}`,
      '/api/metadata/dataElements',
      '/api/metadata/categoryCombos',
      '/api/metadata/indicators',
      '/api/metadata/validationRules',
    ]) {
      const res = await ugandan.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(
        JSON.stringify(res.json())
          .match(/"[^"]*"/g)!
          .map((s) => s.slice(1, -1))
          .filter((s) => kenyan.has(s)),
        url,
      ).toEqual([]);
    }
  });

  it('documents the routes in the API document', async () => {
    const doc = (await admin.get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const p of [
      '/api/metadata/dataSets',
      '/api/metadata/dataSets/{id}',
      '/api/metadata/dataElements',
      '/api/metadata/categoryCombos',
      '/api/metadata/indicators',
      '/api/metadata/validationRules',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});
