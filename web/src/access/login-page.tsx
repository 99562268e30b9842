import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, messageOf } from '../api';
import { Link, navigate } from '../router';
import { logIn, logOut, roleName, useSession } from '../session';

/**
 * Where to go after logging in: the `next` of the address when it is a path of this app (never
 * another site, never the login page itself), else the map.
 */
export function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  if (!next || !next.startsWith('/')) return '/';
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname === '/login') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

/** The address of the login page that returns to `path` afterwards. */
export function loginPath(path: string): string {
  return `/login?next=${encodeURIComponent(path)}`;
}

type LoginError = { kind: 'wrong' | 'other'; message: string } | { kind: 'rate-limited'; message: string; seconds: number };

function loginError(t: TFunction<'access'>, err: unknown): LoginError {
  if (err instanceof ApiError && err.status === 401) {
    return { kind: 'wrong', message: t('login.wrong') };
  }
  if (err instanceof ApiError && err.status === 429) {
    const seconds = err.retryAfter ?? 60;
    return {
      kind: 'rate-limited',
      seconds,
      message:
        seconds >= 120 ? t('login.rateLimitedMinutes', { count: seconds, minutes: Math.round(seconds / 60) }) : t('login.rateLimited', { count: seconds }),
    };
  }
  return { kind: 'other', message: messageOf(err) };
}

/** `/login`: email and password; then back to the page that sent the user here. */
export function LoginPage() {
  const { t } = useTranslation();
  const { t: ta } = useTranslation('access');
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<LoginError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [wait, setWait] = useState(0);
  const uid = useId();

  // While rate limited, the button counts down the seconds left.
  useEffect(() => {
    if (wait <= 0) return;
    const timer = window.setTimeout(() => setWait((w) => w - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [wait]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError({ kind: 'other', message: ta(!email.trim() ? (password ? 'login.enterEmail' : 'login.enterBoth') : 'login.enterPassword') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { switched } = await logIn(email.trim(), password);
      setDone(true);
      const to = nextPath();
      // After another user's session, start from a fresh page: nothing of theirs stays in memory.
      if (switched) window.location.assign(to);
      else navigate(to, { replace: true });
    } catch (err) {
      const e = loginError(ta, err);
      setError(e);
      if (e.kind === 'rate-limited') setWait(e.seconds);
      if (e.kind === 'wrong') setPassword('');
    } finally {
      setBusy(false);
    }
  }

  // Not while this form is logging in (the session becomes ready just before the redirect).
  const me = session.status === 'ready' && !busy && !done ? session.me : null;
  const next = nextPath();

  return (
    <main id="main" tabIndex={-1} className="page page--login">
      <div className="login">
        <section className="login__card" aria-labelledby={`${uid}-title`}>
          <h1 id={`${uid}-title`}>{ta('login.title')}</h1>
          {me ? (
            <div className="login__already" data-testid="already-logged-in">
              <p>
                <Trans t={ta} i18nKey="login.already" values={{ email: me.user.email, role: roleName(t, me.user.role) }} components={{ 1: <strong /> }} />
              </p>
              <p className="form-actions">
                <Link to={next} className="button-link">
                  {ta('login.continue')}
                </Link>
                <button type="button" className="button--secondary" onClick={() => void logOut()}>
                  {ta('login.switch')}
                </button>
              </p>
            </div>
          ) : (
            <form data-testid="login-form" onSubmit={submit} noValidate aria-describedby={error ? `${uid}-error` : undefined}>
              {next !== '/' ? (
                <p className="muted">
                  <Trans t={ta} i18nKey="login.toOpen" values={{ path: next }} components={{ 1: <code /> }} />
                </p>
              ) : null}
              {error ? (
                <div className="form-summary" role="alert" id={`${uid}-error`} data-testid="login-error" data-kind={error.kind}>
                  <p>{error.message}</p>
                </div>
              ) : null}
              <div className="form-field">
                <label htmlFor={`${uid}-email`}>{ta('login.email')}</label>
                <input
                  id={`${uid}-email`}
                  name="email"
                  type="email"
                  autoComplete="username"
                  value={email}
                  aria-invalid={error?.kind === 'wrong' || undefined}
                  onChange={(e) => setEmail(e.target.value)}
                />
              </div>
              <div className="form-field">
                <label htmlFor={`${uid}-password`}>{ta('login.password')}</label>
                <input
                  id={`${uid}-password`}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  aria-invalid={error?.kind === 'wrong' || undefined}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </div>
              <div className="form-actions">
                <button type="submit" disabled={busy || wait > 0 || done} data-testid="login-submit">
                  {busy || done ? ta('login.loggingIn') : wait > 0 ? ta('login.wait', { seconds: wait }) : ta('login.submit')}
                </button>
              </div>
            </form>
          )}
        </section>
        <aside className="login__help" aria-label={ta('login.help')}>
          <h2>{ta('login.firstTime')}</h2>
          <p>
            <Trans t={ta} i18nKey="login.firstAdmin" components={{ 1: <q />, 3: <code />, 5: <code /> }} />
          </p>
          <p>{ta('login.others')}</p>
          <p>
            <Trans t={ta} i18nKey="login.withoutLogin" components={{ 1: <Link to="/about">{null}</Link> }} />
          </p>
        </aside>
      </div>
    </main>
  );
}
