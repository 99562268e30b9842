import type { FlowInput } from '../domain/registry.js';
import type { SqlClient } from './sql-client.js';

/** A flow as listed: its places and corridor by code. */
export interface FlowRow {
  id: string;
  from: string;
  fromName: string;
  to: string;
  toName: string;
  corridor: string | null;
  periodStart: string;
  periodEnd: string;
  sex: string;
  ageBand: string;
  nationality: string;
  reason: string;
  count: number;
  source: string | null;
  illustrative: boolean;
}

export interface FlowFilter {
  corridorId?: string | undefined;
  fromId?: string | undefined;
  toId?: string | undefined;
  periodStart?: string | undefined;
  periodEnd?: string | undefined;
  /** Only flows whose two ends are countries or places within these paths; null for all. */
  visiblePaths?: string[] | null | undefined;
  limit: number;
  offset: number;
}

/** Total movement between two places, with their positions, for maps. */
export interface RouteTotal {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  fromLatitude: number | null;
  fromLongitude: number | null;
  toLatitude: number | null;
  toLongitude: number | null;
  count: number;
}

/** A flow ready to store: places and corridor resolved to ids. */
export type FlowStored = Omit<FlowInput, 'from' | 'to' | 'corridor'> & { id: string; fromId: string; toId: string; corridorId: string | null };

function where(f: Omit<FlowFilter, 'limit' | 'offset'>): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.corridorId) clauses.push(`f.corridor_id = ${p(f.corridorId)}`);
  if (f.fromId) clauses.push(`f.from_place_id = ${p(f.fromId)}`);
  if (f.toId) clauses.push(`f.to_place_id = ${p(f.toId)}`);
  // Flows whose period overlaps the requested one.
  if (f.periodStart) clauses.push(`f.period_end >= ${p(f.periodStart)}::date`);
  if (f.periodEnd) clauses.push(`f.period_start <= ${p(f.periodEnd)}::date`);
  if (f.visiblePaths) {
    const paths = p(f.visiblePaths.map((x) => x + '%'));
    clauses.push(`(a.level = 'country' OR a.path LIKE ANY (${paths}::text[])) AND (b.level = 'country' OR b.path LIKE ANY (${paths}::text[]))`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const SELECT_FLOW = `SELECT f.id, a.code AS "from", a.name AS "fromName", b.code AS "to", b.name AS "toName", c.code AS corridor,
    f.period_start::text AS "periodStart", f.period_end::text AS "periodEnd", f.sex, f.age_band AS "ageBand",
    f.nationality, f.reason, f.count, f.source, f.illustrative
  FROM flows f JOIN places a ON a.id = f.from_place_id JOIN places b ON b.id = f.to_place_id
  LEFT JOIN corridors c ON c.id = f.corridor_id`;

const POSITION = (alias: string) =>
  `COALESCE(s${alias}.latitude, (${alias}.min_lat + ${alias}.max_lat) / 2) AS "${alias === 'a' ? 'from' : 'to'}Latitude",
   COALESCE(s${alias}.longitude, (${alias}.min_lon + ${alias}.max_lon) / 2) AS "${alias === 'a' ? 'from' : 'to'}Longitude"`;

export class FlowRepository {
  constructor(private readonly db: SqlClient) {}

  async list(f: FlowFilter): Promise<{ items: FlowRow[]; total: number }> {
    const w = where(f);
    const n = w.params.length;
    const rows = await this.db.query<FlowRow & { total: number }>(
      `${SELECT_FLOW.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')} ${w.sql}
       ORDER BY f.period_start, a.code, b.code, f.id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...w.params, f.limit, f.offset],
    );
    return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  /** Totals per origin and destination over the flows matching the filter. */
  routeTotals(f: Omit<FlowFilter, 'limit' | 'offset'>): Promise<RouteTotal[]> {
    const w = where(f);
    return this.db.query<RouteTotal>(
      `SELECT a.code AS "from", a.name AS "fromName", b.code AS "to", b.name AS "toName", ${POSITION('a')}, ${POSITION('b')},
         sum(f.count)::bigint AS count
       FROM flows f JOIN places a ON a.id = f.from_place_id JOIN places b ON b.id = f.to_place_id
       LEFT JOIN sites sa ON sa.place_id = a.id LEFT JOIN sites sb ON sb.place_id = b.id ${w.sql}
       GROUP BY a.code, a.name, b.code, b.name, sa.latitude, sa.longitude, sb.latitude, sb.longitude,
         a.min_lat, a.max_lat, a.min_lon, a.max_lon, b.min_lat, b.max_lat, b.min_lon, b.max_lon
       ORDER BY count DESC, a.code, b.code`,
      w.params,
    );
  }

  async insertMany(rows: FlowStored[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO flows (id, from_place_id, to_place_id, corridor_id, period_start, period_end, sex, age_band, nationality,
         reason, count, source, illustrative)
       SELECT r.id, r.from_id, r.to_id, r.corridor_id, r.period_start, r.period_end, r.sex, r.age_band, r.nationality,
         r.reason, r.count, r.source, r.illustrative
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, from_id text, to_id text, corridor_id text, period_start date,
         period_end date, sex text, age_band text, nationality text, reason text, count integer, source text, illustrative boolean)`,
      [
        JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            from_id: r.fromId,
            to_id: r.toId,
            corridor_id: r.corridorId,
            period_start: r.periodStart,
            period_end: r.periodEnd,
            sex: r.sex,
            age_band: r.ageBand,
            nationality: r.nationality,
            reason: r.reason,
            count: r.count,
            source: r.source ?? null,
            illustrative: r.illustrative,
          })),
        ),
      ],
    );
  }

  async get(id: string): Promise<FlowRow | null> {
    const rows = await this.db.query<FlowRow>(`${SELECT_FLOW} WHERE f.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async update(r: FlowStored): Promise<void> {
    await this.db.query(
      `UPDATE flows SET from_place_id = $2, to_place_id = $3, corridor_id = $4, period_start = $5::date, period_end = $6::date, sex = $7,
         age_band = $8, nationality = $9, reason = $10, count = $11, source = $12, illustrative = $13
       WHERE id = $1`,
      [r.id, r.fromId, r.toId, r.corridorId, r.periodStart, r.periodEnd, r.sex, r.ageBand, r.nationality, r.reason, r.count, r.source ?? null, r.illustrative],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM flows WHERE id = $1', [id]);
  }

  /** Removes every flow recorded from `source` (to reload a dataset). */
  async deleteBySource(source: string): Promise<void> {
    await this.db.query('DELETE FROM flows WHERE source = $1', [source]);
  }
}
