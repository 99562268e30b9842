import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError, describeIssues, type Issue } from '../domain/errors.js';
import {
  childLevel,
  HIV_PREVALENCE,
  levelRank,
  MIGRANT_SHARE,
  MIGRANT_STOCK,
  REFUGEES,
  type Place,
  type PlaceDetail,
  type PlaceLevel,
  type Geometry,
  type PlaceQuery,
  WORLD_DETAIL_TOLERANCE,
} from '../domain/place.js';
import { simplifyPolygons } from '../lib/geo.js';
import type { AuditEntry, Store } from '../store/index.js';
import { parsePlaceFile, type PlaceFileFormat, type PlaceImportRow } from './place-import.js';

/** A GeoJSON Feature of a place, its statistics as properties. */
export interface PlaceFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: Omit<Place, 'bbox'> & { hivPrevalence: Record<string, number> };
}

/** What an import did. */
export interface PlaceImportResult {
  created: number;
  updated: number;
  places: Place[];
}

/** Rules of the place hierarchy: listing, lookup, GeoJSON output and atomic imports. */
export class PlaceService {
  /** The last simplified collection: computed once per store generation and set of places. */
  private simplified: { key: string; geometries: (Geometry | null)[] } | null = null;

  constructor(private readonly store: Store) {}

  /** The geometries simplified for a world map, from memory while nothing was written. */
  private worldGeometries(items: { id: string; geometry: Geometry | null }[]): (Geometry | null)[] {
    const key = `${this.store.generation}\u0000${items.map((p) => p.id).join(',')}`;
    if (this.simplified?.key !== key) {
      this.simplified = {
        key,
        geometries: simplifyPolygons(
          items.map((p) => p.geometry),
          WORLD_DETAIL_TOLERANCE,
        ),
      };
    }
    return this.simplified.geometries;
  }

  /** The place when the actor may see it: countries (reference geography) and places in scope. */
  private async visible<P extends Place>(actor: Actor, place: P | null): Promise<P | null> {
    if (!place || place.level === 'country' || actor.scopePaths === null) return place;
    const path = await this.store.repos.places.pathOf(place.id);
    return path && inScope(actor, path) ? place : null;
  }

  /** A page of places matching the query. */
  async list(actor: Actor, query: Omit<PlaceQuery, 'format' | 'detail'>): Promise<{ items: Place[]; total: number; limit: number; offset: number }> {
    authorize(actor, 'registry:read');
    const { items, total } = await this.store.repos.places.list({ ...query, visiblePaths: actor.scopePaths });
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** One place with its reference statistics; PLACE_NOT_FOUND when there is none. */
  async get(actor: Actor, id: string): Promise<PlaceDetail> {
    authorize(actor, 'registry:read');
    const place = await this.visible(actor, await this.store.repos.places.findById(id));
    if (!place) throw new AppError('PLACE_NOT_FOUND', `no place has id "${id}"`, { id });
    const series = (indicator: string) => this.store.repos.statistics.series(indicator, [id]).then((m) => m.get(id) ?? {});
    return {
      ...place,
      hivPrevalence: await series(HIV_PREVALENCE),
      migrantStock: await series(MIGRANT_STOCK),
      migrantSharePercent: await series(MIGRANT_SHARE),
      refugees: await series(REFUGEES),
    };
  }

  /** The place with this code; PLACE_NOT_FOUND naming `what` (e.g. an option) when there is none. */
  async getByCode(actor: Actor, code: string, what = 'code'): Promise<Place> {
    authorize(actor, 'registry:read');
    const place = await this.visible(actor, await this.store.repos.places.findByCode(code));
    if (!place) throw new AppError('PLACE_NOT_FOUND', `${what} "${code}": no place has this code`, { code });
    return place;
  }

  /** The places matching the query as a GeoJSON FeatureCollection. */
  async featureCollection(actor: Actor, { detail, ...query }: Omit<PlaceQuery, 'format' | 'detail'> & { detail?: PlaceQuery['detail'] }) {
    authorize(actor, 'registry:read');
    const { items, total } = await this.store.repos.places.listWithGeometry({ ...query, visiblePaths: actor.scopePaths });
    const series = await this.store.repos.statistics.series(
      HIV_PREVALENCE,
      items.map((p) => p.id),
    );
    const geometries = detail === 'world' ? this.worldGeometries(items) : items.map((p) => p.geometry);
    const features: PlaceFeature[] = items.map(({ geometry: _geometry, bbox: _bbox, ...p }, i) => ({
      type: 'Feature',
      id: p.id,
      geometry: geometries[i] ?? null,
      properties: { ...p, hivPrevalence: series.get(p.id) ?? {} },
    }));
    return { type: 'FeatureCollection' as const, features, total, limit: query.limit, offset: query.offset };
  }

  /**
   * Imports places from a file's text (GeoJSON, or CSV with a header row), as `import`; every bad
   * row is named by line (CSV) or feature number, field and value.
   */
  async importText(
    actor: Actor,
    input: { format: PlaceFileFormat; text: string; source: string; defaultParentCode?: string | undefined },
    onProgress?: (done: number, total: number) => void,
  ): Promise<PlaceImportResult> {
    authorize(actor, 'registry:import');
    return this.import(actor, parsePlaceFile(input.text, input.format), {
      source: input.source,
      defaultParentCode: input.defaultParentCode,
      unit: input.format === 'csv' ? 'line' : 'feature',
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /**
   * Imports places atomically: every row is checked (parents, levels, duplicate codes) before
   * anything is written, and the writes share one transaction. A row's parent is a code already in
   * the store or earlier in the file; `defaultParentCode` applies to rows that name none.
   */
  async import(
    actor: Actor,
    rows: PlaceImportRow[],
    opts: {
      defaultParentCode?: string | undefined;
      source: string;
      unit?: 'line' | 'feature';
      /** Called as rows are written, for a progress bar. */
      onProgress?: (done: number, total: number) => void;
    },
  ): Promise<PlaceImportResult> {
    authorize(actor, 'registry:import');
    return this.store.transaction(async (repos) => {
      const issues: Issue[] = [];
      const fileLevels = new Map<string, PlaceLevel>();
      const dbParents = new Map<string, Place | null>();
      const findParent = async (code: string) => {
        // A parent outside the caller's scope (other than a country) is unknown to them.
        if (!dbParents.has(code)) {
          const found = await repos.places.findByCode(code);
          const seen = !found || found.level === 'country' || !actor.scopePaths || inScope(actor, (await repos.places.pathOf(found.id))!);
          dbParents.set(code, seen ? found : null);
        }
        return dbParents.get(code)!;
      };
      if (opts.defaultParentCode && !(await findParent(opts.defaultParentCode))) {
        throw new AppError('IMPORT_INVALID', `--parent "${opts.defaultParentCode}": no place has this code`);
      }
      const levels: PlaceLevel[] = [];
      for (const row of rows) {
        const parentCode = row.parentCode ?? opts.defaultParentCode;
        let parentLevel: PlaceLevel | undefined;
        if (parentCode) {
          parentLevel = fileLevels.get(parentCode) ?? (await findParent(parentCode))?.level;
          if (!parentLevel) {
            issues.push({
              line: row.line,
              field: 'parent',
              value: parentCode,
              message: 'no place has this code, in the store or earlier in the file',
            });
          }
        }
        const level = row.level ?? (parentLevel ? childLevel(parentLevel) : 'country');
        levels.push(level);
        if (!parentCode && level !== 'country') {
          issues.push({ line: row.line, field: 'parent', message: `a place of level ${level} needs a parent` });
        }
        if (parentLevel && levelRank(level) <= levelRank(parentLevel)) {
          issues.push({ line: row.line, field: 'level', value: level, message: `a ${level} cannot sit under a ${parentLevel}` });
        }
        if (row.code) {
          // A code held outside the caller's scope is refused without saying by what (or where).
          const holder = await repos.places.findByCode(row.code);
          if (holder && actor.scopePaths && holder.level !== 'country' && !inScope(actor, (await repos.places.pathOf(holder.id))!)) {
            issues.push({ line: row.line, field: 'code', value: row.code, message: 'this code cannot be used; choose another' });
          }
          if (fileLevels.has(row.code)) {
            issues.push({ line: row.line, field: 'code', value: row.code, message: 'this code appears earlier in the file' });
          }
          fileLevels.set(row.code, level);
        }
      }
      if (issues.length > 0) {
        throw new AppError('IMPORT_INVALID', describeIssues(issues, opts.unit ?? 'line'), issues);
      }

      const ids = new Map<string, string>();
      const audit: AuditEntry[] = [];
      const places: Place[] = [];
      let created = 0;
      for (const [i, row] of rows.entries()) {
        const parentCode = row.parentCode ?? opts.defaultParentCode;
        const parentId = parentCode ? (ids.get(parentCode) ?? (await findParent(parentCode))!.id) : null;
        const { place, before } = await repos.places.upsert({
          ...(row.id ? { id: row.id } : {}),
          code: row.code,
          name: row.name,
          level: levels[i]!,
          parentId,
          geometry: row.geometry,
          source: opts.source,
        });
        if (place.code) ids.set(place.code, place.id);
        if (!before) created++;
        places.push(place);
        opts.onProgress?.(i + 1, rows.length);
        // A scoped user may add and change places only within their scope (not countries).
        const path = (await repos.places.pathOf(place.id))!;
        if (!inScope(actor, path) || (actor.scopePaths && place.level === 'country')) {
          throw new AppError('FORBIDDEN', `${opts.unit ?? 'line'} ${row.line}: ${place.code ?? place.name} is outside your scope`);
        }
        audit.push({
          actor: actor.label,
          action: before ? 'update' : 'create',
          objectType: 'place',
          objectId: place.id,
          before,
          after: place,
          placePath: path,
        });
      }
      audit.push({
        actor: actor.label,
        action: 'import',
        objectType: 'place',
        objectId: null,
        details: { source: opts.source, created, updated: rows.length - created },
      });
      await repos.audit.append(audit);
      return { created, updated: rows.length - created, places };
    });
  }
}
