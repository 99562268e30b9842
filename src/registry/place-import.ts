import path from 'node:path';
import { AppError, describeIssues, type Issue } from '../domain/errors.js';
import { PLACE_LEVELS, type Geometry, type PlaceLevel } from '../domain/place.js';
import { parseCsv } from '../lib/csv.js';
import { geometryProblem } from '../lib/geo.js';
import { parseJson } from '../lib/json.js';
import { clip } from '../lib/text.js';
import { isUid } from '../lib/uid.js';
import { textProblem } from '../domain/zod.js';

/** A place read from an import file, before its parent is resolved. */
export interface PlaceImportRow {
  /** CSV line or GeoJSON feature number, for messages. */
  line: number;
  id?: string;
  code: string | null;
  name: string;
  level?: PlaceLevel;
  parentCode?: string;
  geometry: Geometry | null;
}

export type PlaceFileFormat = 'geojson' | 'csv';

/** The format of an import file, from its extension. */
export function placeFileFormat(file: string): PlaceFileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.csv') return 'csv';
  throw new AppError('IMPORT_INVALID', `${path.basename(file)}: unknown file type "${ext || '(none)'}"; use .geojson, .json or .csv`);
}

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : typeof v === 'string' ? v.trim() || undefined : String(v));

/** Checks the fields every format shares; pushes issues, returns the row or null. */
function checkRow(
  line: number,
  raw: { id?: string; code?: string; name?: string; level?: string; parent?: string },
  geometry: Geometry | null,
  issues: Issue[],
): PlaceImportRow | null {
  const before = issues.length;
  for (const field of ['id', 'code', 'name', 'level', 'parent'] as const) {
    const problem = raw[field] === undefined ? null : textProblem(raw[field]);
    if (problem) issues.push({ line, field, message: problem });
  }
  if (issues.length > before) return null;
  if (!raw.name) issues.push({ line, field: 'name', message: 'a place needs a name' });
  else if (raw.name.length > 200) issues.push({ line, field: 'name', value: raw.name.slice(0, 40) + '…', message: 'name is longer than 200 characters' });
  if (raw.level && !(PLACE_LEVELS as readonly string[]).includes(raw.level)) {
    issues.push({ line, field: 'level', value: raw.level, message: `level must be one of ${PLACE_LEVELS.join(', ')}` });
  }
  if (raw.id && !isUid(raw.id)) {
    issues.push({ line, field: 'id', value: raw.id, message: 'id must be 11 letters or digits, starting with a letter (a DHIS2 UID)' });
  }
  if (raw.code && raw.code.length > 50) issues.push({ line, field: 'code', value: raw.code, message: 'code is longer than 50 characters' });
  if (issues.length > before) return null;
  return {
    line,
    ...(raw.id ? { id: raw.id } : {}),
    code: raw.code ?? null,
    name: raw.name!,
    ...(raw.level ? { level: raw.level as PlaceLevel } : {}),
    ...(raw.parent ? { parentCode: raw.parent } : {}),
    geometry,
  };
}

/** Reads places from a GeoJSON FeatureCollection (properties: name, code, level, parent, id). */
export function parseGeoJsonPlaces(text: string): { rows: PlaceImportRow[]; issues: Issue[] } {
  const fc = parseJson(text) as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new AppError('IMPORT_INVALID', 'not a GeoJSON FeatureCollection: expected {"type":"FeatureCollection","features":[…]}');
  }
  const issues: Issue[] = [];
  const rows: PlaceImportRow[] = [];
  fc.features.forEach((f: unknown, i) => {
    const line = i + 1;
    const feature = f as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown; id?: unknown };
    if (!feature || feature.type !== 'Feature') {
      issues.push({ line, field: 'type', value: feature?.type, message: 'feature is not a GeoJSON Feature' });
      return;
    }
    const p = feature.properties ?? {};
    let geometry: Geometry | null = null;
    if (feature.geometry !== null && feature.geometry !== undefined) {
      const problem = geometryProblem(feature.geometry);
      if (problem) issues.push({ line, field: 'geometry', message: problem });
      else geometry = feature.geometry as Geometry;
    }
    const row = checkRow(
      line,
      {
        id: str(p.id ?? feature.id),
        // geoBoundaries names its fields shapeName/shapeISO; accept them as name/code.
        name: str(p.name ?? p.shapeName),
        code: str(p.code ?? p.shapeISO),
        level: str(p.level),
        parent: str(p.parent),
      },
      geometry,
      issues,
    );
    if (row) rows.push(row);
  });
  return { rows, issues };
}

const CSV_COLUMNS: Record<string, 'id' | 'code' | 'name' | 'level' | 'parent' | 'latitude' | 'longitude'> = {
  id: 'id',
  uid: 'id',
  code: 'code',
  name: 'name',
  level: 'level',
  parent: 'parent',
  parent_code: 'parent',
  latitude: 'latitude',
  lat: 'latitude',
  longitude: 'longitude',
  lon: 'longitude',
  lng: 'longitude',
};

/** Reads places from CSV with a header row: name, code, level, parent, latitude, longitude, id. */
export function parseCsvPlaces(text: string): { rows: PlaceImportRow[]; issues: Issue[] } {
  const records = parseCsv(text);
  const [header, ...body] = records;
  if (!header) throw new AppError('IMPORT_INVALID', 'the CSV file is empty; expected a header row with at least "name"');
  const columns = header.fields.map((h) => CSV_COLUMNS[h.trim().toLowerCase()]);
  const unknown = header.fields.filter((_, i) => !columns[i]);
  if (unknown.length > 0) {
    throw new AppError(
      'IMPORT_INVALID',
      `CSV line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown
        .slice(0, 5)
        .map((u) => `"${clip(u)}"`)
        .join(', ')}; accepted: name, code, level, parent, latitude, longitude, id`,
    );
  }
  if (!columns.includes('name')) throw new AppError('IMPORT_INVALID', 'CSV line 1: the header has no "name" column');
  const issues: Issue[] = [];
  const rows: PlaceImportRow[] = [];
  for (const rec of body) {
    if (rec.fields.length !== header.fields.length) {
      issues.push({ line: rec.line, message: `expected ${header.fields.length} fields, found ${rec.fields.length}` });
      continue;
    }
    const raw: Record<string, string | undefined> = {};
    columns.forEach((c, i) => (raw[c!] = str(rec.fields[i])));
    let geometry: Geometry | null = null;
    if (raw.latitude !== undefined || raw.longitude !== undefined) {
      const lat = Number(raw.latitude);
      const lon = Number(raw.longitude);
      if (raw.latitude === undefined || !Number.isFinite(lat) || lat < -90 || lat > 90) {
        issues.push({ line: rec.line, field: 'latitude', value: raw.latitude ?? '', message: 'latitude must be a number from -90 to 90' });
      } else if (raw.longitude === undefined || !Number.isFinite(lon) || lon < -180 || lon > 180) {
        issues.push({ line: rec.line, field: 'longitude', value: raw.longitude ?? '', message: 'longitude must be a number from -180 to 180' });
      } else geometry = { type: 'Point', coordinates: [lon, lat] };
    }
    const row = checkRow(rec.line, raw, geometry, issues);
    if (row) rows.push(row);
  }
  return { rows, issues };
}

/** Parses an import file's text; throws IMPORT_INVALID naming every problem's line, field and value. */
export function parsePlaceFile(text: string, format: PlaceFileFormat): PlaceImportRow[] {
  const { rows, issues } = format === 'csv' ? parseCsvPlaces(text) : parseGeoJsonPlaces(text);
  if (issues.length > 0) {
    throw new AppError('IMPORT_INVALID', describeIssues(issues, format === 'csv' ? 'line' : 'feature'), issues);
  }
  if (rows.length === 0) throw new AppError('IMPORT_INVALID', 'the file holds no places');
  return rows;
}
