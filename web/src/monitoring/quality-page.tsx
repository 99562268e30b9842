import { useEffect, useId, useMemo, useState } from 'react';
import { getJson, messageOf, sendJson } from '../api';
import { formatDateTime } from '../access/form';
import { LoadStatus } from '../components';
import { Link } from '../router';
import { useCan } from '../session';
import { useLoad } from '../use-load';
import { defaultPeriod, periodLabel, recentPeriods } from './periods';
import { AocField, DataSetField, PeriodField, PlaceField } from './pickers';
import {
  IMPORTANCE_NAMES,
  MonitoringNav,
  OPERATOR_SYMBOLS,
  OUTLIER_METHOD_NAMES,
  attributeCombo,
  entryLink,
  formatNumber,
  formatPercent,
  loadDataSet,
  loadDataSets,
  loadPlaces,
  queryParams,
  readableExpression,
  useAddress,
} from './shared';
import type { ApprovalState, Completeness, DataSetDetail, Outlier, PlaceItem, ValidationResult } from './types';

const METHODS = ['MOD_Z_SCORE', 'Z_SCORE', 'MIN_MAX', 'NONE'] as const;
const DEFAULT_THRESHOLD: Record<string, number> = { MOD_Z_SCORE: 3.5, Z_SCORE: 3 };
const OUTLIERS_SHOWN = 50;

interface Choice {
  dataSet: string;
  orgUnit: string;
  period: string;
  aoc: string;
  method: string;
  threshold: string;
}

/** A place the checks can run on: an assigned place, or an area or country above some. */
interface PlaceChoice {
  id: string;
  name: string;
  level: string;
  /** How many assigned places it holds (itself included). */
  assigned: number;
  depth: number;
}

/** The places to check, per country: the country, its areas and the assigned places, with how many assigned places each holds. */
function placeChoices(ds: DataSetDetail, places: PlaceItem[] | null): { country: string; places: PlaceChoice[] }[] {
  const byId = new Map((places ?? []).map((p) => [p.id, p]));
  const counts = new Map<string, number>();
  const chains: PlaceItem[][] = [];
  for (const ou of ds.organisationUnits) {
    const chain: PlaceItem[] = [];
    let p: PlaceItem | undefined = byId.get(ou.id) ?? { id: ou.id, code: ou.code, name: ou.name, level: ou.level, parentId: null };
    for (let i = 0; p && i < 10; i++) {
      chain.unshift(p);
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    for (const c of chain) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
    chains.push(chain);
  }
  const groups = new Map<string, Map<string, PlaceChoice>>();
  for (const chain of chains) {
    const country = chain[0]!.level === 'country' ? chain[0]!.name : 'Other places';
    const g = groups.get(country) ?? groups.set(country, new Map()).get(country)!;
    chain.forEach((p, depth) => g.set(p.id, { id: p.id, name: p.name, level: p.level, assigned: counts.get(p.id) ?? 1, depth }));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'Other places' ? 1 : b === 'Other places' ? -1 : a.localeCompare(b)))
    .map(([country, items]) => ({
      country,
      // Country first, then each area followed by its places (by depth, then name).
      places: [...items.values()].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name)),
    }));
}

function placeOptionLabel(p: PlaceChoice): string {
  const indent = '\u2003'.repeat(p.depth);
  if (p.level === 'site') return `${indent}${p.name}`;
  const what = p.level === 'country' ? 'whole country' : 'area';
  return `${indent}${p.name} (${what}: ${p.assigned} place${p.assigned === 1 ? '' : 's'})`;
}

/** `/monitoring/quality`: completeness, timeliness, validation rule violations and outliers of a data set for a period. */
export function DataQualityPage() {
  const uid = useId();
  const [choice, setChoice] = useState<Choice>(() => {
    const q = queryParams();
    return {
      dataSet: q.get('dataSet') ?? '',
      orgUnit: q.get('orgUnit') ?? '',
      period: q.get('period') ?? '',
      aoc: q.get('aoc') ?? '',
      method: METHODS.includes((q.get('outliers') ?? '') as (typeof METHODS)[number]) ? q.get('outliers')! : 'MOD_Z_SCORE',
      threshold: q.get('threshold') ?? '',
    };
  });
  const [thresholdDraft, setThresholdDraft] = useState(choice.threshold);
  useAddress('/monitoring/quality', {
    dataSet: choice.dataSet,
    orgUnit: choice.orgUnit,
    period: choice.period,
    aoc: choice.aoc,
    outliers: choice.method === 'MOD_Z_SCORE' ? undefined : choice.method,
    threshold: choice.threshold,
  });

  const [dataSets, retryDataSets] = useLoad('data-sets', loadDataSets);
  const [detail, retryDetail] = useLoad(choice.dataSet || null, () => loadDataSet(choice.dataSet));
  const [places] = useLoad('places', loadPlaces);
  const ds = detail.state === 'ready' && detail.data.id === choice.dataSet ? detail.data : null;
  const aocCombo = ds ? attributeCombo(ds) : null;
  const groups = useMemo(() => (ds ? placeChoices(ds, places.state === 'ready' ? places.data : null) : []), [ds, places]);

  useEffect(() => {
    // Start on the data set reported at the most places.
    if (!choice.dataSet && dataSets.state === 'ready' && dataSets.data.length > 0) {
      const widest = [...dataSets.data].sort((a, b) => b.organisationUnitCount - a.organisationUnitCount)[0]!;
      setChoice((c) => ({ ...c, dataSet: widest.id }));
    }
  }, [dataSets, choice.dataSet]);
  // Start on the latest period that has ended and on the country with the most assigned places
  // (once the places are known, so that the countries are).
  const placesKnown = places.state !== 'loading';
  useEffect(() => {
    if (!ds || !placesKnown) return;
    const combo = attributeCombo(ds);
    const countries = groups.map((g) => g.places[0]!).filter((p) => p.level === 'country');
    const biggest = [...countries].sort((a, b) => b.assigned - a.assigned)[0] ?? groups[0]?.places[0];
    setChoice((c) => ({
      ...c,
      period: c.period || defaultPeriod(recentPeriods(ds.periodType)),
      orgUnit: c.orgUnit || (biggest?.id ?? ''),
      aoc: combo ? c.aoc || (combo.cocs.length === 1 ? combo.cocs[0]!.id : '') : '',
    }));
  }, [ds, groups, placesKnown]);

  const ready = ds !== null && choice.orgUnit !== '' && choice.period !== '' && (!aocCombo || choice.aoc !== '');
  const unit = new URLSearchParams({ dataSet: choice.dataSet, period: choice.period, orgUnit: choice.orgUnit });
  if (choice.aoc) unit.set('attributeOptionCombo', choice.aoc);
  const validationQuery = new URLSearchParams(unit);
  validationQuery.set('children', 'true');
  validationQuery.set('outliers', choice.method);
  if (choice.threshold && choice.method !== 'MIN_MAX' && choice.method !== 'NONE') validationQuery.set('threshold', choice.threshold);

  const [completeness, retryCompleteness] = useLoad(ready ? `completeness?${unit.toString()}` : null, () =>
    getJson<Completeness>(`/api/completeness?${unit.toString()}`),
  );
  const [validation, retryValidation] = useLoad(ready ? `validation?${validationQuery.toString()}` : null, () =>
    getJson<ValidationResult>(`/api/validation?${validationQuery.toString()}`),
  );

  const names = useMemo(() => new Map(ds ? ds.dataElements.map((d) => [d.id, d.name]) : []), [ds]);
  const aocNames = useMemo(() => new Map(aocCombo ? aocCombo.cocs.map((c) => [c.id, c.name]) : []), [aocCombo]);
  /** What the attribute combo stands for: "Project", "Implementing partner"… */
  const aocLabel = aocCombo ? (aocCombo.categories.length === 1 ? aocCombo.categories[0]!.name : aocCombo.name) : '';

  function commitThreshold() {
    const t = thresholdDraft.trim();
    setChoice((c) => (c.threshold === t ? c : { ...c, threshold: t }));
  }

  return (
    <main id="main" tabIndex={-1} className="page monitoring-page quality-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>Data quality</h1>
        <p className="lede">
          For a data set and period at a place (a country or area includes the places below it): which forms are complete and on
          time, which validation rules the values break, and which values are far from the same value in other periods. Open a
          form from any row to check or correct it.
        </p>
      </div>
      {dataSets.state !== 'ready' ? (
        <LoadStatus load={dataSets} what="the data sets" onRetry={retryDataSets} />
      ) : dataSets.data.length === 0 ? (
        <p className="empty">No data set is defined yet.</p>
      ) : (
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Choose what to check" data-testid="quality-picker">
          <DataSetField
            id={`${uid}-ds`}
            dataSets={dataSets.data}
            value={choice.dataSet}
            onChange={(id) => setChoice((c) => ({ ...c, dataSet: id, orgUnit: '', period: '', aoc: '' }))}
          />
          {ds ? (
            <>
              <PlaceField
                id={`${uid}-ou`}
                groups={groups}
                value={choice.orgUnit}
                placeholder="Choose a place…"
                label={placeOptionLabel}
                onChange={(orgUnit) => setChoice((c) => ({ ...c, orgUnit }))}
              />
              <PeriodField id={`${uid}-pe`} periodType={ds.periodType} value={choice.period} onChange={(period) => setChoice((c) => ({ ...c, period }))} />
              {aocCombo ? <AocField id={`${uid}-aoc`} combo={aocCombo} value={choice.aoc} onChange={(aoc) => setChoice((c) => ({ ...c, aoc }))} /> : null}
              <div className="field">
                <label htmlFor={`${uid}-method`}>Outliers</label>
                <select id={`${uid}-method`} name="outliers" value={choice.method} onChange={(e) => setChoice((c) => ({ ...c, method: e.target.value, threshold: '' }))}>
                  {METHODS.map((m) => (
                    <option key={m} value={m}>
                      {OUTLIER_METHOD_NAMES[m]}
                    </option>
                  ))}
                </select>
              </div>
              {choice.method === 'MOD_Z_SCORE' || choice.method === 'Z_SCORE' ? (
                <div className="field field--narrow">
                  <label htmlFor={`${uid}-threshold`}>Threshold</label>
                  <input
                    id={`${uid}-threshold`}
                    name="threshold"
                    type="text"
                    inputMode="decimal"
                    value={thresholdDraft}
                    placeholder={String(DEFAULT_THRESHOLD[choice.method])}
                    onChange={(e) => setThresholdDraft(e.target.value)}
                    onBlur={commitThreshold}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') commitThreshold();
                    }}
                  />
                </div>
              ) : null}
            </>
          ) : null}
        </form>
      )}
      {detail.state === 'error' ? <LoadStatus load={detail} what="the data set" onRetry={retryDetail} /> : null}
      {ds && ds.organisationUnits.length === 0 ? (
        <p className="empty">“{ds.name}” is not assigned to any place within your scope: there is nothing to check.</p>
      ) : ds && !ready ? (
        <p className="empty">Choose {!choice.orgUnit ? 'a place' : !choice.period ? 'a period' : `a ${aocCombo?.categories[0]?.name.toLowerCase() ?? 'project'}`} to see its data quality.</p>
      ) : null}

      {ready && ds ? (
        <>
          <section className="quality-section" aria-labelledby={`${uid}-completeness`}>
            <h2 id={`${uid}-completeness`}>Completeness and timeliness</h2>
            {completeness.state !== 'ready' ? (
              <LoadStatus load={completeness} what="completeness" onRetry={retryCompleteness} />
            ) : (
              <CompletenessView c={completeness.data} ds={ds} aoc={choice.aoc} aocLabel={aocLabel} />
            )}
            <ApprovalPanel unitQuery={unit.toString()} onChange={retryCompleteness} />
          </section>
          <section className="quality-section" aria-labelledby={`${uid}-validation`}>
            <h2 id={`${uid}-validation`}>Validation</h2>
            {validation.state !== 'ready' ? (
              <LoadStatus load={validation} what="the validation results" onRetry={retryValidation} />
            ) : (
              <ValidationView v={validation.data} ds={ds} aoc={choice.aoc} aocLabel={aocLabel} names={names} aocNames={aocNames} />
            )}
          </section>
        </>
      ) : null}
    </main>
  );
}

/**
 * The approval of the chosen place (a site, or an area or country above sites) for the period:
 * approve or withdraw it (country managers, administrators). Bottom-up: the server refuses while
 * places below that reported are not approved, and the page shows its message naming them.
 */
function ApprovalPanel({ unitQuery, onChange }: { unitQuery: string; onChange(): void }) {
  const canApprove = useCan('data:approve');
  const [version, setVersion] = useState(0);
  const [state, retry] = useLoad(`approval?${unitQuery}#${version}`, () => getJson<ApprovalState & { orgUnit: { name: string }; period: string }>(`/api/dataApprovals?${unitQuery}`), {
    keepPrevious: true,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    setNotice(null);
  }, [unitQuery]);

  async function act(method: 'POST' | 'DELETE') {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (method === 'POST') await sendJson('POST', '/api/dataApprovals', Object.fromEntries(new URLSearchParams(unitQuery)));
      else await sendJson('DELETE', `/api/dataApprovals?${unitQuery}`);
      setNotice(method === 'POST' ? 'Approved: the values here and below are locked.' : 'The approval is withdrawn.');
      setVersion((v) => v + 1);
      onChange();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (state.state !== 'ready') return <LoadStatus load={state} what="the approval" onRetry={retry} />;
  const a = state.data;
  const above = a.approvedAbove[0];
  return (
    <div className="approval-panel" data-testid="quality-approval" data-approved={a.approved ? 'here' : above ? 'above' : 'no'}>
      <h3>Approval at {a.orgUnit.name}</h3>
      {a.approved ? (
        <p>
          <span className="status-badge status-badge--planned">Approved</span> by {a.approved.approvedBy} on {formatDateTime(a.approved.approvedAt)}: the
          values here and below are locked.
        </p>
      ) : above ? (
        <p>
          <span className="status-badge status-badge--planned">Approved above</span> at {above.placeName} by {above.approvedBy} on{' '}
          {formatDateTime(above.approvedAt)}: the values are locked.
        </p>
      ) : (
        <p>
          <span className="status-badge status-badge--closed">Not approved</span> Approving locks the values of {a.orgUnit.name} and of every
          place below it. Approval goes bottom-up: the places below that reported must be approved first
          {a.approvedBelow.length > 0 ? ` (approved so far: ${a.approvedBelow.map((b) => b.placeName).join(', ')})` : ''}.
        </p>
      )}
      {canApprove ? (
        a.approved ? (
          <button type="button" className="button--secondary" disabled={busy} onClick={() => void act('DELETE')} data-testid="quality-unapprove">
            {busy ? 'Unapproving…' : `Unapprove ${a.orgUnit.name}`}
          </button>
        ) : !above ? (
          <button type="button" disabled={busy} onClick={() => void act('POST')} data-testid="quality-approve">
            {busy ? 'Approving…' : `Approve ${a.orgUnit.name}`}
          </button>
        ) : null
      ) : null}
      {error ? (
        <p className="form-summary approval-panel__message" role="alert" data-testid="approval-error">
          <strong>Not approved.</strong> {error}
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
  if (expected === 0) return null;
  const w = (n: number) => (100 * n) / expected;
  const late = completed - onTime;
  const missing = expected - completed;
  return (
    <figure className="completeness-bar" data-testid="completeness-bar">
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={`${onTime} on time, ${late} late, ${missing} not complete, of ${expected} forms`}>
        <rect x={0} y={0} width={w(onTime)} height={6} className="completeness-bar__ontime" />
        <rect x={w(onTime)} y={0} width={w(late)} height={6} className="completeness-bar__late" />
        <rect x={w(completed)} y={0} width={w(missing)} height={6} className="completeness-bar__missing" />
      </svg>
      <figcaption>
        <span className="legend-key legend-key--ontime" /> Complete on time: {onTime} · <span className="legend-key legend-key--late" /> Complete late:{' '}
        {late} · <span className="legend-key legend-key--missing" /> Not complete: {missing}
      </figcaption>
    </figure>
  );
}

function CompletenessView({ c, ds, aoc, aocLabel }: { c: Completeness; ds: DataSetDetail; aoc: string; aocLabel: string }) {
  const approved = c.places.filter((p) => p.approved).length;
  const deadline = new Date(Date.parse(`${c.period.endDate}T00:00:00Z`) + (c.timelyDays + 1) * 86_400_000 - 1);
  const places = [...c.places].sort((a, b) => Number(a.completed) - Number(b.completed) || a.place.name.localeCompare(b.place.name));
  return (
    <div data-testid="completeness" data-completeness={c.completeness ?? ''} data-timeliness={c.timeliness ?? ''}>
      <p className="muted">
        {c.dataSet.name} · {periodLabel(c.period)} · {c.orgUnit.name}
        {c.attributeOptionCombo.name !== 'default' ? ` · ${c.attributeOptionCombo.name}` : ''}. A form counts as complete when it is marked complete,
        and as on time when that happened by {deadline.toISOString().slice(0, 10)} ({c.timelyDays} days after the period ended).
      </p>
      {c.expected === 0 ? (
        <p className="empty">The data set is not assigned to any place here, so no form is expected.</p>
      ) : (
        <>
          <div className="stat-cards">
            <div className="stat-card" data-testid="completeness-rate">
              <span className="stat-card__label">Completeness</span>
              <span className="stat-card__value">{formatPercent(c.completeness)}</span>
              <span className="stat-card__note">
                {c.completed} of {c.expected} expected forms marked complete
              </span>
            </div>
            <div className="stat-card" data-testid="timeliness-rate">
              <span className="stat-card__label">Timeliness</span>
              <span className="stat-card__value">{formatPercent(c.timeliness)}</span>
              <span className="stat-card__note">
                {c.onTime} of {c.expected} complete within {c.timelyDays} days after the period
              </span>
            </div>
            <div className="stat-card">
              <span className="stat-card__label">Approved</span>
              <span className="stat-card__value">
                {approved} of {c.expected}
              </span>
              <span className="stat-card__note">forms approved (locked)</span>
            </div>
          </div>
          <CompletenessBar expected={c.expected} completed={c.completed} onTime={c.onTime} />
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="completeness-table">
              <caption className="visually-hidden">Reporting status per place, incomplete first</caption>
              <thead>
                <tr>
                  <th scope="col">Place</th>
                  <th scope="col" className="num">
                    {aocLabel ? `Values entered (every ${aocLabel.toLowerCase()})` : 'Values entered'}
                  </th>
                  <th scope="col">Complete</th>
                  <th scope="col">On time</th>
                  <th scope="col">Approved</th>
                  <th scope="col">
                    <span className="visually-hidden">Form</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {places.map((p) => (
                  <tr key={p.place.id} data-place-id={p.place.id} data-completed={p.completed ? 'true' : 'false'}>
                    <th scope="row">{p.place.name}</th>
                    <td className="num">{formatNumber(p.values)}</td>
                    <td>
                      {p.completed ? (
                        <>
                          <span className="yes">Yes</span>
                          <span className="cell-note">
                            {p.completedBy}, {formatDateTime(p.completedAt)}
                          </span>
                        </>
                      ) : (
                        <span className="no">No</span>
                      )}
                    </td>
                    <td>{p.completed ? p.onTime ? <span className="yes">Yes</span> : <span className="no">Late</span> : <span className="cell-muted">—</span>}</td>
                    <td>{p.approved ? <span className="yes">Approved</span> : <span className="cell-muted">No</span>}</td>
                    <td className="cell-nowrap">
                      <Link to={entryLink({ dataSet: ds.id, orgUnit: p.place.id, period: c.period.id, aoc })}>Open form</Link>
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

function outlierExpected(o: Outlier): string {
  if (o.method === 'MIN_MAX') return `between ${formatNumber(o.min)} and ${formatNumber(o.max)}`;
  if (o.center === null) return '—';
  return `${o.method === 'MOD_Z_SCORE' ? 'median' : 'mean'} ${formatNumber(o.center)}`;
}

function ValidationView({
  v,
  ds,
  aoc,
  aocLabel,
  names,
  aocNames,
}: {
  v: ValidationResult;
  ds: DataSetDetail;
  aoc: string;
  aocLabel: string;
  names: Map<string, string>;
  aocNames: Map<string, string>;
}) {
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
  const projectWord = aocNames.size > 0 ? (aocNames.get(aoc) ?? `this ${aocLabel.toLowerCase()}`) : '';
  const otherWord = `other ${aocLabel.toLowerCase()}s`;
  return (
    <div data-testid="validation-results" data-violations={v.ruleViolations.length} data-outliers={v.outliers.length}>
      <p className="muted" data-testid="validation-summary">
        {v.places > 1 ? `${v.orgUnit.name} and ${formatNumber(v.places - 1)} place${v.places === 2 ? '' : 's'} below it` : v.orgUnit.name} · {formatNumber(v.rulesChecked)} rule{v.rulesChecked === 1 ? '' : 's'} checked ·{' '}
        {formatNumber(v.valuesChecked)} value{v.valuesChecked === 1 ? '' : 's'} in {periodLabel(v.period)} · outliers:{' '}
        {(OUTLIER_METHOD_NAMES[v.outlierMethod] ?? v.outlierMethod).toLowerCase()}
        {threshold ? `, flagged above a score of ${formatNumber(threshold)}` : ''}.
      </p>

      <h3>Rule violations</h3>
      {v.ruleViolations.length === 0 ? (
        <p className="empty empty--good" data-testid="no-violations">
          {v.rulesChecked === 0 ? 'No validation rule applies to this data set and period type.' : 'No validation rule is broken.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table data-table--compact" data-testid="violations-table">
            <thead>
              <tr>
                <th scope="col">Place</th>
                <th scope="col">Rule</th>
                <th scope="col">Importance</th>
                <th scope="col" className="num">
                  Left side
                </th>
                <th scope="col">Must be</th>
                <th scope="col" className="num">
                  Right side
                </th>
                <th scope="col">
                  <span className="visually-hidden">Form</span>
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
                    <span className={`importance importance--${r.rule.importance.toLowerCase()}`}>{IMPORTANCE_NAMES[r.rule.importance] ?? r.rule.importance}</span>
                  </td>
                  <td className="num" title={readableExpression(r.leftSide.expression, names)}>
                    {formatNumber(r.leftSide.value)}
                  </td>
                  <td className="operator">{OPERATOR_SYMBOLS[r.rule.operator] ?? r.rule.operator}</td>
                  <td className="num" title={readableExpression(r.rightSide.expression, names)}>
                    {formatNumber(r.rightSide.value)}
                  </td>
                  <td className="cell-nowrap">
                    <Link to={entryLink({ dataSet: ds.id, orgUnit: r.orgUnit.id, period: r.period, aoc: r.attributeOptionCombo || aoc })}>Open form</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>Outliers</h3>
      {v.outlierMethod === 'NONE' ? (
        <p className="muted">Outliers were not checked: choose a method above.</p>
      ) : forProject.length === 0 ? (
        <p className="empty empty--good" data-testid="no-outliers">
          {v.outlierMethod === 'MIN_MAX'
            ? 'No value is outside its expected minimum and maximum (values without stored bounds are not checked).'
            : 'No value stands out from the same value in the other periods.'}
          {others > 0 ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => setEveryProject(true)}>
                Show the {others} outlier{others === 1 ? '' : 's'} of {otherWord}
              </button>
            </>
          ) : null}
        </p>
      ) : (
        <>
          <p className="muted">
            {aocNames.size > 0 ? (everyProject ? `Every ${aocLabel.toLowerCase()}: ` : `${projectWord}: `) : ''}
            {forProject.length} value{forProject.length === 1 ? '' : 's'} far from the same disaggregation at the same place in the other{' '}
            {ds.periodType.toLowerCase()} periods, most extreme first.
            {v.outlierMethod === 'MOD_Z_SCORE' ? ' Score: distance from the median in robust standard deviations (0.6745 × |value − median| ÷ MAD).' : ''}
            {v.outlierMethod === 'Z_SCORE' ? ' Score: distance from the mean in standard deviations.' : ''}
            {others > 0 ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => setEveryProject(true)}>
                  Also show the {others} of {otherWord}
                </button>
              </>
            ) : null}
            {everyProject ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => setEveryProject(false)}>
                  Only {projectWord}
                </button>
              </>
            ) : null}
          </p>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="outliers-table">
              <thead>
                <tr>
                  <th scope="col">Place</th>
                  <th scope="col">Data element</th>
                  <th scope="col">Disaggregation</th>
                  {everyProject ? <th scope="col">{aocLabel}</th> : null}
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Expected</th>
                  <th scope="col" className="num">
                    {v.outlierMethod === 'MIN_MAX' ? 'Outside by' : 'Score'}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Form</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {outliers.map((o, i) => (
                  <tr key={`${o.dataElement.id}-${o.categoryOptionCombo.id}-${o.orgUnit.id}-${o.attributeOptionCombo}-${i}`} data-place-id={o.orgUnit.id} data-de={o.dataElement.id}>
                    <th scope="row">{o.orgUnit.name}</th>
                    <td>{o.dataElement.name}</td>
                    <td>{o.categoryOptionCombo.name === 'default' ? <span className="cell-muted">Total</span> : o.categoryOptionCombo.name}</td>
                    {everyProject ? <td>{aocNames.get(o.attributeOptionCombo) ?? o.attributeOptionCombo}</td> : null}
                    <td className="num num-strong">{formatNumber(o.value)}</td>
                    <td>{outlierExpected(o)}</td>
                    <td className="num">
                      {o.method === 'MIN_MAX'
                        ? formatNumber(o.value < (o.min ?? 0) ? (o.min ?? 0) - o.value : o.value - (o.max ?? 0))
                        : o.score === null
                          ? <span title="The other periods all have the same value, so any other value stands out (no spread to score against).">any change</span>
                          : `${formatNumber(Math.round(o.score * 10) / 10)} (limit ${formatNumber(o.threshold)})`}
                    </td>
                    <td className="cell-nowrap">
                      <Link
                        to={entryLink({ dataSet: ds.id, orgUnit: o.orgUnit.id, period: o.period, aoc: o.attributeOptionCombo || aoc, de: o.dataElement.id, coc: o.categoryOptionCombo.id })}
                      >
                        Open form
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
                Show all {forProject.length} outliers
              </button>
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
