import { useMemo } from 'react';
import { PERIOD_TYPE_NAMES, canListPeriods, periodLabel, recentPeriods } from './periods';
import type { PeriodOption } from './periods';
import type { DataSetSummary, PlaceItem } from './types';
import type { ComboStructure } from './types';

/** The data set picker: every data set with its period type. */
export function DataSetField({ id, dataSets, value, onChange }: { id: string; dataSets: DataSetSummary[]; value: string; onChange(id: string): void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Data set</label>
      <select id={id} name="dataSet" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">Choose a data set…</option> : null}
        {dataSets.map((d) => {
          const type = (PERIOD_TYPE_NAMES[d.periodType] ?? d.periodType).toLowerCase();
          return (
            <option key={d.id} value={d.id}>
              {d.name.toLowerCase().includes(type) ? d.name : `${d.name} (${type})`}
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
  const periods = useMemo<PeriodOption[]>(() => recentPeriods(periodType), [periodType]);
  if (!canListPeriods(periodType)) {
    return (
      <div className="field">
        <label htmlFor={id}>Period ({PERIOD_TYPE_NAMES[periodType] ?? periodType})</label>
        <input id={id} name="period" type="text" value={value} placeholder="DHIS2 period id, e.g. 2024W5" onChange={(e) => onChange(e.target.value.trim())} />
      </div>
    );
  }
  const known = periods.some((p) => p.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>Period ({(PERIOD_TYPE_NAMES[periodType] ?? periodType).toLowerCase()})</label>
      <select id={id} name="period" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">Choose a period…</option> : null}
        {!known && value ? <option value={value}>{value}</option> : null}
        {periods.map((p) => (
          <option key={p.id} value={p.id}>
            {periodLabel(p)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The place picker: places grouped by country; a value not (yet) among them is kept as its own option. */
export function PlaceField<T extends { id: string; name: string }>({
  id, groups, value, placeholder, label = (p) => p.name, onChange,
}: { id: string; groups: { country: string; places: T[] }[]; value: string; placeholder: string; label?(p: T): string; onChange(id: string): void }) {
  const known = groups.some((g) => g.places.some((p) => p.id === value));
  return (
    <div className="field field--wide">
      <label htmlFor={id}>Place</label>
      <select id={id} name="orgUnit" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' || !known ? <option value={value}>{value || placeholder}</option> : null}
        {groups.map((g) => (
          <optgroup key={g.country} label={g.country}>
            {g.places.map((p) => (
              <option key={p.id} value={p.id}>
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
  const label = combo.categories.length === 1 ? combo.categories[0]!.name : combo.name;
  return (
    <div className="field field--wide">
      <label htmlFor={id}>{label}</label>
      <select id={id} name="attributeOptionCombo" value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' ? <option value="">Choose a {label.toLowerCase()}…</option> : null}
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

/** Places grouped by country (alphabetical), for `<optgroup>`s; places whose country is unknown come last. */
export function byCountry<T extends { id: string; name: string }>(places: T[], byId: ReadonlyMap<string, PlaceItem>): { country: string; places: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const p of places) {
    const c = countryOf(p.id, byId)?.name ?? 'Other places';
    groups.set(c, [...(groups.get(c) ?? []), p]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'Other places' ? 1 : b === 'Other places' ? -1 : a.localeCompare(b)))
    .map(([country, ps]) => ({ country, places: ps.sort((a, b) => a.name.localeCompare(b.name)) }));
}
