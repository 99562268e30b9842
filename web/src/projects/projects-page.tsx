import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api';
import { IllustrativeBadge, LoadStatus, queryLoad } from '../components';
import { formatCount, useFormat } from '../i18n/format';
import { words } from '../registry/labels';
import { useReference } from '../registry/reference';
import type { Project } from '../registry/types';
import { Link } from '../router';
import { useCan } from '../session';
import { useProjectNames } from './names';

const STATUS_ORDER = ['active', 'planned', 'closed'];

/** The programme portfolio: who funds what, where, for whom, and towards which targets. */
export function ProjectsPage() {
  const { t } = useTranslation('portfolio');
  const canWrite = useCan('registry:write');
  const named = useProjectNames();
  const f = useFormat();
  const usd = (n: number) => f.number(n, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 });
  const period = (p: Project) => t('projects.period', { start: f.day(p.startDate), end: p.endDate ? f.day(p.endDate) : t('projects.openEnded') });
  const list = $api.useQuery('get', '/api/projects', { params: { query: { limit: 1000 } } });
  const countries = useReference('countries');
  const groups = useReference('populationGroups');
  const taxonomy = useReference('taxonomy');
  const [status, setStatus] = useState('');
  const [country, setCountry] = useState('');

  const names = useMemo(() => {
    const country = new Map<string, string>();
    for (const c of countries.data ?? []) country.set(c.code, c.name);
    const group = new Map<string, string>();
    for (const g of groups.data ?? []) group.set(g.code, g.name);
    const sector = new Map<string, string>();
    for (const category of taxonomy.data ?? []) for (const o of category.options) if (!sector.has(o.code)) sector.set(o.code, o.name);
    return { country, group, sector };
  }, [countries.data, groups.data, taxonomy.data]);

  const projects = useMemo(() => {
    return [...(list.data?.items ?? [])].sort(
      (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.startDate.localeCompare(a.startDate),
    );
  }, [list.data]);
  const shown = projects.filter((p) => (!status || p.status === status) && (!country || p.countries.includes(country)));
  const projectCountries = [...new Set(projects.flatMap((p) => p.countries))].sort((a, b) =>
    (names.country.get(a) ?? a).localeCompare(names.country.get(b) ?? b),
  );
  const total = shown.reduce((sum, p) => sum + (p.totalUsd ?? 0), 0);
  const countryNames = (codes: string[]) => codes.map((c) => names.country.get(c) ?? c).join(', ');

  return (
    <main id="main" tabIndex={-1} className="page projects-page">
      <div className="page-heading page-heading--actions">
        <div>
          <h1>{t('projects.title')}</h1>
          <p className="lede">{t('projects.lede')}</p>
        </div>
        {canWrite ? (
          <Link to="/projects/new" className="button-link" data-testid="project-new">
            {t('projects.new')}
          </Link>
        ) : null}
      </div>
      {!list.data ? (
        <LoadStatus load={queryLoad(list)} what={t('projects.what')} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('projects.filter')}>
            <div className="field">
              <label htmlFor="projects-status">{t('projects.status')}</label>
              <select id="projects-status" value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">{t('projects.allStatuses')}</option>
                {STATUS_ORDER.map((s) => (
                  <option key={s} value={s}>
                    {named('statuses', s)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="projects-country">{t('projects.country')}</label>
              <select id="projects-country" value={country} onChange={(e) => setCountry(e.target.value)}>
                <option value="">{t('projects.allCountries')}</option>
                {projectCountries.map((c) => (
                  <option key={c} value={c}>
                    {names.country.get(c) ?? c}
                  </option>
                ))}
              </select>
            </div>
          </form>
          <p className="list-summary" role="status">
            {shown.length === 0
              ? t(projects.length === 0 ? 'projects.none' : 'projects.noMatch')
              : t('projects.summary', { count: shown.length, active: f.number(shown.filter((p) => p.status === 'active').length), total: usd(total) })}
          </p>
          <ul className="project-list" data-testid="projects-list">
            {shown.map((p) => {
              const donors = [...p.donors].sort((a, b) => b.amountUsd - a.amountUsd);
              return (
                <li key={p.id} className="project" data-testid="project" data-code={p.code}>
                  <div className="project__head">
                    <h2 className="project__title">{p.title}</h2>
                    <span className={`status-badge status-badge--${p.status}`}>{named('statuses', p.status)}</span>
                    {p.illustrative ? <IllustrativeBadge what={t('projects.illustrative')} /> : null}
                    {canWrite ? (
                      <Link to={`/projects/${encodeURIComponent(p.id)}`} className="project__edit" data-testid="project-edit">
                        {t('projects.edit', { title: p.title })}
                      </Link>
                    ) : null}
                  </div>
                  <p className="project__meta">
                    <code>{p.code}</code> · {period(p)} · {countryNames(p.countries)}
                  </p>
                  {p.description ? <p className="project__description">{p.description}</p> : null}
                  <dl className="project__facts">
                    <div>
                      <dt>{t('projects.totalFunding')}</dt>
                      <dd className="project__total" data-testid="project-total">
                        {usd(p.totalUsd ?? 0)}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('projects.donors')}</dt>
                      <dd>
                        {donors.length === 0 ? (
                          '—'
                        ) : (
                          <ul className="plain-list">
                            {donors.map((d) => (
                              <li key={d.name}>
                                {t('projects.donor', { name: d.name })} <span className="num">{usd(d.amountUsd)}</span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('projects.objectives')}</dt>
                      <dd>{p.objectives.length > 0 ? p.objectives.map((o) => named('objectiveNames', o)).join('; ') : '—'}</dd>
                    </div>
                    <div>
                      <dt>{t('projects.beneficiaries')}</dt>
                      <dd>{p.beneficiaryGroups.length > 0 ? p.beneficiaryGroups.map((g) => names.group.get(g) ?? words(g)).join('; ') : '—'}</dd>
                    </div>
                    <div>
                      <dt>{t('projects.sectors')}</dt>
                      <dd>{p.sectors.length > 0 ? p.sectors.map((s) => names.sector.get(s) ?? words(s)).join('; ') : '—'}</dd>
                    </div>
                    <div className="project__wide">
                      <dt>{t('projects.sites')}</dt>
                      <dd>
                        {p.sites.length === 0
                          ? '—'
                          : p.sites.map((code, i) => (
                              <span key={code}>
                                {i > 0 ? ', ' : ''}
                                <Link to={`/sites?q=${encodeURIComponent(code)}`}>
                                  <code>{code}</code>
                                </Link>
                              </span>
                            ))}
                      </dd>
                    </div>
                    {p.targets.length > 0 ? (
                      <div className="project__wide">
                        <dt>{t('projects.targets')}</dt>
                        <dd>
                          <ul className="plain-list plain-list--inline">
                            {p.targets.map((target, i) => (
                              <li key={i}>
                                {target.year
                                  ? t('projects.targetBy', { indicator: target.indicator, target: formatCount(f, target.target), year: target.year })
                                  : t('projects.target', { indicator: target.indicator, target: formatCount(f, target.target) })}
                              </li>
                            ))}
                          </ul>
                        </dd>
                      </div>
                    ) : null}
                  </dl>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </main>
  );
}
