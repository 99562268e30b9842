import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrate, schemaVersion, Store, type SqlClient } from '../../src/store/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

// Migration 6 (issue 12) re-keys data values and their audit trail by integer ids. A store made by
// the schema before it, holding values of every kind (deleted, commented, followed up, several
// option combos and period types) with their audit, completions and approvals, is migrated in
// place: every value, audit entry, completion and approval must come back as it was.

const DEFAULT_COC = 'HllvX50cXC0';

/** Fills a version-5 store with the SQL of that schema (its repositories no longer exist). */
async function seedVersion5(db: SqlClient): Promise<void> {
  await db.exec(`
    INSERT INTO places (id, code, name, level, parent_id, path) VALUES
      ('Country0001', 'KEN', 'Kenya', 'country', NULL, '/Country0001/'),
      ('Area0000001', 'KEN-01', 'Mombasa', 'admin1', 'Country0001', '/Country0001/Area0000001/'),
      ('Area0000002', 'KEN-02', 'Busia', 'admin1', 'Country0001', '/Country0001/Area0000002/'),
      ('Site0000001', 'KEN-MALABA', 'Malaba', 'site', 'Area0000002', '/Country0001/Area0000002/Site0000001/');
    INSERT INTO category_options (id, code, name) VALUES ('OptMigrant1', 'MIG', 'Migrant'), ('OptHost0001', 'HOST', 'Non-migrant');
    INSERT INTO categories (id, code, name) VALUES ('CatMigStat1', 'MIGSTAT', 'Migrant status');
    INSERT INTO category_category_options (category_id, option_id, sort_order) VALUES ('CatMigStat1', 'OptMigrant1', 0), ('CatMigStat1', 'OptHost0001', 1);
    INSERT INTO category_combos (id, code, name) VALUES ('ComboMig001', 'MIGCOMBO', 'Migrant status');
    INSERT INTO category_combo_categories (combo_id, category_id, sort_order) VALUES ('ComboMig001', 'CatMigStat1', 0);
    INSERT INTO category_option_combos (id, code, name, combo_id) VALUES ('CocMigrant1', NULL, 'Migrant', 'ComboMig001'), ('CocHost0001', NULL, 'Non-migrant', 'ComboMig001');
    INSERT INTO category_option_combo_options (coc_id, option_id) VALUES ('CocMigrant1', 'OptMigrant1'), ('CocHost0001', 'OptHost0001');
    INSERT INTO data_elements (id, code, name, value_type, aggregation_type, combo_id) VALUES
      ('DeTested001', 'HTS_TST', 'People tested', 'INTEGER_ZERO_OR_POSITIVE', 'SUM', 'ComboMig001'),
      ('DePositive1', 'HTS_POS', 'People testing positive', 'INTEGER_ZERO_OR_POSITIVE', 'SUM', 'ComboMig001'),
      ('DeNote00001', 'NOTE', 'Supervisor note', 'TEXT', 'NONE', 'bjDvmb4bfuf');
    INSERT INTO data_sets (id, code, name, period_type) VALUES ('DataSet0001', 'HTS', 'Testing', 'Monthly');
    INSERT INTO data_set_elements (data_set_id, data_element_id) VALUES ('DataSet0001', 'DeTested001'), ('DataSet0001', 'DePositive1');
    INSERT INTO data_set_places (data_set_id, place_id) VALUES ('DataSet0001', 'Area0000001'), ('DataSet0001', 'Site0000001');

    -- 2 elements × 12 months × 3 places × 2 combos, with deleted, commented and followed-up values.
    INSERT INTO data_values (data_element_id, period_id, place_id, coc_id, aoc_id, period_type, start_date, end_date,
        value, stored_by, created, last_updated, comment, followup, deleted)
      SELECT de, '2025' || lpad(m::text, 2, '0'), ou, coc, '${DEFAULT_COC}', 'Monthly', make_date(2025, m, 1),
        (make_date(2025, m, 1) + interval '1 month' - interval '1 day')::date,
        ((m * 7 + length(ou) + length(coc)) % 50)::text, 'clerk@moh.go.ke',
        timestamptz '2025-02-01 08:00:00+00' + m * interval '1 day', timestamptz '2025-03-01 09:30:00.123+00' + m * interval '1 day',
        CASE WHEN m = 3 THEN 'late report: "tab"	and newline
here' END, m = 5, m = 7 AND coc = 'CocHost0001'
      FROM unnest(ARRAY['DeTested001', 'DePositive1']) de, generate_series(1, 12) m,
        unnest(ARRAY['Area0000001', 'Area0000002', 'Site0000001']) ou, unnest(ARRAY['CocMigrant1', 'CocHost0001']) coc;
    -- A quarterly text value with the default combo, and a weekly one.
    INSERT INTO data_values (data_element_id, period_id, place_id, coc_id, aoc_id, period_type, start_date, end_date, value, stored_by, comment)
      VALUES ('DeNote00001', '2025Q2', 'Site0000001', '${DEFAULT_COC}', '${DEFAULT_COC}', 'Quarterly', '2025-04-01', '2025-06-30', 'Stock-out of test kits \\ two weeks', 'sup', NULL),
             ('DeNote00001', '2025W10', 'Site0000001', '${DEFAULT_COC}', '${DEFAULT_COC}', 'Weekly', '2025-03-03', '2025-03-09', NULL, NULL, 'value cleared');

    -- The audit as version 5 wrote it: a create per value, then updates and a delete.
    INSERT INTO data_value_audit (data_element_id, period_id, place_id, coc_id, aoc_id, action, before, after, actor, at)
      SELECT data_element_id, period_id, place_id, coc_id, aoc_id, 'create', NULL,
        jsonb_build_object('value', value, 'storedBy', stored_by, 'comment', comment, 'followup', followup, 'deleted', false), 'clerk@moh.go.ke', created
      FROM data_values ORDER BY data_element_id, period_id, place_id, coc_id;
    INSERT INTO data_value_audit (data_element_id, period_id, place_id, coc_id, aoc_id, action, before, after, actor, at)
      SELECT data_element_id, period_id, place_id, coc_id, aoc_id, CASE WHEN deleted THEN 'delete' ELSE 'update' END,
        jsonb_build_object('value', '0', 'storedBy', 'first', 'comment', NULL, 'followup', false, 'deleted', false),
        CASE WHEN deleted THEN NULL ELSE jsonb_build_object('value', value, 'storedBy', stored_by, 'comment', comment, 'followup', followup, 'deleted', false) END,
        'manager@moh.go.ke', last_updated
      FROM data_values WHERE period_id IN ('202505', '202507') ORDER BY data_element_id, period_id, place_id, coc_id;

    INSERT INTO complete_registrations (data_set_id, period_id, place_id, aoc_id, completed_by, completed_at) VALUES
      ('DataSet0001', '202501', 'Area0000001', '${DEFAULT_COC}', 'clerk@moh.go.ke', '2025-02-10 10:00:00+00'),
      ('DataSet0001', '202502', 'Site0000001', '${DEFAULT_COC}', 'clerk@moh.go.ke', '2025-03-20 10:00:00+00');
    INSERT INTO data_approvals (data_set_id, period_id, place_id, aoc_id, approved_by, approved_at) VALUES
      ('DataSet0001', '202501', 'Area0000001', '${DEFAULT_COC}', 'manager@moh.go.ke', '2025-02-15 10:00:00+00');
  `);
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

describe.each(ENGINES)('migration 6: data values keyed by integers [%s]', (engine) => {
  let db: SqlClient;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ client: db, drop } = await freshDatabase(engine));
    await migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    await seedVersion5(db);
  });
  afterEach(async () => drop());

  it('keeps every value, audit entry, completion and approval, and the store takes new values after it', async () => {
    // What version 5 holds, read with its own schema.
    const values = await db.query<Record<string, unknown>>(
      `SELECT data_element_id AS de, period_id AS pe, place_id AS ou, coc_id AS coc, aoc_id AS aoc, value, stored_by AS "storedBy",
         ${ISO('created')} AS created, ${ISO('last_updated')} AS "lastUpdated", comment, followup, deleted
       FROM data_values ORDER BY 1, 2, 3, 4, 5`,
    );
    const periods = await db.query<Record<string, unknown>>(
      `SELECT DISTINCT period_id AS iso, period_type AS type, start_date::text AS start, end_date::text AS "end" FROM data_values ORDER BY 1`,
    );
    const audit = await db.query<{ before: unknown; after: unknown } & Record<string, unknown>>(
      `SELECT data_element_id AS de, period_id AS pe, place_id AS ou, coc_id AS coc, aoc_id AS aoc, action, before, after, actor, ${ISO('at')} AS at
       FROM data_value_audit ORDER BY id DESC`,
    );
    const workflow = async () =>
      db.query(
        `SELECT 'completion' AS kind, data_set_id, period_id, place_id, aoc_id, completed_by AS who, ${ISO('completed_at')} AS at FROM complete_registrations
         UNION ALL SELECT 'approval', data_set_id, period_id, place_id, aoc_id, approved_by, ${ISO('approved_at')} FROM data_approvals ORDER BY 1, 2, 3, 4`,
      );
    const workflowBefore = await workflow();
    expect(values).toHaveLength(2 * 12 * 3 * 2 + 2);
    expect(audit.length).toBeGreaterThan(values.length);

    expect((await migrate(db)).map((m) => m.version)).toEqual([6]);
    expect(await schemaVersion(db)).toBe(6);
    const store = new Store(db);

    expect(await store.repos.dataValues.list({ withinPaths: null, includeDeleted: true, limit: 1_000_000 })).toEqual(values);
    expect(await db.query(`SELECT iso, type, start_date::text AS start, end_date::text AS "end" FROM periods ORDER BY 1`)).toEqual(periods);
    // The audit reads back with the same sides, a missing side as null; version 5's partial
    // sides come back with every field (null where it was not said).
    const full = (side: unknown) =>
      side === null ? null : { value: null, storedBy: null, comment: null, followup: null, deleted: false, ...(side as Record<string, unknown>) };
    expect(await store.repos.dataValues.audit(1_000_000)).toEqual(audit.map((a) => ({ ...a, before: full(a.before), after: full(a.after) })));
    expect(await workflow()).toEqual(workflowBefore);
    // The key columns are integers now.
    const types = await db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'data_values' AND column_name IN ('de', 'pe', 'ou', 'coc', 'aoc') ORDER BY 1`,
    );
    expect(types.map((t) => t.data_type)).toEqual(['integer', 'integer', 'integer', 'integer', 'integer']);

    // New values and audit entries land after the migrated ones.
    await store.transaction(async (r) => {
      const write = {
        de: 'DeTested001',
        pe: '2026Q1',
        ou: 'Site0000001',
        coc: 'CocMigrant1',
        aoc: DEFAULT_COC,
        periodType: 'Quarterly',
        startDate: '2026-01-01',
        endDate: '2026-03-31',
        value: '42',
        storedBy: 'new',
        created: null,
        lastUpdated: null,
        comment: null,
        followup: false,
        deleted: false,
      };
      await r.dataValues.create([write]);
      await r.dataValues.appendAudit([
        { ...write, action: 'create', before: null, after: { value: '42', storedBy: 'new', comment: null, followup: false, deleted: false }, actor: 'new' },
      ]);
    });
    const [newest] = await store.repos.dataValues.audit(1);
    expect(newest).toMatchObject({ pe: '2026Q1', action: 'create', before: null, after: { value: '42' }, actor: 'new' });
    expect(await store.repos.dataValues.storedCount(1_000_000)).toBe(values.length + 1);
  });
});
