import type { ProjectInput } from '../domain/registry.js';
import type { SqlClient } from './sql-client.js';

/** A project as listed: countries by ISO3 and sites by code. */
export interface ProjectRow extends Omit<ProjectInput, 'description' | 'endDate'> {
  id: string;
  description: string | null;
  endDate: string | null;
}

const SELECT = `SELECT pr.id, pr.code, pr.title, pr.description, pr.status, pr.start_date::text AS "startDate",
    pr.end_date::text AS "endDate", pr.donors, pr.objectives, pr.beneficiary_groups AS "beneficiaryGroups", pr.sectors,
    pr.targets, pr.illustrative,
    COALESCE((SELECT jsonb_agg(c.code ORDER BY c.code) FROM project_countries pc JOIN places c ON c.id = pc.country_id
      WHERE pc.project_id = pr.id), '[]'::jsonb) AS countries,
    COALESCE((SELECT jsonb_agg(s.code ORDER BY s.code) FROM project_sites ps JOIN places s ON s.id = ps.site_id
      WHERE ps.project_id = pr.id), '[]'::jsonb) AS sites
  FROM projects pr`;

/** Projects of the portfolio with their countries and sites. */
export class ProjectRepository {
  constructor(private readonly db: SqlClient) {}

  async list(f: {
    countryId?: string | undefined;
    status?: string | undefined;
    countryIds?: string[] | null;
    limit: number;
    offset: number;
  }): Promise<{ items: ProjectRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.countryIds) {
      params.push(f.countryIds);
      where.push(`EXISTS (SELECT 1 FROM project_countries pc WHERE pc.project_id = pr.id AND pc.country_id = ANY ($${params.length}::text[]))`);
    }
    if (f.countryId) {
      params.push(f.countryId);
      where.push(`EXISTS (SELECT 1 FROM project_countries pc WHERE pc.project_id = pr.id AND pc.country_id = $${params.length})`);
    }
    if (f.status) {
      params.push(f.status);
      where.push(`pr.status = $${params.length}`);
    }
    const n = params.length;
    const rows = await this.db.query<ProjectRow & { total: number }>(
      `${SELECT.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY pr.start_date DESC, pr.title LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, f.limit, f.offset],
    );
    return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  async get(id: string): Promise<ProjectRow | null> {
    return (await this.db.query<ProjectRow>(`${SELECT} WHERE pr.id = $1`, [id]))[0] ?? null;
  }

  async getByCode(code: string): Promise<ProjectRow | null> {
    return (await this.db.query<ProjectRow>(`${SELECT} WHERE pr.code = $1`, [code]))[0] ?? null;
  }

  /** Creates or replaces the project with its countries and sites (given as place ids). */
  async save(id: string, p: ProjectInput, countryIds: string[], siteIds: string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO projects (id, code, title, description, status, start_date, end_date, donors, objectives,
         beneficiary_groups, sectors, targets, illustrative)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, title = EXCLUDED.title, description = EXCLUDED.description,
         status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, donors = EXCLUDED.donors,
         objectives = EXCLUDED.objectives, beneficiary_groups = EXCLUDED.beneficiary_groups, sectors = EXCLUDED.sectors,
         targets = EXCLUDED.targets, illustrative = EXCLUDED.illustrative, updated_at = now()`,
      [
        id,
        p.code,
        p.title,
        p.description ?? null,
        p.status,
        p.startDate,
        p.endDate ?? null,
        JSON.stringify(p.donors),
        JSON.stringify(p.objectives),
        JSON.stringify(p.beneficiaryGroups),
        JSON.stringify(p.sectors),
        JSON.stringify(p.targets),
        p.illustrative,
      ],
    );
    await this.db.query('DELETE FROM project_countries WHERE project_id = $1', [id]);
    await this.db.query('DELETE FROM project_sites WHERE project_id = $1', [id]);
    await this.db.query(`INSERT INTO project_countries (project_id, country_id) SELECT $1, x FROM jsonb_array_elements_text($2::jsonb) AS x`, [
      id,
      JSON.stringify(countryIds),
    ]);
    await this.db.query(`INSERT INTO project_sites (project_id, site_id) SELECT $1, x FROM jsonb_array_elements_text($2::jsonb) AS x`, [
      id,
      JSON.stringify(siteIds),
    ]);
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM projects WHERE id = $1', [id]);
  }
}
