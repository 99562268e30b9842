import { Link } from '../router';
import { roleName, rolesWith } from '../session';
import type { Permission } from '../session';

const WHAT: Partial<Record<Permission, string>> = {
  'users:manage': 'Managing users',
  'audit:read': 'Reading the audit log',
  'registry:write': 'Editing the registry',
  'registry:import': 'Importing data',
};

/** What a user sees on a page their role may not open: a plain refusal, not a broken screen. */
export function Forbidden({ role, permission, path }: { role: string; permission: Permission; path: string }) {
  const roles = rolesWith(permission);
  return (
    <main id="main" tabIndex={-1} className="page page--narrow" data-testid="forbidden" data-role={role}>
      <div className="refusal">
        <h1>No access</h1>
        <p className="refusal__lead">You do not have access to this page (your role: {roleName(role)}).</p>
        <p>
          {WHAT[permission] ?? 'This page'} (<code>{path}</code>) needs the {roles} role. If
          your work needs it, ask an administrator to change your role.
        </p>
        <p>
          Go to the <Link to="/">map</Link>, the <Link to="/sites">sites</Link> or your{' '}
          <Link to="/account/tokens">API tokens</Link>.
        </p>
      </div>
    </main>
  );
}
