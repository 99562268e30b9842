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
/** The dimension tables a value's integer key points into, to read its UIDs back. */
const DIMENSIONS = `JOIN data_elements e ON e.num = d.de JOIN periods p ON p.id = d.pe JOIN places pl ON pl.num = d.ou
  JOIN category_option_combos c ON c.num = d.coc JOIN category_option_combos a ON a.num = d.aoc`;
const SELECT = `e.id AS de, p.iso AS pe, pl.id AS ou, c.id AS coc, a.id AS aoc, d.value,
  d.stored_by AS "storedBy", ${ISO('d.created')} AS created, ${ISO('d.last_updated')} AS "lastUpdated", d.comment, d.followup, d.deleted`;
const AUDIT_ACTIONS = { create: 'c', update: 'u', delete: 'd' } as const;
const AUDIT_NAMES: Record<string, DataValueAuditEntry['action']> = { c: 'create', u: 'update', d: 'delete' };

/** One field of every row, as one array parameter (for `unnest`). */
function column<T, K extends keyof T>(rows: T[], key: K): T[K][] {
  return rows.map((r) => r[key]);
}

/** A value in COPY's text format: \\N for null; backslash, tab, newline and carriage return escaped. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}
const copyBool = (b: boolean | null | undefined) => (b === null || b === undefined ? '\\N' : b ? 't' : 'f');

/** A key's five integer ids, as stored. */
interface NumericKey {
  de: number;
  pe: number;
  ou: number;
  coc: number;
  aoc: number;
}

/** The fields of a value the audit trail records on each side of a change. */
interface AuditSide {
  value: string | null;
  storedBy: string | null;
  comment: string | null;
  followup: boolean;
  deleted: boolean;
}

/**
 * The only code that reads and writes data values and their audit trail; every write is batched.
 * Callers speak UIDs (and ISO period names); the tables hold integer ids (`num` of data elements,
 * places and option combos; `periods.id`), which this repository looks up once per batch.
 */
export class DataValueRepository {
  constructor(private readonly db: SqlClient) {}

  /** Places matched by id, code or name (the import's orgUnitIdScheme). */
  async orgUnits(scheme: 'UID' | 'CODE' | 'NAME', keys: string[]): Promise<(OrgUnitRef & { key: string })[]> {
    if (keys.length === 0) return [];
    const col = scheme === 'UID' ? 'id' : scheme === 'CODE' ? 'code' : 'name';
    return this.db.query<OrgUnitRef & { key: string }>(`SELECT ${col} AS key, id, code, name, path FROM places WHERE ${col} = ANY ($1::text[])`, [keys]);
  }

  /** Records the periods of these values that are not in the period table yet. */
  private async ensurePeriods(rows: DataValueWrite[]): Promise<void> {
    const seen = new Map<string, DataValueWrite>();
    for (const r of rows) if (!seen.has(r.pe)) seen.set(r.pe, r);
    const periods = [...seen.values()];
    await this.db.query(
      `INSERT INTO periods (iso, type, start_date, end_date)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[]) ON CONFLICT (iso) DO NOTHING`,
      [column(periods, 'pe'), column(periods, 'periodType'), column(periods, 'startDate'), column(periods, 'endDate')],
    );
  }

  /**
   * The integer ids of these keys' UIDs, one query per dimension for the distinct UIDs of the
   * batch. A UID that is not stored is refused: the services check them before they write.
   */
  private async numbers(keys: DataValueKey[]): Promise<(k: DataValueKey) => NumericKey> {
    const lookup = async (table: string, idCol: string, numCol: string, ids: Iterable<string>) => {
      const rows = await this.db.query<{ id: string; n: number }>(`SELECT ${idCol} AS id, ${numCol} AS n FROM ${table} WHERE ${idCol} = ANY ($1::text[])`, [
        [...new Set(ids)],
      ]);
      return new Map(rows.map((r) => [r.id, r.n]));
    };
    const [de, pe, ou, combos] = await Promise.all([
      lookup('data_elements', 'id', 'num', column(keys, 'de')),
      lookup('periods', 'iso', 'id', column(keys, 'pe')),
      lookup('places', 'id', 'num', column(keys, 'ou')),
      lookup('category_option_combos', 'id', 'num', [...column(keys, 'coc'), ...column(keys, 'aoc')]),
    ]);
    const get = (map: Map<string, number>, id: string, what: string) => {
      const n = map.get(id);
      if (n === undefined) throw new Error(`data value key: no ${what} has the id "${id}"`);
      return n;
    };
    return (k) => ({
      de: get(de, k.de, 'data element'),
      pe: get(pe, k.pe, 'period'),
      ou: get(ou, k.ou, 'place'),
      coc: get(combos, k.coc, 'category option combo'),
      aoc: get(combos, k.aoc, 'category option combo'),
    });
  }

  /** The stored values (deleted or not) with these keys. */
  async existing(keys: DataValueKey[]): Promise<DataValueRecord[]> {
    if (keys.length === 0) return [];
    return this.db.query<DataValueRecord>(
      `SELECT ${SELECT} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS k(de, pe, ou, coc, aoc)
       JOIN data_elements e ON e.id = k.de JOIN periods p ON p.iso = k.pe JOIN places pl ON pl.id = k.ou
       JOIN category_option_combos c ON c.id = k.coc JOIN category_option_combos a ON a.id = k.aoc
       JOIN data_values d ON d.de = e.num AND d.pe = p.id AND d.ou = pl.num AND d.coc = c.num AND d.aoc = a.num`,
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
    await this.ensurePeriods(rows);
    const keyOf = await this.numbers(rows);
    const keys = rows.map(keyOf);
    await this.db.query(
      `INSERT INTO data_values (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted)
       SELECT r.de, r.pe, r.ou, r.coc, r.aoc, r.value, r.stored_by, coalesce(r.created, now()), coalesce(r.last_updated, now()), r.comment, r.followup, r.deleted
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[],
         $8::timestamptz[], $9::timestamptz[], $10::text[], $11::boolean[], $12::boolean[])
         AS r(de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted)
       ON CONFLICT (de, pe, ou, coc, aoc) DO UPDATE SET
         value = EXCLUDED.value, stored_by = EXCLUDED.stored_by, last_updated = EXCLUDED.last_updated,
         comment = EXCLUDED.comment, followup = EXCLUDED.followup, deleted = EXCLUDED.deleted`,
      [
        column(keys, 'de'),
        column(keys, 'pe'),
        column(keys, 'ou'),
        column(keys, 'coc'),
        column(keys, 'aoc'),
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
    await this.ensurePeriods(rows);
    const keyOf = await this.numbers(rows);
    const [tx] = await this.db.query<{ now: string }>('SELECT now()::text AS now');
    const now = tx!.now;
    let data = '';
    for (const r of rows) {
      const k = keyOf(r);
      data += `${k.de}\t${k.pe}\t${k.ou}\t${k.coc}\t${k.aoc}\t${copyText(r.value)}\t${copyText(r.storedBy)}\t${copyText(r.created ?? now)}\t${copyText(r.lastUpdated ?? now)}\t${copyText(r.comment)}\t${copyBool(r.followup)}\t${copyBool(r.deleted)}\n`;
    }
    await this.db.copyFrom(
      `COPY data_values (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted) FROM '/dev/blob'`,
      data,
    );
  }

  /** Appends to the audit trail: each change's key, action, the value's fields before and after, and who. */
  async appendAudit(entries: DataValueAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const keyOf = await this.numbers(entries);
    const side = (x: unknown) => (x ?? null) as AuditSide | null;
    if (this.db.copyFrom) {
      let data = '';
      for (const e of entries) {
        const k = keyOf(e);
        const b = side(e.before);
        const a = side(e.after);
        data += `${k.de}\t${k.pe}\t${k.ou}\t${k.coc}\t${k.aoc}\t${AUDIT_ACTIONS[e.action]}\t${copyText(b?.value ?? null)}\t${copyText(b?.storedBy ?? null)}\t${copyText(b?.comment ?? null)}\t${copyBool(b?.followup)}\t${copyBool(b ? (b.deleted ?? false) : null)}\t${copyText(a?.value ?? null)}\t${copyText(a?.storedBy ?? null)}\t${copyText(a?.comment ?? null)}\t${copyBool(a?.followup)}\t${copyBool(a ? (a.deleted ?? false) : null)}\t${copyText(e.actor)}\n`;
      }
      return this.db.copyFrom(
        `COPY data_value_audit (de, pe, ou, coc, aoc, action, prev_value, prev_stored_by, prev_comment, prev_followup, prev_deleted,
           value, stored_by, comment, followup, deleted, actor) FROM '/dev/blob'`,
        data,
      );
    }
    const keys = entries.map(keyOf);
    const before = entries.map((e) => side(e.before));
    const after = entries.map((e) => side(e.after));
    const field = <K extends keyof AuditSide>(list: (AuditSide | null)[], k: K) => list.map((x) => (x ? (x[k] ?? null) : null));
    // A side that exists has a deleted flag (false unless said), which tells it from no side at all.
    await this.db.query(
      `INSERT INTO data_value_audit (de, pe, ou, coc, aoc, action, prev_value, prev_stored_by, prev_comment, prev_followup, prev_deleted,
         value, stored_by, comment, followup, deleted, actor)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::"char"[], $7::text[], $8::text[], $9::text[], $10::boolean[],
         $11::boolean[], $12::text[], $13::text[], $14::text[], $15::boolean[], $16::boolean[], $17::text[])`,
      [
        column(keys, 'de'),
        column(keys, 'pe'),
        column(keys, 'ou'),
        column(keys, 'coc'),
        column(keys, 'aoc'),
        entries.map((e) => AUDIT_ACTIONS[e.action]),
        field(before, 'value'),
        field(before, 'storedBy'),
        field(before, 'comment'),
        field(before, 'followup'),
        before.map((x) => (x ? (x.deleted ?? false) : null)),
        field(after, 'value'),
        field(after, 'storedBy'),
        field(after, 'comment'),
        field(after, 'followup'),
        after.map((x) => (x ? (x.deleted ?? false) : null)),
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

  /** The audit trail of data values, newest first, each side of a change as the value's fields (null where none). */
  async audit(limit: number): Promise<(DataValueAuditEntry & { at: string })[]> {
    const rows = await this.db.query<{
      de: string;
      pe: string;
      ou: string;
      coc: string;
      aoc: string;
      action: string;
      actor: string;
      at: string;
      before: AuditSide | null;
      after: AuditSide | null;
    }>(
      `SELECT e.id AS de, p.iso AS pe, pl.id AS ou, c.id AS coc, a.id AS aoc, d.action, d.actor, ${ISO('d.at')} AS at,
         CASE WHEN d.prev_deleted IS NULL THEN NULL ELSE json_build_object('value', d.prev_value, 'storedBy', d.prev_stored_by,
           'comment', d.prev_comment, 'followup', d.prev_followup, 'deleted', d.prev_deleted) END AS before,
         CASE WHEN d.deleted IS NULL THEN NULL ELSE json_build_object('value', d.value, 'storedBy', d.stored_by,
           'comment', d.comment, 'followup', d.followup, 'deleted', d.deleted) END AS after
       FROM data_value_audit d ${DIMENSIONS} ORDER BY d.id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...r, action: AUDIT_NAMES[r.action]! }));
  }

  async list(f: DataValueFilter): Promise<DataValueRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.dataElementIds) where.push(`e.id = ANY (${p(f.dataElementIds)}::text[])`);
    if (f.periodIds) where.push(`p.iso = ANY (${p(f.periodIds)}::text[])`);
    if (f.placeIds) {
      where.push(
        f.children
          ? `pl.path LIKE ANY (SELECT a.path || '%' FROM places a WHERE a.id = ANY (${p(f.placeIds)}::text[]))`
          : `pl.id = ANY (${p(f.placeIds)}::text[])`,
      );
    }
    if (f.withinPaths) where.push(`pl.path LIKE ANY (${p(f.withinPaths.map((x) => x + '%'))}::text[])`);
    if (!f.includeDeleted) where.push('NOT d.deleted');
    return this.db.query<DataValueRecord>(
      `SELECT ${SELECT} FROM data_values d ${DIMENSIONS}
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY e.id, p.iso, pl.id, c.id, a.id LIMIT ${p(f.limit)}`,
      params,
    );
  }
}
