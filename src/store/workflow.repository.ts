import type { SqlClient } from './sql-client.js';

/** A data set, period, place and attribute option combo: the unit of completion and approval. */
export interface WorkflowKey {
  dataSetId: string;
  periodId: string;
  placeId: string;
  aocId: string;
}

export interface Approval extends WorkflowKey {
  approvedBy: string;
  approvedAt: string;
}

export interface Completion extends WorkflowKey {
  completedBy: string;
  completedAt: string;
}

/** A write that meets an approval: which value (by its index in the request) and who approved what. */
export interface LockedValue {
  index: number;
  dataSetId: string;
  dataSetName: string;
  placeId: string;
  placeName: string;
  approvedBy: string;
}

/** A place a data set is assigned to. */
export interface AssignedPlace {
  id: string;
  name: string;
  path: string;
}

/** A stored numeric value, with its period's first day (for time series). */
export interface NumericValue {
  de: string;
  pe: string;
  ou: string;
  coc: string;
  aoc: string;
  startDate: string;
  value: number;
  followup: boolean;
}

export interface MinMax {
  de: string;
  ou: string;
  coc: string;
  min: number;
  max: number;
  generated: boolean;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const NUMERIC = `'^[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?$'`;

/** Completion, approval and data quality reads and writes (DESIGN §2.2). */
export class WorkflowRepository {
  constructor(private readonly db: SqlClient) {}

  /** True when any approval exists for one of these periods (a cheap test before a bulk write). */
  async anyApproval(periodIds: string[]): Promise<boolean> {
    if (periodIds.length === 0) return false;
    const rows = await this.db.query(`SELECT 1 FROM data_approvals WHERE period_id = ANY ($1::text[]) LIMIT 1`, [periodIds]);
    return rows.length > 0;
  }

  /**
   * The values that an approval locks: one of the element's data sets is approved for the
   * value's period and attribute option combo, at its place or at a place above it.
   */
  async locked(keys: { de: string; pe: string; ou: string; aoc: string }[]): Promise<LockedValue[]> {
    if (keys.length === 0) return [];
    return this.db.query<LockedValue>(
      `SELECT DISTINCT ON (k.i) k.i AS index, a.data_set_id AS "dataSetId", ds.name AS "dataSetName", a.place_id AS "placeId",
         ap.name AS "placeName", a.approved_by AS "approvedBy"
       FROM jsonb_to_recordset($1::jsonb) AS k(i integer, de text, pe text, ou text, aoc text)
       JOIN data_approvals a ON a.period_id = k.pe AND a.aoc_id = k.aoc
       JOIN data_set_elements e ON e.data_set_id = a.data_set_id AND e.data_element_id = k.de
       JOIN places p ON p.id = k.ou
       JOIN places ap ON ap.id = a.place_id AND p.path LIKE ap.path || '%'
       JOIN data_sets ds ON ds.id = a.data_set_id
       ORDER BY k.i, length(ap.path)`,
      [JSON.stringify(keys.map((k, i) => ({ i, ...k })))],
    );
  }

  async approval(k: WorkflowKey): Promise<Approval | null> {
    const rows = await this.db.query<Approval>(
      `SELECT data_set_id AS "dataSetId", period_id AS "periodId", place_id AS "placeId", aoc_id AS "aocId",
         approved_by AS "approvedBy", ${ISO('approved_at')} AS "approvedAt"
       FROM data_approvals WHERE data_set_id = $1 AND period_id = $2 AND place_id = $3 AND aoc_id = $4`,
      [k.dataSetId, k.periodId, k.placeId, k.aocId],
    );
    return rows[0] ?? null;
  }

  /** Approvals of this data set, period and combo at places strictly above (`above`) or below a path. */
  async approvalsAround(k: Omit<WorkflowKey, 'placeId'>, path: string, where: 'above' | 'below'): Promise<(Approval & { placeName: string })[]> {
    const cond = where === 'above' ? `$4 LIKE p.path || '%' AND p.path <> $4` : `p.path LIKE $4 || '%' AND p.path <> $4`;
    return this.db.query<Approval & { placeName: string }>(
      `SELECT a.data_set_id AS "dataSetId", a.period_id AS "periodId", a.place_id AS "placeId", a.aoc_id AS "aocId",
         a.approved_by AS "approvedBy", ${ISO('a.approved_at')} AS "approvedAt", p.name AS "placeName"
       FROM data_approvals a JOIN places p ON p.id = a.place_id
       WHERE a.data_set_id = $1 AND a.period_id = $2 AND a.aoc_id = $3 AND ${cond}
       ORDER BY p.path`,
      [k.dataSetId, k.periodId, k.aocId, path],
    );
  }

  async approve(k: WorkflowKey, by: string): Promise<Approval> {
    await this.db.query(`INSERT INTO data_approvals (data_set_id, period_id, place_id, aoc_id, approved_by) VALUES ($1, $2, $3, $4, $5)`, [
      k.dataSetId,
      k.periodId,
      k.placeId,
      k.aocId,
      by,
    ]);
    return (await this.approval(k))!;
  }

  async unapprove(k: WorkflowKey): Promise<void> {
    await this.db.query(`DELETE FROM data_approvals WHERE data_set_id = $1 AND period_id = $2 AND place_id = $3 AND aoc_id = $4`, [
      k.dataSetId,
      k.periodId,
      k.placeId,
      k.aocId,
    ]);
  }

  async completion(k: WorkflowKey): Promise<Completion | null> {
    const rows = await this.completions(k.dataSetId, [k.periodId], [k.placeId], k.aocId);
    return rows[0] ?? null;
  }

  async completions(dataSetId: string, periodIds: string[], placeIds: string[], aocId?: string): Promise<Completion[]> {
    return this.db.query<Completion>(
      `SELECT data_set_id AS "dataSetId", period_id AS "periodId", place_id AS "placeId", aoc_id AS "aocId",
         completed_by AS "completedBy", ${ISO('completed_at')} AS "completedAt"
       FROM complete_registrations
       WHERE data_set_id = $1 AND period_id = ANY ($2::text[]) AND place_id = ANY ($3::text[]) AND ($4::text IS NULL OR aoc_id = $4)`,
      [dataSetId, periodIds, placeIds, aocId ?? null],
    );
  }

  async complete(k: WorkflowKey, by: string): Promise<Completion> {
    await this.db.query(
      `INSERT INTO complete_registrations (data_set_id, period_id, place_id, aoc_id, completed_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (data_set_id, period_id, place_id, aoc_id) DO UPDATE SET completed_by = EXCLUDED.completed_by, completed_at = now()`,
      [k.dataSetId, k.periodId, k.placeId, k.aocId, by],
    );
    return (await this.completion(k))!;
  }

  async uncomplete(k: WorkflowKey): Promise<void> {
    await this.db.query(`DELETE FROM complete_registrations WHERE data_set_id = $1 AND period_id = $2 AND place_id = $3 AND aoc_id = $4`, [
      k.dataSetId,
      k.periodId,
      k.placeId,
      k.aocId,
    ]);
  }

  /** The places a data set is assigned to, within a subtree (`underPath`), in path order. */
  async assignedPlaces(dataSetId: string, underPath: string): Promise<AssignedPlace[]> {
    return this.db.query<AssignedPlace>(
      `SELECT p.id, p.name, p.path FROM data_set_places s JOIN places p ON p.id = s.place_id
       WHERE s.data_set_id = $1 AND p.path LIKE $2 || '%' ORDER BY p.path`,
      [dataSetId, underPath],
    );
  }

  /** How many values each place holds for these elements and this period (of one attribute option combo, or all). */
  async valueCounts(elementIds: string[], periodId: string, placeIds: string[], aocId?: string): Promise<Map<string, number>> {
    const rows = await this.db.query<{ ou: string; n: number }>(
      `SELECT pl.id AS ou, count(*)::int AS n FROM data_values d
       JOIN data_elements e ON e.num = d.de JOIN periods p ON p.id = d.pe JOIN places pl ON pl.num = d.ou
       WHERE NOT d.deleted AND e.id = ANY ($1::text[]) AND p.iso = $2 AND pl.id = ANY ($3::text[])
         AND ($4::text IS NULL OR d.aoc = (SELECT num FROM category_option_combos WHERE id = $4)) GROUP BY pl.id`,
      [elementIds, periodId, placeIds, aocId ?? null],
    );
    return new Map(rows.map((r) => [r.ou, r.n]));
  }

  /** The places (of these) approved for a data set and period, for one attribute option combo or any. */
  async approvedPlaces(dataSetId: string, periodId: string, placeIds: string[], aocId?: string): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT DISTINCT place_id AS id FROM data_approvals
       WHERE data_set_id = $1 AND period_id = $2 AND place_id = ANY ($3::text[]) AND ($4::text IS NULL OR aoc_id = $4)`,
      [dataSetId, periodId, placeIds, aocId ?? null],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Numeric values (not deleted) of these elements at these places, for the given periods, or
   * for every period of `periodType` when `periodIds` is null (a time series for outliers).
   */
  async numericValues(elementIds: string[], placeIds: string[], periods: { periodIds: string[] } | { periodType: string }): Promise<NumericValue[]> {
    const byIds = 'periodIds' in periods;
    return this.db.query<NumericValue>(
      `SELECT e.id AS de, p.iso AS pe, pl.id AS ou, c.id AS coc, a.id AS aoc,
         to_char(p.start_date, 'YYYY-MM-DD') AS "startDate", d.value::double precision AS value, d.followup
       FROM data_values d
       JOIN data_elements e ON e.num = d.de JOIN periods p ON p.id = d.pe JOIN places pl ON pl.num = d.ou
       JOIN category_option_combos c ON c.num = d.coc JOIN category_option_combos a ON a.num = d.aoc
       WHERE NOT d.deleted AND e.id = ANY ($1::text[]) AND pl.id = ANY ($2::text[])
         AND ${byIds ? 'p.iso = ANY ($3::text[])' : 'p.type = $3'} AND d.value ~ ${NUMERIC}
       ORDER BY e.id, pl.id, c.id, a.id, p.start_date`,
      [elementIds, placeIds, byIds ? periods.periodIds : periods.periodType],
    );
  }

  async minMax(elementIds: string[], placeIds: string[]): Promise<MinMax[]> {
    return this.db.query<MinMax>(
      `SELECT data_element_id AS de, place_id AS ou, coc_id AS coc, min_value AS min, max_value AS max, generated
       FROM min_max_values WHERE data_element_id = ANY ($1::text[]) AND place_id = ANY ($2::text[])`,
      [elementIds, placeIds],
    );
  }

  async setMinMax(rows: MinMax[], by: string): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO min_max_values (data_element_id, place_id, coc_id, min_value, max_value, generated, updated_by)
       SELECT r.de, r.ou, r.coc, r.min, r.max, r.generated, $2 FROM jsonb_to_recordset($1::jsonb)
         AS r(de text, ou text, coc text, min double precision, max double precision, generated boolean)
       ON CONFLICT (data_element_id, place_id, coc_id) DO UPDATE SET min_value = EXCLUDED.min_value,
         max_value = EXCLUDED.max_value, generated = EXCLUDED.generated, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [JSON.stringify(rows), by],
    );
  }
}
