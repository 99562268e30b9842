import { useSyncExternalStore } from 'react';
import { ApiError, api, data, messageOf, setCsrfToken, setSessionHooks } from './api';
import type { Schema } from './api';

import type { TFunction } from 'i18next';
import { ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '../../src/shared/roles';

// The roles and the permission table are the server's own (src/shared/roles.ts). The server
// decides; the app only uses them to hide what a role cannot do and to explain a refusal.
export { ROLES, type Permission, type Role };

/** A user account, as `GET /api/users` and `/api/auth/me` give it. */
export type User = Schema<'User'>;
/** Answer of `GET /api/auth/me` and `POST /api/auth/login`. */
export type Me = Schema<'Me'>;

/** A role's label ("Country manager"). */
export function roleLabel(t: TFunction, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(`roles.${role as Role}.label`) : role;
}

/** A role's name in a sentence ("your role: country manager"). */
export function roleName(t: TFunction, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(`roles.${role as Role}.name`) : role;
}

/** What a role may do, in a sentence. */
export function roleDescription(t: TFunction, role: Role): string {
  return t(`roles.${role}.description`);
}

/** The roles that have a permission, for "needs the … role" ("admin or country manager"). */
export function rolesWith(t: TFunction, permission: Permission): string {
  const names = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map((r) => roleName(t, r));
  return names.length <= 1 ? (names[0] ?? '') : t('roles.either', { list: names.slice(0, -1).join(', '), last: names[names.length - 1] });
}

/** Where a user may act: their scope codes, or every country for an unscoped admin. */
export function scopeLabel(t: TFunction, user: Pick<User, 'role' | 'scopes'>): string {
  if (user.scopes.length > 0) return user.scopes.join(', ');
  return user.role === 'admin' ? t('roles.allCountries') : t('roles.noCountry');
}

export type Session = { status: 'loading' } | { status: 'anonymous' } | { status: 'error'; message: string } | { status: 'ready'; me: Me };

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

/** Who is logged in, as the server says. */
function fetchMe(): Promise<Me> {
  return data(api.GET('/api/auth/me'));
}

setSessionHooks({
  unauthenticated() {
    if (session.status !== 'anonymous') setSession({ status: 'anonymous' });
  },
  async refreshCsrf() {
    const before = session.status === 'ready' ? session.me.user.id : null;
    try {
      const me = await fetchMe();
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
    setSession({ status: 'ready', me: await fetchMe() });
  } catch (err) {
    setSession(err instanceof ApiError && err.status === 401 ? { status: 'anonymous' } : { status: 'error', message: messageOf(err) });
  }
}

/**
 * Logs in. Resolves with `switched` true when another user was logged in earlier in this page
 * load: the caller then reloads the page rather than showing data loaded for that user.
 */
export async function logIn(email: string, password: string): Promise<{ me: Me; switched: boolean }> {
  const send = () => data(api.POST('/api/auth/login', { body: { email, password } }));
  let me: Me;
  try {
    me = await send();
  } catch (err) {
    // The browser already has a session (logged in from another tab since this page loaded), so
    // the login itself is a cookie-authenticated write: fetch that session's token and send again.
    if (!(err instanceof ApiError && err.code === 'CSRF_FAILED')) throw err;
    setCsrfToken((await fetchMe().catch(() => null))?.csrfToken ?? null);
    me = await send();
  }
  const switched = shownUserId !== null && shownUserId !== me.user.id;
  setSession({ status: 'ready', me });
  return { me, switched };
}

/** Ends the session and reloads at the login page, which drops everything kept in memory. */
export async function logOut(): Promise<void> {
  try {
    await api.POST('/api/auth/logout');
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
