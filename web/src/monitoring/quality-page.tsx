import { useTranslation } from 'react-i18next';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { $api, api, data, messageOf } from '../api';
import type { Schema } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { Link } from '../router';
import { useCan } from '../session';
import { defaultPeriod, periodLabel, periodTypeName, recentPeriods } from './periods';
import { AocField, DataSetField, PeriodField, PlaceField } from './pickers';
import {
  MonitoringNav,
  attributeCombo,
  attributeLabel,
  entryLink,
  named,
  readableExpression,
  searchOf,
  useDataSet,
  useDataSets,
  useNumbers,
  usePlaces,
} from './shared';
import type { DataSetDetail, PlaceItem } from './shared';

type Completeness = Schema<'Completeness'>;
type ValidationResult = Schema<'ValidationResult'>;
type Outlier = Schema<'Outlier'>;

const METHODS = ['MOD_Z_SCORE', 'Z_SCORE', 'MIN_MAX', 'NONE'] as const;
type Method = (typeof METHODS)[number];
const DEFAULT_THRESHOLD: Record<string, number> = { MOD_Z_SCORE: 3.5, Z_SCORE: 3 };
const OUTLIERS_SHOWN = 50;

/** A place the checks can run on: an assigned place, or an area or country above some. */
export interface PlaceChoice {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
  /** How many assigned places it holds (itself included). */
  assigned: number;
  depth: number;
}

/**
 * The places to check, per country, in the order of the hierarchy: the country, then the places
 * directly under it, then each area followed by its own places (and sub-areas), each level by name,
 * with how many assigned places each holds. `other` names the group of places whose country is unknown.
 */
export function placeChoices(
  ds: Pick<DataSetDetail, 'organisationUnits'>,
  places: PlaceItem[] | null,
  other: string,
): { country: string; places: PlaceChoice[] }[] {
  const byId = new Map((places ?? []).map((p) => [p.id, p]));
  const counts = new Map<string, number>();
  const nodes = new Map<string, { place: { id: string; name: string; level: string; parentId: string | null }; children: Set<string> }>();
  const roots = new Set<string>();
  for (const ou of ds.organisationUnits) {
    const chain: { id: string; name: string; level: string; parentId: string | null }[] = [];
    let p: { id: string; name: string; level: string; parentId: string | null } | undefined = byId.get(ou.id) ?? {
      id: ou.id,
      name: ou.name,
      level: ou.level,
      parentId: null,
    };
    for (let i = 0; p && i < 10; i++) {
      chain.unshift(p);
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    chain.forEach((c, i) => {
      counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
      if (!nodes.has(c.id)) nodes.set(c.id, { place: c, children: new Set() });
      if (i === 0) roots.add(c.id);
      else nodes.get(chain[i - 1]!.id)!.children.add(c.id);
    });
  }
  const byName = (a: string, b: string) => {
    const x = nodes.get(a)!.place;
    const y = nodes.get(b)!.place;
    // Places directly under an area before its sub-areas, so that none looks as if it belonged to the area above it.
    return Number(x.level !== 'site') - Number(y.level !== 'site') || x.name.localeCompare(y.name);
  };
  const walk = (id: string, depth: number, out: PlaceChoice[]) => {
    const n = nodes.get(id)!;
    out.push({ ...n.place, parentId: depth === 0 ? null : n.place.parentId, assigned: counts.get(id) ?? 1, depth });
    for (const c of [...n.children].sort(byName)) walk(c, depth + 1, out);
  };
  const groups = new Map<string, PlaceChoice[]>();
  for (const root of [...roots].sort(byName)) {
    const r = nodes.get(root)!.place;
    const country = r.level === 'country' ? r.name : other;
    const list = groups.get(country) ?? groups.set(country, []).get(country)!;
    walk(root, 0, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === other ? 1 : b === other ? -1 : a.localeCompare(b)))
    .map(([country, list]) => ({ country, places: list }));
}

/** `/monitoring/quality`: completeness, timeliness, validation rule violations and outliers of a data set for a period. */
export function DataQualityPage() {
  const { t, i18n } = useTranslation('monitoring');
  const { f } = useNumbers();
  const uid = useId();
  const [params, setParams] = useSearchParams();
  const outliersParam = params.get('outliers') ?? '';
  const choice = {
    dataSet: params.get('dataSet') ?? '',
    orgUnit: params.get('orgUnit') ?? '',
    period: params.get('period') ?? '',
    aoc: params.get('aoc') ?? '',
    method: (METHODS as readonly string[]).includes(outliersParam) ? (outliersParam as Method) : 'MOD_Z_SCORE',
    threshold: params.get('threshold') ?? '',
  };
  type Choice = typeof choice;
  const setChoice = (c: Choice) =>
    setParams(
      searchOf({
        dataSet: c.dataSet,
        orgUnit: c.orgUnit,
        period: c.period,
        aoc: c.aoc,
        outliers: c.method === 'MOD_Z_SCORE' ? undefined : c.method,
        threshold: c.threshold,
      }),
      { replace: true },
    );
  const shownThreshold =
    choice.threshold && Number.isFinite(Number(choice.threshold))
      ? f.number(Number(choice.threshold), { useGrouping: false, maximumFractionDigits: 20 })
      : choice.threshold;
  const [thresholdDraft, setThresholdDraft] = useState(shownThreshold);
  const [thresholdError, setThresholdError] = useState(false);
  useEffect(() => setThresholdDraft(shownThreshold), [shownThreshold]);

  const dataSets = useDataSets();
  const list = dataSets.data ?? null;
  const summary = list?.find((d) => d.id === choice.dataSet || d.code === choice.dataSet) ?? null;
  const detail = useDataSet(summary?.id ?? '');
  const places = usePlaces();
  const ds = detail.data && summary && detail.data.id === summary.id ? detail.data : null;
  const aocCombo = ds ? attributeCombo(ds) : null;
  const other = t('pickers.otherPlaces');
  const groups = useMemo(() => (ds ? placeChoices(ds, places.data ?? null, other) : []), [ds, places.data, other]);

  // Start on the data set reported at the most places, the latest period that has ended and the
  // country with the most assigned places (once the places are known, so that the countries are).
  const placesKnown = places.status !== 'pending';
  useEffect(() => {
    if (!list || list.length === 0) return;
    const next = { ...choice };
    if (!next.dataSet) next.dataSet = [...list].sort((a, b) => b.organisationUnitCount - a.organisationUnitCount)[0]!.id;
    if (summary && next.dataSet !== summary.id) next.dataSet = summary.id;
    if (ds && placesKnown) {
      const combo = attributeCombo(ds);
      const countries = groups.map((g) => g.places[0]!).filter((p) => p.level === 'country');
      const biggest = [...countries].sort((a, b) => b.assigned - a.assigned)[0] ?? groups[0]?.places[0];
      next.period = next.period || defaultPeriod(recentPeriods(ds.periodType));
      next.orgUnit = next.orgUnit || (biggest?.id ?? '');
      next.aoc = combo ? next.aoc || (combo.cocs.length === 1 ? combo.cocs[0]!.id : '') : '';
    }
    if (next.dataSet !== choice.dataSet || next.period !== choice.period || next.orgUnit !== choice.orgUnit || next.aoc !== choice.aoc) setChoice(next);
    // The choice is read from the address.
  }, [list, summary, ds, groups, placesKnown, choice.dataSet, choice.period, choice.orgUnit, choice.aoc]);

  const ready = ds !== null && choice.dataSet === ds.id && choice.orgUnit !== '' && choice.period !== '' && (!aocCombo || choice.aoc !== '');
  const unit: Schema<'ReportingUnit'> = {
    dataSet: choice.dataSet,
    period: choice.period,
    orgUnit: choice.orgUnit,
    ...(choice.aoc ? { attributeOptionCombo: choice.aoc } : {}),
  };
  const threshold = choice.threshold && choice.method !== 'MIN_MAX' && choice.method !== 'NONE' ? Number(choice.threshold) : undefined;
  const completeness = $api.useQuery('get', '/api/completeness', { params: { query: unit } }, { enabled: ready });
  const validation = $api.useQuery(
    'get',
    '/api/validation',
    {
      params: {
        query: { ...unit, children: 'true', outliers: choice.method, ...(threshold !== undefined && Number.isFinite(threshold) ? { threshold } : {}) },
      },
    },
    { enabled: ready },
  );

  const names = useMemo(() => new Map(ds ? ds.dataElements.map((d) => [d.id, d.name]) : []), [ds]);
  const aocNames = useMemo(() => new Map(aocCombo ? aocCombo.cocs.map((c) => [c.id, c.name]) : []), [aocCombo]);
  /** What the attribute combo stands for: "Project", "Implementing partner"… */
  const aocLabel = aocCombo ? attributeLabel(aocCombo) : '';

  function commitThreshold() {
    const typed = thresholdDraft.trim();
    const n = typed === '' ? null : f.parseNumber(typed);
    if (typed !== '' && (n === null || n <= 0)) {
      setThresholdError(true);
      return;
    }
    setThresholdError(false);
    const next = n === null ? '' : String(n);
    if (next !== choice.threshold) setChoice({ ...choice, threshold: next });
  }

  return (
    <main id="main" tabIndex={-1} className="page monitoring-page quality-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>{t('quality.title')}</h1>
        <p className="lede">{t('quality.lede')}</p>
      </div>
      {!list ? (
        <LoadStatus load={queryLoad(dataSets)} what={t('what.dataSets')} onRetry={() => void dataSets.refetch()} />
      ) : list.length === 0 ? (
        <p className="empty">{t('monitoring.noDataSet')}</p>
      ) : (
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('quality.pickerLabel')} data-testid="quality-picker">
          <DataSetField
            id={`${uid}-ds`}
            dataSets={list}
            value={choice.dataSet}
            onChange={(id) => setChoice({ ...choice, dataSet: id, orgUnit: '', period: '', aoc: '' })}
          />
          {ds ? (
            <>
              <PlaceField
                id={`${uid}-ou`}
                groups={groups}
                value={choice.orgUnit}
                placeholder={t('quality.choosePlace')}
                label={(p) => placeOptionLabel(p, t)}
                onChange={(orgUnit) => setChoice({ ...choice, orgUnit })}
              />
              <PeriodField id={`${uid}-pe`} periodType={ds.periodType} value={choice.period} onChange={(period) => setChoice({ ...choice, period })} />
              {aocCombo ? <AocField id={`${uid}-aoc`} combo={aocCombo} value={choice.aoc} onChange={(aoc) => setChoice({ ...choice, aoc })} /> : null}
              <div className="field">
                <label htmlFor={`${uid}-method`}>{t('quality.outliers')}</label>
                <select
                  id={`${uid}-method`}
                  name="outliers"
                  value={choice.method}
                  onChange={(e) => setChoice({ ...choice, method: e.target.value as Method, threshold: '' })}
                >
                  {METHODS.map((m) => (
                    <option key={m} value={m}>
                      {named(t, 'outlierMethods', m)}
                    </option>
                  ))}
                </select>
              </div>
              {choice.method === 'MOD_Z_SCORE' || choice.method === 'Z_SCORE' ? (
                <div className="field field--narrow">
                  <label htmlFor={`${uid}-threshold`}>{t('quality.threshold')}</label>
                  <input
                    id={`${uid}-threshold`}
                    name="threshold"
                    type="text"
                    inputMode="decimal"
                    value={thresholdDraft}
                    placeholder={f.number(DEFAULT_THRESHOLD[choice.method]!)}
                    aria-invalid={thresholdError ? true : undefined}
                    aria-describedby={thresholdError ? `${uid}-threshold-error` : undefined}
                    onChange={(e) => setThresholdDraft(e.target.value)}
                    onBlur={commitThreshold}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') commitThreshold();
                    }}
                  />
                  {thresholdError ? (
                    <p className="field-error" id={`${uid}-threshold-error`}>
                      {t('quality.thresholdInvalid')}
                    </p>
                  ) : null}
                </div>
              ) : null}
            </>
          ) : null}
        </form>
      )}
      {detail.status === 'error' ? <LoadStatus load={queryLoad(detail)} what={t('what.dataSet')} onRetry={() => void detail.refetch()} /> : null}
      {ds && ds.organisationUnits.length === 0 ? (
        <p className="empty">{t('quality.notAssigned', { name: ds.name })}</p>
      ) : ds && !ready ? (
        <p className="empty">
          {t('quality.chooseToSee', {
            what: !choice.orgUnit
              ? t('entry.missing.place')
              : !choice.period
                ? t('entry.missing.period')
                : t('entry.missing.aoc', { what: aocLabel.toLowerCase() || t('entry.missing.project') }),
          })}
        </p>
      ) : null}

      {ready && ds ? (
        <>
          <section className="quality-section" aria-labelledby={`${uid}-completeness`}>
            <h2 id={`${uid}-completeness`}>{t('quality.completenessTitle')}</h2>
            {!completeness.data ? (
              <LoadStatus load={queryLoad(completeness)} what={t('what.completeness')} onRetry={() => void completeness.refetch()} />
            ) : (
              <CompletenessView c={completeness.data} ds={ds} aoc={choice.aoc} aocLabel={aocLabel} language={i18n.language} />
            )}
            <ApprovalPanel unit={unit} />
          </section>
          <section className="quality-section" aria-labelledby={`${uid}-validation`}>
            <h2 id={`${uid}-validation`}>{t('quality.validationTitle')}</h2>
            {!validation.data ? (
              <LoadStatus load={queryLoad(validation)} what={t('what.validation')} onRetry={() => void validation.refetch()} />
            ) : (
              <ValidationView v={validation.data} ds={ds} aoc={choice.aoc} aocLabel={aocLabel} names={names} aocNames={aocNames} language={i18n.language} />
            )}
          </section>
        </>
      ) : null}
    </main>
  );
}

function placeOptionLabel(p: PlaceChoice, t: ReturnType<typeof useTranslation<'monitoring'>>['t']): string {
  const indent = '\u2003'.repeat(p.depth);
  if (p.level === 'site') return `${indent}${p.name}`;
  return `${indent}${p.level === 'country' ? t('quality.wholeCountry', { name: p.name, count: p.assigned }) : t('quality.area', { name: p.name, count: p.assigned })}`;
}

/**
 * The approval of the chosen place (a site, or an area or country above sites) for the period:
 * approve or withdraw it (country managers, administrators). Bottom-up: the server refuses while
 * places below that reported are not approved, and the page shows its message naming them.
 */
function ApprovalPanel({ unit }: { unit: Schema<'ReportingUnit'> }) {
  const { t } = useTranslation('monitoring');
  const { f } = useNumbers();
  const canApprove = useCan('data:approve');
  const state = $api.useQuery('get', '/api/dataApprovals', { params: { query: unit } }, { placeholderData: (previous) => previous });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const key = JSON.stringify(unit);
  useEffect(() => {
    setError(null);
    setNotice(null);
  }, [key]);
  // After a refusal the message takes the focus (the button is disabled while it was busy).
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function act(method: 'POST' | 'DELETE') {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (method === 'POST') await data(api.POST('/api/dataApprovals', { body: unit }));
      else await data(api.DELETE('/api/dataApprovals', { params: { query: unit } }));
      setNotice(method === 'POST' ? t('approval.approvedNotice') : t('approval.withdrawnNotice'));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (!state.data) return <LoadStatus load={queryLoad(state)} what={t('what.approval')} onRetry={() => void state.refetch()} />;
  const a = state.data;
  const above = a.approvedAbove[0];
  return (
    <div className="approval-panel" data-testid="quality-approval" data-approved={a.approved ? 'here' : above ? 'above' : 'no'}>
      <h3>{t('approval.title', { place: a.orgUnit.name })}</h3>
      {a.approved ? (
        <p>
          <span className="status-badge status-badge--planned">{t('entry.approved')}</span>{' '}
          {t('approval.approvedHere', { by: a.approved.approvedBy, at: f.dateTime(a.approved.approvedAt) })}
        </p>
      ) : above ? (
        <p>
          <span className="status-badge status-badge--planned">{t('approval.approvedAboveBadge')}</span>{' '}
          {t('approval.approvedAbove', { place: above.placeName, by: above.approvedBy, at: f.dateTime(above.approvedAt) })}
        </p>
      ) : (
        <p>
          <span className="status-badge status-badge--closed">{t('entry.notApproved')}</span> {t('approval.hint', { place: a.orgUnit.name })}
          {a.approvedBelow.length > 0 ? ` ${t('approval.soFar', { places: a.approvedBelow.map((b) => b.placeName).join(', ') })}` : ''}
        </p>
      )}
      {canApprove ? (
        a.approved ? (
          <button type="button" className="button--secondary" disabled={busy} onClick={() => void act('DELETE')} data-testid="quality-unapprove">
            {busy ? t('entry.unapproving') : t('approval.unapprove', { place: a.orgUnit.name })}
          </button>
        ) : !above ? (
          <button type="button" disabled={busy} onClick={() => void act('POST')} data-testid="quality-approve">
            {busy ? t('entry.approving') : t('approval.approve', { place: a.orgUnit.name })}
          </button>
        ) : null
      ) : null}
      {error ? (
        <p className="form-summary approval-panel__message" role="alert" data-testid="approval-error" tabIndex={-1} ref={errorRef}>
          <strong>{t('approval.refused')}</strong> {error}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice--success approval-panel__message" role="status">
          {notice}
        </p>
      ) : null}
    </div>
  );
}

/** A horizontal bar: complete on time, complete late, not complete (of the expected forms). */
function CompletenessBar({ expected, completed, onTime }: { expected: number; completed: number; onTime: number }) {
  const { t } = useTranslation('monitoring');
  if (expected === 0) return null;
  const w = (n: number) => (100 * n) / expected;
  const late = completed - onTime;
  const missing = expected - completed;
  return (
    <figure className="completeness-bar" data-testid="completeness-bar">
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={t('completeness.barLabel', { onTime, late, missing, count: expected })}>
        <rect x={0} y={0} width={w(onTime)} height={6} className="completeness-bar__ontime" />
        <rect x={w(onTime)} y={0} width={w(late)} height={6} className="completeness-bar__late" />
        <rect x={w(completed)} y={0} width={w(missing)} height={6} className="completeness-bar__missing" />
      </svg>
      <figcaption>
        <span className="legend-key legend-key--ontime" /> {t('completeness.legendOnTime', { n: onTime })} · <span className="legend-key legend-key--late" />{' '}
        {t('completeness.legendLate', { n: late })} · <span className="legend-key legend-key--missing" /> {t('completeness.legendMissing', { n: missing })}
      </figcaption>
    </figure>
  );
}

function CompletenessView({ c, ds, aoc, aocLabel, language }: { c: Completeness; ds: DataSetDetail; aoc: string; aocLabel: string; language: string }) {
  const { t } = useTranslation('monitoring');
  const { num, pct, f } = useNumbers();
  const approved = c.places.filter((p) => p.approved).length;
  const deadline = new Date(Date.parse(`${c.period.endDate}T00:00:00Z`) + (c.timelyDays + 1) * 86_400_000 - 1).toISOString().slice(0, 10);
  const places = [...c.places].sort((a, b) => Number(a.completed) - Number(b.completed) || a.place.name.localeCompare(b.place.name));
  return (
    <div data-testid="completeness" data-completeness={c.completeness ?? ''} data-timeliness={c.timeliness ?? ''}>
      <p className="muted">
        {c.dataSet.name} · {periodLabel(c.period, language)} · {c.orgUnit.name}
        {c.attributeOptionCombo && c.attributeOptionCombo.name !== 'default' ? ` · ${c.attributeOptionCombo.name}` : ''}.{' '}
        {t('completeness.rule', { date: f.date(deadline), count: c.timelyDays })}
      </p>
      {c.expected === 0 ? (
        <p className="empty">{t('completeness.noneExpected')}</p>
      ) : (
        <>
          <div className="stat-cards">
            <div className="stat-card" data-testid="completeness-rate">
              <span className="stat-card__label">{t('completeness.completeness')}</span>
              <span className="stat-card__value">{pct(c.completeness)}</span>
              <span className="stat-card__note">{t('completeness.completedOf', { n: c.completed, count: c.expected })}</span>
            </div>
            <div className="stat-card" data-testid="timeliness-rate">
              <span className="stat-card__label">{t('completeness.timeliness')}</span>
              <span className="stat-card__value">{pct(c.timeliness)}</span>
              <span className="stat-card__note">{t('completeness.onTimeOf', { n: c.onTime, expected: c.expected, count: c.timelyDays })}</span>
            </div>
            <div className="stat-card">
              <span className="stat-card__label">{t('completeness.approved')}</span>
              <span className="stat-card__value">{t('completeness.nOfM', { n: approved, m: c.expected })}</span>
              <span className="stat-card__note">{t('completeness.approvedNote')}</span>
            </div>
          </div>
          <CompletenessBar expected={c.expected} completed={c.completed} onTime={c.onTime} />
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="completeness-table">
              <caption className="visually-hidden">{t('completeness.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pickers.place')}</th>
                  <th scope="col" className="num">
                    {aocLabel ? t('completeness.valuesEveryAoc', { what: aocLabel.toLowerCase() }) : t('completeness.values')}
                  </th>
                  <th scope="col">{t('completeness.complete')}</th>
                  <th scope="col">{t('completeness.onTime')}</th>
                  <th scope="col">{t('completeness.approved')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('quality.form')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {places.map((p) => (
                  <tr key={p.place.id} data-place-id={p.place.id} data-completed={p.completed ? 'true' : 'false'}>
                    <th scope="row">{p.place.name}</th>
                    <td className="num">{num(p.values)}</td>
                    <td>
                      {p.completed ? (
                        <>
                          <span className="yes">{t('grid.yes')}</span>
                          <span className="cell-note">
                            {p.completedBy}, {p.completedAt ? f.dateTime(p.completedAt) : '—'}
                          </span>
                        </>
                      ) : (
                        <span className="no">{t('grid.no')}</span>
                      )}
                    </td>
                    <td>
                      {p.completed ? (
                        p.onTime ? (
                          <span className="yes">{t('grid.yes')}</span>
                        ) : (
                          <span className="no">{t('completeness.late')}</span>
                        )
                      ) : (
                        <span className="cell-muted">—</span>
                      )}
                    </td>
                    <td>{p.approved ? <span className="yes">{t('entry.approved')}</span> : <span className="cell-muted">{t('grid.no')}</span>}</td>
                    <td className="cell-nowrap">
                      <Link to={entryLink({ dataSet: ds.id, orgUnit: p.place.id, period: c.period.id, aoc })}>{t('quality.openForm')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function ValidationView({
  v,
  ds,
  aoc,
  aocLabel,
  names,
  aocNames,
  language,
}: {
  v: ValidationResult;
  ds: DataSetDetail;
  aoc: string;
  aocLabel: string;
  names: Map<string, string>;
  aocNames: Map<string, string>;
  language: string;
}) {
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  const [allOutliers, setAllOutliers] = useState(false);
  const [everyProject, setEveryProject] = useState(false);
  // The server checks outliers over every project; the page shows the chosen one's unless asked.
  const forProject = (aocNames.size > 0 && !everyProject ? v.outliers.filter((o) => o.attributeOptionCombo === aoc) : v.outliers)
    .slice()
    // Scored outliers first (most extreme first); then those without a score (a constant history,
    // where any change stands out), by how far they are from it.
    .sort((a, b) =>
      a.score !== null && b.score !== null
        ? Math.abs(b.score) - Math.abs(a.score)
        : a.score !== null
          ? -1
          : b.score !== null
            ? 1
            : Math.abs(b.value - (b.center ?? b.value)) - Math.abs(a.value - (a.center ?? a.value)),
    );
  const others = v.outliers.length - forProject.length;
  const outliers = allOutliers ? forProject : forProject.slice(0, OUTLIERS_SHOWN);
  const threshold = v.outliers[0]?.threshold;
  const projectWord = aocNames.size > 0 ? (aocNames.get(aoc) ?? t('validation.thisAoc', { what: aocLabel.toLowerCase() })) : '';
  const otherWord = t('validation.otherAocs', { what: aocLabel.toLowerCase() });
  const method = named(t, 'outlierMethods', v.outlierMethod).toLowerCase();

  function expected(o: Outlier): string {
    if (o.method === 'MIN_MAX') return t('validation.between', { min: num(o.min), max: num(o.max) });
    if (o.center === null) return '—';
    return o.method === 'MOD_Z_SCORE' ? t('validation.median', { value: num(o.center) }) : t('validation.mean', { value: num(o.center) });
  }

  return (
    <div data-testid="validation-results" data-violations={v.ruleViolations.length} data-outliers={v.outliers.length}>
      <p className="muted" data-testid="validation-summary">
        {v.places > 1 ? t('validation.placesBelow', { name: v.orgUnit.name, count: v.places - 1, n: num(v.places - 1) }) : v.orgUnit.name} ·{' '}
        {t('validation.rulesChecked', { count: v.rulesChecked, n: num(v.rulesChecked) })} ·{' '}
        {t('validation.valuesIn', { count: v.valuesChecked, n: num(v.valuesChecked), period: periodLabel(v.period, language) })} ·{' '}
        {threshold ? t('validation.outliersWithThreshold', { method, threshold: num(threshold) }) : t('validation.outliersMethod', { method })}
      </p>

      <h3>{t('validation.violations')}</h3>
      {v.ruleViolations.length === 0 ? (
        <p className="empty empty--good" data-testid="no-violations">
          {v.rulesChecked === 0 ? t('validation.noRule') : t('validation.noneBroken')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table data-table--compact" data-testid="violations-table">
            <thead>
              <tr>
                <th scope="col">{t('pickers.place')}</th>
                <th scope="col">{t('violations.rule')}</th>
                <th scope="col">{t('violations.importance')}</th>
                <th scope="col" className="num">
                  {t('violations.left')}
                </th>
                <th scope="col">{t('validation.mustBe')}</th>
                <th scope="col" className="num">
                  {t('violations.right')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('quality.form')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {v.ruleViolations.map((r, i) => (
                <tr key={`${r.rule.id}-${r.orgUnit.id}-${i}`} data-rule={r.rule.code ?? r.rule.id} data-place-id={r.orgUnit.id}>
                  <th scope="row">{r.orgUnit.name}</th>
                  <td>
                    <strong>{r.rule.name}</strong>
                    {r.rule.description ? <span className="cell-note">{r.rule.description}</span> : null}
                  </td>
                  <td>
                    <span className={`importance importance--${r.rule.importance.toLowerCase()}`}>{named(t, 'importance', r.rule.importance)}</span>
                  </td>
                  <td className="num" title={readableExpression(r.leftSide.expression, names)}>
                    {num(r.leftSide.value)}
                  </td>
                  <td className="operator">{named(t, 'operatorSymbols', r.rule.operator)}</td>
                  <td className="num" title={readableExpression(r.rightSide.expression, names)}>
                    {num(r.rightSide.value)}
                  </td>
                  <td className="cell-nowrap">
                    <Link to={entryLink({ dataSet: ds.id, orgUnit: r.orgUnit.id, period: r.period, aoc: r.attributeOptionCombo || aoc })}>
                      {t('quality.openForm')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{t('quality.outliers')}</h3>
      {v.outlierMethod === 'NONE' ? (
        <p className="muted">{t('validation.notChecked')}</p>
      ) : forProject.length === 0 ? (
        <p className="empty empty--good" data-testid="no-outliers">
          {v.outlierMethod === 'MIN_MAX' ? t('validation.noOutlierMinMax') : t('validation.noOutlier')}
          {others > 0 ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => setEveryProject(true)}>
                {t('validation.showOthers', { count: others, others: otherWord })}
              </button>
            </>
          ) : null}
        </p>
      ) : (
        <>
          <p className="muted">
            {aocNames.size > 0
              ? `${everyProject ? t('validation.everyAoc', { what: aocLabel.toLowerCase() }) : t('validation.forAoc', { what: projectWord })} `
              : ''}
            {t('validation.farFrom', { count: forProject.length, type: periodTypeName(t, ds.periodType).toLowerCase() })}
            {v.outlierMethod === 'MOD_Z_SCORE' ? ` ${t('validation.scoreModZ')}` : ''}
            {v.outlierMethod === 'Z_SCORE' ? ` ${t('validation.scoreZ')}` : ''}
            {others > 0 ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => setEveryProject(true)}>
                  {t('validation.alsoShow', { count: others, others: otherWord })}
                </button>
              </>
            ) : null}
            {everyProject ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => setEveryProject(false)}>
                  {t('validation.only', { what: projectWord })}
                </button>
              </>
            ) : null}
          </p>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="outliers-table">
              <thead>
                <tr>
                  <th scope="col">{t('pickers.place')}</th>
                  <th scope="col">{t('grid.dataElement')}</th>
                  <th scope="col">{t('validation.disaggregation')}</th>
                  {everyProject ? <th scope="col">{aocLabel}</th> : null}
                  <th scope="col" className="num">
                    {t('grid.value')}
                  </th>
                  <th scope="col">{t('grid.expected')}</th>
                  <th scope="col" className="num">
                    {v.outlierMethod === 'MIN_MAX' ? t('validation.outsideBy') : t('validation.score')}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t('quality.form')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {outliers.map((o, i) => (
                  <tr
                    key={`${o.dataElement.id}-${o.categoryOptionCombo.id}-${o.orgUnit.id}-${o.attributeOptionCombo}-${i}`}
                    data-place-id={o.orgUnit.id}
                    data-de={o.dataElement.id}
                  >
                    <th scope="row">{o.orgUnit.name}</th>
                    <td>{o.dataElement.name}</td>
                    <td>{o.categoryOptionCombo.name === 'default' ? <span className="cell-muted">{t('grid.total')}</span> : o.categoryOptionCombo.name}</td>
                    {everyProject ? <td>{aocNames.get(o.attributeOptionCombo) ?? o.attributeOptionCombo}</td> : null}
                    <td className="num num-strong">{num(o.value)}</td>
                    <td>{expected(o)}</td>
                    <td className="num">
                      {o.method === 'MIN_MAX' ? (
                        num(o.value < (o.min ?? 0) ? (o.min ?? 0) - o.value : o.value - (o.max ?? 0))
                      ) : o.score === null ? (
                        <span title={t('validation.anyChangeHint')}>{t('validation.anyChange')}</span>
                      ) : (
                        t('validation.scoreLimit', { score: num(Math.round(o.score * 10) / 10), limit: num(o.threshold) })
                      )}
                    </td>
                    <td className="cell-nowrap">
                      <Link
                        to={entryLink({
                          dataSet: ds.id,
                          orgUnit: o.orgUnit.id,
                          period: o.period,
                          aoc: o.attributeOptionCombo || aoc,
                          de: o.dataElement.id,
                          coc: o.categoryOptionCombo.id,
                        })}
                      >
                        {t('quality.openForm')}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {forProject.length > OUTLIERS_SHOWN && !allOutliers ? (
            <p>
              <button type="button" className="button--secondary" onClick={() => setAllOutliers(true)}>
                {t('validation.showAll', { count: forProject.length })}
              </button>
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
