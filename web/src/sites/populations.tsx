import { FormCell, RemoveRowCell, TableFormSummary } from '../access/form';
import { formatCount, formatDate } from '../registry/labels';
import type { PopulationGroup, SiteDetail, SitePopulation } from '../registry/types';
import { numberOrText, optional } from './form-errors';
import { CodeSelect, useSiteListForm } from './row-form';

/** Who is present at the site, with low–high size estimates and the area total (sums of lows and highs). */
export function PopulationsTable({ site }: { site: SiteDetail }) {
  const { populations } = site;
  if (populations.length === 0) {
    return (
      <p className="empty" data-testid="populations-table">
        No populations recorded at this site yet.
      </p>
    );
  }
  const sizeLow = populations.reduce((a, p) => a + p.sizeLow, 0);
  const sizeHigh = populations.reduce((a, p) => a + p.sizeHigh, 0);
  const totals = site.totals ?? { sizeLow, sizeHigh, sizeEstimate: (sizeLow + sizeHigh) / 2 };
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="populations-table">
        <caption className="visually-hidden">Populations present at {site.name}, with size estimates</caption>
        <thead>
          <tr>
            <th scope="col">Population group</th>
            <th scope="col" className="num">
              Low
            </th>
            <th scope="col" className="num">
              High
            </th>
            <th scope="col" className="num">
              Estimate
            </th>
            <th scope="col">Estimated</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {populations.map((p: SitePopulation) => (
            <tr key={p.group} data-group={p.group}>
              <th scope="row">{p.groupName}</th>
              <td className="num" data-col="sizeLow">
                {formatCount(p.sizeLow)}
              </td>
              <td className="num" data-col="sizeHigh">
                {formatCount(p.sizeHigh)}
              </td>
              <td className="num" data-col="sizeEstimate">
                {formatCount(p.sizeEstimate ?? (p.sizeLow + p.sizeHigh) / 2)}
              </td>
              <td>{formatDate(p.estimateDate)}</td>
              <td className="cell-muted">{p.source ?? '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="populations-total">
            <th scope="row">All populations</th>
            <td className="num">{formatCount(totals.sizeLow)}</td>
            <td className="num">{formatCount(totals.sizeHigh)}</td>
            <td className="num">{formatCount(totals.sizeEstimate)}</td>
            <td colSpan={2} className="cell-muted">
              Sums of lows and highs; the estimate is their midpoint.
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
    (r) => ({ group: r.group, sizeLow: numberOrText(r.sizeLow), sizeHigh: numberOrText(r.sizeHigh), estimateDate: optional(r.estimateDate), source: optional(r.source) }),
    onSaved,
  );
  const { rows, errors, saving, update } = form;

  const COLUMNS: { field: keyof Row; label: string; width?: string }[] = [
    { field: 'group', label: 'Population group', width: '30%' },
    { field: 'sizeLow', label: 'Low', width: '7rem' },
    { field: 'sizeHigh', label: 'High', width: '7rem' },
    { field: 'estimateDate', label: 'Estimated on', width: '10rem' },
    { field: 'source', label: 'Source' },
  ];

  function cell(row: Row & { key: number }, index: number, field: keyof Row, label: string) {
    const { name, id, messages, props: common } = form.cell(row, index, field, label);
    let input;
    if (field === 'group') {
      input = <CodeSelect props={common} items={groups} placeholder="Choose a group…" onChange={(v) => update(row.key, field, v)} />;
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
          <caption className="visually-hidden">Edit the populations present at {site.name}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.field} scope="col" style={c.width ? { width: c.width } : undefined}>
                  {c.label}
                </th>
              ))}
              <th scope="col" className="num">
                Estimate
              </th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
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
                  <td className="num cell-muted">{mid === null ? '—' : formatCount(mid)}</td>
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
          Add a population
        </button>
        <button type="submit" disabled={saving} data-testid="populations-save">
          {saving ? 'Saving…' : 'Save populations'}
        </button>
        <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </p>
    </form>
  );
}
