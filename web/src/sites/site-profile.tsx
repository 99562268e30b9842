import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api, ApiError, api, messageOf } from '../api';
import type { UseQueryResult } from '@tanstack/react-query';
import { IllustrativeBadge, LoadStatus, RecordUnavailable, SiteSymbol, queryLoad } from '../components';
import { formatCount, formatRange, useFormat } from '../i18n/format';
import { useReference } from '../registry/reference';
import type { SiteDetail } from '../registry/types';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { LocatorMap } from './locator-map';
import { useCoordinates, useSiteTypeName, useYesNo } from './names';
import { PopulationsEditor, PopulationsTable } from './populations';
import { GapsList, ServicesEditor, ServicesTable } from './services';
import { SiteForm } from './site-form';

type Editing = null | 'site' | 'populations' | 'services';

/**
 * The lists the forms need (site types, countries, population groups, service types), asked for
 * when a form opens and then kept: ready when all are, else the first that is not (to show).
 */
function useFormLists(wanted: boolean) {
  const siteTypes = useReference('siteTypes', { enabled: wanted });
  const countries = useReference('countries', { enabled: wanted });
  const groups = useReference('populationGroups', { enabled: wanted });
  const serviceTypes = useReference('serviceTypes', { enabled: wanted });
  const queries: UseQueryResult[] = [siteTypes, countries, groups, serviceTypes];
  const ready =
    siteTypes.data && countries.data && groups.data && serviceTypes.data
      ? { siteTypes: siteTypes.data, countries: countries.data, groups: groups.data, serviceTypes: serviceTypes.data }
      : null;
  return { ready, pending: queries.find((q) => !q.data) ?? siteTypes };
}

/** Why a site was not deleted: the server's message, or the corridors and flows that still use it. */
interface Refusal {
  message: string;
  corridors: { id: string; name: string }[];
  flows: number;
}

function refusalOf(err: unknown): Refusal {
  const details = err instanceof ApiError && err.code === 'CONFLICT' ? (err.details as { corridors?: unknown; flows?: unknown } | undefined) : undefined;
  const corridors = Array.isArray(details?.corridors)
    ? details.corridors.filter((c): c is { id: string; name: string } => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string')
    : [];
  return { message: messageOf(err), corridors, flows: typeof details?.flows === 'number' ? details.flows : 0 };
}

/** A refused delete, with a way on: a link to each corridor that still names the site. */
function DeleteRefusal({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation('sites');
  if (refusal.corridors.length === 0 && refusal.flows === 0) {
    return (
      <p className="notice notice--warning" role="alert" data-testid="delete-refused">
        {t('profile.notDeleted', { message: refusal.message })}
      </p>
    );
  }
  return (
    <div className="notice notice--warning" role="alert" data-testid="delete-refused">
      <p>{t('profile.inUse')}</p>
      <ul>
        {refusal.corridors.map((c) => (
          <li key={c.id}>
            <Link to={`/corridors/${encodeURIComponent(c.id)}`}>{t('profile.inUseCorridor', { name: c.name })}</Link>
          </li>
        ))}
        {refusal.flows > 0 ? <li>{t('profile.inUseFlows', { count: refusal.flows })}</li> : null}
      </ul>
    </div>
  );
}

/** The profile of one site: who is there, which services exist, the gaps, and forms to correct them. */
export function SiteProfilePage({ id }: { id: string }) {
  const { t } = useTranslation('sites');
  const f = useFormat();
  const yesNo = useYesNo();
  const coordinates = useCoordinates();
  // After a save, every read is marked stale (the client does it for each write): the profile is
  // read again, its populations, services and gaps with it, and stays on screen meanwhile.
  const profile = $api.useQuery('get', '/api/sites/{id}', { params: { path: { id } } });
  const types = useReference('siteTypes');
  const typeNameOf = useSiteTypeName(types.data);
  // Roles that may not write the registry see the profile without its edit buttons.
  const canWrite = useCan('registry:write');
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const lists = useFormLists(editing !== null);
  const retryLists = () => void lists.pending.refetch();

  const site: SiteDetail | null = profile.data ?? null;
  // The admin area (county, region) the site is in: shown, and kept when the site is saved.
  const parent = $api.useQuery('get', '/api/places/{id}', { params: { path: { id: site?.parentId ?? '' } } }, { enabled: Boolean(site) });
  const area = parent.data && parent.data.level !== 'country' ? parent.data : null;
  useEffect(() => {
    if (site) document.title = t('profile.pageTitle', { name: site.name });
  }, [site, t]);

  function saved(message: string) {
    setEditing(null);
    setNotice(message);
  }

  async function remove() {
    if (!site) return;
    if (!window.confirm(t('profile.confirmDelete', { name: site.name }))) return;
    setNotice(null);
    setRefusal(null);
    try {
      await api.DELETE('/api/sites/{id}', { params: { path: { id: site.id } } });
      navigate('/sites');
    } catch (err) {
      setRefusal(refusalOf(err));
    }
  }

  if (!site) {
    return (
      <RecordUnavailable
        query={profile}
        list={{ to: '/sites', label: t('profile.breadcrumb') }}
        title={t('profile.notFound')}
        text={<Trans t={t} i18nKey="profile.notFoundText" values={{ id }} components={{ 1: <code />, 3: <Link to="/sites">{null}</Link> }} />}
        what={t('what.site')}
      />
    );
  }

  const typeName = typeNameOf(site.type);
  const full = site.services.filter((s) => s.availability === 'full').length;
  const partial = site.services.filter((s) => s.availability === 'partial').length;
  const missingGaps = site.gaps.filter((g) => g.severity === 'missing').length;
  const venue = site.venue ?? { alcoholOnSite: null, sexOnSite: null, transactionalSexReported: null, condomsAvailableAtVisit: null };

  return (
    <main id="main" tabIndex={-1} className="page page--medium site-profile" data-testid="site-profile" data-site-id={site.id}>
      <p className="breadcrumb">
        <Link to="/sites">{t('profile.breadcrumb')}</Link> <span aria-hidden="true">›</span> {site.name}
      </p>
      <header className="profile-header">
        <div className="profile-header__main">
          <h1 data-testid="site-name">
            {site.name} {site.illustrative ? <IllustrativeBadge what={t('illustrative')} /> : null}
          </h1>
          <p className="profile-header__sub">
            <SiteSymbol type={site.type} size={18} /> <span data-testid="site-type">{typeName}</span> · {area ? `${area.name}, ` : ''}
            <span data-testid="site-country">{site.countryName ?? site.country}</span> · <code>{site.code}</code>
          </p>
          <dl className="facts facts--profile">
            <div>
              <dt>{t('profile.coordinates')}</dt>
              <dd data-testid="site-coordinates" data-latitude={site.latitude} data-longitude={site.longitude}>
                {coordinates(site.latitude, site.longitude)}
              </dd>
            </div>
            <div>
              <dt>{t('profile.open')}</dt>
              <dd>{[site.operatingDays, site.operatingHours].filter(Boolean).join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>{t('profile.assessmentDate')}</dt>
              <dd>{f.day(site.assessmentDate)}</dd>
            </div>
            <div>
              <dt>{t('profile.updated')}</dt>
              <dd>{f.date(site.updatedAt)}</dd>
            </div>
            <div className="facts__wide">
              <dt>{t('profile.source')}</dt>
              <dd>{site.source ?? '—'}</dd>
            </div>
          </dl>
          <ul className="venue" aria-label={t('profile.venue')}>
            {(
              [
                ['alcoholOnSite', venue.alcoholOnSite, false],
                ['sexOnSite', venue.sexOnSite, false],
                ['transactionalSex', venue.transactionalSexReported, false],
                // Condoms at hand are the good answer: coloured as such, unlike the risk factors.
                ['condoms', venue.condomsAvailableAtVisit, true],
              ] as const
            ).map(([key, value, good]) => (
              <li key={key} data-venue={key} className={`venue__item venue__item--${value === null ? 'unknown' : value === good ? 'good' : 'risk'}`}>
                {t(`profile.${key}`)}: <strong>{yesNo(value)}</strong>
              </li>
            ))}
          </ul>
          {site.notes ? <p className="profile-notes">{site.notes}</p> : null}
          <p className="profile-actions">
            {canWrite ? (
              <button
                type="button"
                onClick={() => {
                  setNotice(null);
                  setEditing('site');
                }}
                disabled={editing === 'site'}
                data-testid="site-edit"
              >
                {t('profile.edit')}
              </button>
            ) : null}
            <Link to="/" className="button-link button-link--secondary">
              {t('profile.backToMap')}
            </Link>
            {canWrite ? (
              <button type="button" className="button--danger" onClick={() => void remove()} data-testid="site-delete">
                {t('profile.delete')}
              </button>
            ) : (
              <span className="muted" data-testid="read-only">
                {t('profile.readOnly')}
              </span>
            )}
          </p>
        </div>
        <LocatorMap latitude={site.latitude} longitude={site.longitude} country={site.country} type={site.type} name={site.name} />
      </header>

      {refusal ? <DeleteRefusal refusal={refusal} /> : null}

      {notice ? (
        <p className="notice notice--success" role="status" data-testid="save-notice">
          {notice}
        </p>
      ) : null}

      {editing === 'site' ? (
        <section className="panel" aria-label={t('profile.editSite')}>
          {lists.ready && parent.status !== 'pending' ? (
            <SiteForm
              site={site}
              parentCode={area?.code ?? undefined}
              siteTypes={lists.ready.siteTypes}
              countries={lists.ready.countries}
              onSaved={() => saved(t('profile.saved'))}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <LoadStatus load={queryLoad(lists.pending)} what={t('what.formLists')} onRetry={retryLists} />
          )}
        </section>
      ) : null}

      <section className="stat-cards" aria-label={t('profile.summary')}>
        <div className="stat-card">
          <span className="stat-card__label">{t('profile.people')}</span>
          <span className="stat-card__value">{site.totals.sizeHigh > 0 ? formatRange(f, site.totals.sizeLow, site.totals.sizeHigh) : '—'}</span>
          <span className="stat-card__note">
            {t('profile.groups', { count: site.populations.length })}
            {site.totals.sizeHigh > 0 ? t('profile.estimate', { value: formatCount(f, site.totals.sizeEstimate) }) : ''}
          </span>
        </div>
        <div className="stat-card">
          <span className="stat-card__label">{t('profile.services')}</span>
          <span className="stat-card__value">{site.services.length}</span>
          <span className="stat-card__note">
            {t('profile.servicesNote', { full: f.number(full), partial: f.number(partial), none: f.number(site.services.length - full - partial) })}
          </span>
        </div>
        <div className={site.gaps.length > 0 ? 'stat-card stat-card--alert' : 'stat-card'}>
          <span className="stat-card__label">{t('profile.gaps')}</span>
          <span className="stat-card__value">{site.gaps.length}</span>
          <span className="stat-card__note">
            {t('profile.gapsNote', { missing: f.number(missingGaps), partial: f.number(site.gaps.length - missingGaps) })}
          </span>
        </div>
      </section>

      <section className="profile-section" aria-labelledby="populations-title">
        <div className="section-heading">
          <h2 id="populations-title">{t('profile.populations')}</h2>
          {canWrite && editing !== 'populations' ? (
            <button
              type="button"
              className="button--secondary"
              onClick={() => {
                setNotice(null);
                setEditing('populations');
              }}
              data-testid="populations-edit"
            >
              {t('profile.editPopulations')}
            </button>
          ) : null}
        </div>
        <p className="muted">{t('profile.populationsHint')}</p>
        {editing === 'populations' ? (
          lists.ready ? (
            <PopulationsEditor site={site} groups={lists.ready.groups} onSaved={() => saved(t('profile.populationsSaved'))} onCancel={() => setEditing(null)} />
          ) : (
            <LoadStatus load={queryLoad(lists.pending)} what={t('what.groups')} onRetry={retryLists} />
          )
        ) : (
          <PopulationsTable site={site} />
        )}
      </section>

      <section className="profile-section" aria-labelledby="services-title">
        <div className="section-heading">
          <h2 id="services-title">{t('profile.servicesTitle')}</h2>
          {canWrite && editing !== 'services' ? (
            <button
              type="button"
              className="button--secondary"
              onClick={() => {
                setNotice(null);
                setEditing('services');
              }}
              data-testid="services-edit"
            >
              {t('profile.editServices')}
            </button>
          ) : null}
        </div>
        {editing === 'services' ? (
          lists.ready ? (
            <ServicesEditor
              site={site}
              serviceTypes={lists.ready.serviceTypes}
              onSaved={() => saved(t('profile.servicesSaved'))}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <LoadStatus load={queryLoad(lists.pending)} what={t('what.serviceTypes')} onRetry={retryLists} />
          )
        ) : (
          <ServicesTable site={site} />
        )}
      </section>

      <section className="profile-section" aria-labelledby="gaps-title">
        <h2 id="gaps-title">{t('profile.gaps')}</h2>
        <p className="muted">{t('profile.gapsHint')}</p>
        <GapsList site={site} />
      </section>
    </main>
  );
}
