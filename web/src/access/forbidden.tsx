import { useTranslation } from 'react-i18next';
import { Link } from '../router';
import { roleName, rolesWith } from '../session';
import type { Permission } from '../session';

const WHAT: Partial<Record<Permission, 'forbidden.what.users' | 'forbidden.what.audit' | 'forbidden.what.write' | 'forbidden.what.import'>> = {
  'users:manage': 'forbidden.what.users',
  'audit:read': 'forbidden.what.audit',
  'registry:write': 'forbidden.what.write',
  'registry:import': 'forbidden.what.import',
};

/** What a user sees on a page their role may not open: a plain refusal, not a broken screen. */
export function Forbidden({ role, permission, path }: { role: string; permission: Permission; path: string }) {
  const { t } = useTranslation();
  const what = WHAT[permission];
  return (
    <main id="main" tabIndex={-1} className="page page--narrow" data-testid="forbidden" data-role={role}>
      <div className="refusal">
        <h1>{t('forbidden.title')}</h1>
        <p className="refusal__lead">{t('forbidden.lead', { role: roleName(t, role) })}</p>
        <p>
          {what ? t(what) : t('forbidden.what.page')} (<code>{path}</code>) {t('forbidden.needs', { roles: rolesWith(t, permission) })}
        </p>
        <p>
          {t('forbidden.goTo')} <Link to="/">{t('forbidden.map')}</Link>, <Link to="/sites">{t('forbidden.sites')}</Link> {t('forbidden.or')}{' '}
          <Link to="/account/tokens">{t('forbidden.tokens')}</Link>.
        </p>
      </div>
    </main>
  );
}
