import type { SqlClient } from '../../src/store/index.js';

/**
 * Tables that change on reads by design: the last use of a token or session. Everything else
 * must be untouched after a refused request or a dry run.
 */
const VOLATILE = new Set(['sessions', 'api_tokens']);

/**
 * Row count and a hash of every row version of every table (test-only SQL), to prove that a
 * request changed nothing. A row version (ctid, xmin) changes on any committed insert, update or
 * delete, even one that writes the same values, and hashing it never reads the large columns.
 */
export async function fingerprint(db: SqlClient): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const sql = tables
    .filter(({ name }) => !VOLATILE.has(name))
    .map(
      ({ name }) =>
        `SELECT '${name}' AS name, count(*)::int AS n, coalesce(sum(hashtext(t.ctid::text || ':' || t.xmin::text)::bigint), 0)::text AS h FROM "${name}" t`,
    )
    .join(' UNION ALL ');
  const rows = await db.query<{ name: string; n: number; h: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.h}`]));
}
