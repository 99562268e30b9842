import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { getJson } from './api';
import type { Health } from './api';
import { AboutPage } from './about/about-page';
import { MapPage } from './map/map-page';
import { PoliciesPage } from './policies/policies-page';
import { ProjectsPage } from './projects/projects-page';
import { Link, usePath } from './router';
import { SiteProfilePage } from './sites/site-profile';
import { SitesPage } from './sites/sites-page';

interface PageDef {
  title: string;
  render: () => ReactNode;
}

const PAGES: Record<string, PageDef> = {
  '/': { title: 'Corridor', render: () => <MapPage /> },
  '/sites': { title: 'Sites · Corridor', render: () => <SitesPage /> },
  '/projects': { title: 'Projects · Corridor', render: () => <ProjectsPage /> },
  '/policies': { title: 'Travel restrictions · Corridor', render: () => <PoliciesPage /> },
  '/about': { title: 'About & data sources · Corridor', render: () => <AboutPage /> },
};

/** The page at a path: a fixed page, or a site profile at /sites/{id}. */
function pageAt(path: string): PageDef | undefined {
  const fixed = PAGES[path];
  if (fixed) return fixed;
  const site = /^\/sites\/([^/]+)$/.exec(path);
  if (site) {
    const id = decodeURIComponent(site[1]!);
    // The key makes a new profile (fresh state) when moving from one site to another.
    return { title: 'Site · Corridor', render: () => <SiteProfilePage key={id} id={id} /> };
  }
  return undefined;
}

const NAV: { to: string; label: string }[] = [
  { to: '/', label: 'Map' },
  { to: '/sites', label: 'Sites' },
  { to: '/projects', label: 'Projects' },
  { to: '/policies', label: 'Policies' },
  { to: '/about', label: 'About & data sources' },
];

/** The application shell: header with navigation, the current page, and a footer. */
export function App() {
  const path = usePath();
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const page = useMemo(() => pageAt(normalised), [normalised]);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = page?.title ?? 'Page not found · Corridor';
    // After an in-app navigation, move focus to the new page so screen readers announce it.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [page, normalised]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <div className="brand">
            <Link to="/" className="brand__name" aria-current={undefined}>
              Corridor
            </Link>
            <p className="brand__tagline">HIV programme information for migrants and mobile populations</p>
          </div>
          <nav aria-label="Main" className="site-nav">
            <ul>
              {NAV.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} section={item.to !== '/'}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      {page ? page.render() : <NotFound path={path} />}
      <Footer />
    </div>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <h1>Page not found</h1>
      <p>
        Corridor has no page at <code>{path}</code>. Go to the <Link to="/">map</Link> or read{' '}
        <Link to="/about">about Corridor and its data sources</Link>.
      </p>
    </main>
  );
}

function Footer() {
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    // Not aborted on unmount: an aborted request would show up as a failed one in the browser.
    let current = true;
    getJson<Health>('/api/health').then(
      (h) => current && setHealth(h),
      () => current && setHealth(null),
    );
    return () => {
      current = false;
    };
  }, []);
  return (
    <footer className="site-footer">
      <p>
        Corridor{health ? ` ${health.version}` : ''} · open source (MIT) ·{' '}
        <Link to="/about">data sources and licences</Link>
        {health ? (
          <span className="site-footer__status">
            {' '}
            · server {health.status === 'ok' ? 'running' : health.status}, {health.database === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}{' '}
            database
          </span>
        ) : null}
      </p>
    </footer>
  );
}
