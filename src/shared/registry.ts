// Code lists of the registry that the server (src/domain/registry.ts, which validates) and the
// browser app (which orders its legends and filters by them) both need. Imports nothing.

/** Site types: the spaces of vulnerability of DESIGN §2.1 (and `other`), in the order lists show them. */
export const SITE_TYPES = [
  'land_border_post',
  'port',
  'mine',
  'construction_site',
  'farm_compound',
  'truck_stop',
  'fishing_landing',
  'market',
  'transit_centre',
  'camp_settlement',
  'other',
] as const;
export type SiteType = (typeof SITE_TYPES)[number];
