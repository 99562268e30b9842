import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite } from '../../src/store/pglite-client.js';
import { openPostgres } from '../../src/store/pg-client.js';
import { migrate, Store, type Dialect, type SqlClient } from '../../src/store/index.js';

/**
 * The PostgreSQL server the tests use: a maintenance database on which each test run creates,
 * then drops, a database of its own.
 */
export const TEST_POSTGRES_URL = process.env.CORRIDOR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database and the means to remove it. */
export interface TestDatabase {
  client: SqlClient;
  /** The connection URL, for a PostgreSQL database (to hand to a server process). */
  url: string | null;
  drop(): Promise<void>;
}

async function withAdmin<R>(fn: (c: pg.Client) => Promise<R>): Promise<R> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`The PostgreSQL contract tests need a server at ${TEST_POSTGRES_URL} (set CORRIDOR_TEST_POSTGRES_URL): ${(e as Error).message}`);
  }
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Creates an empty PostgreSQL database on the test server; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `corridor_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Opens a fresh empty database of the given engine. */
export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'pglite') {
    const client = await openPglite(null);
    return { client, url: null, drop: () => client.close() };
  }
  const db = await createPostgresDatabase();
  const client = await openPostgres(db.url);
  return {
    client,
    url: db.url,
    drop: async () => {
      await client.close();
      await db.drop();
    },
  };
}

/** A migrated store on a fresh database of the given engine. */
export async function freshStore(dialect: Dialect): Promise<{ store: Store; drop(): Promise<void> }> {
  const db = await freshDatabase(dialect);
  await migrate(db.client);
  return { store: new Store(db.client), drop: db.drop };
}

/** Both engines: every contract test runs once on each. */
export const ENGINES: Dialect[] = ['pglite', 'postgresql'];
