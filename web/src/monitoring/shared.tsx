import { useEffect } from 'react';
import { getJson, itemsOf } from '../api';
import { Link } from '../router';
import type { ComboStructure, DataSetDetail, DataSetSummary, PlaceItem } from './types';
import { DEFAULT_COMBO } from './types';

// ---- Loads shared by the monitoring pages (once per page load; a failed load is forgotten) ----

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | null = null;
  return () => {
    cached ??= load();
    cached.catch(() => {
      cached = null;
    });
    return cached;
  };
}

/** The data sets (`GET /api/metadata/dataSets`), by name. */
export const loadDataSets = once(() =>
  getJson<{ dataSets: DataSetSummary[] }>('/api/metadata/dataSets').then((b) => [...b.dataSets].sort((a, c) => a.name.localeCompare(c.name))),
);

const dataSetCache = new Map<string, Promise<DataSetDetail>>();

/** One data set with its elements, combos and assigned places (`GET /api/metadata/dataSets/{id}`). */
export function loadDataSet(id: string): Promise<DataSetDetail> {
  let p = dataSetCache.get(id);
  if (!p) {
    p = getJson<DataSetDetail>(`/api/metadata/dataSets/${encodeURIComponent(id)}`);
    dataSetCache.set(id, p);
    p.catch(() => dataSetCache.delete(id));
  }
  return p;
}

/** Every place (countries, admin areas, sites) without geometry, to show where assigned places lie. */
export const loadPlaces = once(() => getJson<unknown>('/api/places?limit=5000').then((b) => itemsOf<PlaceItem>(b)));

/** The attribute combo of a data set (its projects or partners), or null when it has none. */
export function attributeCombo(ds: DataSetDetail): ComboStructure | null {
  if (ds.categoryCombo.id === DEFAULT_COMBO) return null;
  return ds.categoryCombos.find((c) => c.id === ds.categoryCombo.id) ?? null;
}

// ---- Address state ------------------------------------------------------------------------------

/** The query parameters of the address. */
export function queryParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** Keeps the page's choices in the address (replacing the entry), so that a reload or a shared link shows the same. */
export function useAddress(path: string, params: Record<string, string | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const url = `${path}${q.size > 0 ? `?${q.toString()}` : ''}`;
  useEffect(() => {
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [url]);
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
  { to: '/monitoring/entry', label: 'Data entry' },
  { to: '/monitoring/import', label: 'Import' },
  { to: '/monitoring/quality', label: 'Data quality' },
  { to: '/monitoring/metadata', label: 'Metadata' },
];

/** The links between the monitoring pages, above each page's heading. */
export function MonitoringNav() {
  return (
    <nav className="sub-nav" aria-label="Monitoring">
      <Link to="/monitoring" className="sub-nav__home">
        Monitoring
      </Link>
      <ul>
        {SECTION.map((s) => (
          <li key={s.to}>
            <Link to={s.to}>{s.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// ---- Labels -------------------------------------------------------------------------------------

export const OPERATOR_SYMBOLS: Record<string, string> = {
  equal_to: '=',
  not_equal_to: '≠',
  greater_than: '>',
  greater_than_or_equal_to: '≥',
  less_than: '<',
  less_than_or_equal_to: '≤',
  compulsory_pair: 'both or neither',
  exclusive_pair: 'not both',
};

export const OPERATOR_NAMES: Record<string, string> = {
  equal_to: 'equal to',
  not_equal_to: 'not equal to',
  greater_than: 'greater than',
  greater_than_or_equal_to: 'greater than or equal to',
  less_than: 'less than',
  less_than_or_equal_to: 'less than or equal to',
  compulsory_pair: 'compulsory pair (both sides or neither)',
  exclusive_pair: 'exclusive pair (not both sides)',
};

export const IMPORTANCE_NAMES: Record<string, string> = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export const VALUE_TYPE_NAMES: Record<string, string> = {
  NUMBER: 'Number',
  INTEGER: 'Whole number',
  INTEGER_POSITIVE: 'Whole number above 0',
  INTEGER_ZERO_OR_POSITIVE: 'Whole number, 0 or more',
  PERCENTAGE: 'Percentage (0–100)',
  TEXT: 'Text',
  LONG_TEXT: 'Long text',
  BOOLEAN: 'Yes / no',
  TRUE_ONLY: 'Yes only',
  DATE: 'Date',
};

export const AGGREGATION_NAMES: Record<string, string> = {
  SUM: 'Sum',
  AVERAGE: 'Average',
  AVERAGE_SUM_ORG_UNIT: 'Average over time, sum over places',
  COUNT: 'Count',
  MIN: 'Minimum',
  MAX: 'Maximum',
  NONE: 'None',
  LAST: 'Last value',
  LAST_AVERAGE_ORG_UNIT: 'Last value, average over places',
  DEFAULT: 'Default',
};

export const OUTLIER_METHOD_NAMES: Record<string, string> = {
  MOD_Z_SCORE: 'Modified z-score (median-based)',
  Z_SCORE: 'Z-score (mean-based)',
  MIN_MAX: 'Expected minimum and maximum',
  NONE: 'No outlier check',
};

/** True for the value types that hold numbers (and so have totals). */
export function isNumericType(valueType: string): boolean {
  return ['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE'].includes(valueType);
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A number for a table: grouped thousands, up to two decimals; "—" for none. */
export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : numberFormat.format(n);
}

/** A percentage with one decimal: "66.7%"; "—" when there is nothing to divide. */
export function formatPercent(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${n.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
}

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
