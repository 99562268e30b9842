import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../paths.js';
import { mulberry32 } from './demo-data.js';
import { parseExpression, references } from './expression.js';
import { generatedCocUid } from './metadata.service.js';
import { readStandardSet, STANDARD } from './standard-set.js';

const json = (...parts: string[]) => JSON.parse(readFileSync(path.join(DATA_DIR, ...parts), 'utf8')) as unknown;
const set = readStandardSet();
const taxonomy = json('registry', 'taxonomy.json') as { categories: { code: string; options: { code: string }[] }[]; groups: { code: string }[] };
/** WHO SMART HIV indicators: rows of [id, code, name, …]. */
const who = new Map((json('indicators', 'who_smart_hiv_indicators.json') as string[][]).map((r) => [r[1]!, r]));

describe('the standard M&E set file', () => {
  it('uses the taxonomy codes for migrant status and population group, and the WHO age bands', () => {
    const options = new Map((set.categoryOptions ?? []).map((o) => [o.id, o]));
    const codes = (id: string) => set.categories!.find((c) => c.id === id)!.categoryOptions.map((o) => options.get(o.id)!.code);
    expect(codes(STANDARD.categories.migrantStatus)).toEqual(taxonomy.categories.find((c) => c.code === 'migrant_status')!.options.map((o) => o.code));
    expect(codes(STANDARD.categories.group)).toEqual(taxonomy.groups.map((g) => g.code));
    expect(set.categories!.find((c) => c.id === STANDARD.categories.age)!.categoryOptions.map((o) => options.get(o.id)!.name)).toEqual([
      '15-19',
      '20-24',
      '25-49',
      '50+',
    ]);
    expect(set.categoryCombos!.find((c) => c.id === STANDARD.combo)!.categories.map((c) => c.id)).toEqual([
      STANDARD.categories.sex,
      STANDARD.categories.age,
      STANDARD.categories.migrantStatus,
      STANDARD.categories.group,
    ]);
    expect(set.categoryOptionCombos).toBeUndefined(); // generated on import
  });

  it('gives WHO codes that exist in the WHO indicator list, and cites the 2022 guidelines', () => {
    for (const i of set.indicators!) {
      expect(i.description, i.name).toBeTruthy();
      if (i.code!.startsWith('CRD.')) continue;
      expect(who.has(i.code!), i.code).toBe(true);
      expect(i.source).toMatch(/person-centred HIV strategic information.*2022/);
    }
    expect(who.get('PRV.17')![3]).toMatch(/condoms with a non-regular partner/);
    expect(who.get('HTS.2')![2]).toMatch(/positivity/);
    expect(set.indicators!.filter((i) => !i.code!.startsWith('CRD.'))).toHaveLength(8);
    expect((set as { about?: string }).about).toMatch(/WHO, Consolidated guidelines on person-centred HIV strategic information.*2022/);
  });

  it('has expressions that parse and name data elements of the set, and data sets holding every element', () => {
    const elements = new Set(set.dataElements!.map((d) => d.id));
    const refs = [
      ...set.indicators!.flatMap((i) => [i.numerator, i.denominator]),
      ...set.validationRules!.flatMap((r) => [r.leftSide.expression, r.rightSide.expression]),
    ].flatMap((e) => references(parseExpression(e)));
    for (const r of refs) expect(elements.has(r.de), r.de).toBe(true);
    const inSets = set.dataSets!.flatMap((s) => s.dataSetElements!.map((e) => e.dataElement.id));
    expect(inSets.sort()).toEqual([...elements].sort());
    for (const d of set.dataElements!) expect(d.description, d.name).toBeTruthy();
  });
});

describe('generated option combo ids', () => {
  it('are DHIS2 UIDs that depend on the combo and the set of options, not their order', () => {
    const a = generatedCocUid('ComboSexAge', ['OptMale0001', 'OptAgeC0001']);
    expect(a).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(generatedCocUid('ComboSexAge', ['OptAgeC0001', 'OptMale0001'])).toBe(a);
    expect(generatedCocUid('OtherCombo1', ['OptMale0001', 'OptAgeC0001'])).not.toBe(a);
  });
});

describe('the demo PRNG', () => {
  it('repeats for a seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const x of draw(7)) expect(x >= 0 && x < 1).toBe(true);
  });
});
