import { Fragment, useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { getJson } from '../api';
import { LoadStatus } from '../components';
import { useMe } from '../session';
import { useLoad } from '../use-load';
import { formatDateTime } from './form';

const PAGE_SIZE = 50;

/** The actions and object types Corridor records (a value outside these lists is still accepted). */
const ACTIONS = ['create', 'update', 'delete', 'role-change', 'import', 'load-dataset', 'login', 'login-failed', 'logout', 'revoke'];
const OBJECT_TYPES = [
  'site',
  'site-populations',
  'site-services',
  'place',
  'corridor',
  'flow',
  'project',
  'policy',
  'population-group',
  'taxonomy-option',
  'dataset',
  'user',
  'api-token',
  'session',
];

/** One entry of `GET /api/audit`. */
interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

interface AuditPage {
  items: AuditEntry[];
  total: number;
  limit: number;
  offset: number;
}

interface Filters {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  /** Local calendar days (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  page: number;
}

const EMPTY: Filters = { actor: '', action: '', objectType: '', objectId: '', from: '', to: '', page: 1 };
const KEYS = ['actor', 'action', 'objectType', 'objectId', 'from', 'to'] as const;

function filtersFromUrl(): Filters {
  const params = new URLSearchParams(window.location.search);
  const f: Filters = { ...EMPTY, page: Math.max(1, Number(params.get('page')) || 1) };
  for (const k of KEYS) f[k] = params.get(k) ?? '';
  return f;
}

/** The start of a local calendar day as an instant, `days` later: "2025-11-26" → "2025-11-25T23:00:00.000Z" in UTC+1. */
function dayStart(day: string, days = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

/** The API query: `to` is exclusive there, so the day after the last day shown. */
function apiQuery(f: Filters): string {
  const params = new URLSearchParams();
  for (const k of ['actor', 'action', 'objectType', 'objectId'] as const) if (f[k].trim()) params.set(k, f[k].trim());
  const from = f.from ? dayStart(f.from) : null;
  const to = f.to ? dayStart(f.to, 1) : null;
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  params.set('limit', String(PAGE_SIZE));
  params.set('offset', String((f.page - 1) * PAGE_SIZE));
  return params.toString();
}

function urlQuery(f: Filters): string {
  const params = new URLSearchParams();
  for (const k of KEYS) if (f[k].trim()) params.set(k, f[k].trim());
  if (f.page > 1) params.set('page', String(f.page));
  const q = params.toString();
  return q ? `?${q}` : '';
}

/** A readable name for the object of an entry: its email, code, name or title when it has one. */
function objectLabel(entry: AuditEntry): string | null {
  for (const side of [entry.after, entry.before]) {
    if (typeof side !== 'object' || side === null || Array.isArray(side)) continue;
    const o = side as Record<string, unknown>;
    for (const key of ['email', 'code', 'name', 'title']) if (typeof o[key] === 'string' && o[key]) return o[key] as string;
  }
  return null;
}

function hasContent(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** `/admin/audit` (admins; country managers see the writes within their scope): who changed what, when. */
export function AuditLogPage() {
  const me = useMe();
  const [filters, setFilters] = useState<Filters>(filtersFromUrl);
  const [draft, setDraft] = useState<Filters>(filters);
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const uid = useId();
  const idOf = (k: string) => `${uid}-${k}`;

  // Keep the filters in the address, so that a reload, a shared link or Back shows the same entries.
  useEffect(() => {
    const url = `/admin/audit${urlQuery(filters)}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [filters]);

  const query = apiQuery(filters);
  const [load, retry] = useLoad(`audit?${query}`, () => getJson<AuditPage>(`/api/audit?${query}`), { keepPrevious: true });
  const filtered = KEYS.some((k) => filters[k] !== '');

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters({ ...draft, page: 1 });
  }

  function clear() {
    setDraft(EMPTY);
    setFilters(EMPTY);
  }

  function toggle(id: number) {
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const select = (k: 'action' | 'objectType', options: string[], any: string) => (
    <select id={idOf(k)} name={k} value={draft[k]} onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}>
      <option value="">{any}</option>
      {draft[k] && !options.includes(draft[k]) ? <option value={draft[k]}>{draft[k]}</option> : null}
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );

  const scoped = me?.user.role !== 'admin';
  const page = load.state === 'ready' ? load.data : null;
  const offset = (filters.page - 1) * PAGE_SIZE;

  return (
    <main id="main" tabIndex={-1} className="page audit-page">
      <div className="page-heading">
        <h1>Audit log</h1>
        <p className="lede">
          Every change to the registry, the reference lists and the user accounts, and every login, newest first. Entries
          are never changed or deleted.
          {scoped ? ' As a country manager you see the changes to data within your countries.' : ''}
        </p>
      </div>

      <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={apply} data-testid="audit-filters">
        <div className="field">
          <label htmlFor={idOf('actor')}>Actor</label>
          <input
            id={idOf('actor')}
            name="actor"
            type="text"
            value={draft.actor}
            placeholder="e.g. admin@example.org"
            onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor={idOf('action')}>Action</label>
          {select('action', ACTIONS, 'Any action')}
        </div>
        <div className="field">
          <label htmlFor={idOf('objectType')}>Object type</label>
          {select('objectType', OBJECT_TYPES, 'Any type')}
        </div>
        <div className="field">
          <label htmlFor={idOf('from')}>From</label>
          <input id={idOf('from')} name="from" type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={idOf('to')}>To (included)</label>
          <input id={idOf('to')} name="to" type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        </div>
        <button type="submit" data-testid="audit-apply">
          Show entries
        </button>
        {filtered ? (
          <button type="button" className="button--secondary" onClick={clear}>
            Clear filters
          </button>
        ) : null}
      </form>
      {filters.objectId ? (
        <p className="muted">
          Only the object with id <code>{filters.objectId}</code>.
        </p>
      ) : null}

      {load.state !== 'ready' || !page ? (
        <LoadStatus load={load} what="the audit log" onRetry={retry} />
      ) : (
        <>
          <p className="list-summary" role="status" data-testid="audit-summary">
            {page.total === 0
              ? filtered
                ? 'No entry matches these filters.'
                : 'The audit log is empty.'
              : `Showing ${offset + 1}–${offset + page.items.length} of ${page.total} entr${page.total === 1 ? 'y' : 'ies'}${filtered ? ' matching the filters' : ''}.`}
          </p>
          {page.items.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table audit-table" data-testid="audit-table">
                <caption className="visually-hidden">Audit log entries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Object</th>
                    <th scope="col">
                      <span className="visually-hidden">Changes</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((entry) => {
                    const label = objectLabel(entry);
                    const expandable = hasContent(entry.before) || hasContent(entry.after) || hasContent(entry.details);
                    const isOpen = open.has(entry.id);
                    return (
                      <Fragment key={entry.id}>
                        <tr
                          data-entry-id={entry.id}
                          data-actor={entry.actor}
                          data-action={entry.action}
                          data-object-type={entry.objectType}
                          data-object-id={entry.objectId ?? ''}
                        >
                          <td className="cell-nowrap">
                            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                          </td>
                          <td>{entry.actor}</td>
                          <td>
                            <span className={`audit-action audit-action--${entry.action}`}>{entry.action}</span>
                          </td>
                          <td>
                            <span className="audit-object__type">{entry.objectType}</span>
                            {label ? <span className="audit-object__label"> {label}</span> : null}
                            {entry.objectId ? (
                              <>
                                {' '}
                                <code className="audit-object__id" title="Object id">
                                  {entry.objectId}
                                </code>
                              </>
                            ) : null}
                          </td>
                          <td className="cell-nowrap">
                            {expandable ? (
                              <button
                                type="button"
                                className="button--secondary button--small"
                                aria-expanded={isOpen}
                                aria-controls={`${uid}-entry-${entry.id}`}
                                onClick={() => toggle(entry.id)}
                                data-testid="audit-expand"
                              >
                                {isOpen ? 'Hide' : 'Show'} changes
                              </button>
                            ) : null}
                          </td>
                        </tr>
                        {isOpen ? (
                          <tr className="audit-table__detail" id={`${uid}-entry-${entry.id}`} data-testid="audit-detail">
                            <td colSpan={5}>
                              <div className="audit-diff">
                                {hasContent(entry.before) || hasContent(entry.after) ? (
                                  <>
                                    <div>
                                      <h3>Before</h3>
                                      {hasContent(entry.before) ? (
                                        <pre data-testid="audit-before">{json(entry.before)}</pre>
                                      ) : (
                                        <p className="muted">Nothing: the object was new.</p>
                                      )}
                                    </div>
                                    <div>
                                      <h3>After</h3>
                                      {hasContent(entry.after) ? (
                                        <pre data-testid="audit-after">{json(entry.after)}</pre>
                                      ) : (
                                        <p className="muted">Nothing: the object was removed.</p>
                                      )}
                                    </div>
                                  </>
                                ) : null}
                                {hasContent(entry.details) ? (
                                  <div className="audit-diff__wide">
                                    <h3>Details</h3>
                                    <pre data-testid="audit-details">{json(entry.details)}</pre>
                                  </div>
                                ) : null}
                              </div>
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          {page.total > PAGE_SIZE ? (
            <nav className="pager" aria-label="Pages of the audit log">
              <button
                type="button"
                className="button--secondary"
                disabled={filters.page <= 1}
                onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}
              >
                ← Newer
              </button>
              <span>
                Page {filters.page} of {Math.ceil(page.total / PAGE_SIZE)}
              </span>
              <button
                type="button"
                className="button--secondary"
                disabled={offset + PAGE_SIZE >= page.total}
                onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
              >
                Older →
              </button>
            </nav>
          ) : null}
        </>
      )}
    </main>
  );
}
