import { useTranslation } from 'react-i18next';
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

function loginError(err: unknown): LoginError {
  if (err instanceof ApiError && err.status === 401) {
    return { kind: 'wrong', message: 'The email or password is wrong. Check them and try again.' };
  }
  if (err instanceof ApiError && err.status === 429) {
    const seconds = err.retryAfter ?? 60;
    const minutes = seconds >= 120 ? ` (about ${Math.round(seconds / 60)} minutes)` : '';
    return {
      kind: 'rate-limited',
      seconds,
      message: `Too many failed logins. For your protection, logging in is paused: wait ${seconds} second${seconds === 1 ? '' : 's'}${minutes}, then try again.`,
    };
  }
  return { kind: 'other', message: messageOf(err) };
}

/** `/login`: email and password; then back to the page that sent the user here. */
export function LoginPage() {
  const { t } = useTranslation();
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
      setError({ kind: 'other', message: `Enter your ${!email.trim() ? (password ? 'email address' : 'email address and password') : 'password'}.` });
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
      const e = loginError(err);
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
          <h1 id={`${uid}-title`}>Log in to Corridor</h1>
          {me ? (
            <div className="login__already" data-testid="already-logged-in">
              <p>
                You are logged in as <strong>{me.user.email}</strong> ({roleName(t, me.user.role)}).
              </p>
              <p className="form-actions">
                <Link to={next} className="button-link">
                  Continue
                </Link>
                <button type="button" className="button--secondary" onClick={() => void logOut()}>
                  Log out to switch user
                </button>
              </p>
            </div>
          ) : (
            <form data-testid="login-form" onSubmit={submit} noValidate aria-describedby={error ? `${uid}-error` : undefined}>
              {next !== '/' ? (
                <p className="muted">
                  Log in to open <code>{next}</code>.
                </p>
              ) : null}
              {error ? (
                <div className="form-summary" role="alert" id={`${uid}-error`} data-testid="login-error" data-kind={error.kind}>
                  <p>{error.message}</p>
                </div>
              ) : null}
              <div className="form-field">
                <label htmlFor={`${uid}-email`}>Email</label>
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
                <label htmlFor={`${uid}-password`}>Password</label>
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
                  {busy || done ? 'Logging in…' : wait > 0 ? `Log in (wait ${wait} s)` : 'Log in'}
                </button>
              </div>
            </form>
          )}
        </section>
        <aside className="login__help" aria-label="How to get an account">
          <h2>First time here?</h2>
          <p>
            The first administrator account is made when the Corridor server starts for the first time. Its email and
            password were printed by the server then, on the line that begins <q>First start: log in at …</q>, unless whoever
            installed it chose them beforehand with the environment variables <code>CORRIDOR_ADMIN_EMAIL</code> and{' '}
            <code>CORRIDOR_ADMIN_PASSWORD</code>.
          </p>
          <p>Everyone else gets an account, with a role and the countries they work on, from an administrator.</p>
          <p>
            Without logging in you can read <Link to="/about">about Corridor and its data sources</Link>.
          </p>
        </aside>
      </div>
    </main>
  );
}
