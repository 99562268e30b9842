import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormSummary } from '../access/form';
import { api, messageOf } from '../api';
import type { BodyOf, Schema } from '../api';
import { FieldError, IllustrativeBadge, IllustrativeCheckbox, SaveCancel } from '../components';
import { useFormat } from '../i18n/format';
import { fieldMessage, optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';

type Corridor = Schema<'Corridor'>;
type Flow = Schema<'Flow'>;
type FlowBody = BodyOf<'/api/flows', 'post'>;

const SEXES = ['all', 'F', 'M'] as const;
const REASONS = ['work', 'trade', 'transport', 'family', 'displacement', 'study', 'tourism', 'health', 'other', 'unknown'] as const;
const FIELDS = ['from', 'to', 'periodStart', 'periodEnd', 'sex', 'ageBand', 'nationality', 'reason', 'count', 'source', 'illustrative'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function valuesOf(flow: Flow | null, corridor: Corridor): Values {
  const ends = corridor.places.map((p) => p.code ?? '');
  return {
    from: flow?.from ?? ends[0] ?? '',
    to: flow?.to ?? ends[ends.length - 1] ?? '',
    periodStart: flow?.periodStart ?? '',
    periodEnd: flow?.periodEnd ?? '',
    sex: flow?.sex ?? 'all',
    ageBand: flow?.ageBand ?? 'all',
    nationality: flow?.nationality ?? 'all',
    reason: flow?.reason ?? 'unknown',
    count: flow ? String(flow.count) : '',
    source: flow?.source ?? '',
    illustrative: flow?.illustrative ? 'yes' : '',
  };
}

/**
 * The form that adds a flow to a corridor (POST /api/flows) or replaces one (PUT /api/flows/{id}):
 * between two of the corridor's places, for a period, by sex, age band, nationality and reason.
 * The count is read in the user's numbers ("1 200" in French, "1,200" in English).
 */
function FlowForm({ corridor, flow, onSaved, onCancel }: { corridor: Corridor; flow: Flow | null; onSaved(): void; onCancel(): void }) {
  const { t } = useTranslation('corridors');
  const f = useFormat();
  const labels: Record<string, string> = Object.fromEntries(FIELDS.map((k) => [k, t(`flows.labels.${k}`)]));
  const [values, setValues] = useState<Values>(() => valuesOf(flow, corridor));
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;
  const set = (field: keyof Values, value: string) => setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    // A count that is not a number goes as typed, so that the server names what is wrong with it.
    const count = f.parseNumber(values.count);
    const body = {
      from: values.from,
      to: values.to,
      corridor: corridor.code,
      periodStart: values.periodStart,
      periodEnd: values.periodEnd,
      sex: values.sex as FlowBody['sex'],
      ageBand: values.ageBand.trim() || 'all',
      nationality: values.nationality.trim().toUpperCase() === 'ALL' || !values.nationality.trim() ? 'all' : values.nationality.trim().toUpperCase(),
      reason: values.reason as FlowBody['reason'],
      count: (count ?? (values.count.trim() || undefined)) as number,
      source: optional(values.source),
      illustrative: values.illustrative === 'yes',
    };
    try {
      if (flow) await api.PUT('/api/flows/{id}', { params: { path: { id: flow.id } }, body });
      else await api.POST('/api/flows', { body });
      onSaved();
    } catch (err) {
      setErrors(saveErrors(err, (field) => field in labels));
    } finally {
      setSaving(false);
    }
  }

  const messages = (field: string): ReactNode => {
    const m = errors?.byField.get(field);
    return m ? (
      <FieldError field={field} id={`${idOf(field)}-error`}>
        {m.map((x) => fieldMessage(labels[field] ?? field, x)).join('; ')}
      </FieldError>
    ) : null;
  };
  const props = (field: keyof Values) => ({
    id: idOf(field),
    name: field,
    value: values[field],
    'aria-invalid': errors?.byField.has(field) || undefined,
    'aria-describedby': errors?.byField.has(field) ? `${idOf(field)}-error` : undefined,
  });
  const field = (name: keyof Values, input: ReactNode, hint?: string) => (
    <div className="form-field" key={name}>
      <label htmlFor={idOf(name)}>{labels[name]}</label>
      {input}
      {hint ? <p className="form-field__hint">{hint}</p> : null}
      {messages(name)}
    </div>
  );
  const placeSelect = (name: 'from' | 'to') => (
    <select {...props(name)} onChange={(e) => set(name, e.target.value)}>
      <option value="">{t('flows.choosePlace')}</option>
      {corridor.places.map((p) => (
        <option key={p.id} value={p.code ?? ''}>
          {p.name}
        </option>
      ))}
    </select>
  );

  return (
    <form className="site-form" data-testid="flow-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{flow ? t('flows.editFlow', { from: flow.fromName, to: flow.toName }) : t('flows.newTitle')}</h3>
      {errors ? <FormSummary errors={errors} labels={labels} idOf={idOf} /> : null}
      <div className="form-grid">
        {field('from', placeSelect('from'))}
        {field('to', placeSelect('to'))}
        {field('periodStart', <input {...props('periodStart')} type="date" onChange={(e) => set('periodStart', e.target.value)} />)}
        {field('periodEnd', <input {...props('periodEnd')} type="date" onChange={(e) => set('periodEnd', e.target.value)} />)}
        {field(
          'count',
          <input {...props('count')} type="text" inputMode="numeric" className="input--number" onChange={(e) => set('count', e.target.value)} />,
          t('flows.countHint'),
        )}
        {field(
          'sex',
          <select {...props('sex')} onChange={(e) => set('sex', e.target.value)}>
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {t(`flows.sexes.${s}`)}
              </option>
            ))}
          </select>,
        )}
        {field('ageBand', <input {...props('ageBand')} type="text" onChange={(e) => set('ageBand', e.target.value)} />, t('flows.ageHint'))}
        {field('nationality', <input {...props('nationality')} type="text" onChange={(e) => set('nationality', e.target.value)} />, t('flows.nationalityHint'))}
        {field(
          'reason',
          <select {...props('reason')} onChange={(e) => set('reason', e.target.value)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`flows.reasons.${r}`)}
              </option>
            ))}
          </select>,
        )}
        {field('source', <input {...props('source')} type="text" onChange={(e) => set('source', e.target.value)} />)}
      </div>
      <IllustrativeCheckbox checked={values.illustrative === 'yes'} onChange={(on) => set('illustrative', on ? 'yes' : '')} />
      <SaveCancel saving={saving} label={flow ? t('flows.save') : t('flows.create')} testId="flow-save" onCancel={onCancel} />
    </form>
  );
}

/** The flows of people recorded along a corridor, with forms to add, correct and delete them. */
export function CorridorFlows({ corridor, flows, canWrite, onChanged }: { corridor: Corridor; flows: Flow[]; canWrite: boolean; onChanged(): void }) {
  const { t } = useTranslation('corridors');
  const f = useFormat();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const name = (code: string | null, fallback: string) => corridor.places.find((p) => p.code === code)?.name ?? fallback;

  function saved() {
    setEditing(null);
    setNotice({ ok: true, text: t('flows.saved') });
    onChanged();
  }

  async function remove(flow: Flow) {
    if (!window.confirm(t('flows.confirmDelete', { from: flow.fromName, to: flow.toName, count: flow.count }))) return;
    try {
      await api.DELETE('/api/flows/{id}', { params: { path: { id: flow.id } } });
      setNotice({ ok: true, text: t('flows.deleted') });
      onChanged();
    } catch (err) {
      setNotice({ ok: false, text: t('flows.notDeleted', { message: messageOf(err) }) });
    }
  }

  const sorted = [...flows].sort((a, b) => b.periodStart.localeCompare(a.periodStart) || b.count - a.count);
  return (
    <>
      {notice ? (
        <p className={notice.ok ? 'notice notice--success' : 'notice notice--warning'} role={notice.ok ? 'status' : 'alert'} data-testid="flow-notice">
          {notice.text}
        </p>
      ) : null}
      {sorted.length === 0 ? (
        <p className="empty" data-testid="flows-table">
          {t('flows.none')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="flows-table">
            <caption className="visually-hidden">{t('flows.caption', { name: corridor.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.route')}</th>
                <th scope="col">{t('flows.periodHeader')}</th>
                <th scope="col">{t('flows.labels.sex')}</th>
                <th scope="col">{t('flows.labels.ageBand')}</th>
                <th scope="col">{t('flows.labels.nationality')}</th>
                <th scope="col">{t('flows.labels.reason')}</th>
                <th scope="col" className="num">
                  {t('flows.labels.count')}
                </th>
                <th scope="col">{t('flows.labels.source')}</th>
                {canWrite ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {sorted.map((flow) => (
                <tr key={flow.id} data-flow-id={flow.id}>
                  <th scope="row">
                    {t('flows.fromTo', { from: name(flow.from, flow.fromName), to: name(flow.to, flow.toName) })}
                    {flow.illustrative ? (
                      <>
                        {' '}
                        <IllustrativeBadge what={t('flowIllustrative')} />
                      </>
                    ) : null}
                  </th>
                  <td className="cell-nowrap">{t('flows.period', { start: f.day(flow.periodStart), end: f.day(flow.periodEnd) })}</td>
                  <td>{t(`flows.sexes.${flow.sex as (typeof SEXES)[number]}`, { defaultValue: flow.sex })}</td>
                  <td>{flow.ageBand === 'all' ? t('flows.all') : flow.ageBand}</td>
                  <td>{flow.nationality === 'all' ? t('flows.all') : flow.nationality}</td>
                  <td>{t(`flows.reasons.${flow.reason as (typeof REASONS)[number]}`, { defaultValue: flow.reason })}</td>
                  <td className="num" data-col="count">
                    {f.number(flow.count)}
                  </td>
                  <td className="cell-muted">{flow.source ?? '—'}</td>
                  {canWrite ? (
                    <td className="cell-nowrap">
                      <button
                        type="button"
                        className="button--secondary button--small"
                        onClick={() => setEditing(flow.id)}
                        aria-label={t('flows.editFlow', { from: flow.fromName, to: flow.toName })}
                        data-testid="flow-edit"
                      >
                        {t('flows.edit')}
                      </button>{' '}
                      <button
                        type="button"
                        className="button--danger button--small"
                        onClick={() => void remove(flow)}
                        aria-label={t('flows.deleteFlow', { from: flow.fromName, to: flow.toName })}
                        data-testid="flow-delete"
                      >
                        {t('flows.delete')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && editing ? (
        <section className="panel">
          <FlowForm key={editing} corridor={corridor} flow={flows.find((x) => x.id === editing) ?? null} onSaved={saved} onCancel={() => setEditing(null)} />
        </section>
      ) : canWrite ? (
        <p>
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setEditing('new');
            }}
            data-testid="flow-add"
          >
            {t('flows.add')}
          </button>
        </p>
      ) : null}
    </>
  );
}
