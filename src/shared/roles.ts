// The roles and the permission table, shared by the server (src/domain/access.ts, which decides)
// and the browser app (which only hides what a role cannot do and explains a refusal). Imports nothing.

/** Roles, from most to least power (DESIGN §6). */
export const ROLES = ['admin', 'country_manager', 'data_entry', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What can be done. Services name one of these, first thing, through `authorize`. */
export const PERMISSIONS = [
  'registry:read', // places, sites, corridors, flows, projects, policies, groups, taxonomy
  'registry:write', // create, edit and delete registry records within scope
  'registry:import', // file imports and the demo world
  'reference:write', // the taxonomy, population groups, M&E metadata (shared by every country)
  'data:approve', // approve (and unapprove) M&E data for a data set, period and place; approved data is locked
  'model:run',
  'audit:read',
  'users:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The permission table: which role may do what. Scope limits each of these to the user's places. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  country_manager: ['registry:read', 'registry:write', 'registry:import', 'data:approve', 'model:run', 'audit:read'],
  data_entry: ['registry:read', 'registry:write', 'registry:import'],
  analyst: ['registry:read', 'model:run'],
  viewer: ['registry:read'],
};
