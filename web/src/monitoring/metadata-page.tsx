import { useTranslation } from 'react-i18next';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { $api } from '../api';
import type { Schema } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { Link } from '../router';
import { periodTypeName } from './periods';
import { DEFAULT_COMBO, MonitoringNav, named, readableExpression, searchOf, useDataSets, useNumbers } from './shared';

const TABS = ['dataSets', 'dataElements', 'categoryCombos', 'indicators', 'validationRules'] as const;
type Tab = (typeof TABS)[number];

interface Metadata {
  dataSets: Schema<'DataSetSummary'>[];
  dataElements: Schema<'DataElementOut'>[];
  categoryCombos: Schema<'CategoryComboOut'>[];
  indicators: Schema<'IndicatorOut'>[];
  validationRules: Schema<'ValidationRuleOut'>[];
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
const byCode = <T extends { code: string | null; name: string }>(a: T, b: T) =>
  (a.code ?? '~').localeCompare(b.code ?? '~', 'en', { numeric: true }) || byName(a, b);

/** The five metadata lists, each a query of its own; ready when all are. */
function useMetadata() {
  const dataSets = useDataSets();
  const dataElements = $api.useQuery('get', '/api/metadata/dataElements', {}, { select: (b) => [...b.dataElements].sort(byName) });
  const categoryCombos = $api.useQuery('get', '/api/metadata/categoryCombos', {}, { select: (b) => [...b.categoryCombos].sort(byName) });
  const indicators = $api.useQuery('get', '/api/metadata/indicators', {}, { select: (b) => [...b.indicators].sort(byCode) });
  const validationRules = $api.useQuery('get', '/api/metadata/validationRules', {}, { select: (b) => [...b.validationRules].sort(byName) });
  const all = [dataSets, dataElements, categoryCombos, indicators, validationRules];
  const failed = all.find((q) => q.status === 'error');
  const status: 'pending' | 'error' | 'success' = failed ? 'error' : all.every((q) => q.status === 'success') ? 'success' : 'pending';
  const m: Metadata | null =
    dataSets.data && dataElements.data && categoryCombos.data && indicators.data && validationRules.data
      ? {
          dataSets: dataSets.data,
          dataElements: dataElements.data,
          categoryCombos: categoryCombos.data,
          indicators: indicators.data,
          validationRules: validationRules.data,
        }
      : null;
  return { data: m, load: queryLoad({ status, error: failed?.error }), retry: () => all.forEach((q) => void q.refetch()) };
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
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  const uid = useId();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab') ?? '';
  const tab: Tab = (TABS as readonly string[]).includes(tabParam) ? (tabParam as Tab) : 'dataSets';
  const addressQ = params.get('q') ?? '';
  // What is typed filters at once; the address follows (so that a reload or a link shows the same).
  const [q, setQ] = useState(addressQ);
  useEffect(() => setQ(addressQ), [addressQ]);
  const go = (next: { tab: Tab; q: string }) =>
    setParams(searchOf({ tab: next.tab === 'dataSets' ? undefined : next.tab, q: next.q || undefined }), { replace: true });
  useEffect(() => {
    if (q !== addressQ) go({ tab, q });
    // Only a change of the text updates the address.
  }, [q]);
  const setTab = (id: Tab) => go({ tab: id, q });
  const meta = useMetadata();
  const query = q.trim();

  const names = useMemo(() => new Map((meta.data?.dataElements ?? []).map((d) => [d.id, d.name])), [meta.data]);

  let body: ReactNode = null;
  let counts: { shown: number; total: number } | null = null;
  if (meta.data) {
    const m = meta.data;
    if (tab === 'dataSets') {
      const rows = m.dataSets.filter((d) => matches(query, d.name, d.code, d.id, d.description));
      counts = { shown: rows.length, total: m.dataSets.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">{t('pickers.dataSet')}</th>
              <th scope="col">{t('metadata.periodType')}</th>
              <th scope="col">{t('metadata.reportedFor')}</th>
              <th scope="col" className="num">
                {t('metadata.dataElements')}
              </th>
              <th scope="col" className="num">
                {t('metadata.places')}
              </th>
              <th scope="col">{t('metadata.onTimeWithin')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-id={d.id} data-code={d.code ?? ''}>
                <NameCell item={d}>
                  <span className="cell-note">
                    <Link to={`/monitoring/entry?dataSet=${encodeURIComponent(d.id)}`}>{t('monitoring.enterData')}</Link> ·{' '}
                    <Link to={`/monitoring/quality?dataSet=${encodeURIComponent(d.id)}`}>{t('nav.quality')}</Link>
                  </span>
                </NameCell>
                <td>{periodTypeName(t, d.periodType)}</td>
                <td>
                  {d.categoryCombo.id === DEFAULT_COMBO ? (
                    <span className="cell-muted">{t('metadata.placeOnly')}</span>
                  ) : (
                    t('metadata.each', { what: d.categoryCombo.name.toLowerCase() })
                  )}
                </td>
                <td className="num">{num(d.dataElementCount)}</td>
                <td className="num" title={t('metadata.placesHint')}>
                  {num(d.organisationUnitCount)}
                </td>
                <td>{t('metadata.daysAfter', { count: d.timelyDays })}</td>
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
              <th scope="col">{t('grid.dataElement')}</th>
              <th scope="col">{t('metadata.valueType')}</th>
              <th scope="col">{t('metadata.aggregation')}</th>
              <th scope="col">{t('metadata.disaggregatedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-id={d.id} data-code={d.code ?? ''}>
                <NameCell item={d} />
                <td>{named(t, 'valueTypes', d.valueType)}</td>
                <td>{named(t, 'aggregations', d.aggregationType)}</td>
                <td>{d.categoryCombo.id === DEFAULT_COMBO ? <span className="cell-muted">{t('grid.notDisaggregated')}</span> : d.categoryCombo.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    } else if (tab === 'categoryCombos') {
      const rows = m.categoryCombos.filter((c) =>
        matches(query, c.name, c.code, c.id, ...c.categories.flatMap((k) => [k.name, ...k.options.map((o) => o.name)])),
      );
      counts = { shown: rows.length, total: m.categoryCombos.length };
      body = (
        <table className="data-table" data-testid="metadata-table" data-tab={tab}>
          <thead>
            <tr>
              <th scope="col">{t('metadata.categoryCombo')}</th>
              <th scope="col">{t('metadata.usedFor')}</th>
              <th scope="col">{t('metadata.categories')}</th>
              <th scope="col" className="num th--wrap">
                {t('metadata.combinations')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <NameCell item={c} />
                <td>{c.dataDimensionType === 'ATTRIBUTE' ? t('metadata.attribute') : t('metadata.disaggregation')}</td>
                <td>
                  {c.id === DEFAULT_COMBO ? (
                    <span className="cell-muted">{t('metadata.totalOnly')}</span>
                  ) : (
                    <ul className="plain-list meta-categories">
                      {c.categories.map((k) => (
                        <li key={k.id}>
                          <strong>{t('metadata.categoryCount', { name: k.name, count: k.options.length })}</strong> {k.options.map((o) => o.name).join(', ')}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">{num(c.cocCount)}</td>
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
              <th scope="col">{t('metadata.code')}</th>
              <th scope="col">{t('metadata.indicator')}</th>
              <th scope="col">{t('metadata.numerator')}</th>
              <th scope="col">{t('metadata.denominator')}</th>
              <th scope="col" className="num">
                {t('metadata.factor')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i.id} data-id={i.id} data-code={i.code ?? ''}>
                <td className="cell-nowrap">{i.code ? <code>{i.code}</code> : '—'}</td>
                <NameCell item={{ name: i.name, description: i.description }}>
                  {i.source ? <span className="cell-note meta-source">{t('metadata.source', { source: i.source })}</span> : null}
                </NameCell>
                <td>
                  <Expression expression={i.numerator} names={names} />
                </td>
                <td>
                  {i.denominator.trim() === '1' ? (
                    <span className="cell-muted">{t('metadata.aCount')}</span>
                  ) : (
                    <Expression expression={i.denominator} names={names} />
                  )}
                </td>
                <td className="num" title={i.factor === 100 ? t('metadata.factorPercent') : t('metadata.factorHint', { factor: num(i.factor) })}>
                  × {num(i.factor)}
                  {i.factor === 100 ? (
                    <span className="cell-note">{t('metadata.perCent')}</span>
                  ) : i.factor === 1000 ? (
                    <span className="cell-note">{t('metadata.perThousand')}</span>
                  ) : null}
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
              <th scope="col">{t('violations.rule')}</th>
              <th scope="col">{t('violations.left')}</th>
              <th scope="col">{t('validation.mustBe')}</th>
              <th scope="col">{t('violations.right')}</th>
              <th scope="col">{t('violations.importance')}</th>
              <th scope="col">{t('metadata.periodType')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id} data-code={r.code ?? ''}>
                <NameCell item={r} />
                <td>
                  <Expression expression={r.leftSide.expression} names={names} />
                </td>
                <td className="operator" title={named(t, 'operatorNames', r.operator)}>
                  {named(t, 'operatorSymbols', r.operator)}
                </td>
                <td>
                  <Expression expression={r.rightSide.expression} names={names} />
                </td>
                <td>
                  <span className={`importance importance--${r.importance.toLowerCase()}`}>{named(t, 'importance', r.importance)}</span>
                </td>
                <td>{periodTypeName(t, r.periodType)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
  }

  const tabLabel = t(`metadata.tabs.${tab}`).toLowerCase();
  return (
    <main id="main" tabIndex={-1} className="page monitoring-page metadata-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>{t('metadata.title')}</h1>
        <p className="lede">{t('metadata.lede')}</p>
      </div>
      <div className="tabs" role="tablist" aria-label={t('metadata.tabsLabel')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`${uid}-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`${uid}-panel`}
            className={`tab${tab === id ? ' tab--current' : ''}`}
            onClick={() => setTab(id)}
            data-tab={id}
          >
            {t(`metadata.tabs.${id}`)}
            {meta.data ? <span className="tab__count">{num(meta.data[id].length)}</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${uid}-panel`} aria-labelledby={`${uid}-tab-${tab}`}>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('metadata.search', { what: tabLabel })}>
          <div className="field">
            <label htmlFor={`${uid}-q`}>{t('metadata.search', { what: tabLabel })}</label>
            <input
              id={`${uid}-q`}
              name="q"
              type="search"
              value={q}
              placeholder={t('metadata.searchPlaceholder')}
              onChange={(e) => setQ(e.target.value)}
              data-testid="metadata-search"
            />
          </div>
        </form>
        {!meta.data ? (
          <LoadStatus load={meta.load} what={t('what.metadata')} onRetry={meta.retry} />
        ) : (
          <>
            <p className="list-summary" role="status" data-testid="metadata-summary">
              {counts && counts.total === 0
                ? t('metadata.noneDefined', { what: tabLabel })
                : counts && counts.shown === 0
                  ? t('metadata.noMatch', { query })
                  : counts && counts.shown < counts.total
                    ? t('metadata.someMatch', { n: num(counts.shown), total: num(counts.total), what: tabLabel, query })
                    : t('metadata.all', { n: num(counts?.total ?? 0), what: tabLabel })}
            </p>
            {counts && counts.shown > 0 ? <div className="table-scroll">{body}</div> : null}
          </>
        )}
      </div>
    </main>
  );
}
