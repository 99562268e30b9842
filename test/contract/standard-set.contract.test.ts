import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/domain/access.js';
import { AppError } from '../../src/domain/errors.js';
import { DEFAULT_COC, type Metadata } from '../../src/domain/monitoring.js';
import { MetadataService } from '../../src/monitoring/metadata.service.js';
import { ensureStandardSet, readStandardSet, STANDARD, STANDARD_SET } from '../../src/monitoring/standard-set.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES, freshStore } from '../support/databases.js';

/** A 2 × 3 combo: sex × three age bands. */
const small: Metadata = {
  categoryOptions: [
    { id: 'OptFemale01', name: 'Female' },
    { id: 'OptMale0001', name: 'Male' },
    { id: 'OptAgeA0001', name: '15-24' },
    { id: 'OptAgeB0001', name: '25-49' },
    { id: 'OptAgeC0001', name: '50+' },
  ],
  categories: [
    { id: 'CatSex00001', name: 'Sex', categoryOptions: [{ id: 'OptFemale01' }, { id: 'OptMale0001' }] },
    { id: 'CatAge00001', name: 'Age', categoryOptions: [{ id: 'OptAgeA0001' }, { id: 'OptAgeB0001' }, { id: 'OptAgeC0001' }] },
  ],
  categoryCombos: [{ id: 'ComboSexAge', name: 'Sex and age', categories: [{ id: 'CatSex00001' }, { id: 'CatAge00001' }] }],
};

/** What an import failure says, or the report. */
async function importing(metadata: MetadataService, md: Metadata) {
  try {
    return await metadata.import(SYSTEM, md);
  } catch (e) {
    if (e instanceof AppError) return { error: e.message, issues: e.details as { field: string; message: string }[] };
    throw e;
  }
}

describe.each(ENGINES)('standard M&E set and generated option combos [%s]', (engine) => {
  let store: Store;
  let drop: () => Promise<void>;
  let metadata: MetadataService;
  beforeEach(async () => {
    ({ store, drop } = await freshStore(engine));
    metadata = new MetadataService(store);
  });
  afterEach(async () => drop());

  it('generates one option combo per combination, named in category order, with ids stable across imports', async () => {
    const first = await metadata.import(SYSTEM, small);
    expect(first.typeReports.find((t) => t.klass === 'CategoryOptionCombo')).toEqual({
      klass: 'CategoryOptionCombo',
      stats: { created: 6, updated: 0, deleted: 0 },
    });
    const combo = (await store.repos.metadata.comboStructure('ComboSexAge'))!;
    expect(combo.categories.map((c) => c.options.map((o) => o.name))).toEqual([
      ['Female', 'Male'],
      ['15-24', '25-49', '50+'],
    ]);
    expect(combo.cocs.map((c) => c.name).sort()).toEqual(['Female, 15-24', 'Female, 25-49', 'Female, 50+', 'Male, 15-24', 'Male, 25-49', 'Male, 50+']);
    expect(combo.cocs.find((c) => c.name === 'Male, 50+')!.options).toEqual(['OptMale0001', 'OptAgeC0001']);
    for (const c of combo.cocs) expect(c.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    const ids = combo.cocs.map((c) => c.id).sort();

    const again = await metadata.import(SYSTEM, small);
    expect(again.typeReports.find((t) => t.klass === 'CategoryOptionCombo')).toBeUndefined();
    expect((await store.repos.metadata.comboStructure('ComboSexAge'))!.cocs.map((c) => c.id).sort()).toEqual(ids);
    // Another store derives the same ids (they hash the combo and its options).
    const other = await freshStore('pglite');
    try {
      await new MetadataService(other.store).import(SYSTEM, small);
      expect((await other.store.repos.metadata.comboStructure('ComboSexAge'))!.cocs.map((c) => c.id).sort()).toEqual(ids);
    } finally {
      await other.drop();
    }
  });

  it('keeps an option combo the payload gives for a combination, and generates only the others', async () => {
    const report = await metadata.import(SYSTEM, {
      ...small,
      categoryOptionCombos: [
        {
          id: 'GivenCoc001',
          name: 'F young',
          code: 'F_YOUNG',
          categoryCombo: { id: 'ComboSexAge' },
          categoryOptions: [{ id: 'OptAgeA0001' }, { id: 'OptFemale01' }],
        },
      ],
    });
    expect(report.typeReports.find((t) => t.klass === 'CategoryOptionCombo')!.stats).toEqual({ created: 6, updated: 0, deleted: 0 });
    const cocs = (await store.repos.metadata.comboStructure('ComboSexAge'))!.cocs;
    expect(cocs).toHaveLength(6);
    expect(cocs.find((c) => c.id === 'GivenCoc001')).toMatchObject({ name: 'F young', options: ['OptFemale01', 'OptAgeA0001'] });
  });

  it('removes option combos that no longer fit the combo, unless data refers to them', async () => {
    await metadata.import(SYSTEM, small);
    const cocs = (await store.repos.metadata.comboStructure('ComboSexAge'))!.cocs;
    const old = cocs.find((c) => c.name === 'Male, 50+')!.id;
    const unused = cocs.find((c) => c.name === 'Female, 50+')!.id;
    await store.repos.places.upsert({ id: 'SomePlace01', code: null, name: 'Somewhere', level: 'country', parentId: null, geometry: null });
    await metadata.import(SYSTEM, { dataElements: [{ id: 'SomeElem001', name: 'Tests', valueType: 'NUMBER', categoryCombo: { id: 'ComboSexAge' } }] });
    await store.repos.dataValues.write([
      {
        de: 'SomeElem001',
        pe: '2024Q1',
        ou: 'SomePlace01',
        coc: old,
        aoc: DEFAULT_COC,
        periodType: 'Quarterly',
        startDate: '2024-01-01',
        endDate: '2024-03-31',
        value: '3',
        storedBy: 'test',
        created: null,
        lastUpdated: null,
        comment: null,
        followup: false,
        deleted: false,
      },
    ]);
    // The age category loses its 50+ band.
    const report = await metadata.import(SYSTEM, {
      categories: [{ id: 'CatAge00001', name: 'Age', categoryOptions: [{ id: 'OptAgeA0001' }, { id: 'OptAgeB0001' }] }],
    });
    expect(report.typeReports.find((t) => t.klass === 'CategoryOptionCombo')!.stats).toEqual({ created: 0, updated: 0, deleted: 1 });
    const after = (await store.repos.metadata.comboStructure('ComboSexAge'))!.cocs.map((c) => c.id);
    expect(after).toContain(old);
    expect(after).not.toContain(unused);
    expect(after).toHaveLength(5);
  });

  it('refuses a combo of more than 20,000 combinations, naming it, and stores nothing', async () => {
    const options = Array.from({ length: 150 }, (_, i) => ({ id: `BigOpt${String(i).padStart(5, '0')}`, name: `Option ${i}` }));
    const res = await importing(metadata, {
      categoryOptions: options,
      categories: [
        { id: 'BigCat00001', name: 'A', categoryOptions: options.map((o) => ({ id: o.id })) },
        { id: 'BigCat00002', name: 'B', categoryOptions: options.map((o) => ({ id: o.id })).reverse() },
      ],
      categoryCombos: [{ id: 'BigCombo001', name: 'Too big', categories: [{ id: 'BigCat00001' }, { id: 'BigCat00002' }] }],
    });
    expect(res).toHaveProperty('error');
    expect((res as { error: string }).error).toMatch(/categoryCombos\[0\]\.categories.*"Too big".*22,500/);
    expect(await store.repos.metadata.existingIds('categoryOptions', ['BigOpt00000'])).toEqual(new Set());
  });

  it('imports validation rules and data set attribute combos, checking their references', async () => {
    await metadata.import(SYSTEM, small);
    const base: Metadata = {
      dataElements: [
        { id: 'RuleElem001', name: 'Tested', valueType: 'NUMBER', categoryCombo: { id: 'ComboSexAge' } },
        { id: 'RuleElem002', name: 'Positive', valueType: 'NUMBER', categoryCombo: { id: 'ComboSexAge' } },
      ],
      validationRules: [
        {
          id: 'RuleTest001',
          name: 'Positive ≤ tested',
          leftSide: { expression: '#{RuleElem002}', missingValueStrategy: 'NEVER_SKIP' },
          operator: 'less_than_or_equal_to',
          rightSide: { expression: '#{RuleElem001.*} * 1', missingValueStrategy: 'NEVER_SKIP' },
          periodType: 'Quarterly',
        },
      ],
    };
    await metadata.import(SYSTEM, base);
    expect(await store.repos.metadata.validationRules()).toEqual([
      {
        id: 'RuleTest001',
        code: null,
        name: 'Positive ≤ tested',
        description: null,
        leftExpression: '#{RuleElem002}',
        operator: 'less_than_or_equal_to',
        rightExpression: '#{RuleElem001.*} * 1',
        importance: 'MEDIUM',
        periodType: 'Quarterly',
        missingValueStrategy: 'NEVER_SKIP',
      },
    ]);

    const bad = await importing(metadata, {
      validationRules: [
        { ...base.validationRules![0]!, id: 'RuleTest002', leftSide: { expression: '#{NoElement01} + #{RuleElem001.NoSuchCoc01}' } },
        { ...base.validationRules![0]!, id: 'RuleTest003', rightSide: { expression: '#{RuleElem001' }, periodType: 'Fortnightly' },
      ],
      dataSets: [{ id: 'SetAttrib01', name: 'S', periodType: 'Quarterly', categoryCombo: { id: 'ComboSexAge' } }],
    });
    const fields = (bad as { issues: { field: string }[] }).issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'validationRules[0].leftSide.expression',
        'validationRules[1].rightSide.expression',
        'validationRules[1].periodType',
        'dataSets[0].categoryCombo.id',
      ]),
    );
    expect((bad as { issues: { field: string; message: string }[] }).issues.filter((i) => i.field === 'validationRules[0].leftSide.expression')).toHaveLength(
      2,
    );
    expect(await store.repos.metadata.existingIds('validationRules', ['RuleTest002', 'RuleTest003'])).toEqual(new Set());
  });

  it('loads the standard set once: WHO-coded indicators, a 2 × 4 × 8 × 16 combo of 1,024 option combos, rules and two data sets', async () => {
    const report = await ensureStandardSet(store, metadata);
    expect(report).not.toBeNull();
    expect(report!.typeReports.find((t) => t.klass === 'CategoryOptionCombo')!.stats.created).toBe(1024);
    expect(await store.repos.datasets.isLoaded(STANDARD_SET)).toBe(true);

    const indicators = await store.repos.metadata.indicators();
    const who = indicators
      .map((i) => i.code!)
      .filter((c) => /^(HTS|ART|PRV)\.\d+$/.test(c))
      .sort();
    expect(who).toEqual(['ART.1', 'ART.3', 'HTS.1', 'HTS.2', 'HTS.4', 'PRV.1', 'PRV.17', 'PRV.2']);
    expect(indicators.map((i) => i.code)).toEqual(expect.arrayContaining(['CRD.REACH', 'CRD.IBBS.TESTED12M', 'CRD.IBBS.MULTIPARTNER']));
    expect(indicators.find((i) => i.code === 'HTS.1')).toMatchObject({ numerator: '#{CrdDeKnowSt}', denominator: '#{CrdDePlhivE}', factor: 100 });
    for (const i of indicators) expect(i.source, i.code!).toMatch(/WHO|Corridor/);

    const combo = (await store.repos.metadata.comboStructure(STANDARD.combo))!;
    expect(combo.categories.map((c) => c.options.length)).toEqual([2, 4, 8, 16]);
    expect(combo.cocs).toHaveLength(1024);
    expect(new Set(combo.cocs.map((c) => c.options.join(','))).size).toBe(1024);
    expect(combo.cocs.map((c) => c.name)).toContain('Female, 15-19, Internal migrant, Truck drivers');

    const quarterly = (await store.repos.metadata.dataSet(STANDARD.quarterly))!;
    expect(quarterly).toMatchObject({ periodType: 'Quarterly', comboId: 'bjDvmb4bfuf', timelyDays: 30 });
    expect(quarterly.elements).toHaveLength(12);
    expect((await store.repos.metadata.dataSet('CRD_IBBS'))!).toMatchObject({ id: STANDARD.ibbs, periodType: 'Yearly' });
    expect((await store.repos.metadata.validationRules()).length).toBeGreaterThanOrEqual(8);

    // Loading again (the marker) changes nothing; importing the file again neither (same ids, no new combos).
    const count = async () => ({
      cocs: (await store.repos.metadata.categoryOptionCombos()).length,
      elements: (await store.repos.metadata.dataElements()).length,
      indicators: (await store.repos.metadata.indicators()).length,
      rules: (await store.repos.metadata.validationRules()).length,
      sets: (await store.repos.metadata.dataSets()).length,
    });
    const before = await count();
    expect(await ensureStandardSet(store, metadata)).toBeNull();
    const again = await metadata.import(SYSTEM, readStandardSet());
    expect(again.stats).toMatchObject({ created: 0, deleted: 0 });
    expect(await count()).toEqual(before);
    expect((await store.repos.metadata.comboStructure(STANDARD.combo))!.cocs.map((c) => c.id)).toEqual(combo.cocs.map((c) => c.id));
  });
});
