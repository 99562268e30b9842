import type { Store } from '../../src/store/index.js';

/**
 * Tables that change on reads by design: the last use of a token or session. Everything else
 * must be byte-for-byte the same after a refused request.
 */
const VOLATILE = new Set(['sessions', 'api_tokens', 'login_attempts']);

/** Row count and a content hash of every table of the store (test-only SQL), to prove a request changed nothing. */
export async function fingerprint(store: Store): Promise<Record<string, string>> {
  const tables = await store.db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (VOLATILE.has(name)) continue;
    const [row] = await store.db.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS h FROM "${name}" t`,
    );
    out[name] = `${row!.n}:${row!.h ?? ''}`;
  }
  return out;
}
