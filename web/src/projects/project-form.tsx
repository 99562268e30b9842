import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldMessages, FormSummary, RemoveRowCell } from '../access/form';
import { api, data } from '../api';
import type { BodyOf, Schema } from '../api';
import { ChoiceList, chosen } from '../choice-list';
import type { Choice, Chosen } from '../choice-list';
import { IllustrativeCheckbox, SaveCancel } from '../components';
import { useFormat } from '../i18n/format';
import { numberOrText, optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { useProjectNames } from './names';

type Project = Schema<'Project'>;
type ProjectBody = BodyOf<'/api/projects', 'post'>;
export const PROJECT_STATUSES = ['planned', 'active', 'closed'] as const;
const OBJECTIVES = ['service_delivery_capacity_building', 'advocacy_for_policy', 'research_information'] as const;
const FIELDS = [
  'code',
  'title',
  'description',
  'status',
  'startDate',
  'endDate',
  'countries',
  'sites',
  'donors',
  'objectives',
  'beneficiaryGroups',
  'sectors',
  'targets',
] as const;
/** Paths of an entry of a list field, as the server names them (`donors.0.amountUsd`, `countries.1`). */
const ENTRY = /^(countries|sites|donors|objectives|beneficiaryGroups|sectors|targets)\.\d+(\.\w+)?$/;

interface Donor {
  key: number;
  name: string;
  amountUsd: string;
}
interface Target {
  key: number;
  indicator: string;
  target: string;
  year: string;
}
let nextKey = 1;

/** What the project form offers to choose from. */
export interface ProjectChoices {
  countries: Choice[];
  sites: Choice[];
  groups: Choice[];
  sectors: Choice[];
}

/**
 * The form that creates a project (POST /api/projects) or replaces one (PUT /api/projects/{id}):
 * title, status and dates, where (countries and sites), donors and amounts, objectives, who it
 * serves and in which sectors, and its targets. The server validates; its messages land under the
 * field or the row they name (`donors.1.amountUsd`).
 */
export function ProjectForm({
  project,
  choices,
  onSaved,
  onCancel,
}: {
  project: Project | null;
  choices: ProjectChoices;
  onSaved(project: Project): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('portfolio');
  const f = useFormat();
  const named = useProjectNames();
  const labels: Record<string, string> = Object.fromEntries(FIELDS.map((field) => [field, t(`projectForm.labels.${field}`)]));
  const nameOf = (list: Choice[], code: string) => list.find((c) => c.code === code)?.name ?? code;
  const [values, setValues] = useState({
    code: project?.code ?? '',
    title: project?.title ?? '',
    description: project?.description ?? '',
    status: project?.status ?? 'planned',
    startDate: project?.startDate ?? '',
    endDate: project?.endDate ?? '',
  });
  const [countries, setCountries] = useState<Chosen[]>(() => (project?.countries ?? []).map((c) => chosen({ code: c, name: nameOf(choices.countries, c) })));
  const [sites, setSites] = useState<Chosen[]>(() => (project?.sites ?? []).map((c) => chosen({ code: c, name: nameOf(choices.sites, c) })));
  const [donors, setDonors] = useState<Donor[]>(() =>
    (project?.donors ?? []).map((d) => ({ key: nextKey++, name: d.name, amountUsd: f.number(d.amountUsd, { useGrouping: false }) })),
  );
  const [targets, setTargets] = useState<Target[]>(() =>
    (project?.targets ?? []).map((x) => ({
      key: nextKey++,
      indicator: x.indicator,
      target: f.number(x.target, { useGrouping: false }),
      year: x.year ? String(x.year) : '',
    })),
  );
  const [objectives, setObjectives] = useState<string[]>(project?.objectives ?? []);
  const [groups, setGroups] = useState<string[]>(project?.beneficiaryGroups ?? []);
  const [sectors, setSectors] = useState<string[]>(project?.sectors ?? []);
  const [illustrative, setIllustrative] = useState(project?.illustrative ?? false);
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field.replace(/\./g, '-')}`;
  const set = (field: keyof typeof values, value: string) => setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    // What the user typed goes as typed (an amount of "abc" included): the server names the cell.
    const body = {
      code: project ? project.code : values.code.trim(),
      title: values.title.trim(),
      description: optional(values.description),
      status: values.status,
      startDate: values.startDate,
      endDate: optional(values.endDate),
      countries: countries.map((c) => c.code),
      sites: sites.map((s) => s.code),
      donors: donors.map((d) => ({ name: d.name.trim(), amountUsd: numberOrText(f, d.amountUsd) })),
      objectives,
      beneficiaryGroups: groups,
      sectors,
      targets: targets.map((x) => ({ indicator: x.indicator.trim(), target: numberOrText(f, x.target), year: numberOrText(f, x.year) })),
      illustrative,
    } as ProjectBody;
    try {
      onSaved(
        project ? await data(api.PUT('/api/projects/{id}', { params: { path: { id: project.id } }, body })) : await data(api.POST('/api/projects', { body })),
      );
    } catch (err) {
      setErrors(saveErrors(err, (field) => field in labels || ENTRY.test(field)));
    } finally {
      setSaving(false);
    }
  }

  const messages = (field: string, label: string): ReactNode => <FieldMessages errors={errors} field={field} label={label} id={`${idOf(field)}-error`} />;
  const invalid = (field: string) => ({
    'aria-invalid': errors?.byField.has(field) || undefined,
    'aria-describedby': errors?.byField.has(field) ? `${idOf(field)}-error` : undefined,
  });
  const required = <span className="form-field__required">{t('projectForm.required')}</span>;
  const text = (field: 'title' | 'code', wide = false) => (
    <div className={wide ? 'form-field form-field--wide' : 'form-field'}>
      <label htmlFor={idOf(field)}>
        {labels[field]}
        {required}
      </label>
      <input id={idOf(field)} name={field} type="text" value={values[field]} {...invalid(field)} onChange={(e) => set(field, e.target.value)} />
      {field === 'code' ? <p className="form-field__hint">{t('projectForm.codeHint')}</p> : null}
      {messages(field, labels[field]!)}
    </div>
  );
  const date = (field: 'startDate' | 'endDate') => (
    <div className="form-field">
      <label htmlFor={idOf(field)}>
        {labels[field]}
        {field === 'startDate' ? required : null}
      </label>
      <input id={idOf(field)} name={field} type="date" value={values[field]} {...invalid(field)} onChange={(e) => set(field, e.target.value)} />
      {messages(field, labels[field]!)}
    </div>
  );
  // Summary lines about an entry name it: "Donors · row 2 · Amount (USD)".
  const summaryLabels: Record<string, string> = { ...labels };
  for (const field of errors?.byField.keys() ?? []) {
    const m = /^(\w+)\.(\d+)(?:\.(\w+))?$/.exec(field);
    if (m)
      summaryLabels[field] = [
        labels[m[1]!],
        t('projectForm.row', { row: Number(m[2]) + 1 }),
        m[3] ? t(`projectForm.labels.${m[1]}Fields.${m[3]}` as 'projectForm.labels.code') : null,
      ]
        .filter(Boolean)
        .join(' · ');
  }

  return (
    <form className="site-form" data-testid="project-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{project ? t('projectForm.editTitle', { title: project.title }) : t('projectForm.newTitle')}</h2>
      {errors ? <FormSummary errors={errors} labels={summaryLabels} idOf={(field) => idOf(field.split('.')[0]!)} /> : null}
      <div className="form-grid">
        {text('title', true)}
        {project ? (
          <div className="form-field">
            <span className="form-field__label">{labels.code}</span>
            <p className="form-field__static">
              <code>{project.code}</code>
            </p>
          </div>
        ) : (
          text('code')
        )}
        <div className="form-field">
          <label htmlFor={idOf('status')}>
            {labels.status}
            {required}
          </label>
          <select id={idOf('status')} name="status" value={values.status} {...invalid('status')} onChange={(e) => set('status', e.target.value)}>
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {named('statuses', s)}
              </option>
            ))}
          </select>
          {messages('status', labels.status!)}
        </div>
        {date('startDate')}
        {date('endDate')}
        <div className="form-field form-field--wide">
          <label htmlFor={idOf('description')}>{labels.description}</label>
          <textarea
            id={idOf('description')}
            name="description"
            rows={3}
            value={values.description}
            {...invalid('description')}
            onChange={(e) => set('description', e.target.value)}
          />
          {messages('description', labels.description!)}
        </div>
      </div>

      <ChoiceList
        id={idOf('countries')}
        legend={labels.countries}
        required={required}
        choices={choices.countries}
        value={countries}
        onChange={setCountries}
        texts={{
          add: t('projectForm.addCountry'),
          label: t('projectForm.addCountryLabel'),
          placeholder: t('projectForm.addCountryPlaceholder'),
          none: t('projectForm.noCountries'),
        }}
        error={messages('countries', labels.countries!)}
        itemError={(i, c) => messages(`countries.${i}`, c.name)}
        testId="project-countries"
        addTestId="project-add-country"
      />
      <ChoiceList
        id={idOf('sites')}
        legend={labels.sites}
        hint={t('projectForm.sitesHint')}
        choices={choices.sites}
        value={sites}
        onChange={setSites}
        texts={{
          add: t('projectForm.addSite'),
          label: t('projectForm.addSiteLabel'),
          placeholder: t('projectForm.addSitePlaceholder'),
          none: t('projectForm.noSites'),
        }}
        error={messages('sites', labels.sites!)}
        itemError={(i, s) => messages(`sites.${i}`, s.name)}
        testId="project-sites"
        addTestId="project-add-site"
      />

      <RowsFieldset
        id={idOf('donors')}
        legend={labels.donors!}
        rows={donors}
        columns={[
          { field: 'name', label: t('projectForm.labels.donorsFields.name') },
          { field: 'amountUsd', label: t('projectForm.labels.donorsFields.amountUsd'), number: true },
        ]}
        list="donors"
        errors={errors}
        onChange={setDonors}
        blank={() => ({ key: nextKey++, name: '', amountUsd: '' })}
        add={t('projectForm.addDonor')}
        none={t('projectForm.noDonors')}
      />

      <CheckboxGroup
        id={idOf('objectives')}
        testId="project-objectives"
        legend={labels.objectives!}
        options={OBJECTIVES.map((o) => ({ code: o, name: named('objectiveNames', o) }))}
        value={objectives}
        onChange={setObjectives}
        error={messages('objectives', labels.objectives!)}
      />
      <CheckboxGroup
        id={idOf('beneficiaryGroups')}
        testId="project-beneficiaryGroups"
        legend={labels.beneficiaryGroups!}
        options={choices.groups}
        value={groups}
        onChange={setGroups}
        error={messages('beneficiaryGroups', labels.beneficiaryGroups!)}
      />
      <CheckboxGroup
        id={idOf('sectors')}
        testId="project-sectors"
        legend={labels.sectors!}
        options={choices.sectors}
        value={sectors}
        onChange={setSectors}
        error={messages('sectors', labels.sectors!)}
      />

      <RowsFieldset
        id={idOf('targets')}
        legend={labels.targets!}
        rows={targets}
        columns={[
          { field: 'indicator', label: t('projectForm.labels.targetsFields.indicator') },
          { field: 'target', label: t('projectForm.labels.targetsFields.target'), number: true },
          { field: 'year', label: t('projectForm.labels.targetsFields.year'), number: true },
        ]}
        list="targets"
        errors={errors}
        onChange={setTargets}
        blank={() => ({ key: nextKey++, indicator: '', target: '', year: '' })}
        add={t('projectForm.addTarget')}
        none={t('projectForm.noTargets')}
      />

      <IllustrativeCheckbox checked={illustrative} onChange={setIllustrative} />
      <SaveCancel saving={saving} label={project ? t('projectForm.save') : t('projectForm.create')} testId="project-save" onCancel={onCancel} />
    </form>
  );
}

/** Checkboxes for a list of coded choices; a stored code no longer offered stays shown, checked. */
function CheckboxGroup({
  id,
  legend,
  options,
  value,
  onChange,
  error,
  testId,
}: {
  id: string;
  testId: string;
  legend: string;
  options: Choice[];
  value: string[];
  onChange(next: string[]): void;
  error: ReactNode;
}) {
  const shown = [...options, ...value.filter((v) => !options.some((o) => o.code === v)).map((code) => ({ code, name: code }))];
  return (
    <fieldset id={id} tabIndex={-1} className="checkbox-group" data-testid={testId}>
      <legend>{legend}</legend>
      {error}
      <div className="checkbox-group__options">
        {shown.map((o) => (
          <label key={o.code} className="checkbox">
            <input
              type="checkbox"
              value={o.code}
              checked={value.includes(o.code)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.code] : value.filter((v) => v !== o.code))}
            />{' '}
            {o.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A small table of rows typed in place (donors, targets), each removable; the server's messages under each cell. */
function RowsFieldset<Row extends { key: number }>({
  id,
  legend,
  rows,
  columns,
  list,
  errors,
  onChange,
  blank,
  add,
  none,
}: {
  id: string;
  legend: string;
  rows: Row[];
  columns: { field: keyof Row & string; label: string; number?: boolean }[];
  list: string;
  errors: SaveErrors | null;
  onChange(rows: Row[]): void;
  blank(): Row;
  add: string;
  none: string;
}) {
  const { t } = useTranslation('portfolio');
  return (
    <fieldset id={id} tabIndex={-1} data-testid={`project-${list}`}>
      <legend>{legend}</legend>
      {rows.length === 0 ? (
        <p className="muted">{none}</p>
      ) : (
        <table className="data-table data-table--form">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.field} scope="col">
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('projectForm.removeColumn')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key}>
                {columns.map((c) => {
                  const name = `${list}.${index}.${c.field}`;
                  const cellId = `${id}-${index}-${c.field}`;
                  const has = errors?.byField.has(name);
                  return (
                    <td key={c.field}>
                      <input
                        id={cellId}
                        name={name}
                        type="text"
                        inputMode={c.number ? 'decimal' : undefined}
                        className={c.number ? 'input--number' : undefined}
                        value={String(row[c.field])}
                        aria-label={t('projectForm.cellLabel', { label: c.label, row: index + 1 })}
                        aria-invalid={has || undefined}
                        aria-describedby={has ? `${cellId}-error` : undefined}
                        onChange={(e) => onChange(rows.map((r) => (r.key === row.key ? { ...r, [c.field]: e.target.value } : r)))}
                      />
                      <FieldMessages errors={errors} field={name} label={c.label} id={`${cellId}-error`} />
                    </td>
                  );
                })}
                <RemoveRowCell index={index} onRemove={() => onChange(rows.filter((r) => r.key !== row.key))} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" className="button--secondary" onClick={() => onChange([...rows, blank()])} data-testid={`project-add-${list}`}>
          {add}
        </button>
      </p>
    </fieldset>
  );
}
