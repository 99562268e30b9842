import { Component, Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { getJson } from './api';
import type { Health } from './api';
import { AboutPage } from './about/about-page';
import { AuditLogPage } from './access/audit-page';
import { Forbidden } from './access/forbidden';
import { LoginPage, loginPath } from './access/login-page';
import { TokensPage } from './access/tokens-page';
import { UserMenu } from './access/user-menu';
import { UsersPage } from './access/users-page';
import { MapPage } from './map/map-page';
import { PoliciesPage } from './policies/policies-page';
import { ProjectsPage } from './projects/projects-page';
import { Link, navigate, usePath } from './router';
import { loadSession, useSession } from './session';
import type { Permission } from './session';
import { SiteProfilePage } from './sites/site-profile';
import { SitesPage } from './sites/sites-page';

// The monitoring section is one chunk, fetched the first time one of its pages opens.
const monitoring = () => import('./monitoring/pages');
function monitoringPage(name: 'MonitoringPage' | 'DataEntryPage' | 'ImportPage' | 'DataQualityPage' | 'MetadataPage'): ComponentType {
  return lazy(() => monitoring().then((m) => ({ default: m[name] })));
}
const MonitoringPage = monitoringPage('MonitoringPage');
const DataEntryPage = monitoringPage('DataEntryPage');
const ImportPage = monitoringPage('ImportPage');
const DataQualityPage = monitoringPage('DataQualityPage');
const MetadataPage = monitoringPage('MetadataPage');

interface PageDef {
  title: string;
  render: () => ReactNode;
  /** Who may open the page: anyone (`public`), any logged-in user (default), or a role with the permission. */
  access?: 'public' | Permission;
}

const PAGES: Record<string, PageDef> = {
  '/': { title: 'Corridor', render: () => <MapPage /> },
  '/sites': { title: 'Sites · Corridor', render: () => <SitesPage /> },
  '/projects': { title: 'Projects · Corridor', render: () => <ProjectsPage /> },
  '/policies': { title: 'Travel restrictions · Corridor', render: () => <PoliciesPage /> },
  '/monitoring': { title: 'Monitoring · Corridor', render: () => <OnDemand page={MonitoringPage} /> },
  '/monitoring/entry': { title: 'Data entry · Monitoring · Corridor', render: () => <OnDemand page={DataEntryPage} /> },
  '/monitoring/import': { title: 'Import data values · Monitoring · Corridor', render: () => <OnDemand page={ImportPage} />, access: 'registry:import' },
  '/monitoring/quality': { title: 'Data quality · Monitoring · Corridor', render: () => <OnDemand page={DataQualityPage} /> },
  '/monitoring/metadata': { title: 'Metadata · Monitoring · Corridor', render: () => <OnDemand page={MetadataPage} /> },
  '/about': { title: 'About & data sources · Corridor', render: () => <AboutPage />, access: 'public' },
  '/login': { title: 'Log in · Corridor', render: () => <LoginPage />, access: 'public' },
  '/account/tokens': { title: 'API tokens · Corridor', render: () => <TokensPage /> },
  '/admin/users': { title: 'Users · Corridor', render: () => <UsersPage />, access: 'users:manage' },
  '/admin/audit': { title: 'Audit log · Corridor', render: () => <AuditLogPage />, access: 'audit:read' },
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

const NAV: { to: string; label: string; public?: boolean }[] = [
  { to: '/', label: 'Map' },
  { to: '/sites', label: 'Sites' },
  { to: '/projects', label: 'Projects' },
  { to: '/policies', label: 'Policies' },
  { to: '/monitoring', label: 'Monitoring' },
  { to: '/about', label: 'About & data sources', public: true },
];

// Who is logged in is asked once, at start; until the answer, only public pages are shown.
void loadSession();

/** The application shell: header with navigation, the current page, and a footer. */
export function App() {
  const path = usePath();
  const session = useSession();
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const page = useMemo(() => pageAt(normalised), [normalised]);
  const firstRender = useRef(true);
  const isPublic = page?.access === 'public';
  const loggedIn = session.status === 'ready';

  useEffect(() => {
    document.title = page?.title ?? 'Page not found · Corridor';
    // After an in-app navigation, move focus to the new page so screen readers announce it.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [page, normalised]);

  // Not logged in (at start, or the session ended): every page but the public ones goes to the
  // login page, which comes back here afterwards.
  const mustLogIn = session.status === 'anonymous' && !isPublic;
  useEffect(() => {
    if (mustLogIn) navigate(loginPath(window.location.pathname + window.location.search), { replace: true });
  }, [mustLogIn]);

  let content: ReactNode;
  if (isPublic) content = page.render();
  else if (session.status === 'error') content = <SessionError message={session.message} />;
  else if (session.status !== 'ready') content = <Waiting />;
  else if (!page) content = <NotFound path={path} />;
  else if (page.access && page.access !== 'public' && !session.me.permissions.includes(page.access)) {
    content = <Forbidden role={session.me.user.role} permission={page.access} path={normalised} />;
  } else content = page.render();

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        {normalised !== '/login' ? (
          <div className="account-bar">
            <div className="account-bar__inner">
              <UserMenu />
            </div>
          </div>
        ) : null}
        <div className="site-header__inner">
          <div className="brand">
            <Link to="/" className="brand__name" aria-current={undefined}>
              Corridor
            </Link>
            <p className="brand__tagline">HIV programme information for migrants and mobile populations</p>
          </div>
          <nav aria-label="Main" className="site-nav">
            <ul>
              {NAV.filter((item) => loggedIn || item.public).map((item) => (
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
      {content}
      <Footer />
    </div>
  );
}

/** A page whose code is fetched on demand: a spinner meanwhile, and a plain error if the fetch fails. */
function OnDemand({ page: Page }: { page: ComponentType }) {
  return (
    <ChunkBoundary>
      <Suspense fallback={<Waiting what="Loading the page…" />}>
        <Page />
      </Suspense>
    </ChunkBoundary>
  );
}

class ChunkBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <main id="main" tabIndex={-1} className="page page--narrow">
        <div className="status status--error" role="alert">
          <p>
            <strong>Could not load this page.</strong> The server may be unreachable, or Corridor was updated meanwhile ({this.state.error}).
          </p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
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

/** While the app asks the server who is logged in (or goes to the login page), or fetches a page. */
function Waiting({ what = 'Checking your session…' }: { what?: string }) {
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <div className="status" role="status">
        <span className="spinner" aria-hidden="true" /> {what}
      </div>
    </main>
  );
}

/** The server could not be asked who is logged in (it is down, or the network is). */
function SessionError({ message }: { message: string }) {
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <div className="status status--error" role="alert">
        <p>
          <strong>Could not check who is logged in.</strong> {message}
        </p>
        <button type="button" onClick={() => void loadSession()}>
          Try again
        </button>
      </div>
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
