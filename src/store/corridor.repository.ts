import type { SqlClient } from './sql-client.js';

export interface CorridorRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  illustrative: boolean;
}

export interface CorridorPlaceRow {
  corridorId: string;
  path: string;
  level: string;
  id: string;
  code: string | null;
  name: string;
  latitude: number | null;
  longitude: number | null;
}

/** Corridors (ordered routes of places) and flows between places. */
export class CorridorRepository {
  constructor(private readonly db: SqlClient) {}

  /** Corridors, or (with `visiblePaths`) those passing through a place within those paths. */
  async list(limit: number, offset: number, visiblePaths: string[] | null = null): Promise<{ items: CorridorRow[]; total: number }> {
    const rows = await this.db.query<CorridorRow & { total: number }>(
      `SELECT id, code, name, description, illustrative, count(*) OVER ()::int AS total FROM corridors c
       ${
         visiblePaths
           ? `WHERE EXISTS (SELECT 1 FROM corridor_places cp JOIN places p ON p.id = cp.place_id
         WHERE cp.corridor_id = c.id AND p.level <> 'country' AND p.path LIKE ANY ($3::text[]))`
           : ''
       }
       ORDER BY name, code LIMIT $1 OFFSET $2`,
      visiblePaths ? [limit, offset, visiblePaths.map((p) => p + '%')] : [limit, offset],
    );
    return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  async get(id: string): Promise<CorridorRow | null> {
    return (await this.db.query<CorridorRow>('SELECT id, code, name, description, illustrative FROM corridors WHERE id = $1', [id]))[0] ?? null;
  }

  async getByCode(code: string): Promise<CorridorRow | null> {
    return (await this.db.query<CorridorRow>('SELECT id, code, name, description, illustrative FROM corridors WHERE code = $1', [code]))[0] ?? null;
  }

  /**
   * The places of each corridor in order, with a position: a site's coordinates, or the centre of
   * an area's bounding box.
   */
  places(corridorIds: string[]): Promise<CorridorPlaceRow[]> {
    if (corridorIds.length === 0) return Promise.resolve([]);
    return this.db.query<CorridorPlaceRow>(
      `SELECT cp.corridor_id AS "corridorId", p.path, p.level, p.id, p.code, p.name,
         COALESCE(s.latitude, (p.min_lat + p.max_lat) / 2) AS latitude,
         COALESCE(s.longitude, (p.min_lon + p.max_lon) / 2) AS longitude
       FROM corridor_places cp JOIN places p ON p.id = cp.place_id LEFT JOIN sites s ON s.place_id = p.id
       WHERE cp.corridor_id = ANY($1::text[]) ORDER BY cp.corridor_id, cp.seq`,
      [corridorIds],
    );
  }

  /** Creates or replaces the corridor and its route. */
  async save(c: CorridorRow, placeIds: string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO corridors (id, code, name, description, illustrative) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, description = EXCLUDED.description,
         illustrative = EXCLUDED.illustrative, updated_at = now()`,
      [c.id, c.code, c.name, c.description, c.illustrative],
    );
    await this.db.query('DELETE FROM corridor_places WHERE corridor_id = $1', [c.id]);
    await this.db.query(
      `INSERT INTO corridor_places (corridor_id, seq, place_id) SELECT $1, r.ordinality::int, r.place_id
       FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS r(place_id, ordinality)`,
      [c.id, JSON.stringify(placeIds)],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM corridors WHERE id = $1', [id]);
  }
}
