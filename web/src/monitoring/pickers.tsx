import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import type { Schema } from '../api';
import { periodTypeName, canListPeriods, periodLabel, recentPeriods } from './periods';
import type { PeriodOption } from './periods';
import { attributeLabel } from './shared';
import type { ComboStructure, PlaceItem } from './shared';

/** The data set picker: every data set with its period type. */
export function DataSetField({
  id,
  dataSets,
  value,
  onChange,
}: {
  id: string;
  dataSets: Schema<'DataSetSummary'>[];
  value: string;
  onChange(id: string): void;
}) {
  const { t } = useTranslation('monitoring');
  const known = value === '' || dataSets.some((d) => d.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>{t('pickers.dataSet')}</label>
      <select id={id} name="dataSet" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">{t('pickers.chooseDataSet')}</option> : null}
        {!known ? <option value={value}>{value}</option> : null}
        {dataSets.map((d) => {
          const type = periodTypeName(t, d.periodType).toLowerCase();
          return (
            <option key={d.id} value={d.id}>
              {d.name.toLowerCase().includes(type) ? d.name : t('pickers.dataSetWithType', { name: d.name, type })}
            </option>
          );
        })}
      </select>
    </div>
  );
}

/**
 * The period picker: the recent periods of the data set's type (newest first), or a text box
 * for a period id when the type is not listed in the browser.
 */
export function PeriodField({ id, periodType, value, onChange }: { id: string; periodType: string; value: string; onChange(id: string): void }) {
  const { t, i18n } = useTranslation('monitoring');
  const periods = useMemo<PeriodOption[]>(() => recentPeriods(periodType, new Date(), undefined, i18n.language), [periodType, i18n.language]);
  const type = periodTypeName(t, periodType);
  if (!canListPeriods(periodType)) {
    return (
      <div className="field">
        <label htmlFor={id}>{t('pickers.period', { type })}</label>
        <input id={id} name="period" type="text" value={value} placeholder={t('pickers.periodPlaceholder')} onChange={(e) => onChange(e.target.value.trim())} />
      </div>
    );
  }
  const known = periods.some((p) => p.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>{t('pickers.period', { type: type.toLowerCase() })}</label>
      <select id={id} name="period" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">{t('pickers.choosePeriod')}</option> : null}
        {!known && value ? <option value={value}>{value}</option> : null}
        {periods.map((p) => (
          <option key={p.id} value={p.id}>
            {periodLabel(p, i18n.language)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A place of a picker: its id and name, and (for the hierarchical pickers) its depth and parent. */
export interface PickerPlace {
  id: string;
  name: string;
  depth?: number;
  parentId?: string | null;
}

/** The place picker: places grouped by country; a value not (yet) among them is kept as its own option. */
export function PlaceField<T extends PickerPlace>({
  id,
  groups,
  value,
  placeholder,
  label = (p) => p.name,
  onChange,
}: {
  id: string;
  groups: { country: string; places: T[] }[];
  value: string;
  placeholder: string;
  label?(p: T): string;
  onChange(id: string): void;
}) {
  const { t } = useTranslation('monitoring');
  const known = groups.some((g) => g.places.some((p) => p.id === value));
  return (
    <div className="field field--wide">
      <label htmlFor={id}>{t('pickers.place')}</label>
      <select id={id} name="orgUnit" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' || !known ? <option value={value}>{value || placeholder}</option> : null}
        {groups.map((g) => (
          <optgroup key={g.country} label={g.country}>
            {g.places.map((p) => (
              <option key={p.id} value={p.id} data-depth={p.depth} data-parent={p.parentId ?? undefined}>
                {label(p)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** The attribute option combo picker (the project or partner the data is reported for). */
export function AocField({ id, combo, value, onChange }: { id: string; combo: ComboStructure; value: string; onChange(id: string): void }) {
  const { t } = useTranslation('monitoring');
  const label = attributeLabel(combo);
  const known = value === '' || combo.cocs.some((c) => c.id === value);
  return (
    <div className="field field--wide">
      <label htmlFor={id}>{label}</label>
      <select id={id} name="attributeOptionCombo" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">{t('pickers.chooseAoc', { what: label.toLowerCase() })}</option> : null}
        {!known ? <option value={value}>{value}</option> : null}
        {[...combo.cocs]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
      </select>
    </div>
  );
}

/** The country of a place (walking up parents), for grouping places in pickers. */
export function countryOf(id: string, byId: ReadonlyMap<string, PlaceItem>): PlaceItem | null {
  let p = byId.get(id);
  for (let i = 0; p && i < 10; i++) {
    if (p.level === 'country') return p;
    p = p.parentId ? byId.get(p.parentId) : undefined;
  }
  return null;
}

/** Places grouped by country (alphabetical), for `<optgroup>`s; places whose country is unknown come last, under `other`. */
export function byCountry<T extends { id: string; name: string }>(
  places: T[],
  byId: ReadonlyMap<string, PlaceItem>,
  other: string,
): { country: string; places: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const p of places) {
    const c = countryOf(p.id, byId)?.name ?? other;
    groups.set(c, [...(groups.get(c) ?? []), p]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === other ? 1 : b === other ? -1 : a.localeCompare(b)))
    .map(([country, ps]) => ({ country, places: ps.sort((a, b) => a.name.localeCompare(b.name)) }));
}
