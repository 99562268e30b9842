import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldMessages, FormSummary } from '../access/form';
import { api, data } from '../api';
import type { BodyOf, Schema } from '../api';
import type { Choice } from '../choice-list';
import { IllustrativeCheckbox, SaveCancel } from '../components';
import { optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import { POLICY_STATUSES, RESTRICTIONS, usePolicyNames } from './names';

type Policy = Schema<'Policy'>;
type PolicyBody = BodyOf<'/api/policies', 'post'>;
const FIELDS = ['country', 'restriction', 'status', 'effectiveDate', 'citation', 'lastVerified', 'notes'] as const;
type Field = (typeof FIELDS)[number];

/**
 * The form that records an HIV-related travel restriction (POST /api/policies) or corrects one
 * (PUT /api/policies/{id}): the country, which restriction and its status, when it took effect,
 * the citation it rests on and when that was last checked. The server validates; its messages land
 * under the fields.
 */
export function PolicyForm({
  policy,
  countries,
  onSaved,
  onCancel,
}: {
  policy: Policy | null;
  countries: Choice[];
  onSaved(policy: Policy): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('portfolio');
  const named = usePolicyNames();
  const labels: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, t(`policyForm.labels.${f}`)]));
  const [values, setValues] = useState<Record<Field, string>>({
    country: policy?.country ?? '',
    restriction: policy?.restriction ?? '',
    status: policy?.status ?? '',
    effectiveDate: policy?.effectiveDate ?? '',
    citation: policy?.citation ?? '',
    lastVerified: policy?.lastVerified ?? '',
    notes: policy?.notes ?? '',
  });
  const [illustrative, setIllustrative] = useState(policy?.illustrative ?? false);
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field}`;
  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    const body = {
      country: values.country,
      restriction: values.restriction,
      status: values.status,
      effectiveDate: optional(values.effectiveDate),
      citation: values.citation.trim(),
      lastVerified: values.lastVerified,
      notes: optional(values.notes),
      illustrative,
    } as PolicyBody;
    try {
      onSaved(
        policy ? await data(api.PUT('/api/policies/{id}', { params: { path: { id: policy.id } }, body })) : await data(api.POST('/api/policies', { body })),
      );
    } catch (err) {
      setErrors(saveErrors(err, (field) => field in labels));
    } finally {
      setSaving(false);
    }
  }

  const required = <span className="form-field__required">{t('policyForm.required')}</span>;
  /** A field with its label, the input, and the server's messages about it. */
  const field = (name: Field, input: (props: Record<string, unknown>) => ReactNode, { wide = false, optional = false } = {}) => (
    <div className={wide ? 'form-field form-field--wide' : 'form-field'}>
      <label htmlFor={idOf(name)}>
        {labels[name]}
        {optional ? null : required}
      </label>
      {input({
        id: idOf(name),
        name,
        value: values[name],
        'aria-invalid': errors?.byField.has(name) || undefined,
        'aria-describedby': errors?.byField.has(name) ? `${idOf(name)}-error` : undefined,
        onChange: (e: { target: { value: string } }) => set(name, e.target.value),
      })}
      <FieldMessages errors={errors} field={name} label={labels[name]!} id={`${idOf(name)}-error`} />
    </div>
  );
  const select = (name: Field, options: Choice[]) =>
    field(name, (props) => (
      <select {...props}>
        <option value="">{t('policyForm.choose')}</option>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
    ));

  return (
    <form className="site-form" data-testid="policy-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{policy ? t('policyForm.editTitle', { country: policy.countryName }) : t('policyForm.newTitle')}</h2>
      {errors ? <FormSummary errors={errors} labels={labels} idOf={idOf} /> : null}
      <div className="form-grid">
        {select('country', countries)}
        {select(
          'restriction',
          RESTRICTIONS.map((code) => ({ code, name: named('restrictions', code) })),
        )}
        {select(
          'status',
          POLICY_STATUSES.map((code) => ({ code, name: named('statuses', code) })),
        )}
        {field(
          'effectiveDate',
          (props) => (
            <input type="date" {...props} />
          ),
          { optional: true },
        )}
        {field('lastVerified', (props) => (
          <input type="date" {...props} />
        ))}
        {field(
          'citation',
          (props) => (
            <textarea rows={3} {...props} />
          ),
          { wide: true },
        )}
        {field(
          'notes',
          (props) => (
            <textarea rows={3} {...props} />
          ),
          { wide: true, optional: true },
        )}
      </div>
      <IllustrativeCheckbox checked={illustrative} onChange={setIllustrative} />
      <SaveCancel saving={saving} label={policy ? t('policyForm.save') : t('policyForm.create')} testId="policy-save" onCancel={onCancel} />
    </form>
  );
}
