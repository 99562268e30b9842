import type { SqlClient } from './sql-client.js';

/** One write, as the audit trail keeps it. */
export interface AuditEntry {
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** Materialised path of the place the object belongs to, when it belongs to one. */
  placePath?: string | null;
}

/** Filters of an audit listing. */
export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Only entries whose place lies within one of these paths (scoped readers); null for all. */
  withinPaths: string[] | null;
  limit: number;
  offset: number;
}

/** Appends to the audit trail; entries are never updated or deleted. */
export class AuditRepository {
  constructor(private readonly db: SqlClient) {}

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `INSERT INTO audit_events (actor, action, object_type, object_id, before, after, details, place_path)
       SELECT e.actor, e.action, e.object_type, e.object_id, e.before, e.after, e.details, e.place_path
       FROM jsonb_to_recordset($1::jsonb) AS e(actor text, action text, object_type text, object_id text,
         before jsonb, after jsonb, details jsonb, place_path text)`,
      [
        JSON.stringify(
          entries.map((e) => ({
            actor: e.actor,
            action: e.action,
            object_type: e.objectType,
            object_id: e.objectId,
            before: e.before ?? null,
            after: e.after ?? null,
            details: e.details ?? null,
            place_path: e.placePath ?? null,
          })),
        ),
      ],
    );
  }

  /** The newest entries first. */
  async recent(limit: number, objectType?: string): Promise<(AuditEntry & { id: number; at: Date })[]> {
    const rows = await this.db.query<{
      id: number;
      at: Date;
      actor: string;
      action: string;
      object_type: string;
      object_id: string | null;
      before: unknown;
      after: unknown;
      details: unknown;
    }>(
      `SELECT id, at, actor, action, object_type, object_id, before, after, details FROM audit_events
       ${objectType ? 'WHERE object_type = $2' : ''} ORDER BY id DESC LIMIT $1`,
      objectType ? [limit, objectType] : [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      before: r.before,
      after: r.after,
      details: r.details,
    }));
  }

  /**
   * What the trail holds, to filter by: each action, object type and actor recorded (within the
   * paths, for scoped readers), with how many entries carry it, the most frequent first.
   */
  async facets(withinPaths: string[] | null): Promise<Record<'actions' | 'objectTypes' | 'actors', { value: string; count: number }[]>> {
    const where = withinPaths ? 'WHERE place_path LIKE ANY ($1::text[])' : '';
    const params = withinPaths ? [withinPaths.map((x) => x + '%')] : [];
    const rows = await this.db.query<{ facet: 'actions' | 'objectTypes' | 'actors'; value: string; count: number }>(
      `WITH e AS (SELECT action, object_type, actor FROM audit_events ${where})
       SELECT 'actions' AS facet, action AS value, count(*)::int AS count FROM e GROUP BY action
       UNION ALL SELECT 'objectTypes', object_type, count(*)::int FROM e GROUP BY object_type
       UNION ALL SELECT 'actors', actor, count(*)::int FROM e GROUP BY actor
       ORDER BY 1, 3 DESC, 2`,
      params,
    );
    const out: Record<'actions' | 'objectTypes' | 'actors', { value: string; count: number }[]> = { actions: [], objectTypes: [], actors: [] };
    for (const r of rows) out[r.facet].push({ value: r.value, count: r.count });
    return out;
  }

  /** Entries matching the filter, newest first, with the total. */
  async list(f: AuditFilter): Promise<{ items: (AuditEntry & { id: number; at: string })[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.actor) where.push(`actor = ${p(f.actor)}`);
    if (f.action) where.push(`action = ${p(f.action)}`);
    if (f.objectType) where.push(`object_type = ${p(f.objectType)}`);
    if (f.objectId) where.push(`object_id = ${p(f.objectId)}`);
    if (f.from) where.push(`at >= ${p(f.from)}::timestamptz`);
    if (f.to) where.push(`at < ${p(f.to)}::timestamptz`);
    if (f.withinPaths) where.push(`place_path LIKE ANY (${p(f.withinPaths.map((x) => x + '%'))}::text[])`);
    const rows = await this.db.query<{
      id: number;
      at: string;
      actor: string;
      action: string;
      object_type: string;
      object_id: string | null;
      before: unknown;
      after: unknown;
      details: unknown;
      place_path: string | null;
      total: number;
    }>(
      `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action, object_type, object_id,
         before, after, details, place_path, count(*) OVER ()::int AS total
       FROM audit_events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        before: r.before,
        after: r.after,
        details: r.details,
        placePath: r.place_path,
      })),
      total: rows[0]?.total ?? 0,
    };
  }
}
