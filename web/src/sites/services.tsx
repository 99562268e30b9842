import { FormCell, RemoveRowCell, TableFormSummary } from '../access/form';
import { useTranslation } from 'react-i18next';
import type { Availability, CodeName, Gap, SiteDetail } from '../registry/types';
import { optional } from './form-errors';
import { useYesNo } from './names';
import { CodeSelect, useSiteListForm } from './row-form';

export function AvailabilityBadge({ value }: { value: Availability }) {
  const { t } = useTranslation('sites');
  return (
    <span className={`availability availability--${value}`} data-availability={value}>
      <span className="availability__icon" aria-hidden="true" />
      {t(`availability.${value}`, { defaultValue: value })}
    </span>
  );
}

/** The HIV services at or near the site: availability, hours, cost, languages and whether undocumented migrants are served. */
export function ServicesTable({ site }: { site: SiteDetail }) {
  const { t } = useTranslation('sites');
  const yesNo = useYesNo();
  if (site.services.length === 0) {
    return (
      <p className="empty" data-testid="services-table">
        {t('services.none')}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="services-table">
        <caption className="visually-hidden">{t('services.caption', { name: site.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('services.service')}</th>
            <th scope="col">{t('services.availability')}</th>
            <th scope="col">{t('services.where')}</th>
            <th scope="col">{t('services.hours')}</th>
            <th scope="col">{t('services.cost')}</th>
            <th scope="col">{t('services.languages')}</th>
            <th scope="col">{t('services.undocumented')}</th>
          </tr>
        </thead>
        <tbody>
          {site.services.map((s) => (
            <tr key={s.service} data-service={s.service}>
              <th scope="row">{s.serviceName}</th>
              <td>
                <AvailabilityBadge value={s.availability} />
              </td>
              <td className="cell-nowrap">{s.onSite ? t('services.atSite') : t('services.nearby')}</td>
              <td>{s.hours ?? '—'}</td>
              <td>{s.costToUser ?? '—'}</td>
              <td>{s.languages.length > 0 ? s.languages.join(', ') : '—'}</td>
              <td>{yesNo(s.servesUndocumented, 'unknown')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Gaps grouped by population: the services each group needs that are missing or only partly available. */
export function GapsList({ site }: { site: SiteDetail }) {
  const { t } = useTranslation('sites');
  if (site.populations.length === 0) {
    return (
      <p className="empty" data-testid="gaps-list">
        {t('services.noPopulations')}
      </p>
    );
  }
  if (site.gaps.length === 0) {
    return (
      <p className="empty empty--good" data-testid="gaps-list">
        {t('services.noGaps')}
      </p>
    );
  }
  const byGroup = new Map<string, { name: string; gaps: Gap[] }>();
  for (const gap of site.gaps) {
    const entry = byGroup.get(gap.group) ?? { name: gap.groupName, gaps: [] };
    entry.gaps.push(gap);
    byGroup.set(gap.group, entry);
  }
  return (
    <ul className="gaps" data-testid="gaps-list">
      {[...byGroup.entries()].map(([group, { name, gaps }]) => {
        const sorted = [...gaps].sort((a, b) => (a.severity === b.severity ? a.serviceName.localeCompare(b.serviceName) : a.severity === 'missing' ? -1 : 1));
        return (
          <li key={group} className="gaps__group" data-group={group}>
            <span className="gaps__population">{name}</span>
            <ul className="gaps__services">
              {sorted.map((g) => (
                <li key={g.service} className={`gap gap--${g.severity}`} data-testid="gap" data-service={g.service} data-severity={g.severity}>
                  {g.serviceName}
                  <span className="gap__severity">{g.severity === 'missing' ? t('services.missing') : t('services.partial')}</span>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}

type Row = {
  service: string;
  availability: string;
  hours: string;
  costToUser: string;
  languages: string;
  servesUndocumented: string;
  onSite: string;
};

/** Edits the services of a site as rows, then replaces them all (PUT /api/sites/{id}/services). */
export function ServicesEditor({
  site,
  serviceTypes,
  onSaved,
  onCancel,
}: {
  site: SiteDetail;
  serviceTypes: CodeName[];
  onSaved(site: SiteDetail): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('sites');
  const form = useSiteListForm<Row>(
    site,
    'services',
    () =>
      site.services.map((s) => ({
        service: s.service,
        availability: s.availability,
        hours: s.hours ?? '',
        costToUser: s.costToUser ?? '',
        languages: s.languages.join(', '),
        servesUndocumented: s.servesUndocumented === true ? 'yes' : s.servesUndocumented === false ? 'no' : '',
        onSite: s.onSite ? 'yes' : 'no',
      })),
    (r) => ({
      service: r.service,
      availability: r.availability,
      hours: optional(r.hours),
      costToUser: optional(r.costToUser),
      languages: r.languages
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
      servesUndocumented: r.servesUndocumented === 'yes' ? true : r.servesUndocumented === 'no' ? false : null,
      onSite: r.onSite !== 'no',
    }),
    onSaved,
  );
  const { rows, errors, saving, update } = form;

  const COLUMNS: { field: keyof Row; label: string; width: string }[] = [
    { field: 'service', label: t('services.service'), width: '13rem' },
    { field: 'availability', label: t('services.availability'), width: '7rem' },
    { field: 'onSite', label: t('services.where'), width: '8.5rem' },
    { field: 'hours', label: t('services.hours'), width: '8rem' },
    { field: 'costToUser', label: t('services.cost'), width: '7rem' },
    { field: 'languages', label: t('services.languages'), width: '9rem' },
    { field: 'servesUndocumented', label: t('services.undocumented'), width: '7rem' },
  ];

  const SELECTS: Partial<Record<keyof Row, { value: string; label: string }[]>> = {
    availability: [
      { value: 'full', label: t('availability.full') },
      { value: 'partial', label: t('availability.partial') },
      { value: 'none', label: t('availability.none') },
    ],
    onSite: [
      { value: 'yes', label: t('services.atSite') },
      { value: 'no', label: t('services.nearby') },
    ],
    servesUndocumented: [
      { value: '', label: t('unknown') },
      { value: 'yes', label: t('yes') },
      { value: 'no', label: t('no') },
    ],
  };

  function cell(row: Row & { key: number }, index: number, field: keyof Row, label: string) {
    const { name, id, messages, props: common } = form.cell(row, index, field, label);
    let input;
    const options = SELECTS[field];
    if (field === 'service') {
      input = <CodeSelect props={common} items={serviceTypes} placeholder={t('services.choose')} onChange={(v) => update(row.key, field, v)} />;
    } else if (options) {
      input = (
        <select {...common} onChange={(e) => update(row.key, field, e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    } else {
      input = (
        <input
          {...common}
          type="text"
          placeholder={field === 'languages' ? t('services.languagesPlaceholder') : undefined}
          onChange={(e) => update(row.key, field, e.target.value)}
        />
      );
    }
    return <FormCell key={field} input={input} messages={messages} name={name} id={id} label={label} />;
  }

  return (
    <form className="table-form" data-testid="services-form" onSubmit={form.submit} noValidate>
      {errors ? <TableFormSummary errors={errors} /> : null}
      <div className="table-scroll">
        <table className="data-table data-table--form">
          <caption className="visually-hidden">{t('services.editCaption', { name: site.name })}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.field} scope="col" style={{ minWidth: c.width }} className="th--wrap">
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('rows.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key}>
                {COLUMNS.map((c) => cell(row, index, c.field, c.label))}
                <RemoveRowCell index={index} onRemove={() => form.remove(row.key)} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="form-actions">
        <button
          type="button"
          className="button--secondary"
          onClick={() => form.add({ service: '', availability: 'full', hours: '', costToUser: '', languages: '', servesUndocumented: '', onSite: 'yes' })}
        >
          {t('services.add')}
        </button>
        <button type="submit" disabled={saving} data-testid="services-save">
          {saving ? t('rows.saving') : t('services.save')}
        </button>
        <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
          {t('rows.cancel')}
        </button>
      </p>
    </form>
  );
}
