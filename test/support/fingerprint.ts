import type { SqlClient } from '../../src/store/index.js';

/** Tables whose rows change on reads (sessions and tokens note when they were last used). */
const VOLATILE = new Set(['sessions', 'api_tokens', 'schema_migrations']);

/**
 * Row count and a hash of every row of every table (test-only SQL): two equal fingerprints mean
 * the store holds exactly the same data.
 */
export async function fingerprint(db: SqlClient): Promise<Record<string, string>> {
  const tables = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    if (VOLATILE.has(t)) continue;
    const [row] = await db.query<{ n: number; h: string }>(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`);
    out[t] = `${row!.n}:${row!.h}`;
  }
  return out;
}
