import { useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { getJson } from '../api';
import { LoadStatus } from '../components';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { PERIOD_TYPE_NAMES } from './periods';
import {
  AGGREGATION_NAMES,
  IMPORTANCE_NAMES,
  MonitoringNav,
  OPERATOR_NAMES,
  OPERATOR_SYMBOLS,
  VALUE_TYPE_NAMES,
  formatNumber,
  loadDataSets,
  queryParams,
  readableExpression,
  useAddress,
} from './shared';
import type { CategoryComboSummary, DataElement, DataSetSummary, Indicator, ValidationRule } from './types';
import { DEFAULT_COMBO } from './types';

const TABS = [
  { id: 'dataSets', label: 'Data sets' },
  { id: 'dataElements', label: 'Data elements' },
  { id: 'categoryCombos', label: 'Disaggregations' },
  { id: 'indicators', label: 'Indicators' },
  { id: 'validationRules', label: 'Validation rules' },
] as const;
type Tab = (typeof TABS)[number]['id'];

interface Metadata {
  dataSets: DataSetSummary[];
  dataElements: DataElement[];
  categoryCombos: CategoryComboSummary[];
  indicators: Indicator[];
  validationRules: ValidationRule[];
}

async function loadMetadata(): Promise<Metadata> {
  const [dataSets, dataElements, categoryCombos, indicators, validationRules] = await Promise.all([
    loadDataSets(),
    getJson<{ dataElements: DataElement[] }>('/api/metadata/dataElements').then((b) => b.dataElements),
    getJson<{ categoryCombos: CategoryComboSummary[] }>('/api/metadata/categoryCombos').then((b) => b.categoryCombos),
    getJson<{ indicators: Indicator[] }>('/api/metadata/indicators').then((b) => b.indicators),
    getJson<{ validationRules: ValidationRule[] }>('/api/metadata/validationRules').then((b) => b.validationRules),
  ]);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  const byCode = <T extends { code: string | null; name: string }>(a: T, b: T) => (a.code ?? '~').localeCompare(b.code ?? '~', 'en', { numeric: true }) || byName(a, b);
  return {
    dataSets,
    dataElements: [...dataElements].sort(byName),
    categoryCombos: [...categoryCombos].sort(byName),
    indicators: [...indicators].sort(byCode),
    validationRules: [...validationRules].sort(byName),
  };
}

/** True when any of the texts contains the query (case-insensitive). */
function matches(q: string, ...texts: (string | null | undefined)[]): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return texts.some((t) => t?.toLowerCase().includes(needle));
}

/** The first cell of a metadata row: the name, its code, its description and anything more. */
function NameCell({ item, children }: { item: { name: string; code?: string | null; description?: string | null }; children?: ReactNode }) {
  return (
    <td>
      <strong>{item.name}</strong> {item.code ? <code className="meta-code">{item.code}</code> : null}
      {item.description ? <span className="cell-note">{item.description}</span> : null}
      {children}
    </td>
  );
}

/** An expression with its data elements named, and the raw DHIS2 expression under it. */
function Expression({ expression, names }: { expression: string; names: Map<string, string> }) {
  const readable = readableExpression(expression, names);
  return (
    <>
      <span>{readable}</span>
      {readable !== expression ? <code className="cell-note meta-expression">{expression}</code> : null}
    </>
  );
}

/** `/monitoring/metadata`: the M&E definitions: data sets, elements, disaggregations, indicators, validation rules. */
export function MetadataPage() {
  const uid = useId();
  const [tab, setTab] = useState<Tab>(() => {
    const t = queryParams().get('tab');
    return TABS.some((x) => x.id === t) ? (t as Tab) : 'dataSets';
  });
  const [q, setQ] = useState(() => queryParams().get('q') ?? '');
  useAddress('/monitoring/metadata', { tab: tab === 'dataSets' ? undefined : tab, q: q.trim() || undefined });
  const [load, retry] = useLoad('metadata', loadMetadata);
  const query = q.trim();

  const names = useMemo(() => new Map(load.state === 'ready' ? load.data.dataElements.map((d) => [d.id, d.name]) : []), [load]);

  let body: ReactNode = null;
  let counts: { shown: number; total: number } | null = null;
  if (load.state === 'ready') {
    const m = load.data;
    if (tab === 'dataSets') {
      const rows = m.dataSets.filter((d) => matches(query, d.name, d.code, d.id, d.description));
      counts = { shown: rows.length, total: m.dataSets.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">Data set</th>
              <th scope="col">Period type</th>
              <th scope="col">Reported for</th>
              <th scope="col" className="num">
                Data elements
              </th>
              <th scope="col" className="num">
                Places
              </th>
              <th scope="col">On time if complete within</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-id={d.id} data-code={d.code ?? ''}>
                <NameCell item={d}>
                  <span className="cell-note">
                    <Link to={`/monitoring/entry?dataSet=${encodeURIComponent(d.id)}`}>Enter data</Link> ·{' '}
                    <Link to={`/monitoring/quality?dataSet=${encodeURIComponent(d.id)}`}>Data quality</Link>
                  </span>
                </NameCell>
                <td>{PERIOD_TYPE_NAMES[d.periodType] ?? d.periodType}</td>
                <td>{d.categoryCombo.id === DEFAULT_COMBO ? <span className="cell-muted">The place only</span> : `Each ${d.categoryCombo.name.toLowerCase()}`}</td>
                <td className="num">{formatNumber(d.dataElementCount)}</td>
                <td className="num" title="Places the data set is assigned to, within your scope">
                  {formatNumber(d.organisationUnitCount)}
                </td>
                <td>
                  {d.timelyDays} day{d.timelyDays === 1 ? '' : 's'} after the period
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    } else if (tab === 'dataElements') {
      const rows = m.dataElements.filter((d) => matches(query, d.name, d.code, d.id, d.shortName, d.description, d.categoryCombo.name));
      counts = { shown: rows.length, total: m.dataElements.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">Data element</th>
              <th scope="col">Value type</th>
              <th scope="col">Aggregation</th>
              <th scope="col">Disaggregated by</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-id={d.id} data-code={d.code ?? ''}>
                <NameCell item={d} />
                <td>{VALUE_TYPE_NAMES[d.valueType] ?? d.valueType}</td>
                <td>{AGGREGATION_NAMES[d.aggregationType] ?? d.aggregationType}</td>
                <td>{d.categoryCombo.id === DEFAULT_COMBO ? <span className="cell-muted">Not disaggregated</span> : d.categoryCombo.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    } else if (tab === 'categoryCombos') {
      const rows = m.categoryCombos.filter((c) => matches(query, c.name, c.code, c.id, ...c.categories.flatMap((k) => [k.name, ...k.options.map((o) => o.name)])));
      counts = { shown: rows.length, total: m.categoryCombos.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">Category combo</th>
              <th scope="col">Used for</th>
              <th scope="col">Categories and their options</th>
              <th scope="col" className="num th--wrap">
                Combinations (cells per element)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <NameCell item={c} />
                <td>{c.dataDimensionType === 'ATTRIBUTE' ? 'Reporting for (projects, partners)' : 'Disaggregation'}</td>
                <td>
                  {c.id === DEFAULT_COMBO ? (
                    <span className="cell-muted">None (the total only)</span>
                  ) : (
                    <ul className="plain-list meta-categories">
                      {c.categories.map((k) => (
                        <li key={k.id}>
                          <strong>
                            {k.name} ({k.options.length}):
                          </strong>{' '}
                          {k.options.map((o) => o.name).join(', ')}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">{formatNumber(c.cocCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    } else if (tab === 'indicators') {
      const rows = m.indicators.filter((i) => matches(query, i.name, i.code, i.id, i.description, i.source, i.numerator, i.denominator));
      counts = { shown: rows.length, total: m.indicators.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Indicator</th>
              <th scope="col">Numerator</th>
              <th scope="col">Denominator</th>
              <th scope="col" className="num">
                Factor
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i.id} data-id={i.id} data-code={i.code ?? ''}>
                <td className="cell-nowrap">{i.code ? <code>{i.code}</code> : '—'}</td>
                <NameCell item={{ name: i.name, description: i.description }}>
                  {i.source ? <span className="cell-note meta-source">Source: {i.source}</span> : null}
                </NameCell>
                <td>
                  <Expression expression={i.numerator} names={names} />
                </td>
                <td>
                  {i.denominator.trim() === '1' ? <span className="cell-muted">1 (a count, not a ratio)</span> : <Expression expression={i.denominator} names={names} />}
                </td>
                <td className="num" title={i.factor === 100 ? 'Numerator ÷ denominator × 100: a percentage' : `Numerator ÷ denominator × ${i.factor}`}>
                  × {formatNumber(i.factor)}
                  {i.factor === 100 ? <span className="cell-note">per cent</span> : i.factor === 1000 ? <span className="cell-note">per 1,000</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    } else {
      const rows = m.validationRules.filter((r) => matches(query, r.name, r.code, r.id, r.description, r.leftSide.expression, r.rightSide.expression));
      counts = { shown: rows.length, total: m.validationRules.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Left side</th>
              <th scope="col">Must be</th>
              <th scope="col">Right side</th>
              <th scope="col">Importance</th>
              <th scope="col">Period type</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id} data-code={r.code ?? ''}>
                <NameCell item={r} />
                <td>
                  <Expression expression={r.leftSide.expression} names={names} />
                </td>
                <td className="operator" title={OPERATOR_NAMES[r.operator] ?? r.operator}>
                  {OPERATOR_SYMBOLS[r.operator] ?? r.operator}
                </td>
                <td>
                  <Expression expression={r.rightSide.expression} names={names} />
                </td>
                <td>
                  <span className={`importance importance--${r.importance.toLowerCase()}`}>{IMPORTANCE_NAMES[r.importance] ?? r.importance}</span>
                </td>
                <td>{PERIOD_TYPE_NAMES[r.periodType] ?? r.periodType}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
  }

  const tabLabel = TABS.find((t) => t.id === tab)!.label.toLowerCase();
  return (
    <main id="main" tabIndex={-1} className="page monitoring-page metadata-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>Metadata</h1>
        <p className="lede">
          The definitions behind programme data, in the DHIS2 model: what each data set collects, how values are disaggregated,
          how indicators are calculated and which validation rules check the values.
        </p>
      </div>
      <div className="tabs" role="tablist" aria-label="Kind of metadata">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${uid}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${uid}-panel`}
            className={`tab${tab === t.id ? ' tab--current' : ''}`}
            onClick={() => setTab(t.id)}
            data-tab={t.id}
          >
            {t.label}
            {load.state === 'ready' ? <span className="tab__count">{load.data[t.id].length}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${tab}`}>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={`Search the ${tabLabel}`}>
          <div className="field">
            <label htmlFor={`${uid}-q`}>Search the {tabLabel}</label>
            <input
              id={`${uid}-q`}
              name="q"
              type="search"
              value={q}
              placeholder="Name, code or id, e.g. HTS.1"
              onChange={(e) => setQ(e.target.value)}
              data-testid="metadata-search"
            />
          </div>
        </form>
        {load.state !== 'ready' ? (
          <LoadStatus load={load} what="the metadata" onRetry={retry} />
        ) : (
          <>
            <p className="list-summary" role="status" data-testid="metadata-summary">
              {counts && counts.total === 0
                ? `No ${tabLabel} are defined yet.`
                : counts && counts.shown === 0
                  ? `No ${tabLabel.replace(/s$/, '')} matches “${query}”.`
                  : counts && counts.shown < counts.total
                    ? `${counts.shown} of ${counts.total} ${tabLabel} match “${query}”.`
                    : `${counts?.total ?? 0} ${tabLabel}.`}
            </p>
            {counts && counts.shown > 0 ? <div className="table-scroll">{body}</div> : null}
          </>
        )}
      </div>
    </main>
  );
}
