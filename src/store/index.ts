export { Store, type Repositories } from './store.js';
export { openStore, resolveStoreConfig, describeStore, type StoreConfig } from './open-store.js';
export { migrate, schemaVersion } from './migrate.js';
export { compact } from './maintenance.js';
export type { SqlClient, Dialect } from './sql-client.js';
export type { PlaceFilter, PlaceWithGeometry } from './place.repository.js';
export type { AuditEntry } from './audit.repository.js';
