import { Fragment, useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { QueryOf, Schema } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { useFormat } from '../i18n/format';
import { words } from '../registry/labels';
import { useMe } from '../session';
import { useDateTime } from './form';

const PAGE_SIZE = 50;

type AuditEntry = Schema<'AuditEntry'>;
type Facet = Schema<'AuditFacets'>['actions'];

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
function apiQuery(f: Filters): QueryOf<'/api/audit'> {
  const q: QueryOf<'/api/audit'> = { limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE };
  for (const k of ['actor', 'action', 'objectType', 'objectId'] as const) if (f[k].trim()) q[k] = f[k].trim();
  const from = f.from ? dayStart(f.from) : null;
  const to = f.to ? dayStart(f.to, 1) : null;
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
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
  const { t, i18n } = useTranslation('access');
  const f = useFormat();
  const formatDateTime = useDateTime();
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

  const entries = $api.useQuery('get', '/api/audit', { params: { query: apiQuery(filters) } }, { placeholderData: keepPreviousData });
  // The choices of the filters: what this reader's part of the trail holds.
  const facets = $api.useQuery('get', '/api/audit/facets');
  const filtered = KEYS.some((k) => filters[k] !== '');

  /** An action or object type in the reader's words; one Corridor does not name yet, in words of its code. */
  const nameOf = (kind: 'actions' | 'objectTypes', value: string) => {
    const key = `audit.${kind}.${value}`;
    return i18n.exists(key, { ns: 'access' }) ? t(key as 'audit.actions.create') : words(value);
  };

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

  const select = (k: 'actor' | 'action' | 'objectType', options: Facet, any: string, name: (value: string) => string) => (
    <select id={idOf(k)} name={k} value={draft[k]} onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}>
      <option value="">{any}</option>
      {draft[k] && !options.some((o) => o.value === draft[k]) ? <option value={draft[k]}>{name(draft[k])}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {t('audit.choice', { name: name(o.value), count: o.count })}
        </option>
      ))}
    </select>
  );
  const choices = facets.data ?? { actions: [], objectTypes: [], actors: [] };

  const scoped = me?.user.role !== 'admin';
  const page = entries.data ?? null;
  const offset = (filters.page - 1) * PAGE_SIZE;

  return (
    <main id="main" tabIndex={-1} className="page audit-page">
      <div className="page-heading">
        <h1>{t('audit.title')}</h1>
        <p className="lede">
          {t('audit.lede')}
          {scoped ? ` ${t('audit.scoped')}` : ''}
        </p>
      </div>

      <form className="filters" role="search" aria-label={t('audit.filter')} onSubmit={apply} data-testid="audit-filters">
        <div className="field">
          <label htmlFor={idOf('actor')}>{t('audit.actor')}</label>
          {select('actor', choices.actors, t('audit.anyActor'), (v) => v)}
        </div>
        <div className="field">
          <label htmlFor={idOf('action')}>{t('audit.action')}</label>
          {select('action', choices.actions, t('audit.anyAction'), (v) => nameOf('actions', v))}
        </div>
        <div className="field">
          <label htmlFor={idOf('objectType')}>{t('audit.objectType')}</label>
          {select('objectType', choices.objectTypes, t('audit.anyType'), (v) => nameOf('objectTypes', v))}
        </div>
        <div className="field">
          <label htmlFor={idOf('from')}>{t('audit.from')}</label>
          <input id={idOf('from')} name="from" type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor={idOf('to')}>{t('audit.to')}</label>
          <input id={idOf('to')} name="to" type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        </div>
        <button type="submit" data-testid="audit-apply">
          {t('audit.show')}
        </button>
        {filtered ? (
          <button type="button" className="button--secondary" onClick={clear}>
            {t('audit.clear')}
          </button>
        ) : null}
      </form>
      {filters.objectId ? (
        <p className="muted">
          <Trans t={t} i18nKey="audit.onlyObject" values={{ id: filters.objectId }} components={{ 1: <code /> }} />
        </p>
      ) : null}

      {!page ? (
        <LoadStatus load={queryLoad(entries)} what={t('audit.what')} onRetry={() => void entries.refetch()} />
      ) : (
        <>
          <p className="list-summary" role="status" data-testid="audit-summary">
            {page.total === 0
              ? t(filtered ? 'audit.noMatch' : 'audit.empty')
              : t(filtered ? 'audit.showingFiltered' : 'audit.showing', {
                  count: page.total,
                  from: f.number(offset + 1),
                  to: f.number(offset + page.items.length),
                })}
          </p>
          {page.items.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table audit-table" data-testid="audit-table">
                <caption className="visually-hidden">{t('audit.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.when')}</th>
                    <th scope="col">{t('audit.actor')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.object')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('audit.changes')}</span>
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
                            <span className={`audit-action audit-action--${entry.action}`}>{nameOf('actions', entry.action)}</span>
                          </td>
                          <td>
                            <span className="audit-object__type">{nameOf('objectTypes', entry.objectType)}</span>
                            {label ? <span className="audit-object__label"> {label}</span> : null}
                            {entry.objectId ? (
                              <>
                                {' '}
                                <code className="audit-object__id" title={t('audit.objectId')}>
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
                                {isOpen ? t('audit.hideChanges') : t('audit.showChanges')}
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
                                      <h3>{t('audit.before')}</h3>
                                      {hasContent(entry.before) ? (
                                        <pre data-testid="audit-before">{json(entry.before)}</pre>
                                      ) : (
                                        <p className="muted">{t('audit.wasNew')}</p>
                                      )}
                                    </div>
                                    <div>
                                      <h3>{t('audit.after')}</h3>
                                      {hasContent(entry.after) ? (
                                        <pre data-testid="audit-after">{json(entry.after)}</pre>
                                      ) : (
                                        <p className="muted">{t('audit.wasRemoved')}</p>
                                      )}
                                    </div>
                                  </>
                                ) : null}
                                {hasContent(entry.details) ? (
                                  <div className="audit-diff__wide">
                                    <h3>{t('audit.details')}</h3>
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
            <nav className="pager" aria-label={t('audit.pages')}>
              <button
                type="button"
                className="button--secondary"
                disabled={filters.page <= 1}
                onClick={() => setFilters((old) => ({ ...old, page: old.page - 1 }))}
              >
                {t('audit.newer')}
              </button>
              <span>{t('audit.page', { page: f.number(filters.page), pages: f.number(Math.ceil(page.total / PAGE_SIZE)) })}</span>
              <button
                type="button"
                className="button--secondary"
                disabled={offset + PAGE_SIZE >= page.total}
                onClick={() => setFilters((old) => ({ ...old, page: old.page + 1 }))}
              >
                {t('audit.older')}
              </button>
            </nav>
          ) : null}
        </>
      )}
    </main>
  );
}
