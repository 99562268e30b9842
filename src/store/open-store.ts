import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors.js';
import { compact } from './maintenance.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite-client.js';
import { openPostgres } from './pg-client.js';
import type { Dialect } from './sql-client.js';
import { Store } from './store.js';

/** Where the data lives: a PostgreSQL server URL, or else an embedded data directory. */
export interface StoreConfig {
  databaseUrl: string | null;
  dataDir: string;
}

/** Resolves the store from options, then the environment, then defaults (`.corridor/` here). */
export function resolveStoreConfig(
  opts: { dataDir?: string | undefined; databaseUrl?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
): StoreConfig {
  const databaseUrl = opts.databaseUrl ?? env.DATABASE_URL ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('BAD_REQUEST', `DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl.split(':')[0]}:…")`);
  }
  return { databaseUrl: databaseUrl || null, dataDir: path.resolve(opts.dataDir ?? env.CORRIDOR_DATA_DIR ?? '.corridor') };
}

/** Describes the store for logs without leaking a password. */
export function describeStore(config: StoreConfig): { dialect: Dialect; location: string } {
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    return { dialect: 'postgresql', location: `${u.hostname}:${u.port || 5432}${u.pathname}` };
  }
  return { dialect: 'pglite', location: config.dataDir };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database may be opened by one process at a time; two would corrupt it. A lock
 * file holding the owner's pid refuses a second opener and is taken over when its owner is dead.
 */
function lockDataDir(dataDir: string): { unlock: () => void; stale: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'corridor.lock');
  let stale = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return { unlock: () => rmSync(lock, { force: true }), stale };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(lock, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new AppError('DATA_DIR_LOCKED', `the data directory ${dataDir} is in use by another Corridor process (pid ${owner}); stop it first`);
      }
      // The owner died without closing the store (killed, crashed): PostgreSQL recovers on open.
      stale = true;
      rmSync(lock, { force: true });
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `could not lock the data directory ${dataDir}`);
}

/** Opens the configured store and, unless told not to, brings its schema up to date. */
export async function openStore(config: StoreConfig, opts: { migrate?: boolean } = {}): Promise<Store> {
  let store: Store;
  let crashed = false;
  if (config.databaseUrl) {
    try {
      store = new Store(await openPostgres(config.databaseUrl));
    } catch (e) {
      const where = describeStore(config).location;
      throw new AppError('DATABASE_UNAVAILABLE', `cannot connect to PostgreSQL at ${where}: ${(e as Error).message}`);
    }
  } else {
    const { unlock, stale } = lockDataDir(config.dataDir);
    crashed = stale;
    try {
      store = new Store(await openPglite(path.join(config.dataDir, 'pgdata')), unlock);
    } catch (e) {
      unlock();
      throw e;
    }
  }
  try {
    // A process killed mid-import leaves its rows, rebuilt indexes and WAL behind (hundreds of
    // MB after a large import; plain VACUUM frees little of it): the first open after it rewrites
    // the tables and drops the spare WAL. This costs seconds, and only after a crash.
    if (crashed) await compact(store.db, { full: true });
    if (opts.migrate !== false) await migrate(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
