import type { SqlClient } from './sql-client.js';

/** The metadata tables, by DHIS2 class name. */
const TABLES = {
  categoryOptions: 'category_options',
  categories: 'categories',
  categoryCombos: 'category_combos',
  categoryOptionCombos: 'category_option_combos',
  dataElements: 'data_elements',
  dataSets: 'data_sets',
  indicators: 'indicators',
} as const;
export type MetadataKind = keyof typeof TABLES;

export interface CategoryOptionRow { id: string; code: string | null; name: string; shortName: string | null }
export interface CategoryRow { id: string; code: string | null; name: string; dataDimensionType: string; options: string[] }
export interface CategoryComboRow { id: string; code: string | null; name: string; dataDimensionType: string; categories: string[] }
export interface CategoryOptionComboRow { id: string; code: string | null; name: string; comboId: string; options: string[] }
export interface DataElementRow { id: string; code: string | null; name: string; shortName: string | null; valueType: string; aggregationType: string; comboId: string }
export interface DataSetRow { id: string; code: string | null; name: string; periodType: string; elements: string[]; places: string[] }
export interface IndicatorRow { id: string; code: string | null; name: string; numerator: string; denominator: string; factor: number }

/** Reads and writes DHIS2-shaped metadata: categories, combos, data elements, data sets, indicators. */
export class MetadataRepository {
  constructor(private readonly db: SqlClient) {}

  /** Which of these ids already exist in the kind's table. */
  async existingIds(kind: MetadataKind, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM ${TABLES[kind]} WHERE id = ANY ($1::text[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async upsertCategoryOptions(rows: CategoryOptionRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO category_options (id, code, name, short_name)
       SELECT r.id, r.code, r.name, r.short_name FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, short_name text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, short_name = EXCLUDED.short_name, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, short_name: r.shortName })))],
    );
  }

  async upsertCategories(rows: CategoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO categories (id, code, name, data_dimension_type)
       SELECT r.id, r.code, r.name, r.ddt FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, ddt text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, data_dimension_type = EXCLUDED.data_dimension_type, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, ddt: r.dataDimensionType })))],
    );
    await this.replaceLinks('category_category_options', 'category_id', 'option_id', rows.map((r) => [r.id, r.options]), true);
  }

  async upsertCategoryCombos(rows: CategoryComboRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO category_combos (id, code, name, data_dimension_type)
       SELECT r.id, r.code, r.name, r.ddt FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, ddt text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, data_dimension_type = EXCLUDED.data_dimension_type, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, ddt: r.dataDimensionType })))],
    );
    await this.replaceLinks('category_combo_categories', 'combo_id', 'category_id', rows.map((r) => [r.id, r.categories]), true);
  }

  async upsertCategoryOptionCombos(rows: CategoryOptionComboRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO category_option_combos (id, code, name, combo_id)
       SELECT r.id, r.code, r.name, r.combo_id FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, combo_id text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, combo_id = EXCLUDED.combo_id, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, combo_id: r.comboId })))],
    );
    await this.replaceLinks('category_option_combo_options', 'coc_id', 'option_id', rows.map((r) => [r.id, r.options]), false);
  }

  async upsertDataElements(rows: DataElementRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO data_elements (id, code, name, short_name, value_type, aggregation_type, combo_id)
       SELECT r.id, r.code, r.name, r.short_name, r.value_type, r.aggregation_type, r.combo_id
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, short_name text, value_type text, aggregation_type text, combo_id text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, short_name = EXCLUDED.short_name,
         value_type = EXCLUDED.value_type, aggregation_type = EXCLUDED.aggregation_type, combo_id = EXCLUDED.combo_id, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, short_name: r.shortName, value_type: r.valueType, aggregation_type: r.aggregationType, combo_id: r.comboId })))],
    );
  }

  async upsertDataSets(rows: DataSetRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO data_sets (id, code, name, period_type)
       SELECT r.id, r.code, r.name, r.period_type FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, period_type text)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, period_type = EXCLUDED.period_type, updated_at = now()`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, code: r.code, name: r.name, period_type: r.periodType })))],
    );
    await this.replaceLinks('data_set_elements', 'data_set_id', 'data_element_id', rows.map((r) => [r.id, r.elements]), false);
    await this.replaceLinks('data_set_places', 'data_set_id', 'place_id', rows.map((r) => [r.id, r.places]), false);
  }

  async upsertIndicators(rows: IndicatorRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO indicators (id, code, name, numerator, denominator, factor)
       SELECT r.id, r.code, r.name, r.numerator, r.denominator, r.factor
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, code text, name text, numerator text, denominator text, factor double precision)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, numerator = EXCLUDED.numerator,
         denominator = EXCLUDED.denominator, factor = EXCLUDED.factor, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /** Replaces the links of each owner (ordered when `ordered`: the list order is kept in sort_order). */
  private async replaceLinks(table: string, owner: string, member: string, links: [string, string[]][], ordered: boolean): Promise<void> {
    await this.db.query(`DELETE FROM ${table} WHERE ${owner} = ANY ($1::text[])`, [links.map(([o]) => o)]);
    const rows = links.flatMap(([o, members]) => members.map((m, i) => ({ o, m, i })));
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO ${table} (${owner}, ${member}${ordered ? ', sort_order' : ''})
       SELECT r.o, r.m${ordered ? ', r.i' : ''} FROM jsonb_to_recordset($1::jsonb) AS r(o text, m text, i integer)`,
      [JSON.stringify(rows)],
    );
  }

  async dataElements(): Promise<DataElementRow[]> {
    return this.db.query<DataElementRow>(
      `SELECT id, code, name, short_name AS "shortName", value_type AS "valueType", aggregation_type AS "aggregationType", combo_id AS "comboId"
       FROM data_elements ORDER BY name, id`,
    );
  }

  async categoryOptionCombos(): Promise<CategoryOptionComboRow[]> {
    return this.db.query<CategoryOptionComboRow>(
      `SELECT c.id, c.code, c.name, c.combo_id AS "comboId",
         coalesce((SELECT array_agg(o.option_id ORDER BY o.option_id) FROM category_option_combo_options o WHERE o.coc_id = c.id), '{}') AS options
       FROM category_option_combos c ORDER BY c.name, c.id`,
    );
  }

  async categoryCombos(): Promise<CategoryComboRow[]> {
    return this.db.query<CategoryComboRow>(
      `SELECT c.id, c.code, c.name, c.data_dimension_type AS "dataDimensionType",
         coalesce((SELECT array_agg(x.category_id ORDER BY x.sort_order) FROM category_combo_categories x WHERE x.combo_id = c.id), '{}') AS categories
       FROM category_combos c ORDER BY c.name, c.id`,
    );
  }

  async categories(): Promise<CategoryRow[]> {
    return this.db.query<CategoryRow>(
      `SELECT c.id, c.code, c.name, c.data_dimension_type AS "dataDimensionType",
         coalesce((SELECT array_agg(x.option_id ORDER BY x.sort_order) FROM category_category_options x WHERE x.category_id = c.id), '{}') AS options
       FROM categories c ORDER BY c.name, c.id`,
    );
  }

  async dataSet(id: string): Promise<DataSetRow | null> {
    const rows = await this.db.query<DataSetRow>(
      `SELECT s.id, s.code, s.name, s.period_type AS "periodType",
         coalesce((SELECT array_agg(e.data_element_id ORDER BY e.data_element_id) FROM data_set_elements e WHERE e.data_set_id = s.id), '{}') AS elements,
         coalesce((SELECT array_agg(p.place_id ORDER BY p.place_id) FROM data_set_places p WHERE p.data_set_id = s.id), '{}') AS places
       FROM data_sets s WHERE s.id = $1 OR s.code = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async indicators(): Promise<IndicatorRow[]> {
    return this.db.query<IndicatorRow>('SELECT id, code, name, numerator, denominator, factor FROM indicators ORDER BY name, id');
  }
}
