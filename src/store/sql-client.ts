/** Which engine a store runs on: the embedded PGlite or a PostgreSQL server. */
export type Dialect = 'pglite' | 'postgresql';

/**
 * The small interface every repository is written against. Two implementations (PGlite and
 * node-postgres) run the same SQL; the repository contract suite runs against both.
 */
export interface SqlClient {
  readonly dialect: Dialect;
  /** How many queries can run at once: the pool's size; 1 (the embedded store) when absent. */
  readonly connections?: number;
  /** Runs one parameterised statement ($1, $2, …) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `COPY … FROM '/dev/blob'` with `data` (COPY's text format) as its input: the fastest way
   * into a table. Only the embedded store has it; repositories fall back to an INSERT elsewhere.
   */
  copyFrom?(sql: string, data: string): Promise<void>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: all of it lands, or none of it. Nested calls join the outer one. */
  transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}
