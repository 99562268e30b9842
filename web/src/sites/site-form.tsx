import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormSummary } from '../access/form';
import { api, data } from '../api';
import type { BodyOf } from '../api';
import { FieldError, IllustrativeCheckbox, SaveCancel } from '../components';
import { useFormat } from '../i18n/format';
import type { Formatters } from '../i18n/format';
import type { CountryRef } from '../registry/reference';
import type { CodeName, Site, Venue } from '../registry/types';
import { useSiteTypeName } from './names';
import { fieldMessage, numberOrText, optional, saveErrors } from './form-errors';
import type { SaveErrors } from './form-errors';

const VENUE_FIELDS: (keyof Venue)[] = ['alcoholOnSite', 'sexOnSite', 'transactionalSexReported', 'condomsAvailableAtVisit'];

/** The fields of the form, by the path the server names them with (`venue.sexOnSite`). */
const FIELDS = [
  'code',
  'name',
  'type',
  'country',
  'latitude',
  'longitude',
  'operatingDays',
  'operatingHours',
  'assessmentDate',
  'source',
  'notes',
  'illustrative',
  'parentCode',
  ...VENUE_FIELDS.map((v) => `venue.${v}`),
] as const;

type Values = Record<string, string> & { illustrative: string };

function valuesOf(site: Site | null): Values {
  const tri = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : '');
  return {
    code: site?.code ?? '',
    name: site?.name ?? '',
    type: site?.type ?? '',
    country: site?.country ?? '',
    latitude: site ? String(site.latitude) : '',
    longitude: site ? String(site.longitude) : '',
    operatingDays: site?.operatingDays ?? '',
    operatingHours: site?.operatingHours ?? '',
    assessmentDate: site?.assessmentDate ?? '',
    source: site?.source ?? '',
    notes: site?.notes ?? '',
    illustrative: site?.illustrative ? 'yes' : '',
    ...Object.fromEntries(VENUE_FIELDS.map((v) => [`venue.${v}`, tri(site?.venue?.[v])])),
  };
}

/**
 * The body of the save. It carries what the user typed, even where that is not a valid site (a
 * latitude of "abc"): the server validates, and its messages name the fields.
 */
function bodyOf(f: Formatters, values: Values, site: Site | null, parentCode: string | undefined): BodyOf<'/api/sites', 'post'> {
  const tri = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : null);
  return {
    // The code identifies the site in files and corridors: it is kept on edit, optional on create.
    code: site ? site.code : optional(values.code ?? ''),
    // A PUT replaces the whole site: without its admin area the site would move up to the country.
    // The area belongs to the old country, so it is dropped when the country changes.
    parentCode: site && values.country === site.country ? parentCode : undefined,
    name: values.name?.trim() ?? '',
    type: values.type,
    country: values.country,
    latitude: numberOrText(f, values.latitude ?? ''),
    longitude: numberOrText(f, values.longitude ?? ''),
    operatingDays: optional(values.operatingDays ?? ''),
    operatingHours: optional(values.operatingHours ?? ''),
    venue: Object.fromEntries(VENUE_FIELDS.map((v) => [v, tri(values[`venue.${v}`])])),
    assessmentDate: optional(values.assessmentDate ?? ''),
    source: optional(values.source ?? ''),
    notes: optional(values.notes ?? ''),
    illustrative: values.illustrative === 'yes',
  } as BodyOf<'/api/sites', 'post'>;
}

/**
 * The form that creates a site (POST /api/sites) or replaces one (PUT /api/sites/{id}). The
 * server validates; its messages are shown under the fields they name.
 */
export function SiteForm({
  site,
  parentCode,
  siteTypes,
  countries,
  onSaved,
  onCancel,
}: {
  site: Site | null;
  /** Code of the admin area the site is in, when it is below country level. */
  parentCode?: string;
  siteTypes: CodeName[];
  countries: CountryRef[];
  onSaved(site: Site): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('sites');
  const f = useFormat();
  const labels: Record<string, string> = Object.fromEntries(
    FIELDS.map((field) => [field, t(`form.labels.${field.replace('venue.', '')}` as 'form.labels.code')]),
  );
  const [values, setValues] = useState<Values>(() => valuesOf(site));
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field.replace('.', '-')}`;

  function set(field: string, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    try {
      const saved = site
        ? await data(api.PUT('/api/sites/{id}', { params: { path: { id: site.id } }, body: bodyOf(f, values, site, parentCode) }))
        : await data(api.POST('/api/sites', { body: bodyOf(f, values, null, undefined) }));
      onSaved(saved);
    } catch (err) {
      setErrors(saveErrors(err, (field) => field in labels));
    } finally {
      setSaving(false);
    }
  }

  function errorsFor(field: string): ReactNode {
    const messages = errors?.byField.get(field);
    if (!messages) return null;
    return (
      <FieldError field={field} id={`${idOf(field)}-error`}>
        {messages.map((m) => fieldMessage(labels[field] ?? field, m)).join('; ')}
      </FieldError>
    );
  }

  function inputProps(field: string) {
    const invalid = errors?.byField.has(field) ?? false;
    return {
      id: idOf(field),
      name: field,
      value: values[field] ?? '',
      'aria-invalid': invalid || undefined,
      'aria-describedby': invalid ? `${idOf(field)}-error` : undefined,
    };
  }

  function text(field: string, extra: { type?: string; inputMode?: 'decimal' | 'text'; required?: boolean; hint?: string; wide?: boolean } = {}) {
    return (
      <div className={extra.wide ? 'form-field form-field--wide' : 'form-field'}>
        <label htmlFor={idOf(field)}>
          {labels[field]}
          {extra.required ? <span className="form-field__required">{t('form.required')}</span> : null}
        </label>
        <input {...inputProps(field)} type={extra.type ?? 'text'} inputMode={extra.inputMode} onChange={(e) => set(field, e.target.value)} />
        {extra.hint ? <p className="form-field__hint">{extra.hint}</p> : null}
        {errorsFor(field)}
      </div>
    );
  }

  const typeName = useSiteTypeName(siteTypes);
  const typeOptions = siteTypes.length > 0 ? siteTypes : values.type ? [{ code: values.type, name: values.type }] : [];
  const countryKnown = countries.some((c) => c.code === values.country);

  return (
    <form className="site-form" data-testid="site-edit-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{site ? t('form.editTitle', { name: site.name }) : t('form.newTitle')}</h2>
      {errors ? <FormSummary errors={errors} labels={labels} idOf={idOf} /> : null}

      <fieldset>
        <legend>{t('form.theSite')}</legend>
        <div className="form-grid">
          {text('name', { required: true, wide: true })}
          <div className="form-field">
            <label htmlFor={idOf('type')}>
              {labels.type}
              <span className="form-field__required">{t('form.required')}</span>
            </label>
            <select {...inputProps('type')} onChange={(e) => set('type', e.target.value)}>
              <option value="">{t('form.chooseType')}</option>
              {typeOptions.map((type) => (
                <option key={type.code} value={type.code}>
                  {typeName(type.code)}
                </option>
              ))}
            </select>
            {errorsFor('type')}
          </div>
          <div className="form-field">
            <label htmlFor={idOf('country')}>
              {labels.country}
              <span className="form-field__required">{t('form.required')}</span>
            </label>
            <select {...inputProps('country')} onChange={(e) => set('country', e.target.value)}>
              <option value="">{t('form.chooseCountry')}</option>
              {!countryKnown && values.country ? <option value={values.country}>{values.country}</option> : null}
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
            {errorsFor('country')}
          </div>
          {site ? (
            <div className="form-field">
              <span className="form-field__label">{labels.code}</span>
              <p className="form-field__static">
                <code>{site.code}</code>
              </p>
            </div>
          ) : (
            text('code', { hint: t('form.codeHint') })
          )}
          {text('latitude', { inputMode: 'decimal', required: true, hint: t('form.latitudeHint') })}
          {text('longitude', { inputMode: 'decimal', required: true, hint: t('form.longitudeHint') })}
          {text('operatingDays', { hint: t('form.daysHint') })}
          {text('operatingHours', { hint: t('form.hoursHint') })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('form.venue')}</legend>
        <div className="form-grid">
          {VENUE_FIELDS.map((key) => {
            const field = `venue.${key}`;
            return (
              <div className="form-field" key={field}>
                <label htmlFor={idOf(field)}>{labels[field]}</label>
                <select {...inputProps(field)} onChange={(e) => set(field, e.target.value)}>
                  <option value="">{t('notAssessed')}</option>
                  <option value="yes">{t('yes')}</option>
                  <option value="no">{t('no')}</option>
                </select>
                {errorsFor(field)}
              </div>
            );
          })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('form.assessment')}</legend>
        <div className="form-grid">
          {text('assessmentDate', { type: 'date' })}
          {text('source', { wide: true, hint: t('form.sourceHint') })}
          <div className="form-field form-field--wide">
            <label htmlFor={idOf('notes')}>{labels.notes}</label>
            <textarea {...inputProps('notes')} rows={3} onChange={(e) => set('notes', e.target.value)} />
            {errorsFor('notes')}
          </div>
          <div className="form-field form-field--wide">
            <IllustrativeCheckbox checked={values.illustrative === 'yes'} onChange={(on) => set('illustrative', on ? 'yes' : '')} />
            {errorsFor('illustrative')}
          </div>
        </div>
      </fieldset>

      <SaveCancel saving={saving} label={site ? t('form.saveChanges') : t('form.create')} testId="site-save" onCancel={onCancel} />
    </form>
  );
}
