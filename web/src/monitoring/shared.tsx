import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { Schema } from '../api';
import { i18next } from '../i18n';
import { useFormat } from '../i18n/format';
import { Link } from '../router';

// ---- Reads shared by the monitoring pages (TanStack Query: one cache, refreshed after writes) ----

/** A data set as `GET /api/metadata/dataSets/{id}` answers it: elements, combos and assigned places. */
export type DataSetDetail = Schema<'DataSetDetail'>;
export type ComboStructure = Schema<'CategoryComboStructure'>;
export type PlaceItem = Schema<'Place'>;

/** DHIS2's default category combo and category option combo (fixed ids, the same in every DHIS2). */
export const DEFAULT_COMBO = 'bjDvmb4bfuf';
export const DEFAULT_COC = 'HllvX50cXC0';

const byName = (b: Schema<'DataSetList'>) => [...b.dataSets].sort((a, c) => a.name.localeCompare(c.name));

/** The data sets (`GET /api/metadata/dataSets`), by name. */
export function useDataSets() {
  return $api.useQuery('get', '/api/metadata/dataSets', {}, { select: byName });
}

/** One data set with its elements, combos and assigned places (`GET /api/metadata/dataSets/{id}`); idle without an id. */
export function useDataSet(id: string) {
  return $api.useQuery('get', '/api/metadata/dataSets/{id}', { params: { path: { id } } }, { enabled: id !== '' });
}

/** Every place (countries, admin areas, sites) without geometry, to show where assigned places lie. */
export function usePlaces() {
  return $api.useQuery('get', '/api/places', { params: { query: { limit: 5000 } } }, { select: (b): PlaceItem[] => ('items' in b ? b.items : []) });
}

/** The attribute combo of a data set (its projects or partners), or null when it has none. */
export function attributeCombo(ds: DataSetDetail): ComboStructure | null {
  if (ds.categoryCombo.id === DEFAULT_COMBO) return null;
  return ds.categoryCombos.find((c) => c.id === ds.categoryCombo.id) ?? null;
}

/** What an attribute combo stands for, in its own words: "Project", "Implementing partner". */
export function attributeLabel(combo: ComboStructure): string {
  return combo.categories.length === 1 ? combo.categories[0]!.name : combo.name;
}

// ---- Address state ------------------------------------------------------------------------------

/** The query string of the given values (empty ones left out), for `setSearchParams`. */
export function searchOf(params: Record<string, string | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q;
}

/** The address of the data entry form of a unit (optionally pointing at one cell). */
export function entryLink(u: { dataSet: string; orgUnit: string; period: string; aoc?: string | null; de?: string; coc?: string }): string {
  const q = new URLSearchParams({ dataSet: u.dataSet, orgUnit: u.orgUnit, period: u.period });
  if (u.aoc) q.set('aoc', u.aoc);
  if (u.de) q.set('de', u.de);
  if (u.coc) q.set('coc', u.coc);
  return `/monitoring/entry?${q.toString()}`;
}

// ---- Navigation within the section --------------------------------------------------------------

const SECTION = [
  { to: '/monitoring/entry', label: 'nav.entry' },
  { to: '/monitoring/import', label: 'nav.import' },
  { to: '/monitoring/quality', label: 'nav.quality' },
  { to: '/monitoring/metadata', label: 'nav.metadata' },
] as const;

/** The links between the monitoring pages, above each page's heading. */
export function MonitoringNav() {
  const { t } = useTranslation('monitoring');
  return (
    <nav className="sub-nav" aria-label={t('nav.label')}>
      <Link to="/monitoring" className="sub-nav__home">
        {t('nav.home')}
      </Link>
      <ul>
        {SECTION.map((s) => (
          <li key={s.to}>
            <Link to={s.to}>{t(s.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// ---- Labels -------------------------------------------------------------------------------------

type LabelGroup = 'operatorSymbols' | 'operatorNames' | 'importance' | 'valueTypes' | 'aggregations' | 'outlierMethods';

/** The name of a server code in the user's language (`valueTypes.INTEGER` → "Whole number"), or the code itself when the catalogue lacks it. */
export function named(t: TFunction<'monitoring'>, group: LabelGroup, code: string): string {
  const key = `${group}.${code}`;
  return i18next.exists(key, { ns: 'monitoring' }) ? (t as unknown as (k: string) => string)(key) : code;
}

export { isNumericType } from './values';

/**
 * A DHIS2 expression with its references named: `#{deId}` and `#{deId.cocId}` become the data
 * element's (and disaggregation's) name, `I{…}`/`C{…}` stay as they are.
 */
export function readableExpression(expression: string, names: ReadonlyMap<string, string>): string {
  return expression.replace(/#\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9*]+))?(?:\.[A-Za-z0-9*]+)?\}/g, (whole, de: string, coc: string | undefined) => {
    const name = names.get(de);
    if (!name) return whole;
    if (!coc || coc === '*') return `[${name}]`;
    return `[${name}, ${names.get(coc) ?? coc}]`;
  });
}

/** Numbers for tables in the user's language: grouped thousands, up to two decimals; "—" for none. */
export function useNumbers() {
  const f = useFormat();
  return {
    num: (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : f.number(n, { maximumFractionDigits: 2 })),
    /** A percentage the server computed (66.7 → "66.7%", « 66,7 % »); "—" when there is nothing to divide. */
    pct: (n: number | null | undefined) => (n === null || n === undefined ? '—' : f.percent(n / 100, 1)),
    f,
  };
}
