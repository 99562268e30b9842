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
  validationRules: 'validation_rules',
} as const;
export type MetadataKind = keyof typeof TABLES;

export interface CategoryOptionRow {
  id: string;
  code: string | null;
  name: string;
  shortName: string | null;
}
export interface CategoryRow {
  id: string;
  code: string | null;
  name: string;
  dataDimensionType: string;
  options: string[];
}
export interface CategoryComboRow {
  id: string;
  code: string | null;
  name: string;
  dataDimensionType: string;
  categories: string[];
}
export interface CategoryOptionComboRow {
  id: string;
  code: string | null;
  name: string;
  comboId: string;
  options: string[];
}
export interface DataElementRow {
  id: string;
  code: string | null;
  name: string;
  shortName: string | null;
  valueType: string;
  aggregationType: string;
  comboId: string;
}
export interface DataSetRow {
  id: string;
  code: string | null;
  name: string;
  periodType: string;
  /** The attribute combo (DHIS2's data set categoryCombo); the default combo when there is none. */
  comboId: string;
  description: string | null;
  /** Days after the period's end within which a completion counts as on time. */
  timelyDays: number;
  elements: string[];
  places: string[];
}
/** What a data set write takes: description and timelyDays fall back to none and DHIS2's 15 days. */
export type DataSetWrite = Omit<DataSetRow, 'description' | 'timelyDays'> & { description?: string | null; timelyDays?: number };
export interface IndicatorRow {
  id: string;
  code: string | null;
  name: string;
  numerator: string;
  denominator: string;
  factor: number;
  description?: string | null;
  /** Where the indicator comes from (e.g. a WHO guideline); a Corridor extension of DHIS2's indicator. */
  source?: string | null;
}
export interface ValidationRuleRow {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  leftExpression: string;
  operator: string;
  rightExpression: string;
  importance: string;
  periodType: string;
  missingValueStrategy: string;
}
/** A category combo as listed: its categories (ids, in order) and how many option combos it has. */
export interface CategoryComboListRow extends CategoryComboRow {
  cocCount: number;
}
/** A category combo with its categories and their options in order, and its option combos (options in category order). */
export interface ComboStructure {
  id: string;
  code: string | null;
  name: string;
  dataDimensionType: string;
  categories: { id: string; code: string | null; name: string; options: { id: string; code: string | null; name: string }[] }[];
  cocs: { id: string; name: string; options: string[] }[];
}
/** A place a data set is assigned to, with its path (for scope checks). */
export interface DataSetPlace {
  id: string;
  code: string | null;
  name: string;
  level: string;
  path: string;
}

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
    await this.upsert(
      'category_options',
      { id: 'text', code: 'text', name: 'text', short_name: 'text' },
      rows.map((r) => ({ id: r.id, code: r.code, name: r.name, short_name: r.shortName })),
    );
  }

  async upsertCategories(rows: CategoryRow[]): Promise<void> {
    await this.upsert(
      'categories',
      { id: 'text', code: 'text', name: 'text', data_dimension_type: 'text' },
      rows.map((r) => ({ id: r.id, code: r.code, name: r.name, data_dimension_type: r.dataDimensionType })),
    );
    await this.replaceLinks(
      'category_category_options',
      'category_id',
      'option_id',
      rows.map((r) => [r.id, r.options]),
      true,
    );
  }

  async upsertCategoryCombos(rows: CategoryComboRow[]): Promise<void> {
    await this.upsert(
      'category_combos',
      { id: 'text', code: 'text', name: 'text', data_dimension_type: 'text' },
      rows.map((r) => ({ id: r.id, code: r.code, name: r.name, data_dimension_type: r.dataDimensionType })),
    );
    await this.replaceLinks(
      'category_combo_categories',
      'combo_id',
      'category_id',
      rows.map((r) => [r.id, r.categories]),
      true,
    );
  }

  async upsertCategoryOptionCombos(rows: CategoryOptionComboRow[]): Promise<void> {
    await this.upsert(
      'category_option_combos',
      { id: 'text', code: 'text', name: 'text', combo_id: 'text' },
      rows.map((r) => ({ id: r.id, code: r.code, name: r.name, combo_id: r.comboId })),
    );
    await this.replaceLinks(
      'category_option_combo_options',
      'coc_id',
      'option_id',
      rows.map((r) => [r.id, r.options]),
      false,
    );
  }

  async upsertDataElements(rows: (DataElementRow & { description?: string | null })[]): Promise<void> {
    await this.upsert(
      'data_elements',
      { id: 'text', code: 'text', name: 'text', short_name: 'text', value_type: 'text', aggregation_type: 'text', combo_id: 'text', description: 'text' },
      rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        short_name: r.shortName,
        value_type: r.valueType,
        aggregation_type: r.aggregationType,
        combo_id: r.comboId,
        description: r.description ?? null,
      })),
    );
  }

  async upsertDataSets(rows: DataSetWrite[]): Promise<void> {
    await this.upsert(
      'data_sets',
      { id: 'text', code: 'text', name: 'text', period_type: 'text', combo_id: 'text', description: 'text', timely_days: 'integer' },
      rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        period_type: r.periodType,
        combo_id: r.comboId,
        description: r.description ?? null,
        timely_days: r.timelyDays ?? 15,
      })),
    );
    await this.replaceLinks(
      'data_set_elements',
      'data_set_id',
      'data_element_id',
      rows.map((r) => [r.id, r.elements]),
      false,
    );
    await this.replaceLinks(
      'data_set_places',
      'data_set_id',
      'place_id',
      rows.map((r) => [r.id, r.places]),
      false,
    );
  }

  async upsertIndicators(rows: IndicatorRow[]): Promise<void> {
    await this.upsert(
      'indicators',
      { id: 'text', code: 'text', name: 'text', numerator: 'text', denominator: 'text', factor: 'double precision', description: 'text', source: 'text' },
      rows.map((r) => ({ ...r, description: r.description ?? null, source: r.source ?? null })),
    );
  }

  async upsertValidationRules(rows: ValidationRuleRow[]): Promise<void> {
    await this.upsert(
      'validation_rules',
      {
        id: 'text',
        code: 'text',
        name: 'text',
        description: 'text',
        left_expression: 'text',
        operator: 'text',
        right_expression: 'text',
        importance: 'text',
        period_type: 'text',
        missing_value_strategy: 'text',
      },
      rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        description: r.description,
        left_expression: r.leftExpression,
        operator: r.operator,
        right_expression: r.rightExpression,
        importance: r.importance,
        period_type: r.periodType,
        missing_value_strategy: r.missingValueStrategy,
      })),
    );
  }

  /**
   * Creates or updates rows of a metadata table by id in one statement: `columns` names each
   * column (the keys of every row) with its SQL type; an update also stamps `updated_at`.
   */
  private async upsert(table: string, columns: Record<string, string>, rows: Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const names = Object.keys(columns);
    await this.db.query(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT ${names.map((c) => `r.${c}`).join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS r(${names.map((c) => `${c} ${columns[c]}`).join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${names
         .filter((c) => c !== 'id')
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')}, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }

  /** Which of these codes another object of the kind already holds: code → that object's id. */
  async codeHolders(kind: MetadataKind, codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; code: string }>(`SELECT id, code FROM ${TABLES[kind]} WHERE code = ANY ($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** The category combos (ids) that use any of these categories. */
  async combosUsingCategories(categoryIds: string[]): Promise<string[]> {
    if (categoryIds.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      'SELECT DISTINCT combo_id AS id FROM category_combo_categories WHERE category_id = ANY ($1::text[]) ORDER BY 1',
      [categoryIds],
    );
    return rows.map((r) => r.id);
  }

  /** The option combos of these category combos, with their option ids (sorted). */
  async cocsOfCombos(comboIds: string[]): Promise<CategoryOptionComboRow[]> {
    if (comboIds.length === 0) return [];
    return this.db.query<CategoryOptionComboRow>(
      `SELECT c.id, c.code, c.name, c.combo_id AS "comboId",
         coalesce((SELECT array_agg(o.option_id ORDER BY o.option_id) FROM category_option_combo_options o WHERE o.coc_id = c.id), '{}') AS options
       FROM category_option_combos c WHERE c.combo_id = ANY ($1::text[]) ORDER BY c.combo_id, c.id`,
      [comboIds],
    );
  }

  /**
   * Deletes those of these option combos that nothing refers to (no data value, as disaggregation
   * or attribute, no completion or approval); answers the ids deleted. Combos in use stay.
   */
  async deleteUnusedCocs(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM category_option_combos c WHERE c.id = ANY ($1::text[])
         AND NOT EXISTS (SELECT 1 FROM data_values v WHERE v.coc = c.num)
         AND NOT EXISTS (SELECT 1 FROM data_values v WHERE v.aoc = c.num)
         AND NOT EXISTS (SELECT 1 FROM complete_registrations r WHERE r.aoc_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM data_approvals a WHERE a.aoc_id = c.id)
       RETURNING c.id`,
      [ids],
    );
    return rows.map((r) => r.id).sort();
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

  /** Data elements with their descriptions. */
  async dataElementsWithDescription(): Promise<(DataElementRow & { description: string | null })[]> {
    return this.db.query<DataElementRow & { description: string | null }>(
      `SELECT id, code, name, short_name AS "shortName", value_type AS "valueType", aggregation_type AS "aggregationType", combo_id AS "comboId", description
       FROM data_elements ORDER BY name, id`,
    );
  }

  async categoryOptions(): Promise<CategoryOptionRow[]> {
    return this.db.query<CategoryOptionRow>('SELECT id, code, name, short_name AS "shortName" FROM category_options ORDER BY name, id');
  }

  async categoryOptionCombos(): Promise<CategoryOptionComboRow[]> {
    return this.db.query<CategoryOptionComboRow>(
      `SELECT c.id, c.code, c.name, c.combo_id AS "comboId",
         coalesce((SELECT array_agg(o.option_id ORDER BY o.option_id) FROM category_option_combo_options o WHERE o.coc_id = c.id), '{}') AS options
       FROM category_option_combos c ORDER BY c.name, c.id`,
    );
  }

  /** Category combos with their categories (ids, in order) and how many option combos each has. */
  async categoryCombos(): Promise<CategoryComboListRow[]> {
    return this.db.query<CategoryComboListRow>(
      `SELECT c.id, c.code, c.name, c.data_dimension_type AS "dataDimensionType",
         coalesce((SELECT array_agg(x.category_id ORDER BY x.sort_order) FROM category_combo_categories x WHERE x.combo_id = c.id), '{}') AS categories,
         (SELECT count(*)::int FROM category_option_combos o WHERE o.combo_id = c.id) AS "cocCount"
       FROM category_combos c ORDER BY c.name, c.id`,
    );
  }

  /** Categories with their options (ids, in order). */
  async categories(): Promise<CategoryRow[]> {
    return this.db.query<CategoryRow>(
      `SELECT c.id, c.code, c.name, c.data_dimension_type AS "dataDimensionType",
         coalesce((SELECT array_agg(x.option_id ORDER BY x.sort_order) FROM category_category_options x WHERE x.category_id = c.id), '{}') AS options
       FROM categories c ORDER BY c.name, c.id`,
    );
  }

  /**
   * A category combo's structure: its categories in order with their options in order, and its
   * option combos with their options in category order; null when there is no such combo.
   */
  async comboStructure(comboId: string): Promise<ComboStructure | null> {
    const [combo] = await this.db.query<{ id: string; code: string | null; name: string; dataDimensionType: string }>(
      'SELECT id, code, name, data_dimension_type AS "dataDimensionType" FROM category_combos WHERE id = $1',
      [comboId],
    );
    if (!combo) return null;
    const options = await this.db.query<{
      categoryId: string;
      categoryCode: string | null;
      categoryName: string;
      id: string;
      code: string | null;
      name: string;
    }>(
      `SELECT c.id AS "categoryId", c.code AS "categoryCode", c.name AS "categoryName", o.id, o.code, o.name
       FROM category_combo_categories cc
       JOIN categories c ON c.id = cc.category_id
       JOIN category_category_options co ON co.category_id = c.id
       JOIN category_options o ON o.id = co.option_id
       WHERE cc.combo_id = $1 ORDER BY cc.sort_order, co.sort_order`,
      [comboId],
    );
    const categories: ComboStructure['categories'] = [];
    for (const o of options) {
      let c = categories[categories.length - 1];
      if (!c || c.id !== o.categoryId) categories.push((c = { id: o.categoryId, code: o.categoryCode, name: o.categoryName, options: [] }));
      c.options.push({ id: o.id, code: o.code, name: o.name });
    }
    const cocs = await this.db.query<{ id: string; name: string; options: string[] }>(
      `SELECT c.id, c.name,
         coalesce((SELECT array_agg(o.option_id ORDER BY o.option_id) FROM category_option_combo_options o WHERE o.coc_id = c.id), '{}') AS options
       FROM category_option_combos c WHERE c.combo_id = $1 ORDER BY c.name, c.id`,
      [comboId],
    );
    // An option combo's options in the order of the combo's categories, as DHIS2 names them.
    const position = new Map<string, number>();
    categories.forEach((c, i) => c.options.forEach((o) => position.has(o.id) || position.set(o.id, i)));
    for (const c of cocs) c.options.sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || a.localeCompare(b));
    return { ...combo, categories, cocs };
  }

  private dataSetSelect(where: string): string {
    return `SELECT s.id, s.code, s.name, s.period_type AS "periodType", s.combo_id AS "comboId", s.description, s.timely_days AS "timelyDays",
         coalesce((SELECT array_agg(e.data_element_id ORDER BY e.data_element_id) FROM data_set_elements e WHERE e.data_set_id = s.id), '{}') AS elements,
         coalesce((SELECT array_agg(p.place_id ORDER BY p.place_id) FROM data_set_places p WHERE p.data_set_id = s.id), '{}') AS places
       FROM data_sets s ${where}`;
  }

  /** One data set, by id or code. */
  async dataSet(id: string): Promise<DataSetRow | null> {
    const rows = await this.db.query<DataSetRow>(this.dataSetSelect('WHERE s.id = $1 OR s.code = $1 ORDER BY (s.id = $1) DESC LIMIT 1'), [id]);
    return rows[0] ?? null;
  }

  async dataSets(): Promise<DataSetRow[]> {
    return this.db.query<DataSetRow>(this.dataSetSelect('ORDER BY s.name, s.id'));
  }

  /** The places a data set is assigned to, with their paths. */
  async dataSetPlaces(dataSetId: string): Promise<DataSetPlace[]> {
    return this.db.query<DataSetPlace>(
      `SELECT p.id, p.code, p.name, p.level, p.path FROM data_set_places d JOIN places p ON p.id = d.place_id
       WHERE d.data_set_id = $1 ORDER BY p.name, p.id`,
      [dataSetId],
    );
  }

  async indicators(): Promise<IndicatorRow[]> {
    return this.db.query<IndicatorRow>('SELECT id, code, name, numerator, denominator, factor, description, source FROM indicators ORDER BY name, id');
  }

  async validationRules(): Promise<ValidationRuleRow[]> {
    return this.db.query<ValidationRuleRow>(
      `SELECT id, code, name, description, left_expression AS "leftExpression", operator, right_expression AS "rightExpression",
         importance, period_type AS "periodType", missing_value_strategy AS "missingValueStrategy"
       FROM validation_rules ORDER BY name, id`,
    );
  }
}
