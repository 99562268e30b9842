import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_COC, DEFAULT_COMBO } from '../../src/domain/monitoring.js';
import { SYSTEM } from '../../src/domain/access.js';
import { DataValueService } from '../../src/monitoring/data-value.service.js';
import { Store, type SqlClient } from '../../src/store/index.js';
import type { DataValueWrite } from '../../src/store/data-value.repository.js';
import { ENGINES, freshStore } from '../support/databases.js';

describe.each(ENGINES)('monitoring repositories [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ store, drop } = await freshStore(engine));
    await store.repos.places.upsert({ id: 'RootUnit001', code: 'ROOT', name: 'Root', level: 'country', parentId: null, geometry: null });
    await store.repos.places.upsert({ id: 'ChildUnit01', code: null, name: 'Child', level: 'admin1', parentId: 'RootUnit001', geometry: null });
    await store.repos.metadata.upsertDataElements([
      { id: 'DataElem001', code: 'DE1', name: 'DE 1', shortName: null, valueType: 'NUMBER', aggregationType: 'SUM', comboId: DEFAULT_COMBO },
    ]);
  });
  afterEach(async () => drop());

  const value = (ou: string, v: string): DataValueWrite => ({
    de: 'DataElem001',
    pe: '202401',
    ou,
    coc: DEFAULT_COC,
    aoc: DEFAULT_COC,
    periodType: 'Monthly',
    startDate: '2024-01-01',
    endDate: '2024-01-31',
    value: v,
    storedBy: 'tester',
    created: null,
    lastUpdated: null,
    comment: null,
    followup: false,
    deleted: false,
  });

  it('seeds the DHIS2 default combo and option combo', async () => {
    expect((await store.repos.metadata.categoryCombos()).map((c) => c.id)).toContain(DEFAULT_COMBO);
    expect((await store.repos.metadata.categoryOptionCombos()).find((c) => c.id === DEFAULT_COC)).toMatchObject({
      comboId: DEFAULT_COMBO,
      options: ['xYerKDKCefk'],
    });
  });

  it('keeps ordered category options and combo categories', async () => {
    const m = store.repos.metadata;
    await m.upsertCategoryOptions(['OptionMale1', 'OptionFema1'].map((id) => ({ id, code: null, name: id, shortName: null })));
    await m.upsertCategories([{ id: 'CategorySex', code: null, name: 'Sex', dataDimensionType: 'DISAGGREGATION', options: ['OptionMale1', 'OptionFema1'] }]);
    await m.upsertCategoryCombos([{ id: 'ComboSex001', code: null, name: 'Sex', dataDimensionType: 'DISAGGREGATION', categories: ['CategorySex'] }]);
    expect((await m.categories()).find((c) => c.id === 'CategorySex')!.options).toEqual(['OptionMale1', 'OptionFema1']);
    await m.upsertCategories([{ id: 'CategorySex', code: null, name: 'Sex', dataDimensionType: 'DISAGGREGATION', options: ['OptionFema1', 'OptionMale1'] }]);
    expect((await m.categories()).find((c) => c.id === 'CategorySex')!.options).toEqual(['OptionFema1', 'OptionMale1']);
    expect(await m.existingIds('categoryCombos', ['ComboSex001', 'NoSuchCombo'])).toEqual(new Set(['ComboSex001']));
  });

  it('writes 1,000 values in batches, finds them by key, and lists them by scope and subtree', async () => {
    // Unique keys: one month per value (years from 1950), alternating between two places.
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      ...value(i % 2 ? 'ChildUnit01' : 'RootUnit001', String(i)),
      pe: `${1950 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`,
    }));
    await store.transaction(async (repos) => repos.dataValues.write(rows));
    expect(await store.repos.dataValues.existing(rows.slice(0, 10))).toHaveLength(10);
    const all = await store.repos.dataValues.list({ withinPaths: null, includeDeleted: false, limit: 10_000 });
    expect(all).toHaveLength(1000);
    const child = await store.repos.dataValues.list({ withinPaths: ['/RootUnit001/ChildUnit01/'], includeDeleted: false, limit: 10_000 });
    expect(child).toHaveLength(500);
    const subtree = await store.repos.dataValues.list({ placeIds: ['RootUnit001'], children: true, withinPaths: null, includeDeleted: false, limit: 10_000 });
    expect(subtree).toHaveLength(1000);
    const only = await store.repos.dataValues.list({ placeIds: ['RootUnit001'], withinPaths: null, includeDeleted: false, limit: 10_000 });
    expect(only).toHaveLength(500);
  });

  it('updates in place, keeps created, soft-deletes, and audits', async () => {
    await store.repos.dataValues.write([value('ChildUnit01', '1')]);
    const [first] = await store.repos.dataValues.existing([value('ChildUnit01', '')]);
    await store.repos.dataValues.write([{ ...value('ChildUnit01', '2'), comment: 'fixed' }]);
    const [second] = await store.repos.dataValues.existing([value('ChildUnit01', '')]);
    expect(second).toMatchObject({ value: '2', comment: 'fixed', created: first!.created, deleted: false });
    await store.repos.dataValues.write([{ ...value('ChildUnit01', '2'), deleted: true }]);
    expect(await store.repos.dataValues.list({ withinPaths: null, includeDeleted: false, limit: 10 })).toEqual([]);
    expect(await store.repos.dataValues.list({ withinPaths: null, includeDeleted: true, limit: 10 })).toHaveLength(1);
    await store.repos.dataValues.appendAudit([
      {
        de: 'DataElem001',
        pe: '202401',
        ou: 'ChildUnit01',
        coc: DEFAULT_COC,
        aoc: DEFAULT_COC,
        action: 'update',
        before: { value: '1' },
        after: { value: '2' },
        actor: 'tester',
      },
    ]);
    expect((await store.repos.dataValues.audit(1))[0]).toMatchObject({ action: 'update', before: { value: '1' }, after: { value: '2' }, actor: 'tester' });
  });

  it('resolves org units by id, code and name', async () => {
    expect((await store.repos.dataValues.orgUnits('CODE', ['ROOT']))[0]).toMatchObject({ id: 'RootUnit001', path: '/RootUnit001/' });
    expect((await store.repos.dataValues.orgUnits('NAME', ['Child']))[0]).toMatchObject({ id: 'ChildUnit01' });
    expect(await store.repos.dataValues.orgUnits('UID', ['Nothing0001'])).toEqual([]);
  });
});

/** The store's SQL client, counting the statements sent through it (and through its transactions). */
function counting(db: SqlClient): { client: SqlClient; statements: () => number } {
  let n = 0;
  const wrap = (c: SqlClient): SqlClient => ({
    dialect: c.dialect,
    query: <T>(sql: string, params?: unknown[]) => (n++, c.query<T>(sql, params)),
    exec: (sql) => (n++, c.exec(sql)),
    ...(c.copyFrom ? { copyFrom: (sql: string, data: string) => (n++, c.copyFrom!(sql, data)) } : {}),
    transaction: (fn) => c.transaction((tx) => fn(wrap(tx))),
    close: () => c.close(),
  });
  return { client: wrap(db), statements: () => n };
}

describe.each(ENGINES)('DHIS2 data value import at scale [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  const elements = Array.from({ length: 20 }, (_, i) => `DataElem${String(i).padStart(3, '0')}`);
  const places = ['RootUnit001', 'ChildUnit01'];
  beforeEach(async () => {
    ({ store, drop } = await freshStore(engine));
    await store.repos.places.upsert({ id: 'RootUnit001', code: 'ROOT', name: 'Root', level: 'country', parentId: null, geometry: null });
    await store.repos.places.upsert({ id: 'ChildUnit01', code: null, name: 'Child', level: 'admin1', parentId: 'RootUnit001', geometry: null });
    await store.repos.metadata.upsertDataElements(
      elements.map((id) => ({ id, code: null, name: id, shortName: null, valueType: 'NUMBER', aggregationType: 'SUM', comboId: DEFAULT_COMBO })),
    );
  });
  afterEach(async () => drop());

  /** `n` distinct values (n ≤ 40,000): 20 elements × 2 places × months from 1950. */
  const values = (n: number, value = (i: number) => String(i)) =>
    Array.from({ length: n }, (_, i) => {
      const m = Math.floor(i / 40);
      return {
        dataElement: elements[i % 20]!,
        orgUnit: places[Math.floor(i / 20) % 2]!,
        period: `${1950 + Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`,
        value: value(i),
      };
    });
  const opts = { dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', idScheme: 'UID' } as const;

  it('sends a number of statements that grows linearly with the values, and reports progress at most every 1%', async () => {
    const sent = async (n: number) => {
      const { store: fresh, drop: dropFresh } = await freshStore(engine);
      try {
        await fresh.repos.places.upsert({ id: 'RootUnit001', code: 'ROOT', name: 'Root', level: 'country', parentId: null, geometry: null });
        await fresh.repos.places.upsert({ id: 'ChildUnit01', code: null, name: 'Child', level: 'admin1', parentId: 'RootUnit001', geometry: null });
        await fresh.repos.metadata.upsertDataElements(
          elements.map((id) => ({ id, code: null, name: id, shortName: null, valueType: 'NUMBER', aggregationType: 'SUM', comboId: DEFAULT_COMBO })),
        );
        const c = counting(fresh.db);
        const calls: [number, number][] = [];
        const summary = await new DataValueService(new Store(c.client)).import(SYSTEM, { dataValues: values(n) }, opts, (done, total) =>
          calls.push([done, total]),
        );
        expect(summary.importCount).toEqual({ imported: n, updated: 0, ignored: 0, deleted: 0 });
        expect(calls.length).toBeLessThanOrEqual(101);
        expect(calls.at(-1)).toEqual([n, n]);
        expect(calls.every(([d], k) => k === 0 || d > calls[k - 1]![0])).toBe(true);
        return c.statements();
      } finally {
        await dropFresh();
      }
    };
    const small = await sent(10_000);
    const large = await sent(40_000);
    expect(large / 40_000).toBeLessThan(0.005); // a few statements per batch, never one per value
    expect(large).toBeLessThanOrEqual(4 * small);
  });

  it('imports 40,000 values over 100 stored ones: counts, audits and keeps every check of the table', async () => {
    const service = new DataValueService(store);
    expect((await service.import(SYSTEM, { dataValues: values(100) }, opts)).importCount).toMatchObject({ imported: 100 });
    // The first 100 again, odd ones changed; 39,900 new; the first 3 then deleted later in the same payload
    // (which replaces their earlier values, counted as ignored): 49 updated, 48 the same, 3 deleted.
    const next = values(40_000, (i) => (i < 100 && i % 2 ? `${i}.5` : String(i)));
    next.push(...values(3).map((v) => ({ ...v, value: '' })));
    const summary = await service.import(SYSTEM, { dataValues: next }, opts);
    expect(summary.importCount).toEqual({ imported: 39_900, updated: 49, ignored: 48 + 3, deleted: 3 });
    const audit = await store.repos.dataValues.audit(100_000);
    expect(audit).toHaveLength(100 + 39_900 + 49 + 3);
    expect(audit.filter((a) => a.action === 'update')[0]).toMatchObject({
      before: { value: expect.any(String) },
      after: { value: expect.stringMatching(/\.5$/) },
    });
    expect(audit.find((a) => a.action === 'delete')).toMatchObject({ after: null, before: { deleted: false } });
    // Foreign keys and indexes are back: an unknown place is refused; lookups by key still work.
    await expect(store.repos.dataValues.write([{ ...value('NoSuchPlace', '1'), de: 'DataElem000' }])).rejects.toThrow();
    expect(
      await store.repos.dataValues.existing(values(10).map((v) => ({ de: v.dataElement, pe: v.period, ou: v.orgUnit, coc: DEFAULT_COC, aoc: DEFAULT_COC }))),
    ).toHaveLength(10);
    // A conflict under ALL stores nothing, even at this size.
    const bad = values(30_000, (i) => String(i + 1));
    bad[29_999] = { ...bad[29_999]!, value: 'twelve' };
    expect((await service.import(SYSTEM, { dataValues: bad }, opts)).status).toBe('ERROR');
    expect(await store.repos.dataValues.audit(100_000)).toHaveLength(audit.length);
  });

  const value = (ou: string, v: string): DataValueWrite => ({
    de: 'DataElem001',
    pe: '202401',
    ou,
    coc: DEFAULT_COC,
    aoc: DEFAULT_COC,
    periodType: 'Monthly',
    startDate: '2024-01-01',
    endDate: '2024-01-31',
    value: v,
    storedBy: 'tester',
    created: null,
    lastUpdated: null,
    comment: null,
    followup: false,
    deleted: false,
  });
});
