import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../api';
import { Link } from '../router';
import { logOut, roleLabel, scopeLabel, useSession } from '../session';

/**
 * The account bar at the top of every page: who is logged in (email, role, scope), their pages
 * (API tokens; Users for admins; Audit log for those who may read it) and "Log out".
 */
export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (session.status === 'anonymous') {
    return (
      <nav className="user-menu" aria-label={t('userMenu.account')}>
        <span className="user-menu__who">{t('userMenu.notLoggedIn')}</span>
        <ul className="user-menu__links">
          <li>
            <Link to="/login">{t('userMenu.logIn')}</Link>
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
      setError(t('userMenu.logoutFailed', { message: messageOf(err) }));
      setBusy(false);
    }
  }

  return (
    <nav className="user-menu" aria-label={t('userMenu.account')} data-testid="user-menu" data-email={user.email} data-role={user.role}>
      <p className="user-menu__who">
        <span className="visually-hidden">{t('userMenu.loggedInAs')} </span>
        <strong data-testid="user-email">{user.email}</strong>
        <span className="user-menu__sep" aria-hidden="true">
          ·
        </span>
        <span data-testid="user-role">{roleLabel(t, user.role)}</span>
        <span className="user-menu__sep" aria-hidden="true">
          ·
        </span>
        <span data-testid="user-scope" title={t('userMenu.scopeHint')}>
          <span className="visually-hidden">{t('userMenu.scope')} </span>
          {scopeLabel(t, user)}
        </span>
      </p>
      <ul className="user-menu__links">
        <li>
          <Link to="/account/tokens">{t('userMenu.tokens')}</Link>
        </li>
        {permissions.includes('users:manage') ? (
          <li>
            <Link to="/admin/users">{t('userMenu.users')}</Link>
          </li>
        ) : null}
        {permissions.includes('audit:read') ? (
          <li>
            <Link to="/admin/audit">{t('userMenu.audit')}</Link>
          </li>
        ) : null}
        <li>
          <button type="button" className="user-menu__logout" onClick={() => void out()} disabled={busy} data-testid="logout">
            {busy ? t('userMenu.loggingOut') : t('userMenu.logOut')}
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
