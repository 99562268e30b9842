import pg from 'pg';
import { AppError } from '../domain/errors.js';
import { throwIfCancelled } from './request-context.js';
import type { SqlClient } from './sql-client.js';

// node-postgres returns int8 and numeric as strings; Corridor keeps counts well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

type Queryable = pg.Pool | pg.PoolClient;

class PgClient implements SqlClient {
  readonly dialect = 'postgresql' as const;
  /** Connections that may run queries at once (the pool's size; 1 inside a transaction). */
  get connections(): number {
    return this.pool ? this.pool.options.max : 1;
  }
  constructor(
    private readonly db: Queryable,
    private readonly pool: pg.Pool | null,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    throwIfCancelled();
    const result = await this.db.query(sql, params);
    return result.rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.db.query(sql);
  }

  async transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    if (!this.pool) return fn(this);
    throwIfCancelled();
    const conn = await this.pool.connect();
    try {
      await conn.query('BEGIN');
      const result = await fn(new PgClient(conn, null));
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

/**
 * Connections per server process: a request holds one only while a query runs, so a few serve
 * many concurrent requests; PostgreSQL's default limit of 100 connections leaves room for several
 * server processes and the CLI. CORRIDOR_DB_POOL_SIZE overrides it.
 */
export const DEFAULT_POOL_SIZE = 10;

/** The pool size from the environment (CORRIDOR_DB_POOL_SIZE, 1–200), else the default. */
export function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CORRIDOR_DB_POOL_SIZE;
  if (raw === undefined || raw === '') return DEFAULT_POOL_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new AppError('BAD_REQUEST', `CORRIDOR_DB_POOL_SIZE must be a whole number from 1 to 200 (got "${raw}")`);
  return n;
}

/** Connects to a PostgreSQL server; fails fast with the server's own message when it cannot. */
export async function openPostgres(url: string, options: { searchPath?: string; poolSize?: number } = {}): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? poolSize(),
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  const probe = await pool.connect();
  probe.release();
  return new PgClient(pool, pool);
}
