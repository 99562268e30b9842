import type { BBox } from '../domain/place.js';
import type { Site, SitePopulationInput, SiteServiceInput, SiteType } from '../domain/registry.js';
import type { SqlClient } from './sql-client.js';

interface SiteRow {
  id: string;
  code: string;
  name: string;
  type: SiteType;
  country: string;
  parent_id: string;
  latitude: number;
  longitude: number;
  operating_days: string | null;
  operating_hours: string | null;
  venue: Site['venue'];
  assessment_date: string | null;
  source: string | null;
  notes: string | null;
  illustrative: boolean;
  updated_at: string;
}

const SELECT = `SELECT p.id, p.code, p.name, s.type, c.code AS country, p.parent_id, s.latitude, s.longitude,
    s.operating_days, s.operating_hours, s.venue, s.assessment_date::text AS assessment_date, s.source, s.notes,
    s.illustrative, to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
  FROM sites s JOIN places p ON p.id = s.place_id JOIN places c ON c.id = s.country_id`;

const NO_VENUE: Site['venue'] = { alcoholOnSite: null, sexOnSite: null, transactionalSexReported: null, condomsAvailableAtVisit: null };

function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    country: r.country,
    parentId: r.parent_id,
    latitude: r.latitude,
    longitude: r.longitude,
    operatingDays: r.operating_days,
    operatingHours: r.operating_hours,
    venue: { ...NO_VENUE, ...r.venue },
    assessmentDate: r.assessment_date,
    source: r.source,
    notes: r.notes,
    illustrative: r.illustrative,
    updatedAt: r.updated_at,
  };
}

/** Filters of a site listing. */
export interface SiteFilter {
  type?: SiteType | undefined;
  countryId?: string | undefined;
  /** Only sites within these places' subtrees (a scoped user's view); null or absent for all. */
  withinPaths?: string[] | null | undefined;
  bbox?: BBox | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** The columns of a site besides its place row. */
export interface SiteFields {
  type: SiteType;
  countryId: string;
  latitude: number;
  longitude: number;
  operatingDays: string | null;
  operatingHours: string | null;
  venue: Site['venue'];
  assessmentDate: string | null;
  source: string | null;
  notes: string | null;
  illustrative: boolean;
}

export interface PopulationRow extends Omit<SitePopulationInput, 'estimateDate' | 'source'> {
  siteId: string;
  groupName: string;
  estimateDate: string | null;
  source: string | null;
}

export interface ServiceRow extends Omit<SiteServiceInput, 'hours' | 'costToUser'> {
  siteId: string;
  hours: string | null;
  costToUser: string | null;
}

/** The only code that reads and writes sites, their populations and services. */
export class SiteRepository {
  constructor(private readonly db: SqlClient) {}

  async list(f: SiteFilter): Promise<{ items: Site[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.type) where.push(`s.type = ${p(f.type)}`);
    if (f.countryId) where.push(`s.country_id = ${p(f.countryId)}`);
    if (f.withinPaths) where.push(`p.path LIKE ANY (${p(f.withinPaths.map((x) => x + '%'))}::text[])`);
    if (f.q) where.push(`(p.name ILIKE ${p(`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)} OR p.code ILIKE $${params.length})`);
    if (f.bbox) {
      const [minLon, minLat, maxLon, maxLat] = f.bbox;
      where.push(`s.longitude BETWEEN ${p(minLon)} AND ${p(maxLon)} AND s.latitude BETWEEN ${p(minLat)} AND ${p(maxLat)}`);
    }
    const rows = await this.db.query<SiteRow & { total: number }>(
      `${SELECT.replace('SELECT ', 'SELECT count(*) OVER ()::int AS total, ')} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY c.code, p.name, p.id LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return { items: rows.map(toSite), total: rows[0]?.total ?? 0 };
  }

  async get(id: string): Promise<Site | null> {
    const rows = await this.db.query<SiteRow>(`${SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ? toSite(rows[0]) : null;
  }

  async getByCode(code: string): Promise<Site | null> {
    const rows = await this.db.query<SiteRow>(`${SELECT} WHERE p.code = $1`, [code]);
    return rows[0] ? toSite(rows[0]) : null;
  }

  /** The sites with these ids. */
  async getMany(ids: string[]): Promise<Site[]> {
    const out: Site[] = [];
    for (let i = 0; i < ids.length; i += 5000) {
      out.push(...(await this.db.query<SiteRow>(`${SELECT} WHERE p.id = ANY ($1::text[])`, [ids.slice(i, i + 5000)])).map(toSite));
    }
    return out;
  }

  /** Inserts the site columns of new places, 1,000 per statement (an import's bulk write). */
  async insertMany(rows: (SiteFields & { placeId: string })[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      const col = <K extends keyof (typeof part)[number]>(k: K) => part.map((r) => r[k]);
      await this.db.query(
        `INSERT INTO sites (place_id, type, country_id, latitude, longitude, operating_days, operating_hours, venue, assessment_date, source, notes, illustrative)
         SELECT place_id, type, country_id, latitude, longitude, operating_days, operating_hours, venue::jsonb, assessment_date::date, source, notes, illustrative
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[])
           AS t(place_id, type, country_id, latitude, longitude, operating_days, operating_hours, venue, assessment_date, source, notes, illustrative)`,
        [
          col('placeId'),
          col('type'),
          col('countryId'),
          col('latitude'),
          col('longitude'),
          col('operatingDays'),
          col('operatingHours'),
          part.map((r) => JSON.stringify(r.venue)),
          col('assessmentDate'),
          col('source'),
          col('notes'),
          col('illustrative'),
        ],
      );
    }
  }

  /** Writes the site columns of place `placeId` (creating or replacing them). */
  async save(placeId: string, s: SiteFields): Promise<void> {
    await this.db.query(
      `INSERT INTO sites (place_id, type, country_id, latitude, longitude, operating_days, operating_hours, venue,
         assessment_date, source, notes, illustrative)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::date, $10, $11, $12)
       ON CONFLICT (place_id) DO UPDATE SET type = EXCLUDED.type, country_id = EXCLUDED.country_id,
         latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, operating_days = EXCLUDED.operating_days,
         operating_hours = EXCLUDED.operating_hours, venue = EXCLUDED.venue, assessment_date = EXCLUDED.assessment_date,
         source = EXCLUDED.source, notes = EXCLUDED.notes, illustrative = EXCLUDED.illustrative`,
      [
        placeId,
        s.type,
        s.countryId,
        s.latitude,
        s.longitude,
        s.operatingDays,
        s.operatingHours,
        JSON.stringify(s.venue),
        s.assessmentDate,
        s.source,
        s.notes,
        s.illustrative,
      ],
    );
  }

  /** Corridors and flows that name the site (it cannot be deleted while they do). */
  async references(id: string): Promise<{ corridors: { id: string; code: string; name: string }[]; flows: number }> {
    const corridors = await this.db.query<{ id: string; code: string; name: string }>(
      `SELECT DISTINCT c.id, c.code, c.name FROM corridor_places cp JOIN corridors c ON c.id = cp.corridor_id WHERE cp.place_id = $1 ORDER BY c.name, c.code`,
      [id],
    );
    const flows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows WHERE from_place_id = $1 OR to_place_id = $1', [id]);
    return { corridors: corridors.map((c) => ({ id: c.id, code: c.code, name: c.name })), flows: flows[0]?.n ?? 0 };
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM places WHERE id = $1', [id]);
  }

  async populations(siteIds: string[]): Promise<PopulationRow[]> {
    if (siteIds.length === 0) return [];
    return this.db.query<PopulationRow>(
      `SELECT sp.site_id AS "siteId", g.code AS "group", g.name AS "groupName", sp.size_low AS "sizeLow",
         sp.size_high AS "sizeHigh", sp.estimate_date::text AS "estimateDate", sp.source
       FROM site_populations sp JOIN population_groups g ON g.id = sp.group_id
       WHERE sp.site_id = ANY($1::text[]) ORDER BY sp.site_id, g.name`,
      [siteIds],
    );
  }

  /** Replaces the site's populations with `rows` (group ids resolved by the caller). */
  async replacePopulations(siteId: string, rows: (SitePopulationInput & { groupId: string })[]): Promise<void> {
    await this.db.query('DELETE FROM site_populations WHERE site_id = $1', [siteId]);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO site_populations (site_id, group_id, size_low, size_high, estimate_date, source)
       SELECT $1, r.group_id, r.size_low, r.size_high, r.estimate_date, r.source
       FROM jsonb_to_recordset($2::jsonb) AS r(group_id text, size_low integer, size_high integer, estimate_date date, source text)`,
      [
        siteId,
        JSON.stringify(
          rows.map((r) => ({
            group_id: r.groupId,
            size_low: r.sizeLow,
            size_high: r.sizeHigh,
            estimate_date: r.estimateDate ?? null,
            source: r.source ?? null,
          })),
        ),
      ],
    );
  }

  async services(siteIds: string[]): Promise<ServiceRow[]> {
    if (siteIds.length === 0) return [];
    return this.db.query<ServiceRow>(
      `SELECT ss.site_id AS "siteId", ss.service, ss.availability, ss.hours, ss.cost_to_user AS "costToUser", ss.languages,
         ss.serves_undocumented AS "servesUndocumented", ss.on_site AS "onSite"
       FROM site_services ss JOIN service_types t ON t.code = ss.service
       WHERE ss.site_id = ANY($1::text[]) ORDER BY ss.site_id, t.sort`,
      [siteIds],
    );
  }

  async replaceServices(siteId: string, rows: SiteServiceInput[]): Promise<void> {
    await this.db.query('DELETE FROM site_services WHERE site_id = $1', [siteId]);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO site_services (site_id, service, availability, hours, cost_to_user, languages, serves_undocumented, on_site)
       SELECT $1, r.service, r.availability, r.hours, r.cost_to_user, r.languages, r.serves_undocumented, r.on_site
       FROM jsonb_to_recordset($2::jsonb) AS r(service text, availability text, hours text, cost_to_user text,
         languages jsonb, serves_undocumented boolean, on_site boolean)`,
      [
        siteId,
        JSON.stringify(
          rows.map((r) => ({
            service: r.service,
            availability: r.availability,
            hours: r.hours ?? null,
            cost_to_user: r.costToUser ?? null,
            languages: r.languages,
            serves_undocumented: r.servesUndocumented,
            on_site: r.onSite,
          })),
        ),
      ],
    );
  }
}
