import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureReferenceData } from '../../src/registry/seed.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES, freshStore } from '../support/databases.js';

const venue = { alcoholOnSite: true, sexOnSite: null, transactionalSexReported: false, condomsAvailableAtVisit: null };

// The registry repositories, unchanged, on the embedded engine and on a real PostgreSQL server.
describe.each(ENGINES)('registry repositories [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  let kenya: string;
  let uganda: string;
  const site = async (code: string, lat: number, lon: number, type: 'port' | 'mine' = 'port') => {
    const { place } = await store.repos.places.upsert({
      code,
      name: `Site ${code}`,
      level: 'site',
      parentId: kenya,
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
    await store.repos.sites.save(place.id, {
      type,
      countryId: kenya,
      latitude: lat,
      longitude: lon,
      operatingDays: 'Mon–Sun',
      operatingHours: null,
      venue,
      assessmentDate: '2025-03-01',
      source: 'test',
      notes: null,
      illustrative: true,
    });
    return place.id;
  };

  beforeAll(async () => {
    ({ store, drop } = await freshStore(engine));
    kenya = (await store.repos.places.upsert({ code: 'KEN', name: 'Kenya', level: 'country', parentId: null, geometry: null })).place.id;
    uganda = (await store.repos.places.upsert({ code: 'UGA', name: 'Uganda', level: 'country', parentId: null, geometry: null })).place.id;
    await ensureReferenceData(store);
  }, 60_000);
  afterAll(async () => drop?.());

  it('stores the taxonomy, groups and need rules as data', async () => {
    expect((await store.repos.reference.siteTypes()).map((t) => t.code)).toContain('land_border_post');
    const cats = await store.repos.reference.categories();
    expect(cats.find((c) => c.code === 'migrant_status')!.options.map((o) => o.code)).toContain('irregular_migrant');
    await store.repos.reference.upsertOption('occupation_sector', { code: 'domestic_work', name: 'Domestic work' });
    expect(await store.repos.reference.optionExists('occupation_sector', 'domestic_work')).toBe(true);
    expect((await store.repos.reference.groupByCode('sex_workers'))!.options).toEqual({ key_population: 'sex_worker', occupation_sector: 'sex_work' });
    expect((await store.repos.reference.needRules()).length).toBeGreaterThan(10);
  });

  it('saves a site, reads it back with its country code, dates as text and venue', async () => {
    const id = await site('KE-PORT', -4.06, 39.65);
    const s = (await store.repos.sites.get(id))!;
    expect(s).toMatchObject({
      code: 'KE-PORT',
      type: 'port',
      country: 'KEN',
      latitude: -4.06,
      longitude: 39.65,
      assessmentDate: '2025-03-01',
      venue,
      illustrative: true,
    });
    expect(s.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(await store.repos.sites.getByCode('KE-PORT')).toEqual(s);
  });

  it('lists sites by type, country, name and bounding box, with totals', async () => {
    await site('KE-MINE', 0.9, 34.6, 'mine');
    expect((await store.repos.sites.list({ type: 'mine', limit: 10, offset: 0 })).items.map((s) => s.code)).toEqual(['KE-MINE']);
    expect((await store.repos.sites.list({ countryId: uganda, limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.repos.sites.list({ q: 'ke-p', limit: 10, offset: 0 })).items.map((s) => s.code)).toEqual(['KE-PORT']);
    const box = await store.repos.sites.list({ bbox: [34, 0, 35, 1], limit: 10, offset: 0 });
    expect(box.items.map((s) => s.code)).toEqual(['KE-MINE']);
    expect(box.total).toBe(1);
  });

  it('replaces populations and services, and the database refuses low above high', async () => {
    const id = (await store.repos.sites.getByCode('KE-PORT'))!.id;
    const sw = (await store.repos.reference.groupByCode('sex_workers'))!;
    await store.repos.sites.replacePopulations(id, [{ group: 'sex_workers', groupId: sw.id, sizeLow: 100, sizeHigh: 250, estimateDate: '2025-01-31' }]);
    expect(await store.repos.sites.populations([id])).toEqual([
      { siteId: id, group: 'sex_workers', groupName: 'Sex workers', sizeLow: 100, sizeHigh: 250, estimateDate: '2025-01-31', source: null },
    ]);
    await expect(store.repos.sites.replacePopulations(id, [{ group: 'sex_workers', groupId: sw.id, sizeLow: 300, sizeHigh: 250 }])).rejects.toThrow();
    await store.repos.sites.replaceServices(id, [
      { service: 'prep', availability: 'partial', costToUser: 'free', languages: ['Swahili', 'English'], servesUndocumented: true, onSite: false },
    ]);
    expect(await store.repos.sites.services([id])).toEqual([
      {
        siteId: id,
        service: 'prep',
        availability: 'partial',
        hours: null,
        costToUser: 'free',
        languages: ['Swahili', 'English'],
        servesUndocumented: true,
        onSite: false,
      },
    ]);
  });

  it('keeps a corridor’s places in order and totals flows per route', async () => {
    const port = (await store.repos.sites.getByCode('KE-PORT'))!.id;
    const mine = (await store.repos.sites.getByCode('KE-MINE'))!.id;
    await store.repos.corridors.save({ id: 'corr0000001', code: 'C1', name: 'Test corridor', description: null, illustrative: true }, [port, mine, uganda]);
    const places = await store.repos.corridors.places(['corr0000001']);
    expect(places.map((p) => p.code)).toEqual(['KE-PORT', 'KE-MINE', 'UGA']);
    expect(places[0]).toMatchObject({ latitude: -4.06, longitude: 39.65 });
    const flow = {
      periodStart: '2024-01-01',
      periodEnd: '2024-03-31',
      sex: 'all' as const,
      ageBand: 'all',
      nationality: 'all',
      reason: 'transport' as const,
      illustrative: true,
      source: 'test',
    };
    await store.repos.flows.insertMany([
      { ...flow, id: 'flow0000001', fromId: port, toId: mine, corridorId: 'corr0000001', count: 100 },
      { ...flow, id: 'flow0000002', fromId: port, toId: mine, corridorId: 'corr0000001', count: 50, periodStart: '2024-04-01', periodEnd: '2024-06-30' },
      { ...flow, id: 'flow0000003', fromId: mine, toId: port, corridorId: null, count: 7 },
    ]);
    const totals = await store.repos.flows.routeTotals({});
    expect(totals.map((t) => [t.from, t.to, Number(t.count)])).toEqual([
      ['KE-PORT', 'KE-MINE', 150],
      ['KE-MINE', 'KE-PORT', 7],
    ]);
    expect((await store.repos.flows.list({ periodStart: '2024-04-01', limit: 10, offset: 0 })).items.map((f) => f.count)).toEqual([50]);
    expect(await store.repos.sites.references(port)).toEqual({ corridors: [{ id: 'corr0000001', code: 'C1', name: 'Test corridor' }], flows: 3 });
  });

  it('keeps one policy per country and restriction type, and projects with their countries and sites', async () => {
    const policy = {
      restriction: 'entry_ban' as const,
      status: 'none' as const,
      citation: 'UNAIDS 2019',
      lastVerified: '2019-06-27',
      country: 'KEN',
      illustrative: false,
    };
    await store.repos.policies.save('pol00000001', kenya, policy);
    await expect(
      store.db.query(
        `INSERT INTO policies (id, country_id, restriction, status, citation, last_verified) VALUES ('pol00000002', $1, 'entry_ban', 'none', 'x', '2020-01-01')`,
        [kenya],
      ),
    ).rejects.toThrow();
    expect(await store.repos.policies.find(kenya, 'entry_ban')).toMatchObject({
      country: 'KEN',
      countryName: 'Kenya',
      lastVerified: '2019-06-27',
      effectiveDate: null,
    });
    const port = (await store.repos.sites.getByCode('KE-PORT'))!.id;
    await store.repos.projects.save(
      'proj0000001',
      {
        code: 'P1',
        title: 'Safe passage',
        status: 'active',
        startDate: '2024-01-01',
        countries: ['KEN', 'UGA'],
        sites: ['KE-PORT'],
        donors: [{ name: 'A', amountUsd: 1000 }],
        objectives: ['research_information'],
        beneficiaryGroups: [],
        sectors: [],
        targets: [],
        illustrative: true,
      },
      [kenya, uganda],
      [port],
    );
    expect(await store.repos.projects.getByCode('P1')).toMatchObject({
      countries: ['KEN', 'UGA'],
      sites: ['KE-PORT'],
      donors: [{ name: 'A', amountUsd: 1000 }],
      endDate: null,
    });
    expect((await store.repos.projects.list({ countryId: uganda, limit: 10, offset: 0 })).total).toBe(1);
  });
});
