import type { SqlClient } from './sql-client.js';

/** PostgreSQL keeps this much WAL for reuse by default (80 MB); the embedded store needs far less. */
const EMBEDDED_MIN_WAL = '32MB';

/**
 * Gives the embedded store's unused space back to the file system: VACUUM (FULL rewrites every
 * table and index, for `corridor db vacuum`), then checkpoints that let PostgreSQL drop the WAL
 * segments a large or killed import left behind. On a PostgreSQL server autovacuum does this.
 */
export async function compact(db: SqlClient, opts: { full?: boolean } = {}): Promise<void> {
  if (db.dialect !== 'pglite') return;
  await db.exec(`ALTER SYSTEM SET min_wal_size = '${EMBEDDED_MIN_WAL}'`);
  await db.exec(opts.full ? 'VACUUM (FULL, ANALYZE)' : 'VACUUM (ANALYZE)');
  // Spare segments are removed rather than renamed for reuse (the embedded store runs one backend).
  await db.exec('SET wal_recycle = off');
  // Each switch and checkpoint lets spare segments go (PostgreSQL keeps as many as recent
  // checkpoints needed, an estimate that decays with each one), down to min_wal_size.
  for (let i = 0; i < 24 && (await walSegments(db)) > 2; i++) {
    await db.query('SELECT pg_switch_wal()');
    await db.exec('CHECKPOINT');
  }
}

async function walSegments(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_ls_waldir()');
  return row?.n ?? 0;
}
