import pg from 'pg';
import type { SqlClient } from './sql-client.js';

// node-postgres returns int8 and numeric as strings; Corridor keeps counts well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

type Queryable = pg.Pool | pg.PoolClient;

class PgClient implements SqlClient {
  readonly dialect = 'postgresql' as const;
  constructor(
    private readonly db: Queryable,
    private readonly pool: pg.Pool | null,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.db.query(sql, params);
    return result.rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.db.query(sql);
  }

  async transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
    if (!this.pool) return fn(this);
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

/** Connects to a PostgreSQL server; fails fast with the server's own message when it cannot. */
export async function openPostgres(url: string, options: { searchPath?: string } = {}): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  const probe = await pool.connect();
  probe.release();
  return new PgClient(pool, pool);
}
