import type { SqlClient } from './sql-client.js';

/** The key of a data value: data element, period, place, category option combo, attribute option combo. */
export interface DataValueKey {
  de: string;
  pe: string;
  ou: string;
  coc: string;
  aoc: string;
}

/** A stored data value. */
export interface DataValueRecord extends DataValueKey {
  value: string | null;
  storedBy: string | null;
  created: string;
  lastUpdated: string;
  comment: string | null;
  followup: boolean;
  deleted: boolean;
}

/** A data value to write (created/lastUpdated null: now). */
export interface DataValueWrite extends DataValueKey {
  periodType: string;
  startDate: string;
  endDate: string;
  value: string | null;
  storedBy: string | null;
  created: string | null;
  lastUpdated: string | null;
  comment: string | null;
  followup: boolean;
  deleted: boolean;
}

/** One line of the data value audit trail. */
export interface DataValueAuditEntry extends DataValueKey {
  action: 'create' | 'update' | 'delete';
  before: unknown;
  after: unknown;
  actor: string;
}

/** A place as data value imports resolve it. */
export interface OrgUnitRef {
  id: string;
  code: string | null;
  name: string;
  path: string;
}

export interface DataValueFilter {
  dataElementIds?: string[] | undefined;
  periodIds?: string[] | undefined;
  /** Places by id; with `children`, their subtrees. */
  placeIds?: string[] | undefined;
  children?: boolean;
  /** Only places within these paths (a scoped reader); null for all. */
  withinPaths: string[] | null;
  includeDeleted: boolean;
  limit: number;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const SELECT = `d.data_element_id AS de, d.period_id AS pe, d.place_id AS ou, d.coc_id AS coc, d.aoc_id AS aoc, d.value,
  d.stored_by AS "storedBy", ${ISO('d.created')} AS created, ${ISO('d.last_updated')} AS "lastUpdated", d.comment, d.followup, d.deleted`;

/** The only code that reads and writes data values and their audit trail; every write is batched. */
export class DataValueRepository {
  constructor(private readonly db: SqlClient) {}

  /** Places matched by id, code or name (the import's orgUnitIdScheme). */
  async orgUnits(scheme: 'UID' | 'CODE' | 'NAME', keys: string[]): Promise<(OrgUnitRef & { key: string })[]> {
    if (keys.length === 0) return [];
    const col = scheme === 'UID' ? 'id' : scheme === 'CODE' ? 'code' : 'name';
    return this.db.query<OrgUnitRef & { key: string }>(
      `SELECT ${col} AS key, id, code, name, path FROM places WHERE ${col} = ANY ($1::text[])`,
      [keys],
    );
  }

  /** The stored values (deleted or not) with these keys. */
  async existing(keys: DataValueKey[]): Promise<DataValueRecord[]> {
    if (keys.length === 0) return [];
    return this.db.query<DataValueRecord>(
      `SELECT ${SELECT} FROM jsonb_to_recordset($1::jsonb) AS k(de text, pe text, ou text, coc text, aoc text)
       JOIN data_values d ON d.data_element_id = k.de AND d.period_id = k.pe AND d.place_id = k.ou AND d.coc_id = k.coc AND d.aoc_id = k.aoc`,
      [JSON.stringify(keys.map(({ de, pe, ou, coc, aoc }) => ({ de, pe, ou, coc, aoc })))],
    );
  }

  /** Creates or replaces these values in one statement (a value keeps its first `created`). */
  async write(rows: DataValueWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO data_values (data_element_id, period_id, place_id, coc_id, aoc_id, period_type, start_date, end_date,
         value, stored_by, created, last_updated, comment, followup, deleted)
       SELECT r.de, r.pe, r.ou, r.coc, r.aoc, r.period_type, r.start_date, r.end_date, r.value, r.stored_by,
         coalesce(r.created, now()), coalesce(r.last_updated, now()), r.comment, r.followup, r.deleted
       FROM jsonb_to_recordset($1::jsonb) AS r(de text, pe text, ou text, coc text, aoc text, period_type text, start_date date,
         end_date date, value text, stored_by text, created timestamptz, last_updated timestamptz, comment text, followup boolean, deleted boolean)
       ON CONFLICT (data_element_id, period_id, place_id, coc_id, aoc_id) DO UPDATE SET
         value = EXCLUDED.value, stored_by = EXCLUDED.stored_by, last_updated = EXCLUDED.last_updated,
         comment = EXCLUDED.comment, followup = EXCLUDED.followup, deleted = EXCLUDED.deleted`,
      [
        JSON.stringify(
          rows.map((r) => ({
            de: r.de, pe: r.pe, ou: r.ou, coc: r.coc, aoc: r.aoc, period_type: r.periodType, start_date: r.startDate, end_date: r.endDate,
            value: r.value, stored_by: r.storedBy, created: r.created, last_updated: r.lastUpdated, comment: r.comment,
            followup: r.followup, deleted: r.deleted,
          })),
        ),
      ],
    );
  }

  async appendAudit(entries: DataValueAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `INSERT INTO data_value_audit (data_element_id, period_id, place_id, coc_id, aoc_id, action, before, after, actor)
       SELECT e.de, e.pe, e.ou, e.coc, e.aoc, e.action, e.before, e.after, e.actor
       FROM jsonb_to_recordset($1::jsonb) AS e(de text, pe text, ou text, coc text, aoc text, action text, before jsonb, after jsonb, actor text)`,
      [JSON.stringify(entries.map((e) => ({ ...e, before: e.before ?? null, after: e.after ?? null })))],
    );
  }

  /** The audit trail of data values, newest first. */
  async audit(limit: number): Promise<(DataValueAuditEntry & { at: string })[]> {
    return this.db.query<DataValueAuditEntry & { at: string }>(
      `SELECT data_element_id AS de, period_id AS pe, place_id AS ou, coc_id AS coc, aoc_id AS aoc, action, before, after, actor, ${ISO('at')} AS at
       FROM data_value_audit ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  async list(f: DataValueFilter): Promise<DataValueRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.dataElementIds) where.push(`d.data_element_id = ANY (${p(f.dataElementIds)}::text[])`);
    if (f.periodIds) where.push(`d.period_id = ANY (${p(f.periodIds)}::text[])`);
    if (f.placeIds) {
      where.push(
        f.children
          ? `pl.path LIKE ANY (SELECT a.path || '%' FROM places a WHERE a.id = ANY (${p(f.placeIds)}::text[]))`
          : `d.place_id = ANY (${p(f.placeIds)}::text[])`,
      );
    }
    if (f.withinPaths) where.push(`pl.path LIKE ANY (${p(f.withinPaths.map((x) => x + '%'))}::text[])`);
    if (!f.includeDeleted) where.push('NOT d.deleted');
    return this.db.query<DataValueRecord>(
      `SELECT ${SELECT} FROM data_values d JOIN places pl ON pl.id = d.place_id
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY d.data_element_id, d.period_id, d.place_id, d.coc_id, d.aoc_id LIMIT ${p(f.limit)}`,
      params,
    );
  }
}
