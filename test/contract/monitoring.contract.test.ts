import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_COC, DEFAULT_COMBO } from '../../src/domain/monitoring.js';
import type { Store } from '../../src/store/index.js';
import type { DataValueWrite } from '../../src/store/data-value.repository.js';
import { ENGINES, freshStore } from '../support/databases.js';

describe.each(ENGINES)('monitoring repositories [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ store, drop } = await freshStore(engine));
    await store.repos.places.upsert({ id: 'RootUnit001', code: 'ROOT', name: 'Root', level: 'country', parentId: null, geometry: null });
    await store.repos.places.upsert({ id: 'ChildUnit01', code: null, name: 'Child', level: 'admin1', parentId: 'RootUnit001', geometry: null });
    await store.repos.metadata.upsertDataElements([{ id: 'DataElem001', code: 'DE1', name: 'DE 1', shortName: null, valueType: 'NUMBER', aggregationType: 'SUM', comboId: DEFAULT_COMBO }]);
  });
  afterEach(async () => drop());

  const value = (ou: string, v: string): DataValueWrite => ({
    de: 'DataElem001', pe: '202401', ou, coc: DEFAULT_COC, aoc: DEFAULT_COC, periodType: 'Monthly', startDate: '2024-01-01', endDate: '2024-01-31',
    value: v, storedBy: 'tester', created: null, lastUpdated: null, comment: null, followup: false, deleted: false,
  });

  it('seeds the DHIS2 default combo and option combo', async () => {
    expect((await store.repos.metadata.categoryCombos()).map((c) => c.id)).toContain(DEFAULT_COMBO);
    expect((await store.repos.metadata.categoryOptionCombos()).find((c) => c.id === DEFAULT_COC)).toMatchObject({ comboId: DEFAULT_COMBO, options: ['xYerKDKCefk'] });
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
    await store.repos.dataValues.appendAudit([{ de: 'DataElem001', pe: '202401', ou: 'ChildUnit01', coc: DEFAULT_COC, aoc: DEFAULT_COC, action: 'update', before: { value: '1' }, after: { value: '2' }, actor: 'tester' }]);
    expect((await store.repos.dataValues.audit(1))[0]).toMatchObject({ action: 'update', before: { value: '1' }, after: { value: '2' }, actor: 'tester' });
  });

  it('resolves org units by id, code and name', async () => {
    expect((await store.repos.dataValues.orgUnits('CODE', ['ROOT']))[0]).toMatchObject({ id: 'RootUnit001', path: '/RootUnit001/' });
    expect((await store.repos.dataValues.orgUnits('NAME', ['Child']))[0]).toMatchObject({ id: 'ChildUnit01' });
    expect(await store.repos.dataValues.orgUnits('UID', ['Nothing0001'])).toEqual([]);
  });
});
