import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { QueryGate } from './query-gate.js';
import { throwIfCancelled } from './request-context.js';
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
  readonly connections = 1;
  constructor(
    private readonly db: Queryable,
    private readonly root: PGlite | null,
    private readonly gate: QueryGate | null,
  ) {}

  /** Runs `fn` on the connection: in turn through the gate, or directly inside a transaction (which holds it). */
  private use<R>(fn: () => Promise<R>): Promise<R> {
    if (!this.gate) {
      throwIfCancelled();
      return fn();
    }
    refuseNested();
    return this.gate.run(fn);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.use(() => this.db.query<T>(sql, params))).rows;
  }

  async copyFrom(sql: string, data: string): Promise<void> {
    await this.use(() => this.db.query(sql, [], { blob: new Blob([data]) }));
  }

  async exec(sql: string): Promise<void> {
    await this.use(() => this.db.exec(sql));
  }

  async transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    if (!this.root) return fn(this);
    const root = this.root;
    return this.use(() => root.transaction((tx) => inTransaction.run(true, () => fn(new PgliteClient(tx, null, null)))));
  }

  async close(): Promise<void> {
    await this.root?.close();
  }
}

/** Opens the embedded PostgreSQL in `dataDir` (created if missing), or in memory when it is null. */
export async function openPglite(dataDir: string | null): Promise<SqlClient> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  return new PgliteClient(db, db, new QueryGate());
}
