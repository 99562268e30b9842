import type { SqlClient } from './sql-client.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

// Any constant will do: it makes concurrent starts against one server apply migrations once.
const MIGRATION_LOCK = 72_410_001;

/** Applies the migrations not yet applied, each in its own transaction; returns those applied. */
export async function migrate(db: SqlClient, migrations: Migration[] = MIGRATIONS): Promise<Migration[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: Migration[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m);
  }
  return applied;
}

/** The highest applied migration version, or 0 on an empty database. */
export async function schemaVersion(db: SqlClient): Promise<number> {
  const rows = await db.query<{ v: number | null }>(`SELECT max(version)::int AS v FROM schema_migrations`);
  return rows[0]?.v ?? 0;
}
