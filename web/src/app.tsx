import { Component, Suspense, lazy, useEffect, useRef } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useLocation, useMatches, useParams } from 'react-router';
import type { RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { $api } from './api';
import { AboutPage } from './about/about-page';
import { CorridorPage, CorridorsPage, NewCorridorPage } from './corridors/corridors-page';
import { AuditLogPage } from './access/audit-page';
import { Forbidden } from './access/forbidden';
import { LoginPage, loginPath } from './access/login-page';
import { TokensPage } from './access/tokens-page';
import { UserMenu } from './access/user-menu';
import { UsersPage } from './access/users-page';
import { LanguageSwitch } from './i18n/language-switch';
import { MapPage } from './map/map-page';
import { PoliciesPage } from './policies/policies-page';
import { EditPolicyPage, NewPolicyPage } from './policies/policy-pages';
import { EditProjectPage, NewProjectPage } from './projects/project-pages';
import { ProjectsPage } from './projects/projects-page';
import { Link, navigate } from './router';
import { loadSession, useSession } from './session';
import type { Permission } from './session';
import { SiteProfilePage } from './sites/site-profile';
import { SitesPage } from './sites/sites-page';
import type { TFunction } from 'i18next';

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

/** What a route says about its page: its title (a key of the common catalogue) and who may open it. */
interface PageHandle {
  title: (t: TFunction) => string;
  /** Anyone (`public`), any logged-in user (default), or a role with the permission. */
  access?: 'public' | Permission;
}

function page(path: string, element: ReactNode, title: PageHandle['title'], access?: PageHandle['access']): RouteObject {
  const handle: PageHandle = { title, ...(access ? { access } : {}) };
  return { path, element, handle };
}

function CorridorRoute() {
  const { id = '' } = useParams();
  return <CorridorPage key={id} id={id} />;
}

function EditProjectRoute() {
  const { id = '' } = useParams();
  return <EditProjectPage key={id} id={id} />;
}

function EditPolicyRoute() {
  const { id = '' } = useParams();
  return <EditPolicyPage key={id} id={id} />;
}

function SiteProfileRoute() {
  const { id = '' } = useParams();
  // The key makes a new profile (fresh state) when moving from one site to another.
  return <SiteProfilePage key={id} id={id} />;
}

/** The app's routes: the shell, and each page under it. */
export const ROUTES: RouteObject[] = [
  {
    element: <Shell />,
    children: [
      page('/', <MapPage />, (t) => t('titles.map')),
      page('/sites', <SitesPage />, (t) => t('titles.sites')),
      page('/sites/:id', <SiteProfileRoute />, (t) => t('titles.site')),
      page('/corridors', <CorridorsPage />, (t) => t('titles.corridors')),
      page('/corridors/new', <NewCorridorPage />, (t) => t('titles.corridor'), 'registry:write'),
      page('/corridors/:id', <CorridorRoute />, (t) => t('titles.corridor')),
      page('/projects', <ProjectsPage />, (t) => t('titles.projects')),
      page('/projects/new', <NewProjectPage />, (t) => t('titles.newProject'), 'registry:write'),
      page('/projects/:id', <EditProjectRoute />, (t) => t('titles.project'), 'registry:write'),
      page('/policies', <PoliciesPage />, (t) => t('titles.policies')),
      page('/policies/new', <NewPolicyPage />, (t) => t('titles.newPolicy'), 'registry:write'),
      page('/policies/:id', <EditPolicyRoute />, (t) => t('titles.policy'), 'registry:write'),
      page('/monitoring', <OnDemand page={MonitoringPage} />, (t) => t('titles.monitoring')),
      page('/monitoring/entry', <OnDemand page={DataEntryPage} />, (t) => t('titles.entry')),
      page('/monitoring/import', <OnDemand page={ImportPage} />, (t) => t('titles.import'), 'registry:import'),
      page('/monitoring/quality', <OnDemand page={DataQualityPage} />, (t) => t('titles.quality')),
      page('/monitoring/metadata', <OnDemand page={MetadataPage} />, (t) => t('titles.metadata')),
      page('/about', <AboutPage />, (t) => t('titles.about'), 'public'),
      page('/login', <LoginPage />, (t) => t('titles.login'), 'public'),
      page('/account/tokens', <TokensPage />, (t) => t('titles.tokens')),
      page('/admin/users', <UsersPage />, (t) => t('titles.users'), 'users:manage'),
      page('/admin/audit', <AuditLogPage />, (t) => t('titles.audit'), 'audit:read'),
      { path: '*', element: <NotFound /> },
    ],
  },
];

const NAV: {
  to: string;
  label: 'nav.map' | 'nav.sites' | 'nav.corridors' | 'nav.projects' | 'nav.policies' | 'nav.monitoring' | 'nav.about';
  public?: boolean;
}[] = [
  { to: '/', label: 'nav.map' },
  { to: '/sites', label: 'nav.sites' },
  { to: '/corridors', label: 'nav.corridors' },
  { to: '/projects', label: 'nav.projects' },
  { to: '/policies', label: 'nav.policies' },
  { to: '/monitoring', label: 'nav.monitoring' },
  { to: '/about', label: 'nav.about', public: true },
];

// Who is logged in is asked once, at start; until the answer, only public pages are shown.
void loadSession();

/** The application shell: header with navigation, the current page, and a footer. */
function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const matches = useMatches();
  const handle = matches[matches.length - 1]?.handle as PageHandle | undefined;
  const session = useSession();
  const firstRender = useRef(true);
  const isPublic = handle?.access === 'public';
  const loggedIn = session.status === 'ready';
  const path = location.pathname;

  useEffect(() => {
    document.title = handle ? handle.title(t) : t('titles.notFound');
  }, [handle, t]);
  useEffect(() => {
    // After an in-app navigation, move focus to the new page so screen readers announce it.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);

  // Not logged in (at start, or the session ended): every page but the public ones goes to the
  // login page, which comes back here afterwards.
  const mustLogIn = session.status === 'anonymous' && !isPublic;
  useEffect(() => {
    if (mustLogIn) navigate(loginPath(window.location.pathname + window.location.search), { replace: true });
  }, [mustLogIn]);

  let content: ReactNode;
  if (isPublic) content = <Outlet />;
  else if (session.status === 'error') content = <SessionError message={session.message} />;
  else if (session.status !== 'ready') content = <Waiting />;
  else if (handle?.access && handle.access !== 'public' && !session.me.permissions.includes(handle.access)) {
    content = <Forbidden role={session.me.user.role} permission={handle.access} path={path} />;
  } else content = <Outlet />;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="site-header">
        <div className="account-bar">
          <div className="account-bar__inner">
            <LanguageSwitch />
            {path !== '/login' ? <UserMenu /> : null}
          </div>
        </div>
        <div className="site-header__inner">
          <div className="brand">
            <Link to="/" className="brand__name" aria-current={undefined}>
              {t('shell.brand')}
            </Link>
            <p className="brand__tagline">{t('shell.tagline')}</p>
          </div>
          <nav aria-label={t('shell.mainNav')} className="site-nav">
            <ul>
              {NAV.filter((item) => loggedIn || item.public).map((item) => (
                <li key={item.to}>
                  <Link to={item.to} section={item.to !== '/'}>
                    {t(item.label)}
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
  const { t } = useTranslation();
  return (
    <ChunkBoundary>
      <Suspense fallback={<Waiting what={t('shell.loadingPage')} />}>
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
    return <ChunkError error={this.state.error} />;
  }
}

function ChunkError({ error }: { error: string }) {
  const { t } = useTranslation();
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <div className="status status--error" role="alert">
        <p>
          <strong>{t('shell.chunkFailed')}</strong> {t('shell.chunkFailedWhy', { error })}
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          {t('actions.reload')}
        </button>
      </div>
    </main>
  );
}

function NotFound() {
  const { t } = useTranslation();
  const path = useLocation().pathname;
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <h1>{t('notFound.title')}</h1>
      <p>
        {t('notFound.noPage')} <code>{path}</code>. {t('notFound.goTo')} <Link to="/">{t('notFound.map')}</Link> {t('notFound.orRead')}{' '}
        <Link to="/about">{t('notFound.about')}</Link>.
      </p>
    </main>
  );
}

/** While the app asks the server who is logged in (or goes to the login page), or fetches a page. */
function Waiting({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <div className="status" role="status">
        <span className="spinner" aria-hidden="true" /> {what ?? t('shell.checkingSession')}
      </div>
    </main>
  );
}

/** The server could not be asked who is logged in (it is down, or the network is). */
function SessionError({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <main id="main" tabIndex={-1} className="page page--narrow">
      <div className="status status--error" role="alert">
        <p>
          <strong>{t('shell.sessionFailed')}</strong> {message}
        </p>
        <button type="button" onClick={() => void loadSession()}>
          {t('actions.tryAgain')}
        </button>
      </div>
    </main>
  );
}

function Footer() {
  const { t } = useTranslation();
  const health = useQuery({ ...$api.queryOptions('get', '/api/health'), retry: false }).data;
  return (
    <footer className="site-footer">
      <p>
        {t('shell.brand')}
        {health ? ` ${health.version}` : ''} · {t('footer.openSource')} · <Link to="/about">{t('footer.sources')}</Link>
        {health ? (
          <span className="site-footer__status">
            {' '}
            · {t(health.status === 'ok' ? 'footer.serverRunning' : 'footer.serverStatus', { status: health.status })},{' '}
            {t(health.database === 'pglite' ? 'footer.embedded' : 'footer.postgresql')}
          </span>
        ) : null}
      </p>
    </footer>
  );
}
