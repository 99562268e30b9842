import type { BBox, Geometry, Place, PlaceInput, PlaceLevel } from '../domain/place.js';
import { bboxOf } from '../lib/geo.js';
import { newUid } from '../lib/uid.js';
import type { SqlClient } from './sql-client.js';

interface PlaceRow {
  id: string;
  code: string | null;
  name: string;
  level: PlaceLevel;
  parent_id: string | null;
  path: string;
  iso2: string | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  source: string | null;
  geometry?: Geometry | null;
}

/** Filters of a place listing; every one is optional. */
export interface PlaceFilter {
  level?: PlaceLevel;
  parentId?: string;
  code?: string;
  /** Case-insensitive substring of the name or code. */
  q?: string;
  /** Places whose bounding box intersects this one. */
  bbox?: BBox;
  /** Countries, and places within these paths (a scoped user's view); null or absent for all. */
  visiblePaths?: string[] | null;
  limit: number;
  offset: number;
}

const COLUMNS = 'id, code, name, level, parent_id, path, iso2, min_lon, min_lat, max_lon, max_lat, source';

function toPlace(r: PlaceRow): Place {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level,
    parentId: r.parent_id,
    iso2: r.iso2,
    bbox: r.min_lon === null ? null : [r.min_lon, r.min_lat!, r.max_lon!, r.max_lat!],
    source: r.source,
  };
}

function where(f: Omit<PlaceFilter, 'limit' | 'offset'>): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    params.push(...values);
    clauses.push(clause.replace(/\$(\d)/g, (_, n: string) => `$${params.length - values.length + Number(n)}`));
  };
  if (f.level) add('level = $1', f.level);
  if (f.parentId) add('parent_id = $1', f.parentId);
  if (f.code) add('code = $1', f.code);
  if (f.q) add(`(name ILIKE $1 OR code ILIKE $1)`, `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (f.visiblePaths)
    add(
      `(level = 'country' OR path LIKE ANY ($1::text[]))`,
      f.visiblePaths.map((p) => p + '%'),
    );
  if (f.bbox) {
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    add('max_lon >= $1 AND min_lon <= $2 AND max_lat >= $3 AND min_lat <= $4', minLon, maxLon, minLat, maxLat);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** A place with its GeoJSON geometry. */
export type PlaceWithGeometry = Place & { geometry: Geometry | null };

/** The only code that reads and writes the place hierarchy. */
export class PlaceRepository {
  constructor(private readonly db: SqlClient) {}

  async findById(id: string): Promise<Place | null> {
    const rows = await this.db.query<PlaceRow>(`SELECT ${COLUMNS} FROM places WHERE id = $1`, [id]);
    return rows[0] ? toPlace(rows[0]) : null;
  }

  /** The places holding any of these codes (one statement per 5,000 codes). */
  async findByCodes(codes: string[]): Promise<Place[]> {
    const out: Place[] = [];
    for (let i = 0; i < codes.length; i += 5000) {
      const rows = await this.db.query<PlaceRow>(`SELECT ${COLUMNS} FROM places WHERE code = ANY ($1::text[])`, [codes.slice(i, i + 5000)]);
      out.push(...rows.map(toPlace));
    }
    return out;
  }

  /** Inserts new point places under known parents, 1,000 per statement (an import's bulk write). */
  async insertPoints(
    rows: { id: string; code: string; name: string; level: string; parentId: string; parentPath: string; lon: number; lat: number; source: string | null }[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      const col = <K extends keyof (typeof part)[number]>(k: K) => part.map((r) => r[k]);
      await this.db.query(
        `INSERT INTO places (id, code, name, level, parent_id, path, geometry, min_lon, min_lat, max_lon, max_lat, source)
         SELECT id, code, name, level, parent_id, parent_path || id || '/', jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(lon, lat)), lon, lat, lon, lat, source
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::text[])
           AS t(id, code, name, level, parent_id, parent_path, lon, lat, source)`,
        [col('id'), col('code'), col('name'), col('level'), col('parentId'), col('parentPath'), col('lon'), col('lat'), col('source')],
      );
    }
  }

  async findByCode(code: string): Promise<Place | null> {
    const rows = await this.db.query<PlaceRow>(`SELECT ${COLUMNS} FROM places WHERE code = $1`, [code]);
    return rows[0] ? toPlace(rows[0]) : null;
  }

  /** Places matching the filter, ordered by level then name, with the total before paging. */
  async list(filter: PlaceFilter): Promise<{ items: Place[]; total: number }> {
    const w = where(filter);
    const n = w.params.length;
    const rows = await this.db.query<PlaceRow & { total: number }>(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM places ${w.sql}
       ORDER BY (SELECT rank FROM place_levels WHERE code = level), name, id
       LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...w.params, filter.limit, filter.offset],
    );
    const total = rows[0]?.total ?? (filter.offset > 0 ? await this.count(filter) : 0);
    return { items: rows.map(toPlace), total };
  }

  private async count(filter: Omit<PlaceFilter, 'limit' | 'offset'>): Promise<number> {
    const w = where(filter);
    const rows = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM places ${w.sql}`, w.params);
    return rows[0]?.n ?? 0;
  }

  /** Like list, with geometries, for GeoJSON output. */
  async listWithGeometry(filter: PlaceFilter): Promise<{ items: PlaceWithGeometry[]; total: number }> {
    const w = where(filter);
    const n = w.params.length;
    const rows = await this.db.query<PlaceRow & { total: number }>(
      `SELECT ${COLUMNS}, geometry, count(*) OVER ()::int AS total FROM places ${w.sql}
       ORDER BY (SELECT rank FROM place_levels WHERE code = level), name, id
       LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...w.params, filter.limit, filter.offset],
    );
    const total = rows[0]?.total ?? (filter.offset > 0 ? await this.count(filter) : 0);
    return { items: rows.map((r) => ({ ...toPlace(r), geometry: r.geometry ?? null })), total };
  }

  async findGeometry(id: string): Promise<Geometry | null> {
    const rows = await this.db.query<{ geometry: Geometry | null }>(`SELECT geometry FROM places WHERE id = $1`, [id]);
    return rows[0]?.geometry ?? null;
  }

  /** Creates the place, or updates it when its id (or else its code) already exists. */
  async upsert(input: PlaceInput): Promise<{ place: Place; before: Place | null }> {
    const existing = (input.id ? await this.findById(input.id) : null) ?? (input.code ? await this.findByCode(input.code) : null);
    const parentPath = input.parentId ? (await this.db.query<{ path: string }>('SELECT path FROM places WHERE id = $1', [input.parentId]))[0]?.path : '/';
    if (parentPath === undefined) throw new Error(`parent place ${input.parentId} does not exist`);
    const id = existing?.id ?? input.id ?? newUid();
    const path = `${parentPath}${id}/`;
    const b = bboxOf(input.geometry);
    const values = [
      id,
      input.code,
      input.name,
      input.level,
      input.parentId,
      path,
      input.iso2 ?? null,
      input.geometry ? JSON.stringify(input.geometry) : null,
      b?.[0] ?? null,
      b?.[1] ?? null,
      b?.[2] ?? null,
      b?.[3] ?? null,
      input.source ?? null,
    ];
    if (!existing) {
      const rows = await this.db.query<PlaceRow>(
        `INSERT INTO places (id, code, name, level, parent_id, path, iso2, geometry, min_lon, min_lat, max_lon, max_lat, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
        values,
      );
      return { place: toPlace(rows[0]!), before: null };
    }
    const oldPath = (await this.db.query<{ path: string }>('SELECT path FROM places WHERE id = $1', [id]))[0]!.path;
    const rows = await this.db.query<PlaceRow>(
      `UPDATE places SET code = $2, name = $3, level = $4, parent_id = $5, path = $6, iso2 = $7,
         geometry = $8::jsonb, min_lon = $9, min_lat = $10, max_lon = $11, max_lat = $12, source = $13, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      values,
    );
    if (oldPath !== path) {
      await this.db.query(`UPDATE places SET path = $2 || substr(path, length($1) + 1) WHERE path LIKE $1 || '_%'`, [oldPath, path]);
    }
    return { place: toPlace(rows[0]!), before: existing };
  }

  /** True when `ancestorId` is `id` or one of its ancestors. */
  async isWithin(id: string, ancestorId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM places p, places a WHERE p.id = $1 AND a.id = $2 AND p.path LIKE a.path || '%'`, [id, ancestorId]);
    return rows.length > 0;
  }

  /** The materialised path of a place ('/country/…/self/'), or null. */
  async pathOf(id: string): Promise<string | null> {
    return (await this.db.query<{ path: string }>('SELECT path FROM places WHERE id = $1', [id]))[0]?.path ?? null;
  }

  async countByLevel(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ level: string; n: number }>('SELECT level, count(*)::int AS n FROM places GROUP BY level');
    return Object.fromEntries(rows.map((r) => [r.level, r.n]));
  }
}
