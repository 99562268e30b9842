import type { PolicyInput } from '../domain/registry.js';
import type { SqlClient } from './sql-client.js';

export interface PolicyRow extends Omit<PolicyInput, 'effectiveDate' | 'notes'> {
  id: string;
  countryName: string;
  effectiveDate: string | null;
  notes: string | null;
}

const SELECT = `SELECT po.id, c.code AS country, c.name AS "countryName", po.restriction, po.status,
    po.effective_date::text AS "effectiveDate", po.citation, po.last_verified::text AS "lastVerified", po.notes, po.illustrative
  FROM policies po JOIN places c ON c.id = po.country_id`;

/** HIV-related travel restrictions per country, each with its citation. */
export class PolicyRepository {
  constructor(private readonly db: SqlClient) {}

  async list(f: {
    countryId?: string | undefined;
    restriction?: string | undefined;
    status?: string | undefined;
    countryIds?: string[] | null;
    limit: number;
    offset: number;
  }): Promise<{ items: PolicyRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.countryIds) {
      params.push(f.countryIds);
      where.push(`po.country_id = ANY ($${params.length}::text[])`);
    }
    for (const [col, v] of [
      ['po.country_id', f.countryId],
      ['po.restriction', f.restriction],
      ['po.status', f.status],
    ] as const) {
      if (v) {
        params.push(v);
        where.push(`${col} = $${params.length}`);
      }
    }
    const n = params.length;
    const rows = await this.db.query<PolicyRow & { total: number }>(
      `${SELECT.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY c.name, po.restriction LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, f.limit, f.offset],
    );
    return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  async get(id: string): Promise<PolicyRow | null> {
    return (await this.db.query<PolicyRow>(`${SELECT} WHERE po.id = $1`, [id]))[0] ?? null;
  }

  async find(countryId: string, restriction: string): Promise<PolicyRow | null> {
    return (await this.db.query<PolicyRow>(`${SELECT} WHERE po.country_id = $1 AND po.restriction = $2`, [countryId, restriction]))[0] ?? null;
  }

  async save(id: string, countryId: string, p: PolicyInput): Promise<void> {
    await this.db.query(
      `INSERT INTO policies (id, country_id, restriction, status, effective_date, citation, last_verified, notes, illustrative)
       VALUES ($1, $2, $3, $4, $5::date, $6, $7::date, $8, $9)
       ON CONFLICT (id) DO UPDATE SET country_id = EXCLUDED.country_id, restriction = EXCLUDED.restriction,
         status = EXCLUDED.status, effective_date = EXCLUDED.effective_date, citation = EXCLUDED.citation,
         last_verified = EXCLUDED.last_verified, notes = EXCLUDED.notes, illustrative = EXCLUDED.illustrative, updated_at = now()`,
      [id, countryId, p.restriction, p.status, p.effectiveDate ?? null, p.citation, p.lastVerified, p.notes ?? null, p.illustrative],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM policies WHERE id = $1', [id]);
  }
}
