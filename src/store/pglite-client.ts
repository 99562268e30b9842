import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client.js';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

/**
 * Marks the async flow of an open transaction. PGlite has one connection: a query on the store
 * itself from inside a transaction would wait for that transaction forever, so it is refused
 * with an error that names the mistake instead.
 */
const inTransaction = new AsyncLocalStorage<true>();

function refuseNested(): void {
  if (inTransaction.getStore()) {
    throw new Error('query on the store inside one of its transactions (it would wait forever): use the repositories the transaction gives');
  }
}

class PgliteClient implements SqlClient {
  readonly dialect = 'pglite' as const;
  constructor(
    private readonly db: Queryable,
    private readonly root: PGlite | null,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.root) refuseNested();
    const result = await this.db.query<T>(sql, params);
    return result.rows;
  }

  async copyFrom(sql: string, data: string): Promise<void> {
    if (this.root) refuseNested();
    await this.db.query(sql, [], { blob: new Blob([data]) });
  }

  async exec(sql: string): Promise<void> {
    if (this.root) refuseNested();
    await this.db.exec(sql);
  }

  async transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    if (!this.root) return fn(this);
    refuseNested();
    return this.root.transaction((tx) => inTransaction.run(true, () => fn(new PgliteClient(tx, null))));
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
