import { AppError, describeIssues, type Issue } from '../domain/errors.js';
import { FlowInputSchema, SiteRecordSchema, type FlowInput, type SiteRecord } from '../domain/registry.js';
import { zodIssues } from '../domain/validation.js';
import { parseCsv, type CsvRecord } from '../lib/csv.js';
import { parseJson } from '../lib/json.js';
import { clip } from '../lib/text.js';

/** Columns of the plain CSV export, which `corridor sites import` reads back. */
export const SITE_CSV_COLUMNS = [
  'code',
  'name',
  'type',
  'country',
  'parent_code',
  'latitude',
  'longitude',
  'operating_days',
  'operating_hours',
  'assessment_date',
  'source',
  'notes',
  'illustrative',
  'alcohol_on_site',
  'sex_on_site',
  'transactional_sex_reported',
  'condoms_available_at_visit',
] as const;

/** A site read from a file, with where it was and what the file said about its lists. */
export interface SiteFileRecord {
  line: number;
  record: SiteRecord;
  hasPopulations: boolean;
  hasServices: boolean;
  /** The fields the file gives: an import updates those of an existing site and keeps the rest. */
  fields: string[];
}

// HXL hashtags that the CSV importer reads as columns (so a site HXL export imports back).
const HXL_TO_COLUMN: Record<string, (typeof SITE_CSV_COLUMNS)[number]> = {
  '#loc+code': 'code',
  '#loc+name': 'name',
  '#loc+type': 'type',
  '#country+code': 'country',
  '#adm1+code': 'parent_code',
  '#geo+lat': 'latitude',
  '#geo+lon': 'longitude',
  '#date+reported': 'assessment_date',
  '#meta+illustrative': 'illustrative',
};

function fail(issues: Issue[], unit: 'line' | 'feature'): never {
  throw new AppError('IMPORT_INVALID', describeIssues(issues, unit), issues);
}

/** Reads a CSV file with a header row into objects, mapping columns and naming bad lines. */
function csvObjects(
  text: string,
  columns: readonly string[],
  required: string[],
  aliases: Record<string, string> = {},
): { line: number; values: Record<string, string> }[] {
  const records = parseCsv(text);
  const [header, ...body] = records;
  if (!header) throw new AppError('IMPORT_INVALID', `the CSV file is empty; expected a header row with ${required.join(', ')}`);
  let rows: CsvRecord[] = body;
  let names = header.fields.map((h) => h.trim().toLowerCase());
  // An HXL-tagged file has its hashtags on the second row: read the columns from them, and pass
  // over the hashtags that are not fields (an export's totals and service lists).
  if (body[0]?.fields.some((f) => f.trim().startsWith('#'))) {
    names = body[0].fields.map((f) => aliases[f.trim().toLowerCase().replace(/\s+/g, '')] ?? '');
    rows = body.slice(1);
  }
  const unknown = names.filter((n) => n && !columns.includes(n) && !(n in aliases));
  if (unknown.length > 0) {
    throw new AppError(
      'IMPORT_INVALID',
      `line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown
        .slice(0, 5)
        .map((u) => `"${clip(u)}"`)
        .join(', ')}; accepted: ${columns.join(', ')}`,
    );
  }
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length > 0) throw new AppError('IMPORT_INVALID', `line 1: the header lacks ${missing.map((m) => `"${m}"`).join(', ')}`);
  return rows.map((r) => {
    if (r.fields.length !== names.length) {
      fail([{ line: r.line, message: `expected ${names.length} fields, found ${r.fields.length}` }], 'line');
    }
    const values: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = r.fields[i]!.trim();
      if (n !== '' && v !== '') values[n] = v;
    });
    return { line: r.line, values };
  });
}

const yesNo = (v: string | undefined): boolean | null | string =>
  v === undefined ? null : /^(yes|y|true|1)$/i.test(v) ? true : /^(no|n|false|0)$/i.test(v) ? false : v;
const num = (v: string | undefined): number | string | undefined => (v === undefined ? undefined : Number.isFinite(Number(v)) ? Number(v) : v);

/** Validates plain objects as site records, naming line (or feature) and field of each problem. */
function validateRecords(raw: { line: number; value: unknown; hasPopulations: boolean; hasServices: boolean }[], unit: 'line' | 'feature'): SiteFileRecord[] {
  const issues: Issue[] = [];
  const out: SiteFileRecord[] = [];
  for (const r of raw) {
    const parsed = SiteRecordSchema.safeParse(r.value);
    if (!parsed.success) issues.push(...zodIssues(parsed.error, r.value, 'site', SiteRecordSchema).map((i) => ({ ...i, line: r.line })));
    else {
      const given = Object.keys(r.value as object).filter((k) => k !== 'venue');
      const venue = Object.entries(((r.value as { venue?: object }).venue ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k]) => `venue.${k}`);
      out.push({ line: r.line, record: parsed.data, hasPopulations: r.hasPopulations, hasServices: r.hasServices, fields: [...given, ...venue] });
    }
  }
  if (issues.length > 0) fail(issues, unit);
  if (out.length === 0) throw new AppError('IMPORT_INVALID', 'the file holds no sites');
  return out;
}

/** Reads sites from CSV (the columns of `corridor sites export --format csv`, or an HXL export). */
export function parseSiteCsv(text: string): SiteFileRecord[] {
  const rows = csvObjects(text, SITE_CSV_COLUMNS, ['name', 'type', 'country', 'latitude', 'longitude'], HXL_TO_COLUMN);
  return validateRecords(
    rows.map(({ line, values: v }) => {
      const venue = {
        alcoholOnSite: yesNo(v.alcohol_on_site),
        sexOnSite: yesNo(v.sex_on_site),
        transactionalSexReported: yesNo(v.transactional_sex_reported),
        condomsAvailableAtVisit: yesNo(v.condoms_available_at_visit),
      };
      const value: Record<string, unknown> = {
        code: v.code,
        name: v.name,
        type: v.type,
        country: v.country,
        parentCode: v.parent_code,
        latitude: num(v.latitude),
        longitude: num(v.longitude),
        operatingDays: v.operating_days,
        operatingHours: v.operating_hours,
        assessmentDate: v.assessment_date,
        source: v.source,
        notes: v.notes,
        illustrative: yesNo(v.illustrative) ?? false,
        venue,
      };
      for (const k of Object.keys(value)) if (value[k] === undefined) delete value[k];
      return { line, value, hasPopulations: false, hasServices: false };
    }),
    'line',
  );
}

/** Reads sites from a GeoJSON FeatureCollection of points (the `--format geojson` export). */
export function parseSiteGeoJson(text: string): SiteFileRecord[] {
  const fc = parseJson(text) as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new AppError('IMPORT_INVALID', 'not a GeoJSON FeatureCollection: expected {"type":"FeatureCollection","features":[…]}');
  }
  const issues: Issue[] = [];
  const raw = (fc.features as unknown[]).flatMap((f, k) => {
    const feature = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };
    const line = k + 1;
    if (!feature || feature.type !== 'Feature') {
      issues.push({ line, field: 'type', value: feature?.type, message: 'feature is not a GeoJSON Feature' });
      return [];
    }
    const p = { ...(feature.properties ?? {}) };
    // The export's read-only fields are not part of a site record.
    for (const k2 of ['id', 'parentId', 'updatedAt', 'totals', 'gapCount', 'countryName']) delete p[k2];
    const coords = feature.geometry?.type === 'Point' && Array.isArray(feature.geometry.coordinates) ? feature.geometry.coordinates : null;
    if (!coords && (p.latitude === undefined || p.longitude === undefined)) {
      issues.push({ line, field: 'geometry', message: 'a site needs a Point geometry (or latitude and longitude properties)' });
      return [];
    }
    if (coords) {
      p.longitude = coords[0];
      p.latitude = coords[1];
    }
    for (const k2 of Object.keys(p)) if (p[k2] === null) delete p[k2];
    return [{ line, value: p, hasPopulations: Array.isArray(p.populations), hasServices: Array.isArray(p.services) }];
  });
  if (issues.length > 0) fail(issues, 'feature');
  return validateRecords(raw, 'feature');
}

/** The columns of a flows CSV file. */
export const FLOW_CSV_COLUMNS = [
  'from',
  'to',
  'corridor',
  'period_start',
  'period_end',
  'sex',
  'age_band',
  'nationality',
  'reason',
  'count',
  'source',
  'illustrative',
] as const;

/** Reads flows from CSV; every bad row is named by line, field and value. */
export function parseFlowCsv(text: string): { line: number; flow: FlowInput }[] {
  const rows = csvObjects(text, FLOW_CSV_COLUMNS, ['from', 'to', 'period_start', 'period_end', 'count']);
  const issues: Issue[] = [];
  const out: { line: number; flow: FlowInput }[] = [];
  for (const { line, values: v } of rows) {
    const value: Record<string, unknown> = {
      from: v.from,
      to: v.to,
      corridor: v.corridor,
      periodStart: v.period_start,
      periodEnd: v.period_end,
      sex: v.sex,
      ageBand: v.age_band,
      nationality: v.nationality,
      reason: v.reason,
      count: num(v.count),
      source: v.source,
      illustrative: yesNo(v.illustrative) ?? undefined,
    };
    for (const k of Object.keys(value)) if (value[k] === undefined) delete value[k];
    const parsed = FlowInputSchema.safeParse(value);
    if (!parsed.success) {
      const columnOf: Record<string, string> = { periodStart: 'period_start', periodEnd: 'period_end', ageBand: 'age_band' };
      issues.push(...zodIssues(parsed.error, value, 'flow', FlowInputSchema).map((i) => ({ ...i, line, field: columnOf[i.field ?? ''] ?? i.field })));
    } else out.push({ line, flow: parsed.data });
  }
  if (issues.length > 0) fail(issues, 'line');
  if (out.length === 0) throw new AppError('IMPORT_INVALID', 'the file holds no flows');
  return out;
}
