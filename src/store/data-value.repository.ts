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

/** One field of every row, as one array parameter (for `unnest`). */
function column<T, K extends keyof T>(rows: T[], key: K): T[K][] {
  return rows.map((r) => r[key]);
}

/** A value in COPY's text format: \\N for null; backslash, tab, newline and carriage return escaped. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/** The only code that reads and writes data values and their audit trail; every write is batched. */
export class DataValueRepository {
  constructor(private readonly db: SqlClient) {}

  /** Places matched by id, code or name (the import's orgUnitIdScheme). */
  async orgUnits(scheme: 'UID' | 'CODE' | 'NAME', keys: string[]): Promise<(OrgUnitRef & { key: string })[]> {
    if (keys.length === 0) return [];
    const col = scheme === 'UID' ? 'id' : scheme === 'CODE' ? 'code' : 'name';
    return this.db.query<OrgUnitRef & { key: string }>(`SELECT ${col} AS key, id, code, name, path FROM places WHERE ${col} = ANY ($1::text[])`, [keys]);
  }

  /** The stored values (deleted or not) with these keys. */
  async existing(keys: DataValueKey[]): Promise<DataValueRecord[]> {
    if (keys.length === 0) return [];
    return this.db.query<DataValueRecord>(
      `SELECT ${SELECT} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(de, pe, ou, coc, aoc)
       JOIN data_values d ON d.data_element_id = k.de AND d.period_id = k.pe AND d.place_id = k.ou AND d.coc_id = k.coc AND d.aoc_id = k.aoc`,
      [column(keys, 'de'), column(keys, 'pe'), column(keys, 'ou'), column(keys, 'coc'), column(keys, 'aoc')],
    );
  }

  /** How many values are stored (deleted or not), counting no further than `atMost`. */
  async storedCount(atMost: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM data_values LIMIT $1) s', [atMost]);
    return row?.n ?? 0;
  }

  /**
   * Creates or replaces these values in one statement (a value keeps its first `created`). The
   * values travel as one array per column (`unnest`), which both engines read fast.
   */
  async write(rows: DataValueWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO data_values (data_element_id, period_id, place_id, coc_id, aoc_id, period_type, start_date, end_date,
         value, stored_by, created, last_updated, comment, followup, deleted)
       SELECT r.de, r.pe, r.ou, r.coc, r.aoc, r.period_type, r.start_date, r.end_date, r.value, r.stored_by,
         coalesce(r.created, now()), coalesce(r.last_updated, now()), r.comment, r.followup, r.deleted
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::text[], $10::text[],
         $11::timestamptz[], $12::timestamptz[], $13::text[], $14::boolean[], $15::boolean[])
         AS r(de, pe, ou, coc, aoc, period_type, start_date, end_date, value, stored_by, created, last_updated, comment, followup, deleted)
       ON CONFLICT (data_element_id, period_id, place_id, coc_id, aoc_id) DO UPDATE SET
         value = EXCLUDED.value, stored_by = EXCLUDED.stored_by, last_updated = EXCLUDED.last_updated,
         comment = EXCLUDED.comment, followup = EXCLUDED.followup, deleted = EXCLUDED.deleted`,
      [
        column(rows, 'de'),
        column(rows, 'pe'),
        column(rows, 'ou'),
        column(rows, 'coc'),
        column(rows, 'aoc'),
        column(rows, 'periodType'),
        column(rows, 'startDate'),
        column(rows, 'endDate'),
        column(rows, 'value'),
        column(rows, 'storedBy'),
        column(rows, 'created'),
        column(rows, 'lastUpdated'),
        column(rows, 'comment'),
        column(rows, 'followup'),
        column(rows, 'deleted'),
      ],
    );
  }

  /**
   * Inserts values that are not stored yet (the caller has looked them up in this transaction):
   * on the embedded store, whose one connection nobody else can write through meanwhile, by COPY;
   * elsewhere as `write`, which also copes with a value another connection has just stored.
   */
  async create(rows: DataValueWrite[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.db.copyFrom) return this.write(rows);
    const [tx] = await this.db.query<{ now: string }>('SELECT now()::text AS now');
    const now = tx!.now;
    let data = '';
    for (const r of rows) {
      data += `${copyText(r.de)}\t${copyText(r.pe)}\t${copyText(r.ou)}\t${copyText(r.coc)}\t${copyText(r.aoc)}\t${copyText(r.periodType)}\t${r.startDate}\t${r.endDate}\t${copyText(r.value)}\t${copyText(r.storedBy)}\t${copyText(r.created ?? now)}\t${copyText(r.lastUpdated ?? now)}\t${copyText(r.comment)}\t${r.followup ? 't' : 'f'}\t${r.deleted ? 't' : 'f'}\n`;
    }
    await this.db.copyFrom(
      `COPY data_values (data_element_id, period_id, place_id, coc_id, aoc_id, period_type, start_date, end_date, value, stored_by,
         created, last_updated, comment, followup, deleted) FROM '/dev/blob'`,
      data,
    );
  }

  async appendAudit(entries: DataValueAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const json = (x: unknown) => (x === null || x === undefined ? null : JSON.stringify(x));
    if (this.db.copyFrom) {
      let data = '';
      for (const e of entries) {
        data += `${copyText(e.de)}\t${copyText(e.pe)}\t${copyText(e.ou)}\t${copyText(e.coc)}\t${copyText(e.aoc)}\t${e.action}\t${copyText(json(e.before))}\t${copyText(json(e.after))}\t${copyText(e.actor)}\n`;
      }
      return this.db.copyFrom(
        `COPY data_value_audit (data_element_id, period_id, place_id, coc_id, aoc_id, action, before, after, actor) FROM '/dev/blob'`,
        data,
      );
    }
    await this.db.query(
      `INSERT INTO data_value_audit (data_element_id, period_id, place_id, coc_id, aoc_id, action, before, after, actor)
       SELECT e.de, e.pe, e.ou, e.coc, e.aoc, e.action, e.before::jsonb, e.after::jsonb, e.actor
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS e(de, pe, ou, coc, aoc, action, before, after, actor)`,
      [
        column(entries, 'de'),
        column(entries, 'pe'),
        column(entries, 'ou'),
        column(entries, 'coc'),
        column(entries, 'aoc'),
        column(entries, 'action'),
        entries.map((e) => json(e.before)),
        entries.map((e) => json(e.after)),
        column(entries, 'actor'),
      ],
    );
  }

  /**
   * Runs `fn`, a bulk write of many values into a table that holds fewer, with the secondary
   * indexes and foreign keys of `data_values` set aside and rebuilt afterwards: PostgreSQL then
   * builds each index by one sort and checks each foreign key by one join, instead of doing both
   * for every row (the foreign key checks alone are most of the cost of a row on PGlite). Must run
   * inside a transaction, so that a failure restores both. Only on the embedded store: it locks
   * the table for the whole transaction, which costs nothing with one connection but would block
   * readers of a server. The definitions come from the catalog, so the schema stays the
   * migrations' own.
   */
  async withoutRowChecks<R>(fn: () => Promise<R>): Promise<R> {
    if (this.db.dialect !== 'pglite') return fn();
    const indexes = await this.db.query<{ name: string; def: string }>(
      `SELECT quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'data_values'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY c.relname`,
    );
    const keys = await this.db.query<{ name: string; def: string }>(
      `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'data_values'::regclass AND contype = 'f' ORDER BY conname`,
    );
    for (const k of keys) await this.db.exec(`ALTER TABLE data_values DROP CONSTRAINT ${k.name}`);
    for (const i of indexes) await this.db.exec(`DROP INDEX ${i.name}`);
    const result = await fn();
    for (const i of indexes) await this.db.exec(i.def);
    for (const k of keys) await this.db.exec(`ALTER TABLE data_values ADD CONSTRAINT ${k.name} ${k.def}`);
    return result;
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
