import { FormCell, RemoveRowCell, TableFormSummary } from '../access/form';
import { useTranslation } from 'react-i18next';
import { formatCount, useFormat } from '../i18n/format';
import type { PopulationGroup, SiteDetail, SitePopulation } from '../registry/types';
import { numberOrText, optional } from './form-errors';
import { CodeSelect, useSiteListForm } from './row-form';

/** Who is present at the site, with low–high size estimates and the area total (sums of lows and highs). */
export function PopulationsTable({ site }: { site: SiteDetail }) {
  const { t } = useTranslation('sites');
  const f = useFormat();
  const { populations } = site;
  if (populations.length === 0) {
    return (
      <p className="empty" data-testid="populations-table">
        {t('populations.none')}
      </p>
    );
  }
  const sizeLow = populations.reduce((a, p) => a + p.sizeLow, 0);
  const sizeHigh = populations.reduce((a, p) => a + p.sizeHigh, 0);
  const totals = site.totals ?? { sizeLow, sizeHigh, sizeEstimate: (sizeLow + sizeHigh) / 2 };
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="populations-table">
        <caption className="visually-hidden">{t('populations.caption', { name: site.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('populations.group')}</th>
            <th scope="col" className="num">
              {t('populations.low')}
            </th>
            <th scope="col" className="num">
              {t('populations.high')}
            </th>
            <th scope="col" className="num">
              {t('populations.estimate')}
            </th>
            <th scope="col">{t('populations.estimated')}</th>
            <th scope="col">{t('populations.source')}</th>
          </tr>
        </thead>
        <tbody>
          {populations.map((p: SitePopulation) => (
            <tr key={p.group} data-group={p.group}>
              <th scope="row">{p.groupName}</th>
              <td className="num" data-col="sizeLow">
                {formatCount(f, p.sizeLow)}
              </td>
              <td className="num" data-col="sizeHigh">
                {formatCount(f, p.sizeHigh)}
              </td>
              <td className="num" data-col="sizeEstimate">
                {formatCount(f, p.sizeEstimate ?? (p.sizeLow + p.sizeHigh) / 2)}
              </td>
              <td>{f.day(p.estimateDate)}</td>
              <td className="cell-muted">{p.source ?? '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="populations-total">
            <th scope="row">{t('populations.all')}</th>
            <td className="num">{formatCount(f, totals.sizeLow)}</td>
            <td className="num">{formatCount(f, totals.sizeHigh)}</td>
            <td className="num">{formatCount(f, totals.sizeEstimate)}</td>
            <td colSpan={2} className="cell-muted">
              {t('populations.totalsNote')}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

type Row = {
  group: string;
  sizeLow: string;
  sizeHigh: string;
  estimateDate: string;
  source: string;
};

/** Edits the populations of a site as rows, then replaces them all (PUT /api/sites/{id}/populations). */
export function PopulationsEditor({
  site,
  groups,
  onSaved,
  onCancel,
}: {
  site: SiteDetail;
  groups: PopulationGroup[];
  onSaved(site: SiteDetail): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('sites');
  const f = useFormat();
  const form = useSiteListForm<Row>(
    site,
    'populations',
    () =>
      site.populations.map((p) => ({
        group: p.group,
        sizeLow: String(p.sizeLow),
        sizeHigh: String(p.sizeHigh),
        estimateDate: p.estimateDate ?? '',
        source: p.source ?? '',
      })),
    (r) => ({
      group: r.group,
      sizeLow: numberOrText(f, r.sizeLow),
      sizeHigh: numberOrText(f, r.sizeHigh),
      estimateDate: optional(r.estimateDate),
      source: optional(r.source),
    }),
    onSaved,
  );
  const { rows, errors, saving, update } = form;

  const COLUMNS: { field: keyof Row; label: string; width?: string }[] = [
    { field: 'group', label: t('populations.group'), width: '30%' },
    { field: 'sizeLow', label: t('populations.low'), width: '7rem' },
    { field: 'sizeHigh', label: t('populations.high'), width: '7rem' },
    { field: 'estimateDate', label: t('populations.estimatedOn'), width: '10rem' },
    { field: 'source', label: t('populations.source') },
  ];

  function cell(row: Row & { key: number }, index: number, field: keyof Row, label: string) {
    const { name, id, messages, props: common } = form.cell(row, index, field, label);
    let input;
    if (field === 'group') {
      input = <CodeSelect props={common} items={groups} placeholder={t('populations.choose')} onChange={(v) => update(row.key, field, v)} />;
    } else {
      input = (
        <input
          {...common}
          type={field === 'estimateDate' ? 'date' : 'text'}
          inputMode={field === 'sizeLow' || field === 'sizeHigh' ? 'numeric' : undefined}
          className={field === 'sizeLow' || field === 'sizeHigh' ? 'input--number' : undefined}
          onChange={(e) => update(row.key, field, e.target.value)}
        />
      );
    }
    return <FormCell key={field} input={input} messages={messages} name={name} id={id} label={label} />;
  }

  return (
    <form className="table-form" data-testid="populations-form" onSubmit={form.submit} noValidate>
      {errors ? <TableFormSummary errors={errors} /> : null}
      <div className="table-scroll">
        <table className="data-table data-table--form">
          <caption className="visually-hidden">{t('populations.editCaption', { name: site.name })}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.field} scope="col" style={c.width ? { width: c.width } : undefined}>
                  {c.label}
                </th>
              ))}
              <th scope="col" className="num">
                {t('populations.estimate')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('rows.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const low = Number(row.sizeLow);
              const high = Number(row.sizeHigh);
              const mid = row.sizeLow !== '' && row.sizeHigh !== '' && Number.isFinite(low) && Number.isFinite(high) ? (low + high) / 2 : null;
              return (
                <tr key={row.key}>
                  {COLUMNS.map((c) => cell(row, index, c.field, c.label))}
                  <td className="num cell-muted">{mid === null ? '—' : formatCount(f, mid)}</td>
                  <RemoveRowCell index={index} onRemove={() => form.remove(row.key)} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="form-actions">
        <button
          type="button"
          className="button--secondary"
          data-testid="population-add"
          onClick={() => form.add({ group: '', sizeLow: '', sizeHigh: '', estimateDate: '', source: '' })}
        >
          {t('populations.add')}
        </button>
        <button type="submit" disabled={saving} data-testid="populations-save">
          {saving ? t('rows.saving') : t('populations.save')}
        </button>
        <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
          {t('rows.cancel')}
        </button>
      </p>
    </form>
  );
}
