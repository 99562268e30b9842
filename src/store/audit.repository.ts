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
}

/** Appends to the audit trail; entries are never updated or deleted. */
export class AuditRepository {
  constructor(private readonly db: SqlClient) {}

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `INSERT INTO audit_events (actor, action, object_type, object_id, before, after, details)
       SELECT e.actor, e.action, e.object_type, e.object_id, e.before, e.after, e.details
       FROM jsonb_to_recordset($1::jsonb) AS e(actor text, action text, object_type text, object_id text,
         before jsonb, after jsonb, details jsonb)`,
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
}
