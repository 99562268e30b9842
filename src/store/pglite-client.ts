import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.js';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

class PgliteClient implements SqlClient {
  readonly dialect = 'pglite' as const;
  constructor(
    private readonly db: Queryable,
    private readonly root: PGlite | null,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.db.query<T>(sql, params);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    if (!this.root) return fn(this);
    return this.root.transaction((tx) => fn(new PgliteClient(tx, null)));
  }

  async close(): Promise<void> {
    await this.root?.close();
  }
}

/** Opens the embedded PostgreSQL in `dataDir` (created if missing), or in memory when it is null. */
export async function openPglite(dataDir: string | null): Promise<SqlClient> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  return new PgliteClient(db, db);
}
