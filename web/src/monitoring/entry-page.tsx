import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { ApiError, getJson, messageOf, sendJson } from '../api';
import { formatDateTime } from '../access/form';
import { IllustrativeBadge, LoadStatus } from '../components';
import { Link } from '../router';
import { roleName, useCan, useMe } from '../session';
import { useLoad } from '../use-load';
import { EntryGrid, initialFilter, nameIds } from './entry-grid';
import type { RowFilter } from './entry-grid';
import { defaultPeriod, periodLabel, recentPeriods } from './periods';
import { AocField, DataSetField, PeriodField, PlaceField, byCountry } from './pickers';
import {
  IMPORTANCE_NAMES,
  MonitoringNav,
  OPERATOR_SYMBOLS,
  attributeCombo,
  formatNumber,
  loadDataSet,
  loadDataSets,
  loadPlaces,
  queryParams,
  readableExpression,
  useAddress,
} from './shared';
import type { ApprovalState, DataSetDetail, EntryForm, RuleViolation, ValidationResult } from './types';

interface Unit {
  dataSet: string;
  orgUnit: string;
  period: string;
  aoc: string;
}

function unitQuery(u: Unit): string {
  const q = new URLSearchParams({ dataSet: u.dataSet, period: u.period, orgUnit: u.orgUnit });
  if (u.aoc) q.set('attributeOptionCombo', u.aoc);
  return q.toString();
}

function unitBody(u: Unit) {
  return { dataSet: u.dataSet, period: u.period, orgUnit: u.orgUnit, ...(u.aoc ? { attributeOptionCombo: u.aoc } : {}) };
}

/** `/monitoring/entry`: the data entry form of a data set for a place, period and project. */
export function DataEntryPage() {
  const uid = useId();
  const [unit, setUnit] = useState<Unit>(() => {
    const q = queryParams();
    return { dataSet: q.get('dataSet') ?? '', orgUnit: q.get('orgUnit') ?? '', period: q.get('period') ?? '', aoc: q.get('aoc') ?? '' };
  });
  // A cell to show (from a data quality link), on the form the link opened only.
  const [linked] = useState(() => {
    const q = queryParams();
    const de = q.get('de');
    const coc = q.get('coc');
    const u = { dataSet: q.get('dataSet') ?? '', orgUnit: q.get('orgUnit') ?? '', period: q.get('period') ?? '', aoc: q.get('aoc') ?? '' };
    return de && coc ? { de, coc, unit: u } : null;
  });
  const focus =
    linked && linked.unit.dataSet === unit.dataSet && linked.unit.orgUnit === unit.orgUnit && linked.unit.period === unit.period && (!linked.unit.aoc || !unit.aoc || linked.unit.aoc === unit.aoc)
      ? { de: linked.de, coc: linked.coc }
      : null;
  useAddress('/monitoring/entry', { dataSet: unit.dataSet, orgUnit: unit.orgUnit, period: unit.period, aoc: unit.aoc });

  const [dataSets, retryDataSets] = useLoad('data-sets', loadDataSets);
  const [detail, retryDetail] = useLoad(unit.dataSet || null, () => loadDataSet(unit.dataSet));
  const [places] = useLoad('places', loadPlaces);

  // Only one data set: choose it.
  useEffect(() => {
    if (!unit.dataSet && dataSets.state === 'ready' && dataSets.data.length === 1) setUnit((u) => ({ ...u, dataSet: dataSets.data[0]!.id }));
  }, [dataSets, unit.dataSet]);

  const ds = detail.state === 'ready' ? detail.data : null;
  const aocCombo = ds ? attributeCombo(ds) : null;
  // The period starts on the latest period that has ended; a single place or project is chosen.
  useEffect(() => {
    if (!ds) return;
    setUnit((u) => {
      const next = { ...u };
      if (!u.period) next.period = defaultPeriod(recentPeriods(ds.periodType));
      if (!u.orgUnit && ds.organisationUnits.length === 1) next.orgUnit = ds.organisationUnits[0]!.id;
      const combo = attributeCombo(ds);
      if (!combo) next.aoc = '';
      else if (!u.aoc && combo.cocs.length === 1) next.aoc = combo.cocs[0]!.id;
      return next;
    });
  }, [ds]);

  const placeGroups = useMemo(() => {
    if (!ds) return [];
    const byId = new Map(places.state === 'ready' ? places.data.map((p) => [p.id, p]) : []);
    return byCountry([...ds.organisationUnits], byId);
  }, [ds, places]);

  function chooseDataSet(id: string) {
    // Another data set has other places, periods and projects.
    setUnit({ dataSet: id, orgUnit: '', period: '', aoc: '' });
  }

  const ready = ds !== null && unit.dataSet === ds.id && unit.orgUnit !== '' && unit.period !== '' && (!aocCombo || unit.aoc !== '');
  const missing = !unit.dataSet ? 'a data set' : !unit.orgUnit ? 'a place' : !unit.period ? 'a period' : aocCombo && !unit.aoc ? `a ${aocCombo.categories[0]?.name.toLowerCase() ?? 'project'}` : '';

  return (
    <main id="main" tabIndex={-1} className="page monitoring-page entry-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>Data entry</h1>
        <p className="lede">
          Enter the values of a data set for one place and period. Each value is saved as soon as you leave its box (or press
          Enter); a value the server refuses stays in its box, outlined in red, with the reason under it.
        </p>
      </div>

      {dataSets.state !== 'ready' ? (
        <LoadStatus load={dataSets} what="the data sets" onRetry={retryDataSets} />
      ) : dataSets.data.length === 0 ? (
        <p className="empty">
          No data set is defined yet. An administrator can load DHIS2 metadata (data sets, data elements) on the{' '}
          <Link to="/monitoring/metadata">metadata page</Link> or with <code>POST /api/metadata</code>.
        </p>
      ) : (
        <>
          <form className="filters entry-picker" onSubmit={(e) => e.preventDefault()} aria-label="Choose the form" data-testid="entry-picker">
            <DataSetField id={`${uid}-ds`} dataSets={dataSets.data} value={unit.dataSet} onChange={chooseDataSet} />
            {ds && ds.id === unit.dataSet ? (
              <>
                <PlaceField
                  id={`${uid}-ou`}
                  groups={placeGroups}
                  value={unit.orgUnit}
                  placeholder={`Choose one of ${ds.organisationUnits.length} places…`}
                  onChange={(orgUnit) => setUnit((u) => ({ ...u, orgUnit }))}
                />
                <PeriodField id={`${uid}-pe`} periodType={ds.periodType} value={unit.period} onChange={(period) => setUnit((u) => ({ ...u, period }))} />
                {aocCombo ? <AocField id={`${uid}-aoc`} combo={aocCombo} value={unit.aoc} onChange={(aoc) => setUnit((u) => ({ ...u, aoc }))} /> : null}
              </>
            ) : null}
          </form>
          {detail.state === 'error' ? <LoadStatus load={detail} what="the data set" onRetry={retryDetail} /> : null}
          {ds && ds.organisationUnits.length === 0 ? (
            <p className="empty">
              “{ds.name}” is not assigned to any place within your scope, so it has no form to fill in. An administrator assigns
              data sets to places in the DHIS2 metadata (<code>organisationUnits</code> of the data set).
            </p>
          ) : ready ? (
            <FormView key={unitQuery(unit)} unit={unit} dataSet={ds} focus={focus} />
          ) : unit.dataSet && detail.state === 'loading' ? (
            <LoadStatus load={detail} what="the data set" onRetry={retryDetail} />
          ) : (
            <p className="empty">Choose {missing} to open the form.</p>
          )}
        </>
      )}
    </main>
  );
}

interface Loaded {
  /** Which load this is: the grid starts afresh from each. */
  seq: number;
  form: EntryForm;
  approval: ApprovalState | null;
  validation: ValidationResult | null;
}

let loads = 0;

/** The form of one unit: its status (complete, approved), rule violations and the grid. */
function FormView({ unit, dataSet, focus }: { unit: Unit; dataSet: DataSetDetail; focus: { de: string; coc: string } | null }) {
  const me = useMe();
  const canWrite = useCan('registry:write');
  const canApprove = useCan('data:approve');
  const [version, setVersion] = useState(0);
  const query = unitQuery(unit);
  const [load, retry] = useLoad(
    `${query}#${version}`,
    async (): Promise<Loaded> => {
      const [form, approval, validation] = await Promise.all([
        getJson<EntryForm>(`/api/dataEntry/form?${query}`),
        // The form stands without these: a failure leaves out what they add.
        getJson<ApprovalState>(`/api/dataApprovals?${query}`).catch(() => null),
        getJson<ValidationResult>(`/api/validation?${query}&children=false&outliers=NONE`).catch(() => null),
      ]);
      return { seq: ++loads, form, approval, validation };
    },
    { keepPrevious: true },
  );
  const [violations, setViolations] = useState<RuleViolation[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lockedMeanwhile, setLockedMeanwhile] = useState(false);
  const [filters, setFilters] = useState<Record<string, RowFilter> | null>(null);
  // The cell to show is shown once, on the first load (not again after completing or approving).
  const [focusSeq, setFocusSeq] = useState<number | null>(null);

  const loaded = load.state === 'ready' ? load.data : null;
  const form = loaded?.form ?? null;

  // Start each large disaggregation's row filter once, from the first load.
  useEffect(() => {
    if (!form || filters) return;
    const initial: Record<string, RowFilter> = {};
    for (const c of form.categoryCombos) {
      const focusCoc = focus && form.elements.some((e) => e.id === focus.de && e.categoryCombo === c.id) ? focus.coc : null;
      initial[c.id] = initialFilter(c, form.values, focusCoc);
    }
    setFilters(initial);
  }, [form, filters, focus]);

  useEffect(() => {
    if (loaded) setViolations(loaded.validation?.ruleViolations ?? null);
    if (loaded && focusSeq === null) setFocusSeq(loaded.seq);
  }, [loaded, focusSeq]);

  const names = useMemo(() => new Map(dataSet.dataElements.map((d) => [d.id, d.name])), [dataSet]);

  const save = useCallback(
    async (de: string, coc: string, value: string) => {
      try {
        const res = await sendJson<{ status: string; violations: RuleViolation[] }>('PUT', '/api/dataEntry/values', {
          ...unitBody(unit),
          dataElement: de,
          categoryOptionCombo: coc,
          value: value === '' ? null : value,
        });
        setViolations(res.violations);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'DATA_APPROVED') setLockedMeanwhile(true);
        throw err;
      }
    },
    [unit],
  );

  async function act(what: string, run: () => Promise<unknown>, done: string) {
    setBusy(what);
    setActionError(null);
    setNotice(null);
    try {
      await run();
      setNotice(done || null);
      setLockedMeanwhile(false);
      setVersion((v) => v + 1);
    } catch (err) {
      setActionError(nameIds(messageOf(err), names));
    } finally {
      setBusy(null);
    }
  }

  if (!loaded || !form || !filters) return <LoadStatus load={load.state === 'ready' ? { state: 'loading' } : load} what="the form" onRetry={retry} />;

  const approval = loaded.approval;
  const approvedHere = form.approved !== null && form.approved.placeId === form.orgUnit.id;
  const above = approval?.approvedAbove[0] ?? null;
  const approvedAt = approvedHere ? form.orgUnit.name : (above?.placeName ?? 'a place above');
  const editable = canWrite && !form.locked;
  const period = periodLabel(form.period);
  // The demo's values are made up: say so, as everywhere else in Corridor.
  const illustrative = form.values.some((v) => v.storedBy?.includes('illustrative'));

  return (
    <section
      className="entry-form"
      aria-label={`${form.dataSet.name}, ${form.orgUnit.name}, ${period}`}
      data-testid="entry-form"
      data-locked={form.locked ? 'true' : 'false'}
      data-completed={form.completed ? 'true' : 'false'}
    >
      <div className="entry-form__head">
        <h2>
          {form.orgUnit.name} · {period}
          {illustrative ? (
            <>
              {' '}
              <IllustrativeBadge what="Values of this form stored by the demo" />
            </>
          ) : null}
        </h2>
        <p className="muted">
          {form.dataSet.name}
          {form.attributeOptionCombo.name !== 'default' ? ` · ${form.attributeOptionCombo.name}` : ''} · {form.values.length} value
          {form.values.length === 1 ? '' : 's'} entered
        </p>
      </div>

      {form.locked && form.approved ? (
        <div className="locked-banner" data-testid="locked-banner" role="status">
          <LockIcon />
          <strong>
            Approved{approvedHere ? '' : ` at ${approvedAt}`} by {form.approved.by} on {formatDateTime(form.approved.at)} — values are locked.
          </strong>{' '}
          {approvedHere
            ? canApprove
              ? 'Unapprove the form to change them.'
              : 'Ask a country manager or an administrator to unapprove it to change them.'
            : `The approval at ${approvedAt} covers this place; it must be withdrawn there first.`}
        </div>
      ) : null}
      {lockedMeanwhile ? (
        <div className="status status--error" role="alert">
          <p>
            <strong>This form was approved meanwhile</strong>, so its values can no longer change.
          </p>
          <button type="button" onClick={() => setVersion((v) => v + 1)}>
            Reload the form
          </button>
        </div>
      ) : null}
      {!canWrite ? (
        <p className="notice notice--warning" data-testid="read-only">
          Your role ({roleName(me?.user.role ?? 'viewer')}) can read this form but not change it.
        </p>
      ) : null}

      <div className="entry-status" data-testid="form-status">
        <div className="entry-status__item" data-testid="completion" data-completed={form.completed ? 'true' : 'false'}>
          <h3>Completion</h3>
          {form.completed ? (
            <p>
              <span className="status-badge status-badge--active">Complete</span> marked by {form.completed.by} on{' '}
              {formatDateTime(form.completed.at)}.
            </p>
          ) : (
            <p>
              <span className="status-badge status-badge--closed">Not complete</span> Mark the form complete once every value of
              the period is entered: completeness reports count complete forms
              {dataSet.timelyDays > 0 ? ` (on time when marked within ${dataSet.timelyDays} days after the period ends)` : ''}.
            </p>
          )}
          {form.locked ? <p className="muted">While the form is approved it can be neither completed nor reopened.</p> : null}
          {canWrite ? (
            form.completed ? (
              <button
                type="button"
                className="button--secondary"
                data-testid="reopen-button"
                disabled={busy !== null || form.locked}
                onClick={() => void act('reopen', () => sendJson('DELETE', `/api/completeDataSetRegistrations?${query}`), 'The form is open again.')}
              >
                {busy === 'reopen' ? 'Reopening…' : 'Reopen'}
              </button>
            ) : (
              <button
                type="button"
                data-testid="complete-button"
                disabled={busy !== null || form.locked}
                onClick={() => void act('complete', () => sendJson('POST', '/api/completeDataSetRegistrations', unitBody(unit)), 'The form is marked complete.')}
              >
                {busy === 'complete' ? 'Marking complete…' : 'Mark complete'}
              </button>
            )
          ) : null}
        </div>
        <div className="entry-status__item" data-testid="approval" data-approved={approvedHere ? 'here' : form.locked ? 'above' : 'no'}>
          <h3>Approval</h3>
          {form.approved ? (
            <p>
              <span className="status-badge status-badge--planned">Approved</span>
              {approvedHere ? '' : ` at ${approvedAt}`} by {form.approved.by} on {formatDateTime(form.approved.at)}.
            </p>
          ) : (
            <p>
              <span className="status-badge status-badge--closed">Not approved</span> Approval locks the values here and below.
              Approve bottom-up: the places below must be approved first.
              {approval && approval.approvedBelow.length > 0
                ? ` Approved below: ${approval.approvedBelow.map((a) => a.placeName).join(', ')}.`
                : ''}
            </p>
          )}
          {canApprove ? (
            approvedHere ? (
              <button
                type="button"
                className="button--secondary"
                data-testid="unapprove-button"
                disabled={busy !== null}
                onClick={() => void act('unapprove', () => sendJson('DELETE', `/api/dataApprovals?${query}`), 'The approval is withdrawn: the values can change again.')}
              >
                {busy === 'unapprove' ? 'Unapproving…' : 'Unapprove'}
              </button>
            ) : !form.locked ? (
              <button
                type="button"
                data-testid="approve-button"
                disabled={busy !== null}
                onClick={() => void act('approve', () => sendJson('POST', '/api/dataApprovals', unitBody(unit)), '')}
              >
                {busy === 'approve' ? 'Approving…' : 'Approve'}
              </button>
            ) : null
          ) : (
            <p className="muted">Only country managers and administrators approve data.</p>
          )}
        </div>
      </div>

      {actionError ? (
        <p className="form-summary entry-status__error" role="alert" data-testid="status-error">
          {actionError}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice--success entry-status__notice" role="status" data-testid="status-notice">
          {notice}
        </p>
      ) : null}

      <Violations violations={violations} rulesChecked={loaded.validation?.rulesChecked ?? null} names={names} />

      <EntryGrid
        key={loaded.seq}
        form={form}
        editable={editable}
        save={save}
        filters={filters}
        setFilter={(id, f) => setFilters((all) => ({ ...all, [id]: f }))}
        focus={focusSeq === null || focusSeq === loaded.seq ? focus : null}
      />
    </section>
  );
}

function LockIcon() {
  return (
    <svg className="lock-icon" width="14" height="16" viewBox="0 0 14 16" aria-hidden="true">
      <rect x="1" y="7" width="12" height="8.5" rx="1.5" fill="currentColor" />
      <path d="M3.5 7V4.8a3.5 3.5 0 0 1 7 0V7" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

/** The validation rules the form's values break (as of the load or the last save). */
function Violations({ violations, rulesChecked, names }: { violations: RuleViolation[] | null; rulesChecked: number | null; names: Map<string, string> }) {
  if (violations === null) return null;
  return (
    <section className={`violations${violations.length > 0 ? ' violations--some' : ''}`} data-testid="violations" data-count={violations.length} aria-live="polite">
      <h3>Validation rules</h3>
      {violations.length === 0 ? (
        <p className="muted">
          No validation rule is broken by the values of this form
          {rulesChecked !== null ? ` (${rulesChecked} rule${rulesChecked === 1 ? '' : 's'} checked)` : ''}.
        </p>
      ) : (
        <>
          <p>
            {violations.length} rule{violations.length === 1 ? ' is' : 's are'} broken by the values of this form (totals over every
            disaggregation). Check the values; the form can still be saved.
          </p>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="violations-table">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Importance</th>
                  <th scope="col">Left side</th>
                  <th scope="col">
                    <span className="visually-hidden">Operator</span>
                  </th>
                  <th scope="col">Right side</th>
                </tr>
              </thead>
              <tbody>
                {violations.map((v, i) => (
                  <tr key={`${v.rule.id}-${i}`} data-rule={v.rule.code ?? v.rule.id}>
                    <td>
                      <strong>{v.rule.name}</strong>
                      {v.rule.description ? <span className="cell-note">{v.rule.description}</span> : null}
                    </td>
                    <td>
                      <span className={`importance importance--${v.rule.importance.toLowerCase()}`}>{IMPORTANCE_NAMES[v.rule.importance] ?? v.rule.importance}</span>
                    </td>
                    <td>
                      <span className="num-strong">{formatNumber(v.leftSide.value)}</span>
                      <span className="cell-note">{readableExpression(v.leftSide.expression, names)}</span>
                    </td>
                    <td className="operator">should be {OPERATOR_SYMBOLS[v.rule.operator] ?? v.rule.operator}</td>
                    <td>
                      <span className="num-strong">{formatNumber(v.rightSide.value)}</span>
                      <span className="cell-note">{readableExpression(v.rightSide.expression, names)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
