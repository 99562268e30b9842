import places from './0001-places.js';
import registry from './0002-registry.js';
import access from './0003-access.js';
import monitoring from './0004-monitoring.js';
import dataQuality from './0005-data-quality.js';
import dataValueKeys from './0006-data-value-keys.js';

/** A versioned schema change. Versions only grow; a shipped migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'places', sql: places },
  { version: 2, name: 'registry', sql: registry },
  { version: 3, name: 'access', sql: access },
  { version: 4, name: 'monitoring', sql: monitoring },
  { version: 5, name: 'data-quality', sql: dataQuality },
  { version: 6, name: 'data-value-keys', sql: dataValueKeys },
];
