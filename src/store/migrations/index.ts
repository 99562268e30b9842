import places from './0001-places.js';

/** A versioned schema change. Versions only grow; a shipped migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: Migration[] = [{ version: 1, name: 'places', sql: places }];
