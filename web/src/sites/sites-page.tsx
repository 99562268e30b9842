import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData } from '@tanstack/react-query';
import { $api } from '../api';
import type { QueryOf } from '../api';
import { IllustrativeBadge, LoadStatus, SiteSymbol, queryLoad } from '../components';
import { useFormat } from '../i18n/format';
import { useReference } from '../registry/reference';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { SITE_TYPES, useSiteTypeName } from './names';
import { SiteForm } from './site-form';

const PAGE_SIZE = 25;

interface Filters {
  q: string;
  type: string;
  country: string;
  page: number;
}

function filtersFromUrl(): Filters {
  const params = new URLSearchParams(window.location.search);
  return {
    q: params.get('q') ?? '',
    type: params.get('type') ?? '',
    country: params.get('country') ?? '',
    page: Math.max(1, Number(params.get('page')) || 1),
  };
}

/** The API's query for one page of the list. */
function apiQuery(filters: Filters, offset: number): QueryOf<'/api/sites'> {
  return {
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.type ? { type: filters.type as QueryOf<'/api/sites'>['type'] } : {}),
    ...(filters.country ? { country: filters.country } : {}),
    limit: PAGE_SIZE,
    offset,
  };
}

/** The filters as the address shows them. */
function query(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.type) params.set('type', filters.type);
  if (filters.country) params.set('country', filters.country);
  return params.toString();
}

/** The registry's sites: search by name or code, filter by type and country, page through, add a site. */
export function SitesPage() {
  const { t } = useTranslation('sites');
  const f = useFormat();
  const [filters, setFilters] = useState<Filters>(filtersFromUrl);
  const [search, setSearch] = useState(filters.q);
  const [creating, setCreating] = useState(false);
  const canWrite = useCan('registry:write');
  const types = useReference('siteTypes');
  const countries = useReference('countries');

  // Typing waits a moment before asking the server, instead of one request per key.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = window.setTimeout(() => setFilters((f) => ({ ...f, q: search, page: 1 })), 300);
    return () => window.clearTimeout(timer);
  }, [search, filters.q]);

  // Keep the filters in the address, so that a reload or the back button returns to the same list.
  useEffect(() => {
    const q = query(filters);
    const suffix = [q, filters.page > 1 ? `page=${filters.page}` : ''].filter(Boolean).join('&');
    const url = `/sites${suffix ? `?${suffix}` : ''}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }, [filters]);

  const offset = (filters.page - 1) * PAGE_SIZE;
  const q = query(filters);
  const sites = $api.useQuery('get', '/api/sites', { params: { query: apiQuery(filters, offset) } }, { placeholderData: keepPreviousData });
  // Without a format the answer is a page of sites.
  const page = typeof sites.data === 'object' && 'items' in sites.data ? sites.data : null;

  const typeList = types.data;
  const countryList = countries.data ?? [];
  const countryName = (code: string) => countryList.find((c) => c.code === code)?.name ?? code;
  const filtered = Boolean(q);
  const typeName = useSiteTypeName(typeList);

  function set(change: Partial<Filters>) {
    setFilters((f) => ({ ...f, ...change, page: change.page ?? 1 }));
  }

  return (
    <main id="main" tabIndex={-1} className="page sites-page">
      <div className="page-heading page-heading--actions">
        <div>
          <h1>{t('list.title')}</h1>
          <p className="lede">{t('list.lede')}</p>
        </div>
        {canWrite && !creating ? (
          <button type="button" onClick={() => setCreating(true)} data-testid="site-new">
            {t('list.new')}
          </button>
        ) : null}
      </div>

      {canWrite && creating ? (
        <section className="panel">
          {types.data && countries.data ? (
            <SiteForm
              site={null}
              siteTypes={types.data}
              countries={countries.data}
              onSaved={(site) => navigate(`/sites/${encodeURIComponent(site.id)}`)}
              onCancel={() => setCreating(false)}
            />
          ) : (
            <LoadStatus
              load={queryLoad(types.data ? countries : types)}
              what={t('what.typesAndCountries')}
              onRetry={() => void (types.data ? countries : types).refetch()}
            />
          )}
        </section>
      ) : null}

      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('list.filter')}>
        <div className="field">
          <label htmlFor="sites-q">{t('list.q')}</label>
          <input id="sites-q" type="search" name="q" value={search} placeholder={t('list.qPlaceholder')} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sites-type">{t('list.type')}</label>
          <select id="sites-type" name="type" value={filters.type} onChange={(e) => set({ type: e.target.value })}>
            <option value="">{t('list.allTypes')}</option>
            {(typeList?.map((type) => type.code) ?? SITE_TYPES).map((code) => (
              <option key={code} value={code}>
                {typeName(code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sites-country">{t('list.country')}</label>
          <select id="sites-country" name="country" value={filters.country} onChange={(e) => set({ country: e.target.value })}>
            <option value="">{t('list.allCountries')}</option>
            {countryList.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <button
            type="button"
            className="button--secondary"
            onClick={() => {
              setSearch('');
              setFilters({ q: '', type: '', country: '', page: 1 });
            }}
          >
            {t('list.clear')}
          </button>
        ) : null}
      </form>

      {!page ? (
        <LoadStatus load={queryLoad(sites)} what={t('what.sites')} onRetry={() => void sites.refetch()} />
      ) : (
        <>
          <p className="list-summary" role="status" data-testid="sites-summary">
            {page.total === 0
              ? t(filtered ? 'list.noMatch' : canWrite ? 'list.emptyCanWrite' : 'list.emptyInScope')
              : t(filtered ? 'list.showingFiltered' : 'list.showing', {
                  count: page.total,
                  from: f.number(offset + 1),
                  to: f.number(offset + page.items.length),
                })}
          </p>
          {page.items.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table" data-testid="sites-table">
                <caption className="visually-hidden">{t('list.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('list.name')}</th>
                    <th scope="col">{t('list.type')}</th>
                    <th scope="col">{t('list.country')}</th>
                    <th scope="col">{t('list.code')}</th>
                    <th scope="col">{t('list.assessed')}</th>
                    <th scope="col">{t('list.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((site) => (
                    <tr key={site.id} data-site-id={site.id}>
                      <th scope="row">
                        <Link to={`/sites/${encodeURIComponent(site.id)}`}>{site.name}</Link>
                        {site.illustrative ? (
                          <>
                            {' '}
                            <IllustrativeBadge what={t('illustrative')} />
                          </>
                        ) : null}
                      </th>
                      <td className="cell-nowrap">
                        <SiteSymbol type={site.type} /> {typeName(site.type)}
                      </td>
                      <td>{countryName(site.country)}</td>
                      <td>
                        <code>{site.code}</code>
                      </td>
                      <td className="cell-nowrap">{f.day(site.assessmentDate)}</td>
                      <td className="cell-muted">{site.source ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {page.total > PAGE_SIZE ? (
            <nav className="pager" aria-label={t('list.pages')}>
              <button type="button" className="button--secondary" disabled={filters.page <= 1} onClick={() => set({ page: filters.page - 1 })}>
                {t('list.previous')}
              </button>
              <span>{t('list.page', { page: f.number(filters.page), pages: f.number(Math.ceil(page.total / PAGE_SIZE)) })}</span>
              <button type="button" className="button--secondary" disabled={offset + PAGE_SIZE >= page.total} onClick={() => set({ page: filters.page + 1 })}>
                {t('list.next')}
              </button>
            </nav>
          ) : null}
        </>
      )}
    </main>
  );
}
