import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api';
import type { Schema } from '../api';
import { DEFAULT_COC, DEFAULT_COMBO, named, useNumbers } from './shared';
import { isNumericType, shownValue, wireValue } from './values';
import type { ComboStructure } from './shared';

type EntryForm = Schema<'DataEntryForm'>;
type FormValue = EntryForm['values'][number];

type Category = ComboStructure['categories'][number];
type Option = Category['options'][number];
type Element = EntryForm['elements'][number];

/** Which rows of a large disaggregation are shown: one option (or all) per row category, and whether only rows with values. */
export interface RowFilter {
  options: Record<string, string>;
  onlyWithValues: boolean;
}

/** Columns of a large combo: the smallest categories whose options multiply to at most this many columns. */
const MAX_COLUMNS = 12;
/** A combo with more option combos than this, or more than two categories, gets one table per element. */
const SMALL_COMBO = 24;

/** The key of a cell: `de|coc`. */
export const keyOf = (de: string, coc: string) => `${de}|${coc}`;
const optionsKey = (ids: readonly string[]) => [...ids].sort().join('.');

/** Every combination of the options of `categories`, in order (the first category varies slowest). */
function combinations(categories: readonly Category[]): Option[][] {
  let out: Option[][] = [[]];
  for (const c of categories) out = out.flatMap((prefix) => c.options.map((o) => [...prefix, o]));
  return out;
}

/** How a combo is laid out: categories across (columns) and down (rows). */
interface Layout {
  combo: ComboStructure;
  cols: Category[];
  rows: Category[];
  colCombos: Option[][];
  rowCombos: Option[][];
  /** option ids (sorted, joined) → category option combo id */
  cocOf: Map<string, string>;
}

function layoutOf(combo: ComboStructure): Layout {
  const bySize = combo.categories.map((c, i) => ({ c, i })).sort((a, b) => a.c.options.length - b.c.options.length || a.i - b.i);
  const cols: { c: Category; i: number }[] = [];
  let product = 1;
  for (const x of bySize) {
    if (cols.length >= 2 || cols.length >= combo.categories.length - 1 || product * x.c.options.length > MAX_COLUMNS) break;
    cols.push(x);
    product *= x.c.options.length;
  }
  if (combo.categories.length === 1) cols.splice(0, cols.length, { c: combo.categories[0]!, i: 0 });
  const colSet = new Set(cols.map((x) => x.c.id));
  // Columns in the combo's order; rows with the largest category outermost.
  const colCats = cols.sort((a, b) => a.i - b.i).map((x) => x.c);
  const rowCats = combo.categories.filter((c) => !colSet.has(c.id)).sort((a, b) => b.options.length - a.options.length);
  const cocOf = new Map(combo.cocs.map((c) => [optionsKey(c.options), c.id]));
  return { combo, cols: colCats, rows: rowCats, colCombos: combinations(colCats), rowCombos: combinations(rowCats), cocOf };
}

function isSmall(combo: ComboStructure): boolean {
  return combo.categories.length <= 2 && combo.cocs.length <= SMALL_COMBO;
}

/** The filter a large combo starts with: the rows with values, or the first option of the outer row category when there are none. */
export function initialFilter(combo: ComboStructure, values: readonly FormValue[], focusCoc: string | null): RowFilter {
  const layout = layoutOf(combo);
  if (focusCoc) {
    const coc = combo.cocs.find((c) => c.id === focusCoc);
    if (coc) {
      const options: Record<string, string> = {};
      for (const cat of layout.rows) options[cat.id] = cat.options.find((o) => coc.options.includes(o.id))?.id ?? '';
      return { options, onlyWithValues: false };
    }
  }
  const cocs = new Set(combo.cocs.map((c) => c.id));
  if (values.some((v) => cocs.has(v.categoryOptionCombo) && v.value !== null && v.value !== '')) return { options: {}, onlyWithValues: true };
  const outer = layout.rows[0];
  return { options: outer && outer.options[0] ? { [outer.id]: outer.options[0].id } : {}, onlyWithValues: false };
}

function parseNumber(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function sum(values: (string | undefined)[]): number | null {
  let total: number | null = null;
  for (const v of values) {
    const n = parseNumber(v);
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}

/** Replaces quoted element ids in a server message by their names: `data element "CrdDeCondom"` → `"Condoms distributed"`. */
export function nameIds(message: string, names: ReadonlyMap<string, string>): string {
  return message.replace(/"([A-Za-z][A-Za-z0-9]{10})"/g, (whole, id: string) => (names.has(id) ? `"${names.get(id)!}"` : whole));
}

type CellState = { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string };

interface CellProps {
  de: string;
  coc: string;
  label: string;
  saved: string;
  valueType: string;
  editable: boolean;
  title: string | undefined;
  highlight: boolean;
  onSave(de: string, coc: string, value: string): Promise<void>;
  errorText(message: string): string;
}

/**
 * One value of the grid. It keeps what is typed; on blur or Enter it saves (when changed) and
 * shows saving, saved or the server's message under the box, keeping the typed value.
 */
const Cell = memo(function Cell({ de, coc, label, saved, valueType, editable, title, highlight, onSave, errorText }: CellProps) {
  const { t } = useTranslation('monitoring');
  const { f } = useNumbers();
  const [draft, setDraft] = useState(() => shownValue(saved, valueType, f));
  const [status, setStatus] = useState<CellState>({ state: 'idle' });
  const inflight = useRef<string | null>(null);
  const errorId = useId();
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null);

  useEffect(() => {
    if (status.state !== 'error' && inflight.current === null) setDraft(shownValue(saved, valueType, f));
    // Only a new saved value resets the box (not a change of status).
  }, [saved]);

  useEffect(() => {
    if (highlight) ref.current?.focus();
  }, [highlight]);

  async function commit(value: string) {
    const v = wireValue(value, valueType, f);
    if (v === saved) {
      // Back to the stored value: nothing to send; an earlier error no longer applies.
      if (status.state === 'error') setStatus({ state: 'idle' });
      return;
    }
    if (inflight.current === v) return;
    inflight.current = v;
    setStatus({ state: 'saving' });
    try {
      await onSave(de, coc, v);
      setStatus({ state: 'saved' });
    } catch (err) {
      setStatus({ state: 'error', message: errorText(messageOf(err)) });
    } finally {
      inflight.current = null;
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      // Like DHIS2: Enter moves to the next box; leaving this one saves it.
      const boxes = [...document.querySelectorAll<HTMLElement>('[data-testid="entry-grid"] [data-cell]:not([readonly]):not([disabled])')];
      const next = boxes[boxes.indexOf(event.currentTarget) + 1];
      if (next) next.focus();
      else void commit(draft);
    } else if (event.key === 'Escape') {
      setDraft(shownValue(saved, valueType, f));
      setStatus({ state: 'idle' });
    }
  }

  const common = {
    ref,
    'data-cell': '',
    'data-de': de,
    'data-coc': coc,
    'data-state': status.state,
    'aria-label': label,
    'aria-invalid': status.state === 'error' ? true : undefined,
    'aria-describedby': status.state === 'error' ? errorId : undefined,
    title,
    onKeyDown,
  };
  let box;
  if (valueType === 'BOOLEAN' || valueType === 'TRUE_ONLY') {
    box = (
      <select
        {...common}
        value={draft}
        disabled={!editable}
        onChange={(e) => {
          setDraft(e.target.value);
          void commit(e.target.value);
        }}
      >
        <option value="">—</option>
        <option value="true">{t('grid.yes')}</option>
        {valueType === 'BOOLEAN' ? <option value="false">{t('grid.no')}</option> : null}
      </select>
    );
  } else {
    box = (
      <input
        {...common}
        type={valueType === 'DATE' ? 'date' : 'text'}
        inputMode={isNumericType(valueType) ? (valueType.startsWith('INTEGER') ? 'numeric' : 'decimal') : undefined}
        className={isNumericType(valueType) ? 'input--number' : undefined}
        value={draft}
        readOnly={!editable}
        autoComplete="off"
        onChange={(e) => {
          setDraft(e.target.value);
          if (status.state === 'saved') setStatus({ state: 'idle' });
        }}
        onBlur={(e) => void commit(e.target.value)}
      />
    );
  }
  return (
    <td className={`entry-cell entry-cell--${status.state}${highlight ? ' entry-cell--focus' : ''}`}>
      <div className="entry-cell__box">
        {box}
        <span className="entry-cell__mark" aria-hidden="true">
          {status.state === 'saving' ? <span className="spinner spinner--small" /> : status.state === 'saved' ? '✓' : null}
        </span>
      </div>
      {status.state === 'saving' ? <span className="visually-hidden">{t('grid.saving')}</span> : null}
      {status.state === 'saved' ? (
        <span className="visually-hidden" role="status">
          {t('grid.saved')}
        </span>
      ) : null}
      {status.state === 'error' ? (
        <p className="cell-error" id={errorId} data-testid="cell-error" role="alert">
          {status.message}
        </p>
      ) : null}
    </td>
  );
});

export interface GridProps {
  form: EntryForm;
  /** The stored values by cell (`keyOf(de, coc)`), as of the last load and the saves since. */
  saved: ReadonlyMap<string, string>;
  editable: boolean;
  /** Saves one value (PUT /api/dataEntry/values) as the server keeps it; rejects with the server's error. */
  save(de: string, coc: string, value: string): Promise<void>;
  filters: Record<string, RowFilter>;
  setFilter(comboId: string, filter: RowFilter): void;
  /** A cell to show and focus (from a data quality link). */
  focus: { de: string; coc: string } | null;
}

/** The data entry grid of a form: not-disaggregated values, small disaggregations as rows, large ones one table per element with a row filter. */
export function EntryGrid({ form, saved, editable, save, filters, setFilter, focus }: GridProps) {
  const { t } = useTranslation('monitoring');
  const { num, f } = useNumbers();
  const info = useMemo(() => new Map(form.values.map((v) => [keyOf(v.dataElement, v.categoryOptionCombo), v])), [form]);
  // Rows written in this session stay shown under "only rows with values", even when emptied.
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const names = useMemo(() => new Map(form.elements.map((e) => [e.id, e.name])), [form]);
  const combos = useMemo(() => new Map(form.categoryCombos.map((c) => [c.id, c])), [form]);
  const layouts = useMemo(() => new Map(form.categoryCombos.filter((c) => !isSmall(c)).map((c) => [c.id, layoutOf(c)])), [form]);

  const onSave = useMemo(
    () => async (de: string, coc: string, value: string) => {
      await save(de, coc, value);
      setTouched((t) => new Set(t).add(coc));
    },
    [save],
  );
  const errorText = useMemo(() => (message: string) => nameIds(message, names), [names]);

  const plain = form.elements.filter((e) => e.categoryCombo === DEFAULT_COMBO || !combos.has(e.categoryCombo));
  const smallGroups = new Map<string, Element[]>();
  const largeGroups = new Map<string, Element[]>();
  for (const e of form.elements) {
    const combo = combos.get(e.categoryCombo);
    if (!combo || e.categoryCombo === DEFAULT_COMBO) continue;
    const groups = isSmall(combo) ? smallGroups : largeGroups;
    groups.set(combo.id, [...(groups.get(combo.id) ?? []), e]);
  }
  const large = [...largeGroups.values()].flat();

  function cell(e: Element, coc: string, label: string) {
    const k = keyOf(e.id, coc);
    const v = info.get(k);
    return (
      <Cell
        key={k}
        de={e.id}
        coc={coc}
        label={label}
        saved={saved.get(k) ?? ''}
        valueType={e.valueType}
        editable={editable}
        title={v?.storedBy ? t('grid.lastSaved', { by: v.storedBy, at: f.dateTime(v.lastUpdated) }) : undefined}
        highlight={focus !== null && focus.de === e.id && focus.coc === coc}
        onSave={onSave}
        errorText={errorText}
      />
    );
  }

  return (
    <div className="entry-grid" data-testid="entry-grid">
      {large.length > 0 ? (
        <nav className="entry-toc" aria-label={t('grid.tocLabel')}>
          <span className="muted">{t('grid.jumpTo')}</span>
          <ul>
            {plain.length > 0 ? (
              <li>
                <a href="#entry-plain">{t('grid.notDisaggregated')}</a>
              </li>
            ) : null}
            {[...smallGroups.keys()].map((id) => (
              <li key={id}>
                <a href={`#entry-combo-${id}`}>{combos.get(id)!.name}</a>
              </li>
            ))}
            {large.map((e) => (
              <li key={e.id}>
                <a href={`#entry-el-${e.id}`}>{e.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {plain.length > 0 ? (
        <section className="entry-section" id="entry-plain">
          <h3>{t('grid.notDisaggregated')}</h3>
          <div className="table-scroll">
            <table className="data-table data-table--form entry-table" data-testid="entry-table-plain">
              <thead>
                <tr>
                  <th scope="col">{t('grid.dataElement')}</th>
                  <th scope="col">{t('grid.value')}</th>
                  <th scope="col">{t('grid.expected')}</th>
                </tr>
              </thead>
              <tbody>
                {plain.map((e) => (
                  <tr key={e.id} data-de={e.id}>
                    <th scope="row">
                      {e.name}
                      {e.code ? <code className="entry-code">{e.code}</code> : null}
                    </th>
                    {cell(e, DEFAULT_COC, e.name)}
                    <td className="cell-muted">{named(t, 'valueTypes', e.valueType)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {[...smallGroups.entries()].map(([id, elements]) => {
        const combo = combos.get(id)!;
        const cols = combinations(combo.categories);
        const cocOf = new Map(combo.cocs.map((c) => [optionsKey(c.options), c.id]));
        const numeric = elements.every((e) => isNumericType(e.valueType));
        return (
          <section className="entry-section" id={`entry-combo-${id}`} key={id}>
            <h3>{t('grid.by', { combo: combo.name.toLowerCase() })}</h3>
            <div className="table-scroll">
              <table className="data-table data-table--form entry-table">
                <ColumnHeads categories={combo.categories} corner={t('grid.dataElement')} total={numeric} />
                <tbody>
                  {elements.map((e) => {
                    const cocs = cols.map((opts) => cocOf.get(optionsKey(opts.map((o) => o.id))) ?? '');
                    return (
                      <tr key={e.id} data-de={e.id}>
                        <th scope="row">
                          {e.name}
                          {e.code ? <code className="entry-code">{e.code}</code> : null}
                        </th>
                        {cols.map((opts, i) => cell(e, cocs[i]!, `${e.name}, ${opts.map((o) => o.name).join(', ')}`))}
                        {numeric ? <td className="num entry-total">{num(sum(cocs.map((c) => saved.get(keyOf(e.id, c)))))}</td> : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}

      {[...largeGroups.entries()].map(([id, elements]) => {
        const layout = layouts.get(id)!;
        return (
          <LargeGroup
            key={id}
            layout={layout}
            elements={elements}
            filter={filters[id] ?? { options: {}, onlyWithValues: false }}
            setFilter={(f) => setFilter(id, f)}
            saved={saved}
            touched={touched}
            formValues={form.values}
            cell={cell}
          />
        );
      })}
    </div>
  );
}

/** Header rows for the column categories (one row per category, the first spanning the next). */
function ColumnHeads({
  categories,
  corner,
  rowCategories = [],
  total,
}: {
  categories: Category[];
  corner: string;
  rowCategories?: Category[];
  total: boolean;
}) {
  const { t } = useTranslation('monitoring');
  const depth = categories.length;
  return (
    <thead>
      {categories.map((cat, level) => {
        const repeat = categories.slice(0, level).reduce((n, c) => n * c.options.length, 1);
        const span = categories.slice(level + 1).reduce((n, c) => n * c.options.length, 1);
        return (
          <tr key={cat.id}>
            {level === 0
              ? (rowCategories.length > 0 ? rowCategories : [{ id: 'corner', name: corner }]).map((rc) => (
                  <th scope="col" rowSpan={depth} key={rc.id} className="entry-corner">
                    {rc.name}
                  </th>
                ))
              : null}
            {Array.from({ length: repeat }).flatMap((_, r) =>
              cat.options.map((o) => (
                <th scope="col" colSpan={span} key={`${r}-${o.id}`} className="entry-colhead" title={cat.name}>
                  {o.name}
                </th>
              )),
            )}
            {level === 0 && total ? (
              <th scope="col" rowSpan={depth} className="num">
                {t('grid.total')}
              </th>
            ) : null}
          </tr>
        );
      })}
    </thead>
  );
}

/** The elements of one large disaggregation: the row filter once, then one table per element. */
function LargeGroup({
  layout,
  elements,
  filter,
  setFilter,
  saved,
  touched,
  formValues,
  cell,
}: {
  layout: Layout;
  elements: Element[];
  filter: RowFilter;
  setFilter(f: RowFilter): void;
  saved: ReadonlyMap<string, string>;
  touched: Set<string>;
  formValues: FormValue[];
  cell(e: Element, coc: string, label: string): ReactNode;
}) {
  const { t } = useTranslation('monitoring');
  // The rows that hold a value of any element of this combo (at load, or written since).
  const rowsWithValues = useMemo(() => {
    const rowOf = new Map<string, string>();
    const rowOptions = new Set(layout.rows.flatMap((c) => c.options.map((o) => o.id)));
    for (const c of layout.combo.cocs) rowOf.set(c.id, optionsKey(c.options.filter((o) => rowOptions.has(o))));
    const out = new Set<string>();
    for (const v of formValues) if (v.value !== null && v.value !== '' && rowOf.has(v.categoryOptionCombo)) out.add(rowOf.get(v.categoryOptionCombo)!);
    for (const coc of touched) if (rowOf.has(coc)) out.add(rowOf.get(coc)!);
    return out;
  }, [layout, formValues, touched]);

  const rows = layout.rowCombos.filter(
    (opts) =>
      opts.every((o, i) => !filter.options[layout.rows[i]!.id] || filter.options[layout.rows[i]!.id] === o.id) &&
      (!filter.onlyWithValues || rowsWithValues.has(optionsKey(opts.map((o) => o.id)))),
  );
  const rowNames = layout.rows.map((c) => c.name.toLowerCase()).join(' × ');
  const filtered = Object.values(filter.options).some(Boolean) || filter.onlyWithValues;

  return (
    <div className="entry-group" data-combo={layout.combo.id}>
      <div className="entry-filter" role="group" aria-label={t('grid.rowsShownLabel', { combo: layout.combo.name.toLowerCase() })} data-testid="row-filter">
        <span className="entry-filter__title">{t('grid.rowsShown')}</span>
        {layout.rows.map((cat) => (
          <label key={cat.id} className="entry-filter__field">
            <span>{cat.name}</span>
            <select
              name={`filter-${cat.id}`}
              value={filter.options[cat.id] ?? ''}
              onChange={(e) => setFilter({ ...filter, options: { ...filter.options, [cat.id]: e.target.value } })}
            >
              <option value="">{t('grid.all', { count: cat.options.length })}</option>
              {cat.options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="checkbox entry-filter__check">
          <input
            type="checkbox"
            name="only-with-values"
            checked={filter.onlyWithValues}
            onChange={(e) => setFilter({ ...filter, onlyWithValues: e.target.checked })}
          />
          {t('grid.onlyWithValues')}
        </label>
        <span className="entry-filter__count" data-testid="row-count" role="status">
          {t('grid.rowCount', { count: layout.rowCombos.length, shown: rows.length, rows: rowNames })}
        </span>
        {filtered ? (
          <button type="button" className="button--secondary button--small" onClick={() => setFilter({ options: {}, onlyWithValues: false })}>
            {t('grid.showAllRows')}
          </button>
        ) : null}
      </div>
      {elements.map((e) => (
        <LargeTable key={e.id} element={e} layout={layout} rows={rows} rowNames={rowNames} onlyWithValues={filter.onlyWithValues} saved={saved} cell={cell} />
      ))}
    </div>
  );
}

/** One element of a large disaggregation: the rows shown × columns, with row and column totals. */
function LargeTable({
  element,
  layout,
  rows,
  rowNames,
  onlyWithValues,
  saved,
  cell,
}: {
  element: Element;
  layout: Layout;
  rows: Option[][];
  rowNames: string;
  onlyWithValues: boolean;
  saved: ReadonlyMap<string, string>;
  cell(e: Element, coc: string, label: string): ReactNode;
}) {
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  const numeric = isNumericType(element.valueType);
  const uid = useId();
  const cocGrid = rows.map((r) => layout.colCombos.map((c) => layout.cocOf.get(optionsKey([...r, ...c].map((o) => o.id))) ?? ''));
  const elementTotal = numeric ? sum(layout.combo.cocs.map((c) => saved.get(keyOf(element.id, c.id)))) : null;

  return (
    <section className="entry-section entry-element" id={`entry-el-${element.id}`} data-testid="entry-element" data-de={element.id}>
      <div className="entry-element__head">
        <h3>
          {element.name}
          {element.code ? <code className="entry-code">{element.code}</code> : null}
        </h3>
        <p className="muted">
          {named(t, 'valueTypes', element.valueType)}
          {numeric ? (
            <>
              {' '}
              · {t('grid.totalOfAll', { n: num(layout.combo.cocs.length) })} <strong data-testid="element-total">{num(elementTotal)}</strong>
            </>
          ) : null}
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="empty">
          {onlyWithValues ? t('grid.noRowWithValues', { rows: rowNames, row: layout.rows[0]?.name.toLowerCase() ?? t('grid.row') }) : t('grid.noRowMatches')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table data-table--form entry-table entry-table--large" aria-labelledby={`${uid}-caption`}>
            <caption id={`${uid}-caption`} className="visually-hidden">
              {t('grid.caption', { name: element.name, rows: rowNames, cols: layout.cols.map((c) => c.name.toLowerCase()).join(' × ') })}
            </caption>
            <ColumnHeads categories={layout.cols} corner="" rowCategories={layout.rows} total={numeric} />
            <tbody>
              {rows.map((r, i) => {
                const prev = rows[i - 1];
                const cocs = cocGrid[i]!;
                return (
                  <tr key={optionsKey(r.map((o) => o.id))}>
                    {r.map((o, level) => {
                      // The outer row names span their consecutive rows.
                      if (level < r.length - 1) {
                        const same = (row: Option[] | undefined) => row !== undefined && row.slice(0, level + 1).every((p, j) => p.id === r[j]!.id);
                        if (same(prev)) return null;
                        let span = 1;
                        while (same(rows[i + span])) span++;
                        return (
                          <th scope="rowgroup" rowSpan={span} key={o.id} className="entry-rowhead entry-rowhead--outer">
                            {o.name}
                          </th>
                        );
                      }
                      return (
                        <th scope="row" key={o.id} className="entry-rowhead">
                          {o.name}
                        </th>
                      );
                    })}
                    {layout.colCombos.map((c, j) => cell(element, cocs[j]!, `${element.name}, ${[...r, ...c].map((o) => o.name).join(', ')}`))}
                    {numeric ? <td className="num entry-total">{num(sum(cocs.map((coc) => saved.get(keyOf(element.id, coc)))))}</td> : null}
                  </tr>
                );
              })}
            </tbody>
            {numeric ? (
              <tfoot>
                <tr>
                  <th scope="row" colSpan={layout.rows.length}>
                    {rows.length === layout.rowCombos.length ? t('grid.total') : t('grid.totalShown', { count: rows.length })}
                  </th>
                  {layout.colCombos.map((_, j) => (
                    <td className="num" key={j}>
                      {num(sum(cocGrid.map((row) => saved.get(keyOf(element.id, row[j]!)))))}
                    </td>
                  ))}
                  <td className="num">{num(sum(cocGrid.flat().map((coc) => saved.get(keyOf(element.id, coc)))))}</td>
                </tr>
              </tfoot>
            ) : null}
          </table>
        </div>
      )}
    </section>
  );
}
