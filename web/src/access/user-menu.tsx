import { useState } from 'react';
import { messageOf } from '../api';
import { Link } from '../router';
import { ROLE_LABELS, logOut, scopeLabel, useSession } from '../session';

/**
 * The account bar at the top of every page: who is logged in (email, role, scope), their pages
 * (API tokens; Users for admins; Audit log for those who may read it) and "Log out".
 */
export function UserMenu() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (session.status === 'anonymous') {
    return (
      <nav className="user-menu" aria-label="Account">
        <span className="user-menu__who">Not logged in</span>
        <ul className="user-menu__links">
          <li>
            <Link to="/login">Log in</Link>
          </li>
        </ul>
      </nav>
    );
  }
  if (session.status !== 'ready') return null;

  const { user, permissions } = session.me;
  async function out() {
    setBusy(true);
    setError(null);
    try {
      await logOut();
    } catch (err) {
      setError(`Could not log out: ${messageOf(err)}`);
      setBusy(false);
    }
  }

  return (
    <nav className="user-menu" aria-label="Account" data-testid="user-menu" data-email={user.email} data-role={user.role}>
      <p className="user-menu__who">
        <span className="visually-hidden">Logged in as </span>
        <strong data-testid="user-email">{user.email}</strong>
        <span className="user-menu__sep" aria-hidden="true">·</span>
        <span data-testid="user-role">{ROLE_LABELS[user.role] ?? user.role}</span>
        <span className="user-menu__sep" aria-hidden="true">·</span>
        <span data-testid="user-scope" title="Where you may see and act on data">
          <span className="visually-hidden">Scope: </span>
          {scopeLabel(user)}
        </span>
      </p>
      <ul className="user-menu__links">
        <li>
          <Link to="/account/tokens">API tokens</Link>
        </li>
        {permissions.includes('users:manage') ? (
          <li>
            <Link to="/admin/users">Users</Link>
          </li>
        ) : null}
        {permissions.includes('audit:read') ? (
          <li>
            <Link to="/admin/audit">Audit log</Link>
          </li>
        ) : null}
        <li>
          <button type="button" className="user-menu__logout" onClick={() => void out()} disabled={busy} data-testid="logout">
            {busy ? 'Logging out…' : 'Log out'}
          </button>
        </li>
      </ul>
      {error ? (
        <p className="user-menu__error" role="alert">
          {error}
        </p>
      ) : null}
    </nav>
  );
}
