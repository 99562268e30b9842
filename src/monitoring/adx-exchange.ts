import { DEFAULT_COMBO, type Conflict, type DataValueInput, type DataValueOut, type DataValueSetInput } from '../domain/monitoring.js';
import type { AdxDocument, AdxGroupInput } from './interop/adx.js';

/**
 * ADX (IHE QRPH ADX, urn:ihe:qrph:adx:2015) expresses a disaggregation as one attribute per
 * category, `CATEGORY_CODE="OPTION_CODE"`, where DHIS2 JSON, CSV and XML name the category
 * option combo. This module maps between the two through the category combos' structure:
 * pure functions over metadata the service loads.
 */

export interface ComboView {
  id: string;
  categories: { id: string; code: string | null; name: string; options: { id: string; code: string | null; name: string }[] }[];
  cocs: { id: string; name: string; options: string[] }[];
}

/** What the mapping needs to know of the metadata. */
export interface AdxMetadata {
  /** A data element by id or code. */
  element(key: string): { id: string; comboId: string } | undefined;
  /** A data set by id or code. */
  dataSet(key: string): { id: string; comboId: string } | undefined;
  combo(id: string): ComboView | undefined;
  /** A place's id, by id or code. */
  orgUnit(key: string): string | undefined;
}

const comboKey = (optionIds: string[]) => [...optionIds].sort().join('|');

/** The category option combo of a combo that these `category="option"` attributes name, or why none does. */
export function cocFor(combo: ComboView, attrs: Record<string, string>): { id: string } | { error: string } {
  if (combo.id === DEFAULT_COMBO && Object.keys(attrs).length === 0) return { id: combo.cocs[0]!.id };
  const used = new Set<string>();
  const optionIds: string[] = [];
  for (const c of combo.categories) {
    const attr = [c.code, c.id].find((k): k is string => k !== null && k in attrs);
    if (!attr) return { error: `category ${c.code ?? c.id} (${c.name}) is missing` };
    used.add(attr);
    const option = c.options.find((o) => o.code === attrs[attr] || o.id === attrs[attr]);
    if (!option) return { error: `category ${attr} has no option "${attrs[attr]}"` };
    optionIds.push(option.id);
  }
  const extra = Object.keys(attrs).filter((k) => !used.has(k));
  if (extra.length > 0) return { error: `${extra.join(', ')} ${extra.length > 1 ? 'are not categories' : 'is not a category'} of this combo` };
  const coc = combo.cocs.find((x) => comboKey(x.options) === comboKey(optionIds));
  return coc ? { id: coc.id } : { error: 'no category option combo has these options' };
}

/**
 * The dataValueSet an ADX document stands for, with data elements, data sets and combos
 * resolved to UIDs (each may be given by code or UID). Values whose disaggregation cannot be
 * resolved come back in `known` (by value index) for the import to report; `lines` maps each
 * value to its line in the document.
 */
export function adxToDataValueSet(doc: AdxDocument, md: AdxMetadata): { set: DataValueSetInput; known: Map<number, Conflict>; lines: number[] } {
  const dataValues: DataValueInput[] = [];
  const known = new Map<number, Conflict>();
  const lines: number[] = [];
  for (const g of doc.groups) {
    const ds = md.dataSet(g.dataSet);
    const aocCombo = md.combo(ds?.comboId ?? DEFAULT_COMBO);
    const aoc = aocCombo ? cocFor(aocCombo, g.attributes) : { error: 'unknown attribute combo' };
    for (const v of g.dataValues) {
      const i = dataValues.length;
      lines.push(v.line);
      const de = md.element(v.dataElement);
      const combo = de ? md.combo(de.comboId) : undefined;
      const coc = combo ? cocFor(combo, v.categories) : undefined;
      dataValues.push({
        dataElement: de?.id ?? v.dataElement,
        period: g.period,
        orgUnit: md.orgUnit(g.orgUnit) ?? g.orgUnit,
        ...(coc && 'id' in coc ? { categoryOptionCombo: coc.id } : {}),
        ...('id' in aoc ? { attributeOptionCombo: aoc.id } : {}),
        value: v.value,
        ...(v.comment !== undefined ? { comment: v.comment } : {}),
      });
      if (!ds) known.set(i, { object: g.dataSet, value: g.dataSet, property: 'dataSet', message: `no data set has id or code "${g.dataSet}"` });
      else if ('error' in aoc)
        known.set(i, { object: g.dataSet, value: JSON.stringify(g.attributes), property: 'attributeOptionCombo', message: `group attributes: ${aoc.error}` });
      else if (coc && 'error' in coc)
        known.set(i, {
          object: v.dataElement,
          value: JSON.stringify(v.categories),
          property: 'categoryOptionCombo',
          message: `disaggregation of "${v.dataElement}": ${coc.error}`,
        });
    }
  }
  return { set: { dataValues }, known, lines };
}

/** ADX groups (one per data set, place, period and attribute option combo) for exported values. */
export function dataValuesToAdx(
  dataSet: { id: string; code: string | null; comboId: string },
  values: DataValueOut[],
  md: {
    element(id: string): { code: string | null; comboId: string } | undefined;
    combo(id: string): ComboView | undefined;
    place(id: string): { code: string | null } | undefined;
  },
): AdxGroupInput[] {
  const attrsOf = (comboId: string, cocId: string): Record<string, string> => {
    const combo = md.combo(comboId);
    if (!combo || comboId === DEFAULT_COMBO) return {};
    const options = new Set(combo.cocs.find((c) => c.id === cocId)?.options ?? []);
    const out: Record<string, string> = {};
    for (const c of combo.categories) {
      const o = c.options.find((x) => options.has(x.id));
      if (o) out[c.code ?? c.id] = o.code ?? o.id;
    }
    return out;
  };
  const groups = new Map<string, AdxGroupInput>();
  for (const v of values) {
    const k = `${v.orgUnit}|${v.period}|${v.attributeOptionCombo}`;
    let g = groups.get(k);
    if (!g) {
      g = {
        orgUnit: md.place(v.orgUnit)?.code ?? v.orgUnit,
        period: v.period,
        dataSet: dataSet.code ?? dataSet.id,
        attributes: attrsOf(dataSet.comboId, v.attributeOptionCombo),
        dataValues: [],
      };
      groups.set(k, g);
    }
    const de = md.element(v.dataElement);
    g.dataValues.push({
      dataElement: de?.code ?? v.dataElement,
      value: v.value,
      categories: de ? attrsOf(de.comboId, v.categoryOptionCombo) : {},
      comment: v.comment,
    });
  }
  return [...groups.values()];
}
