import { useSyncExternalStore } from 'react';
import { ApiError, getJson, messageOf, sendJson, setCsrfToken, setSessionHooks } from './api';

// Mirrors src/domain/access.ts. The server decides; the app only uses these to hide what a role
// cannot do and to explain a refusal.
export const ROLES = ['admin', 'country_manager', 'data_entry', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export type Permission =
  | 'registry:read'
  | 'registry:write'
  | 'registry:import'
  | 'reference:write'
  | 'data:approve'
  | 'model:run'
  | 'audit:read'
  | 'users:manage';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['registry:read', 'registry:write', 'registry:import', 'reference:write', 'data:approve', 'model:run', 'audit:read', 'users:manage'],
  country_manager: ['registry:read', 'registry:write', 'registry:import', 'data:approve', 'model:run', 'audit:read'],
  data_entry: ['registry:read', 'registry:write', 'registry:import'],
  analyst: ['registry:read', 'model:run'],
  viewer: ['registry:read'],
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  country_manager: 'Country manager',
  data_entry: 'Data entry',
  analyst: 'Analyst',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything, in every country: users, reference lists, audit log',
  country_manager: 'edits and imports the registry and programme data, approves programme data, runs models and reads the audit log, within their countries',
  data_entry: 'edits and imports the registry and enters and imports programme data within their countries',
  analyst: 'reads the registry and runs models within their countries',
  viewer: 'reads the registry within their countries',
};

/** A role's name in a sentence ("your role: data entry"). */
export function roleName(role: string): string {
  return (ROLE_LABELS[role as Role] ?? role).toLowerCase();
}

/** The roles that have a permission, for "needs the … role" ("admin or country manager"). */
export function rolesWith(permission: Permission): string {
  const names = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map(roleName);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** A user account, as `GET /api/users` and `/api/auth/me` give it. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** Codes of the countries (ISO3) or areas the user may see and act on; empty for an unscoped admin. */
  scopes: string[];
}

/** Answer of `GET /api/auth/me` and `POST /api/auth/login`. */
export interface Me {
  user: User;
  permissions: Permission[];
  csrfToken: string | null;
}

/** Where a user may act: their scope codes, or every country for an unscoped admin. */
export function scopeLabel(user: Pick<User, 'role' | 'scopes'>): string {
  if (user.scopes.length > 0) return user.scopes.join(', ');
  return user.role === 'admin' ? 'all countries' : 'no country';
}

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'error'; message: string }
  | { status: 'ready'; me: Me };

let session: Session = { status: 'loading' };
/** The user whose data this page load has shown: another user's login reloads the page (no stale caches). */
let shownUserId: string | null = null;
const listeners = new Set<() => void>();

function setSession(next: Session): void {
  session = next;
  setCsrfToken(next.status === 'ready' ? next.me.csrfToken : null);
  if (next.status === 'ready') shownUserId = next.me.user.id;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

setSessionHooks({
  unauthenticated() {
    if (session.status !== 'anonymous') setSession({ status: 'anonymous' });
  },
  async refreshCsrf() {
    const before = session.status === 'ready' ? session.me.user.id : null;
    try {
      const me = await getJson<Me>('/api/auth/me');
      if (before !== null && me.user.id !== before) {
        // Someone else logged in meanwhile (another tab): start again as them.
        window.location.reload();
        return false;
      }
      setSession({ status: 'ready', me });
      return before !== null;
    } catch {
      return false;
    }
  },
});

/** Asks the server who is logged in (the app does this once at start). */
export async function loadSession(): Promise<void> {
  if (session.status !== 'ready') setSession({ status: 'loading' });
  try {
    setSession({ status: 'ready', me: await getJson<Me>('/api/auth/me') });
  } catch (err) {
    setSession(err instanceof ApiError && err.status === 401 ? { status: 'anonymous' } : { status: 'error', message: messageOf(err) });
  }
}

/**
 * Logs in. Resolves with `switched` true when another user was logged in earlier in this page
 * load: the caller then reloads the page rather than showing data loaded for that user.
 */
export async function logIn(email: string, password: string): Promise<{ me: Me; switched: boolean }> {
  const send = () => sendJson<Me>('POST', '/api/auth/login', { email, password });
  let me: Me;
  try {
    me = await send();
  } catch (err) {
    // The browser already has a session (logged in from another tab since this page loaded), so
    // the login itself is a cookie-authenticated write: fetch that session's token and send again.
    if (!(err instanceof ApiError && err.code === 'CSRF_FAILED')) throw err;
    setCsrfToken((await getJson<Me>('/api/auth/me').catch(() => null))?.csrfToken ?? null);
    me = await send();
  }
  const switched = shownUserId !== null && shownUserId !== me.user.id;
  setSession({ status: 'ready', me });
  return { me, switched };
}

/** Ends the session and reloads at the login page, which drops everything kept in memory. */
export async function logOut(): Promise<void> {
  try {
    await sendJson<void>('POST', '/api/auth/logout');
  } catch (err) {
    // Already logged out (the session expired) is what we wanted.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  setCsrfToken(null);
  window.location.assign('/login');
}

/** Who is logged in, re-rendering when that changes. */
export function useSession(): Session {
  return useSyncExternalStore(subscribe, () => session);
}

/** The logged-in user's answer of `/api/auth/me`, or null. */
export function useMe(): Me | null {
  const s = useSession();
  return s.status === 'ready' ? s.me : null;
}

/** True when the logged-in user's role has the permission (as the server said at login). */
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me !== null && me.permissions.includes(permission);
}
