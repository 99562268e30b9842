import type { SqlClient } from './sql-client.js';

/** A code with its display name. */
export interface CodeName {
  code: string;
  name: string;
}

/** A population group as stored. */
export interface GroupRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  options: Record<string, string>;
}

/** Which services a population needs: all groups, a category, or one option of it. */
export interface NeedRule {
  category: string | null;
  option: string | null;
  service: string;
  about: string | null;
}

/** Reference data stored as data: site and service types, the taxonomy, groups and need rules. */
export class ReferenceRepository {
  constructor(private readonly db: SqlClient) {}

  siteTypes(): Promise<CodeName[]> {
    return this.db.query<CodeName>('SELECT code, name FROM site_types ORDER BY sort, code');
  }

  serviceTypes(): Promise<CodeName[]> {
    return this.db.query<CodeName>('SELECT code, name FROM service_types ORDER BY sort, code');
  }

  /** Creates or renames the types, in the given order. */
  async upsertTypes(table: 'site_types' | 'service_types', types: CodeName[]): Promise<void> {
    if (types.length === 0) return;
    await this.db.query(
      `INSERT INTO ${table} (code, name, sort)
       SELECT t.code, t.name, t.sort FROM jsonb_to_recordset($1::jsonb) AS t(code text, name text, sort integer)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, sort = EXCLUDED.sort`,
      [JSON.stringify(types.map((t, sort) => ({ ...t, sort })))],
    );
  }

  async categories(): Promise<(CodeName & { options: CodeName[] })[]> {
    const cats = await this.db.query<CodeName>('SELECT code, name FROM taxonomy_categories ORDER BY sort, code');
    const opts = await this.db.query<CodeName & { category: string }>('SELECT category, code, name FROM taxonomy_options ORDER BY category, sort, code');
    return cats.map((c) => ({ ...c, options: opts.filter((o) => o.category === c.code).map(({ code, name }) => ({ code, name })) }));
  }

  async upsertCategory(category: CodeName, sort: number): Promise<void> {
    await this.db.query(
      `INSERT INTO taxonomy_categories (code, name, sort) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, sort = EXCLUDED.sort`,
      [category.code, category.name, sort],
    );
  }

  /** Adds or renames an option of a category, after the existing ones unless `sort` is given. */
  async upsertOption(category: string, option: CodeName, sort?: number): Promise<void> {
    await this.db.query(
      `INSERT INTO taxonomy_options (category, code, name, sort)
       VALUES ($1, $2, $3, COALESCE($4, (SELECT COALESCE(max(sort) + 1, 0) FROM taxonomy_options WHERE category = $1)))
       ON CONFLICT (category, code) DO UPDATE SET name = EXCLUDED.name`,
      [category, option.code, option.name, sort ?? null],
    );
  }

  async optionExists(category: string, option: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM taxonomy_options WHERE category = $1 AND code = $2', [category, option])).length > 0;
  }

  groups(): Promise<GroupRow[]> {
    return this.db.query<GroupRow>('SELECT id, code, name, description, options FROM population_groups ORDER BY name, code');
  }

  async groupById(id: string): Promise<GroupRow | null> {
    return (await this.db.query<GroupRow>('SELECT id, code, name, description, options FROM population_groups WHERE id = $1', [id]))[0] ?? null;
  }

  async groupByCode(code: string): Promise<GroupRow | null> {
    return (await this.db.query<GroupRow>('SELECT id, code, name, description, options FROM population_groups WHERE code = $1', [code]))[0] ?? null;
  }

  /** Creates the group or, when its id exists, replaces it. */
  async saveGroup(g: GroupRow): Promise<GroupRow> {
    const rows = await this.db.query<GroupRow>(
      `INSERT INTO population_groups (id, code, name, description, options) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, description = EXCLUDED.description,
         options = EXCLUDED.options, updated_at = now()
       RETURNING id, code, name, description, options`,
      [g.id, g.code, g.name, g.description, JSON.stringify(g.options)],
    );
    return rows[0]!;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.query('DELETE FROM population_groups WHERE id = $1', [id]);
  }

  /** Sites where a group is counted (a group in use cannot be deleted). */
  async groupUse(id: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM site_populations WHERE group_id = $1', [id]);
    return rows[0]?.n ?? 0;
  }

  needRules(): Promise<NeedRule[]> {
    return this.db.query<NeedRule>('SELECT category, option, service, about FROM need_rules ORDER BY id');
  }

  async replaceNeedRules(rules: NeedRule[]): Promise<void> {
    await this.db.query('DELETE FROM need_rules');
    if (rules.length === 0) return;
    await this.db.query(
      `INSERT INTO need_rules (category, option, service, about)
       SELECT r.category, r.option, r.service, r.about FROM jsonb_to_recordset($1::jsonb) AS r(category text, option text, service text, about text)`,
      [JSON.stringify(rules)],
    );
  }
}
