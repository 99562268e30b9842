import { AppError } from './errors.js';

export { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '../shared/roles.js';
import { ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '../shared/roles.js';

/** Who is acting, and where: built once per request (or CLI run) and passed to every service call. */
export interface Actor {
  /** What the audit trail records: the user's email, or `system`, or `cli:local-admin`. */
  label: string;
  userId: string | null;
  role: Role;
  /**
   * Materialised paths of the places the actor may see and act on (`/country/…/`); null means
   * everywhere (an unscoped admin, the system, the local CLI).
   */
  scopePaths: string[] | null;
}

/** Corridor itself and the local command line act everywhere, as admins. */
export const SYSTEM: Actor = { label: 'system', userId: null, role: 'admin', scopePaths: null };
export const LOCAL_ADMIN: Actor = { label: 'cli:local-admin', userId: null, role: 'admin', scopePaths: null };

/** True when the actor's role has the permission. */
export function can(actor: Actor, permission: Permission): boolean {
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

/** The one authorization check: FORBIDDEN unless the actor's role has the permission. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new AppError('FORBIDDEN', `your role (${actor.role.replace('_', ' ')}) may not do this (${permission})`, { permission });
  }
}

/** True when a place (by its materialised path) lies within the actor's scope. */
export function inScope(actor: Actor, path: string): boolean {
  return actor.scopePaths === null || actor.scopePaths.some((p) => path.startsWith(p));
}

/**
 * True when scope `inner` lies wholly within scope `outer`: every place of `inner` is inside one
 * of `outer`'s places. Scopes are lists of materialised paths (`/…/id/`); null means everywhere,
 * which lies within nothing but everywhere. An empty `inner` is an unscoped user (everywhere too);
 * an empty `outer` (an actor who may act nowhere) contains nothing.
 */
export function scopeWithin(inner: readonly string[] | null, outer: readonly string[] | null): boolean {
  if (outer === null) return true;
  if (inner === null || inner.length === 0) return false;
  return inner.every((p) => outer.some((o) => p.startsWith(o)));
}

/** True when role `role` has no more power than `than` (ROLES runs from most to least power). */
export function roleWithin(role: Role, than: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(than);
}

/** The countries (ids) the actor's scope lies in; null for everywhere. Paths start with the country. */
export function scopeCountries(actor: Actor): string[] | null {
  return actor.scopePaths === null ? null : [...new Set(actor.scopePaths.map((p) => p.split('/')[1]!))];
}
