import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormSummary } from '../access/form';
import { ChoiceList, chosen } from '../choice-list';
import type { Chosen } from '../choice-list';
import { api } from '../api';
import type { Schema } from '../api';
import { FieldError, IllustrativeCheckbox, SaveCancel } from '../components';
import { fieldMessage, optional, saveErrors } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';
import type { PlaceChoice } from './shared';

type Corridor = Schema<'Corridor'>;
const FIELDS = ['code', 'name', 'description', 'places', 'illustrative'] as const;

/**
 * The form that creates a corridor (POST /api/corridors) or replaces one (PUT /api/corridors/{id}):
 * its name, description and the ordered places of its route, chosen among the sites and countries
 * and reordered with up and down. The server validates; its messages land under the fields and
 * under the stop they name (`places.1`).
 */
export function CorridorForm({
  corridor,
  choices,
  onSaved,
  onCancel,
}: {
  corridor: Corridor | null;
  choices: PlaceChoice[];
  onSaved(corridor: Corridor): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('corridors');
  const labels: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, t(`form.labels.${f}`)]));
  const [code, setCode] = useState(corridor?.code ?? '');
  const [name, setName] = useState(corridor?.name ?? '');
  const [description, setDescription] = useState(corridor?.description ?? '');
  const [illustrative, setIllustrative] = useState(corridor?.illustrative ?? false);
  const [stops, setStops] = useState<Chosen[]>(() => (corridor?.places ?? []).map((p) => chosen({ code: p.code ?? p.id, name: p.name })));
  const [errors, setErrors] = useState<SaveErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const uid = useId();
  const idOf = (field: string) => `${uid}-${field.replace('.', '-')}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setErrors(null);
    const body = {
      code: corridor ? corridor.code : code.trim(),
      name: name.trim(),
      description: optional(description),
      places: stops.map((s) => s.code),
      illustrative,
    };
    try {
      const saved = corridor
        ? await api.PUT('/api/corridors/{id}', { params: { path: { id: corridor.id } }, body })
        : await api.POST('/api/corridors', { body });
      onSaved(saved.data as Corridor);
    } catch (err) {
      setErrors(saveErrors(err, (field) => field in labels || /^places\.\d+$/.test(field)));
    } finally {
      setSaving(false);
    }
  }

  function messagesFor(field: string, label: string): ReactNode {
    const messages = errors?.byField.get(field);
    if (!messages) return null;
    return (
      <FieldError field={field} id={`${idOf(field)}-error`}>
        {messages.map((m) => fieldMessage(label, m)).join('; ')}
      </FieldError>
    );
  }
  const invalid = (field: string) => ({
    'aria-invalid': errors?.byField.has(field) || undefined,
    'aria-describedby': errors?.byField.has(field) ? `${idOf(field)}-error` : undefined,
  });
  const required = <span className="form-field__required">{t('form.required')}</span>;
  // Issues about a stop are listed under it; the summary links to the list.
  const summaryLabels = { ...labels, ...Object.fromEntries(stops.map((s, i) => [`places.${i}`, `${labels.places} · ${s.name}`])) };

  return (
    <form className="site-form" data-testid="corridor-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{corridor ? t('form.editTitle', { name: corridor.name }) : t('form.newTitle')}</h2>
      {errors ? <FormSummary errors={errors} labels={summaryLabels} idOf={(f) => idOf(f.startsWith('places.') ? 'places' : f)} /> : null}
      <div className="form-grid">
        <div className="form-field form-field--wide">
          <label htmlFor={idOf('name')}>
            {labels.name}
            {required}
          </label>
          <input id={idOf('name')} name="name" type="text" value={name} {...invalid('name')} onChange={(e) => setName(e.target.value)} />
          {messagesFor('name', labels.name!)}
        </div>
        {corridor ? (
          <div className="form-field">
            <span className="form-field__label">{labels.code}</span>
            <p className="form-field__static">
              <code>{corridor.code}</code>
            </p>
          </div>
        ) : (
          <div className="form-field">
            <label htmlFor={idOf('code')}>
              {labels.code}
              {required}
            </label>
            <input id={idOf('code')} name="code" type="text" value={code} {...invalid('code')} onChange={(e) => setCode(e.target.value)} />
            <p className="form-field__hint">{t('form.codeHint')}</p>
            {messagesFor('code', labels.code!)}
          </div>
        )}
        <div className="form-field form-field--wide">
          <label htmlFor={idOf('description')}>{labels.description}</label>
          <textarea
            id={idOf('description')}
            name="description"
            rows={3}
            value={description}
            {...invalid('description')}
            onChange={(e) => setDescription(e.target.value)}
          />
          {messagesFor('description', labels.description!)}
        </div>
      </div>

      <ChoiceList
        id={idOf('places')}
        legend={labels.places}
        required={required}
        hint={t('form.placesHint')}
        choices={choices}
        value={stops}
        onChange={setStops}
        ordered
        texts={{ add: t('form.addPlace'), label: t('form.addPlaceLabel'), placeholder: t('form.addPlacePlaceholder'), none: t('form.noPlaces') }}
        error={messagesFor('places', labels.places!)}
        itemError={(i, stop) => messagesFor(`places.${i}`, stop.name)}
        testId="corridor-places"
        addTestId="corridor-add-place"
      />

      <IllustrativeCheckbox checked={illustrative} onChange={setIllustrative} />
      <SaveCancel saving={saving} label={corridor ? t('form.save') : t('form.create')} testId="corridor-save" onCancel={onCancel} />
    </form>
  );
}
