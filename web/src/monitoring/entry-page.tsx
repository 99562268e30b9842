import { useTranslation } from 'react-i18next';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isPeriodId, parsePeriod } from '../../../src/shared/periods';
import { $api, ApiError, api, data, messageOf } from '../api';
import type { Schema } from '../api';
import { IllustrativeBadge, LoadStatus, queryLoad } from '../components';
import { Link } from '../router';
import { roleName, useCan, useMe } from '../session';
import { EntryGrid, initialFilter, keyOf, nameIds } from './entry-grid';
import type { RowFilter } from './entry-grid';
import { defaultPeriod, periodLabel, periodTypeName, recentPeriods } from './periods';
import { AocField, DataSetField, PeriodField, PlaceField, byCountry } from './pickers';
import { MonitoringNav, attributeCombo, attributeLabel, named, readableExpression, searchOf, useDataSet, useDataSets, useNumbers, usePlaces } from './shared';
import type { DataSetDetail } from './shared';

type RuleViolation = Schema<'RuleViolation'>;
type EntryForm = Schema<'DataEntryForm'>;

interface Unit {
  dataSet: string;
  orgUnit: string;
  period: string;
  aoc: string;
}

/** The unit as the API's query: `{dataSet, period, orgUnit, attributeOptionCombo?}`. */
function unitQuery(u: Unit): Schema<'ReportingUnit'> {
  return { dataSet: u.dataSet, period: u.period, orgUnit: u.orgUnit, ...(u.aoc ? { attributeOptionCombo: u.aoc } : {}) };
}

/** Which part of a data-entry address names nothing the user may open (an unknown or out-of-scope id). */
type Wrong = { which: 'dataSet' | 'orgUnit' | 'period' | 'aoc'; id: string } | null;

/** `/monitoring/entry`: the data entry form of a data set for a place, period and project. */
export function DataEntryPage() {
  const { t, i18n } = useTranslation('monitoring');
  const uid = useId();
  // The address is the page's state: a link (or the "Data entry" link, with no query) shows what it says.
  const [params, setParams] = useSearchParams();
  const unit: Unit = {
    dataSet: params.get('dataSet') ?? '',
    orgUnit: params.get('orgUnit') ?? '',
    period: params.get('period') ?? '',
    aoc: params.get('aoc') ?? '',
  };
  const de = params.get('de');
  const coc = params.get('coc');
  // A cell to show (from a data quality link); choosing another form drops it from the address.
  const focus = de && coc ? { de, coc } : null;
  const setUnit = (next: Unit) => setParams(searchOf({ ...next }), { replace: true });

  const dataSets = useDataSets();
  const list = dataSets.data ?? null;
  const summary = list?.find((d) => d.id === unit.dataSet || d.code === unit.dataSet) ?? null;
  const detail = useDataSet(summary?.id ?? '');
  const places = usePlaces();
  const ds = detail.data && summary && detail.data.id === summary.id ? detail.data : null;
  const aocCombo = ds ? attributeCombo(ds) : null;

  // Defaults: the only data set; the latest period that has ended; a single place or project.
  // Codes in a link become ids, so that the pickers show them.
  useEffect(() => {
    if (!list) return;
    const next = { ...unit };
    if (!next.dataSet && list.length === 1) next.dataSet = list[0]!.id;
    if (summary && next.dataSet !== summary.id) next.dataSet = summary.id;
    if (ds) {
      if (!next.period) next.period = defaultPeriod(recentPeriods(ds.periodType));
      const ou = ds.organisationUnits.find((o) => o.code !== null && o.code === next.orgUnit);
      if (ou) next.orgUnit = ou.id;
      if (!next.orgUnit && ds.organisationUnits.length === 1) next.orgUnit = ds.organisationUnits[0]!.id;
      const combo = attributeCombo(ds);
      if (!combo) next.aoc = '';
      else if (!next.aoc && combo.cocs.length === 1) next.aoc = combo.cocs[0]!.id;
    }
    if (next.dataSet !== unit.dataSet || next.orgUnit !== unit.orgUnit || next.period !== unit.period || next.aoc !== unit.aoc) {
      setParams(searchOf({ ...next, de: de ?? undefined, coc: coc ?? undefined }), { replace: true });
    }
  }, [list, summary, ds, unit.dataSet, unit.orgUnit, unit.period, unit.aoc, de, coc, setParams]);

  const placeGroups = useMemo(() => {
    if (!ds) return [];
    const byId = new Map((places.data ?? []).map((p) => [p.id, p]));
    return byCountry([...ds.organisationUnits], byId, t('pickers.otherPlaces'));
  }, [ds, places.data, t]);

  function chooseDataSet(id: string) {
    // Another data set has other places, periods and projects.
    setUnit({ dataSet: id, orgUnit: '', period: '', aoc: '' });
  }

  // An id of the address that names nothing within the user's scope, said plainly.
  let wrong: Wrong = null;
  if (list && unit.dataSet && !summary) wrong = { which: 'dataSet', id: unit.dataSet };
  else if (ds && unit.orgUnit && !ds.organisationUnits.some((o) => o.id === unit.orgUnit || o.code === unit.orgUnit))
    wrong = { which: 'orgUnit', id: unit.orgUnit };
  else if (ds && unit.period && !(isPeriodId(unit.period) && parsePeriod(unit.period).type === ds.periodType)) wrong = { which: 'period', id: unit.period };
  else if (aocCombo && unit.aoc && !aocCombo.cocs.some((c) => c.id === unit.aoc)) wrong = { which: 'aoc', id: unit.aoc };

  const ready = wrong === null && ds !== null && unit.dataSet === ds.id && unit.orgUnit !== '' && unit.period !== '' && (!aocCombo || unit.aoc !== '');
  const missing = !unit.dataSet
    ? t('entry.missing.dataSet')
    : !unit.orgUnit
      ? t('entry.missing.place')
      : !unit.period
        ? t('entry.missing.period')
        : t('entry.missing.aoc', { what: aocCombo ? attributeLabel(aocCombo).toLowerCase() : t('entry.missing.project') });

  return (
    <main id="main" tabIndex={-1} className="page monitoring-page entry-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>{t('entry.title')}</h1>
        <p className="lede">{t('entry.lede')}</p>
      </div>

      {!list ? (
        <LoadStatus load={queryLoad(dataSets)} what={t('what.dataSets')} onRetry={() => void dataSets.refetch()} />
      ) : list.length === 0 ? (
        <p className="empty">
          {t('entry.noDataSet')} <Link to="/monitoring/metadata">{t('entry.metadataPage')}</Link> · <code>POST /api/metadata</code>
        </p>
      ) : (
        <>
          <form className="filters entry-picker" onSubmit={(e) => e.preventDefault()} aria-label={t('entry.pickerLabel')} data-testid="entry-picker">
            <DataSetField id={`${uid}-ds`} dataSets={list} value={unit.dataSet} onChange={chooseDataSet} />
            {ds && ds.id === unit.dataSet ? (
              <>
                <PlaceField
                  id={`${uid}-ou`}
                  groups={placeGroups}
                  value={unit.orgUnit}
                  placeholder={t('entry.choosePlace', { count: ds.organisationUnits.length })}
                  onChange={(orgUnit) => setUnit({ ...unit, orgUnit })}
                />
                <PeriodField id={`${uid}-pe`} periodType={ds.periodType} value={unit.period} onChange={(period) => setUnit({ ...unit, period })} />
                {aocCombo ? <AocField id={`${uid}-aoc`} combo={aocCombo} value={unit.aoc} onChange={(aoc) => setUnit({ ...unit, aoc })} /> : null}
              </>
            ) : null}
          </form>
          {wrong ? (
            <div className="status status--error" role="alert" data-testid="entry-not-found" data-which={wrong.which}>
              <p>
                {wrong.which === 'dataSet'
                  ? t('entry.notFound.dataSet', { id: wrong.id })
                  : wrong.which === 'orgUnit'
                    ? t('entry.notFound.place', { id: wrong.id, dataSet: ds?.name ?? '' })
                    : wrong.which === 'period'
                      ? t('entry.notFound.period', { id: wrong.id, type: periodTypeName(t, ds?.periodType ?? '').toLowerCase() })
                      : t('entry.notFound.aoc', { id: wrong.id, what: aocCombo ? attributeLabel(aocCombo) : '' })}
              </p>
              <p>{t('entry.notFound.hint')}</p>
            </div>
          ) : null}
          {detail.status === 'error' ? <LoadStatus load={queryLoad(detail)} what={t('what.dataSet')} onRetry={() => void detail.refetch()} /> : null}
          {wrong ? null : ds && ds.organisationUnits.length === 0 ? (
            <p className="empty">{t('entry.notAssigned', { name: ds.name })}</p>
          ) : ready ? (
            <FormView
              key={`${i18n.language}|${new URLSearchParams(unitQuery(unit) as Record<string, string>).toString()}`}
              unit={unit}
              dataSet={ds}
              focus={focus}
            />
          ) : unit.dataSet && detail.status === 'pending' && detail.fetchStatus !== 'idle' ? (
            <LoadStatus load={queryLoad(detail)} what={t('what.dataSet')} onRetry={() => void detail.refetch()} />
          ) : (
            <p className="empty">{t('entry.chooseToOpen', { what: missing })}</p>
          )}
        </>
      )}
    </main>
  );
}

/** The stored values of a form, by cell (`de|coc` → the value as the server keeps it). */
function savedOf(form: EntryForm | undefined): Map<string, string> {
  return new Map((form?.values ?? []).filter((v) => v.value !== null && v.value !== '').map((v) => [keyOf(v.dataElement, v.categoryOptionCombo), v.value!]));
}

/** The form, its approval and its rule violations are read afresh each time a form opens, and again after an action on it (not after each cell). */
const FORM_READ = { meta: { keepOnWrite: true }, staleTime: 0, gcTime: 0 } as const;

/** The form of one unit: its status (complete, approved), rule violations and the grid. */
function FormView({ unit, dataSet, focus }: { unit: Unit; dataSet: DataSetDetail; focus: { de: string; coc: string } | null }) {
  const { t, i18n } = useTranslation('monitoring');
  const { t: tc } = useTranslation();
  const { f } = useNumbers();
  const me = useMe();
  const canWrite = useCan('registry:write');
  const canApprove = useCan('data:approve');
  const query = unitQuery(unit);
  const formQ = $api.useQuery('get', '/api/dataEntry/form', { params: { query } }, FORM_READ);
  // The form stands without these: a failure leaves out what they add.
  const approvalQ = $api.useQuery('get', '/api/dataApprovals', { params: { query } }, { ...FORM_READ, retry: false });
  const validationQ = $api.useQuery(
    'get',
    '/api/validation',
    { params: { query: { ...query, children: 'false', outliers: 'NONE' } } },
    { ...FORM_READ, retry: false },
  );
  const [savedViolations, setSavedViolations] = useState<RuleViolation[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lockedMeanwhile, setLockedMeanwhile] = useState(false);
  const [filters, setFilters] = useState<Record<string, RowFilter> | null>(null);
  // The cell to show is shown once, on the first load (not again after completing or approving).
  const [focusAt, setFocusAt] = useState<number | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const form = formQ.data;
  const loadedAt = formQ.dataUpdatedAt;
  // The values saved in this session, over those of the last load: the grid's totals and the counter.
  const loadedValues = useMemo(() => savedOf(form), [form]);
  const [edits, setEdits] = useState<{ at: number; saved: Map<string, string> } | null>(null);
  const saved = edits && edits.at === loadedAt ? edits.saved : loadedValues;

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
    if (form && focusAt === null) setFocusAt(loadedAt);
  }, [form, focusAt, loadedAt]);
  // After a failed action the summary takes the focus (the button that failed may be disabled).
  useEffect(() => {
    if (actionError) errorRef.current?.focus();
  }, [actionError]);

  const names = useMemo(() => new Map(dataSet.dataElements.map((d) => [d.id, d.name])), [dataSet]);

  const reload = useCallback(() => {
    setSavedViolations(null);
    void formQ.refetch();
    void approvalQ.refetch();
    void validationQ.refetch();
  }, [formQ, approvalQ, validationQ]);

  const save = useCallback(
    async (de: string, coc: string, value: string) => {
      try {
        const res = await data(
          api.PUT('/api/dataEntry/values', { body: { ...query, dataElement: de, categoryOptionCombo: coc, value: value === '' ? null : value } }),
        );
        setSavedViolations(res.violations);
        setEdits((e) => {
          const base = e && e.at === loadedAt ? e.saved : loadedValues;
          const next = new Map(base);
          if (value === '') next.delete(keyOf(de, coc));
          else next.set(keyOf(de, coc), value);
          return { at: loadedAt, saved: next };
        });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'DATA_APPROVED') setLockedMeanwhile(true);
        throw err;
      }
    },
    // The unit is fixed for this view (it is keyed by it).
    [loadedAt, loadedValues],
  );

  async function act(what: string, run: () => Promise<unknown>, done: string) {
    setBusy(what);
    setActionError(null);
    setNotice(null);
    try {
      await run();
      setNotice(done || null);
      setLockedMeanwhile(false);
      reload();
    } catch (err) {
      setActionError(nameIds(messageOf(err), names));
    } finally {
      setBusy(null);
    }
  }

  if (!form || !filters) return <LoadStatus load={queryLoad(formQ)} what={t('what.form')} onRetry={() => void formQ.refetch()} />;

  const approval = approvalQ.data ?? null;
  const validation = validationQ.data ?? null;
  const violations = savedViolations ?? validation?.ruleViolations ?? null;
  const approvedHere = form.approved !== null && form.approved.placeId === form.orgUnit.id;
  const above = approval?.approvedAbove[0] ?? null;
  const approvedAt = approvedHere ? form.orgUnit.name : (above?.placeName ?? t('entry.placeAbove'));
  const editable = canWrite && !form.locked;
  const period = periodLabel(form.period, i18n.language);
  // The demo's values are made up: say so, as everywhere else in Corridor.
  const illustrative = form.values.some((v) => v.storedBy?.includes('illustrative'));
  const entered = saved.size;

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
              <IllustrativeBadge what={t('entry.illustrative')} />
            </>
          ) : null}
        </h2>
        <p className="muted">
          {form.dataSet.name}
          {form.attributeOptionCombo.name !== 'default' ? ` · ${form.attributeOptionCombo.name}` : ''} ·{' '}
          <span data-testid="values-entered" data-count={entered}>
            {t('entry.valuesEntered', { count: entered, n: f.number(entered) })}
          </span>
        </p>
      </div>

      {form.locked && form.approved ? (
        <div className="locked-banner" data-testid="locked-banner" role="status">
          <LockIcon />
          <strong>
            {approvedHere
              ? t('entry.lockedHere', { by: form.approved.by, at: f.dateTime(form.approved.at) })
              : t('entry.lockedAbove', { place: approvedAt, by: form.approved.by, at: f.dateTime(form.approved.at) })}
          </strong>{' '}
          {approvedHere ? (canApprove ? t('entry.unapproveToChange') : t('entry.askToUnapprove')) : t('entry.withdrawAbove', { place: approvedAt })}
        </div>
      ) : null}
      {lockedMeanwhile ? (
        <div className="status status--error" role="alert">
          <p>
            <strong>{t('entry.approvedMeanwhile')}</strong> {t('entry.approvedMeanwhileMore')}
          </p>
          <button type="button" onClick={reload}>
            {t('entry.reload')}
          </button>
        </div>
      ) : null}
      {!canWrite ? (
        <p className="notice notice--warning" data-testid="read-only">
          {t('entry.readOnly', { role: roleName(tc, me?.user.role ?? 'viewer') })}
        </p>
      ) : null}

      <div className="entry-status" data-testid="form-status">
        <div className="entry-status__item" data-testid="completion" data-completed={form.completed ? 'true' : 'false'}>
          <h3>{t('entry.completion')}</h3>
          {form.completed ? (
            <p>
              <span className="status-badge status-badge--active">{t('entry.complete')}</span>{' '}
              {t('entry.markedBy', { by: form.completed.by, at: f.dateTime(form.completed.at) })}
            </p>
          ) : (
            <p>
              <span className="status-badge status-badge--closed">{t('entry.notComplete')}</span>{' '}
              {dataSet.timelyDays > 0 ? t('entry.completeHintTimely', { count: dataSet.timelyDays }) : t('entry.completeHint')}
            </p>
          )}
          {form.locked ? <p className="muted">{t('entry.lockedNoCompletion')}</p> : null}
          {canWrite ? (
            form.completed ? (
              <button
                type="button"
                className="button--secondary"
                data-testid="reopen-button"
                disabled={busy !== null || form.locked}
                onClick={() => void act('reopen', () => data(api.DELETE('/api/completeDataSetRegistrations', { params: { query } })), t('entry.reopened'))}
              >
                {busy === 'reopen' ? t('entry.reopening') : t('entry.reopen')}
              </button>
            ) : (
              <button
                type="button"
                data-testid="complete-button"
                disabled={busy !== null || form.locked}
                onClick={() => void act('complete', () => data(api.POST('/api/completeDataSetRegistrations', { body: query })), t('entry.completed'))}
              >
                {busy === 'complete' ? t('entry.completing') : t('entry.markComplete')}
              </button>
            )
          ) : null}
        </div>
        <div className="entry-status__item" data-testid="approval" data-approved={approvedHere ? 'here' : form.locked ? 'above' : 'no'}>
          <h3>{t('entry.approval')}</h3>
          {form.approved ? (
            <p>
              <span className="status-badge status-badge--planned">{t('entry.approved')}</span>{' '}
              {approvedHere
                ? t('entry.approvedBy', { by: form.approved.by, at: f.dateTime(form.approved.at) })
                : t('entry.approvedAtBy', { place: approvedAt, by: form.approved.by, at: f.dateTime(form.approved.at) })}
            </p>
          ) : (
            <p>
              <span className="status-badge status-badge--closed">{t('entry.notApproved')}</span> {t('entry.approvalHint')}
              {approval && approval.approvedBelow.length > 0
                ? ` ${t('entry.approvedBelow', { places: approval.approvedBelow.map((a) => a.placeName).join(', ') })}`
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
                onClick={() => void act('unapprove', () => data(api.DELETE('/api/dataApprovals', { params: { query } })), t('entry.unapproved'))}
              >
                {busy === 'unapprove' ? t('entry.unapproving') : t('entry.unapprove')}
              </button>
            ) : !form.locked ? (
              <button
                type="button"
                data-testid="approve-button"
                disabled={busy !== null}
                onClick={() => void act('approve', () => data(api.POST('/api/dataApprovals', { body: query })), '')}
              >
                {busy === 'approve' ? t('entry.approving') : t('entry.approve')}
              </button>
            ) : null
          ) : (
            <p className="muted">{t('entry.whoApproves')}</p>
          )}
        </div>
      </div>

      {actionError ? (
        <p className="form-summary entry-status__error" role="alert" data-testid="status-error" tabIndex={-1} ref={errorRef}>
          {actionError}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice--success entry-status__notice" role="status" data-testid="status-notice">
          {notice}
        </p>
      ) : null}

      <Violations violations={violations} rulesChecked={validation?.rulesChecked ?? null} names={names} />

      <EntryGrid
        key={loadedAt}
        form={form}
        saved={saved}
        editable={editable}
        save={save}
        filters={filters}
        setFilter={(id, fl) => setFilters((all) => ({ ...all, [id]: fl }))}
        focus={focusAt === null || focusAt === loadedAt ? focus : null}
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
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  if (violations === null) return null;
  return (
    <section
      className={`violations${violations.length > 0 ? ' violations--some' : ''}`}
      data-testid="violations"
      data-count={violations.length}
      aria-live="polite"
    >
      <h3>{t('violations.title')}</h3>
      {violations.length === 0 ? (
        <p className="muted">{rulesChecked !== null ? t('violations.noneChecked', { count: rulesChecked }) : t('violations.none')}</p>
      ) : (
        <>
          <p>{t('violations.some', { count: violations.length })}</p>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="violations-table">
              <thead>
                <tr>
                  <th scope="col">{t('violations.rule')}</th>
                  <th scope="col">{t('violations.importance')}</th>
                  <th scope="col">{t('violations.left')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('violations.operator')}</span>
                  </th>
                  <th scope="col">{t('violations.right')}</th>
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
                      <span className={`importance importance--${v.rule.importance.toLowerCase()}`}>{named(t, 'importance', v.rule.importance)}</span>
                    </td>
                    <td>
                      <span className="num-strong">{num(v.leftSide.value)}</span>
                      <span className="cell-note">{readableExpression(v.leftSide.expression, names)}</span>
                    </td>
                    <td className="operator">{t('violations.shouldBe', { op: named(t, 'operatorSymbols', v.rule.operator) })}</td>
                    <td>
                      <span className="num-strong">{num(v.rightSide.value)}</span>
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
