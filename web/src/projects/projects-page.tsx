import { useMemo, useState } from 'react';
import { getJson, itemsOf } from '../api';
import { IllustrativeBadge, LoadStatus } from '../components';
import { OBJECTIVE_NAMES, PROJECT_STATUS_NAMES, formatCount, formatDate, formatUsd, words } from '../registry/labels';
import { loadCountryList, loadPopulationGroups, loadTaxonomy } from '../registry/reference';
import type { Project } from '../registry/types';
import { Link } from '../router';
import { useLoad } from '../use-load';

const STATUS_ORDER = ['active', 'planned', 'closed'];

function period(p: Project): string {
  return `${formatDate(p.startDate)} – ${p.endDate ? formatDate(p.endDate) : 'open-ended'}`;
}

/** The programme portfolio: who funds what, where, for whom, and towards which targets. */
export function ProjectsPage() {
  const [load, retry] = useLoad('projects', () => getJson<unknown>('/api/projects?limit=1000').then((b) => itemsOf<Project>(b)));
  const [countries] = useLoad('countries', loadCountryList);
  const [groups] = useLoad('population-groups', loadPopulationGroups);
  const [taxonomy] = useLoad('taxonomy', loadTaxonomy);
  const [status, setStatus] = useState('');
  const [country, setCountry] = useState('');

  const names = useMemo(() => {
    const country = new Map<string, string>();
    if (countries.state === 'ready') for (const c of countries.data) country.set(c.code, c.name);
    const group = new Map<string, string>();
    if (groups.state === 'ready') for (const g of groups.data) group.set(g.code, g.name);
    const sector = new Map<string, string>();
    if (taxonomy.state === 'ready') {
      for (const category of taxonomy.data) for (const o of category.options) if (!sector.has(o.code)) sector.set(o.code, o.name);
    }
    return { country, group, sector };
  }, [countries, groups, taxonomy]);

  const projects = useMemo(() => {
    if (load.state !== 'ready') return [];
    return [...load.data].sort(
      (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.startDate.localeCompare(a.startDate),
    );
  }, [load]);
  const shown = projects.filter((p) => (!status || p.status === status) && (!country || p.countries.includes(country)));
  const projectCountries = [...new Set(projects.flatMap((p) => p.countries))].sort((a, b) =>
    (names.country.get(a) ?? a).localeCompare(names.country.get(b) ?? b),
  );
  const total = shown.reduce((sum, p) => sum + (p.totalUsd ?? 0), 0);
  const countryNames = (codes: string[]) => codes.map((c) => names.country.get(c) ?? c).join(', ');

  return (
    <main id="main" tabIndex={-1} className="page projects-page">
      <div className="page-heading">
        <h1>Projects</h1>
        <p className="lede">
          The portfolio of HIV projects for migrants and mobile populations: countries and sites, donors and amounts,
          objectives, beneficiary groups and targets.
        </p>
      </div>
      {load.state !== 'ready' ? (
        <LoadStatus load={load} what="projects" onRetry={retry} />
      ) : (
        <>
          <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter projects">
            <div className="field">
              <label htmlFor="projects-status">Status</label>
              <select id="projects-status" value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">All statuses</option>
                {STATUS_ORDER.map((s) => (
                  <option key={s} value={s}>
                    {PROJECT_STATUS_NAMES[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="projects-country">Country</label>
              <select id="projects-country" value={country} onChange={(e) => setCountry(e.target.value)}>
                <option value="">All countries</option>
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
              ? projects.length === 0
                ? 'No projects are registered yet.'
                : 'No project matches these filters.'
              : `${shown.length} project${shown.length === 1 ? '' : 's'} (${shown.filter((p) => p.status === 'active').length} active), ${formatUsd(total)} in total.`}
          </p>
          <ul className="project-list" data-testid="projects-list">
            {shown.map((p) => {
              const donors = [...p.donors].sort((a, b) => b.amountUsd - a.amountUsd);
              return (
                <li key={p.id} className="project" data-testid="project" data-code={p.code}>
                  <div className="project__head">
                    <h2 className="project__title">{p.title}</h2>
                    <span className={`status-badge status-badge--${p.status}`}>{PROJECT_STATUS_NAMES[p.status] ?? words(p.status)}</span>
                    {p.illustrative ? <IllustrativeBadge what="This project's data" /> : null}
                  </div>
                  <p className="project__meta">
                    <code>{p.code}</code> · {period(p)} · {countryNames(p.countries)}
                  </p>
                  {p.description ? <p className="project__description">{p.description}</p> : null}
                  <dl className="project__facts">
                    <div>
                      <dt>Total funding</dt>
                      <dd className="project__total" data-testid="project-total">
                        {formatUsd(p.totalUsd ?? 0)}
                      </dd>
                    </div>
                    <div>
                      <dt>Donors</dt>
                      <dd>
                        {donors.length === 0 ? (
                          '—'
                        ) : (
                          <ul className="plain-list">
                            {donors.map((d) => (
                              <li key={d.name}>
                                {d.name}: <span className="num">{formatUsd(d.amountUsd)}</span>
                              </li>
                            ))}
                          </ul>
                        )}
                      </dd>
                    </div>
                    <div>
                      <dt>Objectives</dt>
                      <dd>{p.objectives.length > 0 ? p.objectives.map((o) => OBJECTIVE_NAMES[o] ?? words(o)).join('; ') : '—'}</dd>
                    </div>
                    <div>
                      <dt>Beneficiary groups</dt>
                      <dd>{p.beneficiaryGroups.length > 0 ? p.beneficiaryGroups.map((g) => names.group.get(g) ?? words(g)).join('; ') : '—'}</dd>
                    </div>
                    <div>
                      <dt>Sectors</dt>
                      <dd>{p.sectors.length > 0 ? p.sectors.map((s) => names.sector.get(s) ?? words(s)).join('; ') : '—'}</dd>
                    </div>
                    <div className="project__wide">
                      <dt>Sites</dt>
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
                        <dt>Targets</dt>
                        <dd>
                          <ul className="plain-list plain-list--inline">
                            {p.targets.map((t, i) => (
                              <li key={i}>
                                {t.indicator}: {formatCount(t.target)}
                                {t.year ? ` by ${t.year}` : ''}
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
