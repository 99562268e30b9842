import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesFor } from '../../src/app.js';
import { SYSTEM } from '../../src/domain/access.js';
import { HIV_PREVALENCE } from '../../src/domain/place.js';
import { migrate, schemaVersion, Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { ENGINES, freshDatabase, freshStore } from '../support/databases.js';

const square = (lon: number, lat: number, size = 1) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ],
});

// The same suite, unchanged, on the embedded engine and on a real PostgreSQL server.
describe.each(ENGINES)('store contract [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ store, drop } = await freshStore(engine));
  }, 60_000);
  afterAll(async () => drop?.());

  it('reports its dialect', () => {
    expect(store.dialect).toBe(engine);
  });

  it('applies every migration once; running again applies none', async () => {
    expect(await schemaVersion(store.db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(await migrate(store.db)).toEqual([]);
  });

  it('creates a place with a DHIS2-style id and finds it by id and by code', async () => {
    const { place, before } = await store.repos.places.upsert({
      code: 'TST',
      name: 'Testland',
      level: 'country',
      parentId: null,
      iso2: 'TT',
      geometry: square(10, 10, 2),
    });
    expect(before).toBeNull();
    expect(place.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(place.bbox).toEqual([10, 10, 12, 12]);
    expect(await store.repos.places.findById(place.id)).toEqual(place);
    expect(await store.repos.places.findByCode('TST')).toEqual(place);
    expect(await store.repos.places.findById('nonexistent')).toBeNull();
  });

  it('updates a place matched by code, keeping its id and returning the old version', async () => {
    const original = (await store.repos.places.findByCode('TST'))!;
    const { place, before } = await store.repos.places.upsert({
      code: 'TST',
      name: 'Testland (renamed)',
      level: 'country',
      parentId: null,
      geometry: square(10, 10, 2),
    });
    expect(place.id).toBe(original.id);
    expect(place.name).toBe('Testland (renamed)');
    expect(before).toEqual(original);
  });

  it('keeps the hierarchy: children, subtree membership, and re-parenting moves the subtree', async () => {
    const country = (await store.repos.places.findByCode('TST'))!;
    const other = (await store.repos.places.upsert({ code: 'OTH', name: 'Otherland', level: 'country', parentId: null, geometry: null })).place;
    const region = (await store.repos.places.upsert({ code: 'TST-R1', name: 'Region One', level: 'admin1', parentId: country.id, geometry: square(10, 10) }))
      .place;
    const site = (
      await store.repos.places.upsert({
        code: 'TST-S1',
        name: 'Border post',
        level: 'site',
        parentId: region.id,
        geometry: { type: 'Point', coordinates: [10.5, 10.5] },
      })
    ).place;
    expect(await store.repos.places.isWithin(site.id, country.id)).toBe(true);
    expect(await store.repos.places.isWithin(site.id, other.id)).toBe(false);
    const children = await store.repos.places.list({ parentId: country.id, limit: 10, offset: 0 });
    expect(children.items.map((p) => p.code)).toEqual(['TST-R1']);

    await store.repos.places.upsert({ code: 'TST-R1', name: 'Region One', level: 'admin1', parentId: other.id, geometry: null });
    expect(await store.repos.places.isWithin(site.id, other.id)).toBe(true);
    expect(await store.repos.places.isWithin(site.id, country.id)).toBe(false);
  });

  it('filters by level, name (case-insensitive, wildcards literal) and bounding box, with totals', async () => {
    const byLevel = await store.repos.places.list({ level: 'country', limit: 1, offset: 0 });
    expect(byLevel.total).toBe(2);
    expect(byLevel.items).toHaveLength(1);
    const secondPage = await store.repos.places.list({ level: 'country', limit: 1, offset: 1 });
    expect(secondPage.items[0]!.code).not.toBe(byLevel.items[0]!.code);
    expect((await store.repos.places.list({ q: 'BORDER', limit: 10, offset: 0 })).items.map((p) => p.code)).toEqual(['TST-S1']);
    expect((await store.repos.places.list({ q: '%', limit: 10, offset: 0 })).total).toBe(0);
    const inBox = await store.repos.places.list({ bbox: [10.4, 10.4, 10.6, 10.6], limit: 10, offset: 0 });
    expect(inBox.items.map((p) => p.code).sort()).toEqual(['TST', 'TST-S1']);
    expect((await store.repos.places.list({ bbox: [-50, -50, -40, -40], limit: 10, offset: 0 })).total).toBe(0);
  });

  it('returns geometries only when asked for them', async () => {
    const { items } = await store.repos.places.listWithGeometry({ code: 'TST-S1', limit: 1, offset: 0 });
    expect(items[0]!.geometry).toEqual({ type: 'Point', coordinates: [10.5, 10.5] });
    expect(await store.repos.places.findGeometry(items[0]!.id)).toEqual({ type: 'Point', coordinates: [10.5, 10.5] });
  });

  it('refuses a second place with the same code and an orphan below country level', async () => {
    await expect(
      store.db.query(`INSERT INTO places (id, code, name, level, path) VALUES ('aaaaaaaaaaa', 'TST', 'Dup', 'country', '/aaaaaaaaaaa/')`),
    ).rejects.toThrow();
    await expect(
      store.db.query(`INSERT INTO places (id, code, name, level, path) VALUES ('bbbbbbbbbbb', 'ORPH', 'Orphan', 'admin1', '/bbbbbbbbbbb/')`),
    ).rejects.toThrow();
  });

  it('stores yearly statistics exactly and replaces them as a whole', async () => {
    const tst = (await store.repos.places.findByCode('TST'))!;
    const oth = (await store.repos.places.findByCode('OTH'))!;
    await store.repos.statistics.replaceIndicator(HIV_PREVALENCE, 'test', [
      { placeId: tst.id, year: 2000, value: 0.00573 },
      { placeId: tst.id, year: 2023, value: 12.3456789 },
      { placeId: oth.id, year: 2023, value: 1 },
    ]);
    const series = await store.repos.statistics.series(HIV_PREVALENCE, [tst.id]);
    expect(series.get(tst.id)).toEqual({ '2000': 0.00573, '2023': 12.3456789 });
    expect(series.has(oth.id)).toBe(false);
    await store.repos.statistics.replaceIndicator(HIV_PREVALENCE, 'test', [{ placeId: oth.id, year: 1990, value: 2 }]);
    const all = await store.repos.statistics.series(HIV_PREVALENCE);
    expect([...all.keys()]).toEqual([oth.id]);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      store.transaction(async (repos) => {
        await repos.places.upsert({ code: 'GONE', name: 'Never stored', level: 'country', parentId: null, geometry: null });
        await repos.audit.append([{ actor: 't', action: 'create', objectType: 'place', objectId: 'x' }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.repos.places.findByCode('GONE')).toBeNull();
    expect(await store.repos.audit.recent(10)).toEqual([]);
  });

  it('refuses (rather than hangs on) a query on the store from inside one of its transactions', async () => {
    const attempt = store.transaction(async () => store.repos.places.findByCode('TST'));
    if (engine === 'pglite') await expect(attempt).rejects.toThrow(/inside one of its transactions/);
    else await expect(attempt).resolves.toBeTruthy(); // a server has a pool of connections
  });

  it('appends audit entries with their before and after states', async () => {
    await store.repos.audit.append([
      { actor: 'alice', action: 'update', objectType: 'place', objectId: 'p1', before: { name: 'A' }, after: { name: 'B' } },
      { actor: 'alice', action: 'import', objectType: 'place', objectId: null, details: { created: 2 } },
    ]);
    const [last, first] = await store.repos.audit.recent(2);
    expect(last).toMatchObject({ actor: 'alice', action: 'import', objectId: null, details: { created: 2 } });
    expect(first).toMatchObject({ action: 'update', before: { name: 'A' }, after: { name: 'B' } });
    expect(first!.at).toBeInstanceOf(Date);
  });

  it('remembers which datasets it has loaded', async () => {
    expect(await store.repos.datasets.isLoaded('x')).toBe(false);
    await store.repos.datasets.markLoaded('x', 3);
    await store.repos.datasets.markLoaded('x', 4);
    expect(await store.repos.datasets.isLoaded('x')).toBe(true);
  });
});

describe.each(ENGINES)('bundled world [%s]', (engine) => {
  it('loads every country with ISO codes and UNAIDS prevalence once, atomically', async () => {
    const db = await freshDatabase(engine);
    try {
      await migrate(db.client);
      const store = new Store(db.client);
      const services = await servicesFor(store);
      const countries = await services.places.list(SYSTEM, { level: 'country', limit: 5000, offset: 0 });
      expect(countries.total).toBeGreaterThanOrEqual(170);
      const codes = countries.items.map((c) => c.code);
      for (const code of ['KEN', 'UGA', 'COD', 'TZA', 'RWA', 'BDI', 'SSD', 'ZAF']) expect(codes).toContain(code);
      expect(new Set(codes.filter(Boolean)).size).toBe(codes.filter(Boolean).length);
      const kenya = await services.places.get(SYSTEM, countries.items.find((c) => c.code === 'KEN')!.id);
      expect(kenya).toMatchObject({ name: 'Kenya', iso2: 'KE', level: 'country', parentId: null });
      // UNAIDS 2024 estimate for Kenya, adults 15-49 (bundled OWID export).
      expect(kenya.hivPrevalence['2023']).toBeCloseTo(3.7, 0);
      expect(Object.keys(kenya.hivPrevalence)).toHaveLength(34);
      // Ashmore and Cartier Is. share Australia's code; Australia keeps its mainland.
      const aus = countries.items.find((c) => c.code === 'AUS')!;
      const [minLon, , maxLon] = aus.bbox!;
      expect(maxLon! - minLon!).toBeGreaterThan(30);
      // A second start loads nothing again.
      const again = await servicesFor(store);
      expect((await again.places.list(SYSTEM, { level: 'country', limit: 5000, offset: 0 })).total).toBe(countries.total);
    } finally {
      await db.drop();
    }
  }, 120_000);
});
