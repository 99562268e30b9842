import { useEffect, useState } from 'react';
import { ApiError, getJson, messageOf, sendJson } from '../api';
import { IllustrativeBadge, LoadStatus, SiteSymbol } from '../components';
import { SITE_TYPE_NAMES, formatCoordinates, formatCount, formatDate, formatRange, nameOf, yesNo } from '../registry/labels';
import { loadCountryList, loadPopulationGroups, loadServiceTypes, loadSiteTypes } from '../registry/reference';
import type { CountryRef } from '../registry/reference';
import type { CodeName, PopulationGroup, SiteDetail } from '../registry/types';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { useLoad } from '../use-load';
import { LocatorMap } from './locator-map';
import { PopulationsEditor, PopulationsTable } from './populations';
import { GapsList, ServicesEditor, ServicesTable } from './services';
import { SiteForm } from './site-form';

type Editing = null | 'site' | 'populations' | 'services';

interface ParentPlace {
  id: string;
  code: string | null;
  name: string;
  level: string;
}

/** Lists the form needs (types, countries, groups, services), loaded once per page load. */
interface FormLists {
  siteTypes: CodeName[];
  countries: CountryRef[];
  groups: PopulationGroup[];
  serviceTypes: CodeName[];
}

function loadFormLists(): Promise<FormLists> {
  return Promise.all([loadSiteTypes(), loadCountryList(), loadPopulationGroups(), loadServiceTypes()]).then(
    ([siteTypes, countries, groups, serviceTypes]) => ({ siteTypes, countries, groups, serviceTypes }),
  );
}

/** The profile of one site: who is there, which services exist, the gaps, and forms to correct them. */
export function SiteProfilePage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const [load, retry, replace] = useLoad<SiteDetail | null>(`site:${id}:${version}`, () =>
    getJson<SiteDetail>(`/api/sites/${encodeURIComponent(id)}`).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }),
    // After a save the profile is fetched again: keep showing it meanwhile.
    { keepPrevious: true },
  );
  const [types] = useLoad('site-types', loadSiteTypes);
  // Roles that may not write the registry see the profile without its edit buttons.
  const canWrite = useCan('registry:write');
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lists, retryLists] = useLoad(editing ? 'form-lists' : null, loadFormLists);

  const site = load.state === 'ready' ? load.data : null;
  // The admin area (county, region) the site is in: shown, and kept when the site is saved.
  const [parent] = useLoad(site ? `place:${site.parentId}` : null, () =>
    getJson<ParentPlace>(`/api/places/${encodeURIComponent(site!.parentId)}`),
  );
  const area = parent.state === 'ready' && parent.data.level !== 'country' ? parent.data : null;
  useEffect(() => {
    if (site) document.title = `${site.name} · Sites · Corridor`;
  }, [site]);

  function saved(message: string, detail?: SiteDetail) {
    setEditing(null);
    setNotice(message);
    if (detail) replace(detail);
    // A PUT of the site answers with the site only: fetch the profile again for its populations, services and gaps.
    else setVersion((v) => v + 1);
  }

  async function remove() {
    if (!site) return;
    if (!window.confirm(`Delete ${site.name} with its populations and services? This cannot be undone.`)) return;
    try {
      await sendJson<void>('DELETE', `/api/sites/${encodeURIComponent(site.id)}`);
      navigate('/sites');
    } catch (err) {
      setNotice(`The site was not deleted: ${messageOf(err)}`);
    }
  }

  if (load.state !== 'ready' || !site) {
    const notFound = load.state === 'ready';
    return (
      <main id="main" tabIndex={-1} className="page page--medium">
        <p className="breadcrumb">
          <Link to="/sites">Sites</Link>
        </p>
        {notFound ? (
          <>
            <h1>Site not found</h1>
            <p>
              There is no site with the id <code>{id}</code>. It may have been deleted. Go back to the{' '}
              <Link to="/sites">list of sites</Link>.
            </p>
          </>
        ) : (
          <LoadStatus load={load} what="the site" onRetry={retry} />
        )}
      </main>
    );
  }

  const typeName = nameOf(types.state === 'ready' ? types.data : undefined, site.type, SITE_TYPE_NAMES);
  const full = site.services.filter((s) => s.availability === 'full').length;
  const partial = site.services.filter((s) => s.availability === 'partial').length;
  const missingGaps = site.gaps.filter((g) => g.severity === 'missing').length;
  const venue = site.venue ?? { alcoholOnSite: null, sexOnSite: null, transactionalSexReported: null, condomsAvailableAtVisit: null };

  return (
    <main id="main" tabIndex={-1} className="page page--medium site-profile" data-testid="site-profile" data-site-id={site.id}>
      <p className="breadcrumb">
        <Link to="/sites">Sites</Link> <span aria-hidden="true">›</span> {site.name}
      </p>
      <header className="profile-header">
        <div className="profile-header__main">
          <h1 data-testid="site-name">
            {site.name} {site.illustrative ? <IllustrativeBadge what="This site's data" /> : null}
          </h1>
          <p className="profile-header__sub">
            <SiteSymbol type={site.type} size={18} /> <span data-testid="site-type">{typeName}</span> ·{' '}
            {area ? `${area.name}, ` : ''}
            <span data-testid="site-country">{site.countryName ?? site.country}</span> · <code>{site.code}</code>
          </p>
          <dl className="facts facts--profile">
            <div>
              <dt>Coordinates</dt>
              <dd data-testid="site-coordinates" data-latitude={site.latitude} data-longitude={site.longitude}>
                {formatCoordinates(site.latitude, site.longitude)}
              </dd>
            </div>
            <div>
              <dt>Open</dt>
              <dd>
                {[site.operatingDays, site.operatingHours].filter(Boolean).join(', ') || '—'}
              </dd>
            </div>
            <div>
              <dt>Assessment date</dt>
              <dd>{formatDate(site.assessmentDate)}</dd>
            </div>
            <div>
              <dt>Last updated</dt>
              <dd>{formatDate(site.updatedAt)}</dd>
            </div>
            <div className="facts__wide">
              <dt>Source</dt>
              <dd>{site.source ?? '—'}</dd>
            </div>
          </dl>
          <ul className="venue" aria-label="Venue characteristics">
            {(
              [
                ['Alcohol on site', venue.alcoholOnSite],
                ['Sex on site', venue.sexOnSite],
                ['Transactional sex reported', venue.transactionalSexReported],
                ['Condoms available at visit', venue.condomsAvailableAtVisit],
              ] as const
            ).map(([label, value]) => (
              <li key={label} className={`venue__item venue__item--${value === null ? 'unknown' : value ? 'yes' : 'no'}`}>
                {label}: <strong>{yesNo(value)}</strong>
              </li>
            ))}
          </ul>
          {site.notes ? <p className="profile-notes">{site.notes}</p> : null}
          <p className="profile-actions">
            {canWrite ? (
              <button type="button" onClick={() => { setNotice(null); setEditing('site'); }} disabled={editing === 'site'} data-testid="site-edit">
                Edit site
              </button>
            ) : null}
            <Link to="/" className="button-link button-link--secondary">
              Back to the map
            </Link>
            {canWrite ? (
              <button type="button" className="button--danger" onClick={() => void remove()} data-testid="site-delete">
                Delete site
              </button>
            ) : (
              <span className="muted" data-testid="read-only">
                Read only: your role may not edit the registry.
              </span>
            )}
          </p>
        </div>
        <LocatorMap latitude={site.latitude} longitude={site.longitude} country={site.country} type={site.type} name={site.name} />
      </header>

      {notice ? (
        <p className="notice notice--success" role="status" data-testid="save-notice">
          {notice}
        </p>
      ) : null}

      {editing === 'site' ? (
        <section className="panel" aria-label="Edit the site">
          {lists.state === 'ready' && parent.state !== 'loading' ? (
            <SiteForm
              site={site}
              parentCode={area?.code ?? undefined}
              siteTypes={lists.data.siteTypes}
              countries={lists.data.countries}
              onSaved={() => saved('The site was saved.')}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <LoadStatus load={lists} what="the form's lists" onRetry={retryLists} />
          )}
        </section>
      ) : null}

      <section className="stat-cards" aria-label="Summary">
        <div className="stat-card">
          <span className="stat-card__label">People present (low–high)</span>
          <span className="stat-card__value">{site.totals.sizeHigh > 0 ? formatRange(site.totals.sizeLow, site.totals.sizeHigh) : '—'}</span>
          <span className="stat-card__note">
            {site.populations.length} population {site.populations.length === 1 ? 'group' : 'groups'}
            {site.totals.sizeHigh > 0 ? `; estimate ${formatCount(site.totals.sizeEstimate)}` : ''}
          </span>
        </div>
        <div className="stat-card">
          <span className="stat-card__label">Services</span>
          <span className="stat-card__value">{site.services.length}</span>
          <span className="stat-card__note">
            {full} full, {partial} partial, {site.services.length - full - partial} none
          </span>
        </div>
        <div className={site.gaps.length > 0 ? 'stat-card stat-card--alert' : 'stat-card'}>
          <span className="stat-card__label">Service gaps</span>
          <span className="stat-card__value">{site.gaps.length}</span>
          <span className="stat-card__note">
            {missingGaps} missing, {site.gaps.length - missingGaps} partial
          </span>
        </div>
      </section>

      <section className="profile-section" aria-labelledby="populations-title">
        <div className="section-heading">
          <h2 id="populations-title">Populations present</h2>
          {canWrite && editing !== 'populations' ? (
            <button type="button" className="button--secondary" onClick={() => { setNotice(null); setEditing('populations'); }} data-testid="populations-edit">
              Edit populations
            </button>
          ) : null}
        </div>
        <p className="muted">Size estimates as low–high ranges, as programmatic mapping reports them.</p>
        {editing === 'populations' ? (
          lists.state === 'ready' ? (
            <PopulationsEditor
              site={site}
              groups={lists.data.groups}
              onSaved={(detail) => saved('The populations were saved.', detail)}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <LoadStatus load={lists} what="the population groups" onRetry={retryLists} />
          )
        ) : (
          <PopulationsTable site={site} />
        )}
      </section>

      <section className="profile-section" aria-labelledby="services-title">
        <div className="section-heading">
          <h2 id="services-title">HIV services at or near the site</h2>
          {canWrite && editing !== 'services' ? (
            <button type="button" className="button--secondary" onClick={() => { setNotice(null); setEditing('services'); }} data-testid="services-edit">
              Edit services
            </button>
          ) : null}
        </div>
        {editing === 'services' ? (
          lists.state === 'ready' ? (
            <ServicesEditor
              site={site}
              serviceTypes={lists.data.serviceTypes}
              onSaved={(detail) => saved('The services were saved.', detail)}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <LoadStatus load={lists} what="the service types" onRetry={retryLists} />
          )
        ) : (
          <ServicesTable site={site} />
        )}
      </section>

      <section className="profile-section" aria-labelledby="gaps-title">
        <h2 id="gaps-title">Service gaps</h2>
        <p className="muted">
          Services a population present here needs (by the need rules of the population taxonomy) that are missing or only
          partly available.
        </p>
        <GapsList site={site} />
      </section>
    </main>
  );
}

