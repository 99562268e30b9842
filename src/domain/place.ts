import { z } from './validation.js';

/** Levels of the place hierarchy, from the top. A place's parent is always of a higher level. */
export const PLACE_LEVELS = ['country', 'admin1', 'admin2', 'admin3', 'admin4', 'site'] as const;
export type PlaceLevel = (typeof PLACE_LEVELS)[number];
export const PlaceLevelSchema = z.enum(PLACE_LEVELS);

/** Rank of a level: 0 for a country, growing downwards. */
export function levelRank(level: PlaceLevel): number {
  return PLACE_LEVELS.indexOf(level);
}

/** The level a child of `parent` gets when an import does not say. */
export function childLevel(parent: PlaceLevel): PlaceLevel {
  return PLACE_LEVELS[Math.min(levelRank(parent) + 1, PLACE_LEVELS.length - 2)]!;
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export const PlaceSchema = z
  .object({
    id: z.string().describe('Stable identifier (DHIS2-style 11-character UID).'),
    code: z.string().nullable().describe('Code of the place: ISO 3166-1 alpha-3 for countries.'),
    name: z.string(),
    level: PlaceLevelSchema,
    parentId: z.string().nullable(),
    iso2: z.string().nullable().describe('ISO 3166-1 alpha-2, for countries.'),
    bbox: z.array(z.number()).length(4).nullable().describe('[minLon, minLat, maxLon, maxLat]'),
    source: z.string().nullable(),
  })
  .meta({ id: 'Place' });
export type Place = z.infer<typeof PlaceSchema>;

/** Yearly values of a statistic, keyed by year ("2023": 4.2). */
export const YearSeriesSchema = z.record(z.string(), z.number());

export const PlaceDetailSchema = PlaceSchema.extend({
  hivPrevalence: YearSeriesSchema.describe('UNAIDS adult (15-49) HIV prevalence, percent, by year. Empty where no estimate exists.'),
  migrantStock: YearSeriesSchema.describe('UN DESA international migrant stock (people born abroad), by year (1990-2020).'),
  migrantSharePercent: YearSeriesSchema.describe('UN DESA migrant stock as a percentage of the population, by year.'),
  refugees: YearSeriesSchema.describe('UN DESA refugees, by year.'),
}).meta({ id: 'PlaceDetail' });
export type PlaceDetail = z.infer<typeof PlaceDetailSchema>;

/** GeoJSON geometry as stored: polygons for areas, points for sites. */
export type Geometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'MultiPoint'; coordinates: number[][] };

/** A place to create or update, as an import or the world loader produces it. */
export interface PlaceInput {
  id?: string;
  code: string | null;
  name: string;
  level: PlaceLevel;
  parentId: string | null;
  iso2?: string | null;
  geometry: Geometry | null;
  source?: string | null;
}

/** The statistic keys held in place_statistics. */
export const HIV_PREVALENCE = 'hiv_prevalence_15_49';
/** UN DESA international migrant stock (people born abroad), by year. */
export const MIGRANT_STOCK = 'international_migrant_stock';
/** UN DESA migrant stock as a percentage of the population. */
export const MIGRANT_SHARE = 'migrant_share_percent';
/** UN DESA refugees (included in the migrant stock). */
export const REFUGEES = 'refugees';

const BBOX_PATTERN = /^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$/;

/** `minLon,minLat,maxLon,maxLat` in degrees, as the `bbox` query parameter takes it. */
export const BBoxParamSchema = z
  .string()
  .regex(BBOX_PATTERN, 'bbox must be four numbers: minLon,minLat,maxLon,maxLat')
  .transform((s) => s.split(',').map(Number) as BBox)
  .refine(([a, b, c, d]) => a >= -180 && c <= 180 && b >= -90 && d <= 90 && a <= c && b <= d, {
    message: 'bbox must satisfy -180 ≤ minLon ≤ maxLon ≤ 180 and -90 ≤ minLat ≤ maxLat ≤ 90',
  });

/** The query of a place listing, shared by the HTTP API and the CLI. */
export const PlaceQuerySchema = z
  .object({
    level: PlaceLevelSchema.optional(),
    parentId: z.string().min(1).max(64).optional().describe('Only the children of this place.'),
    code: z.string().min(1).max(50).optional(),
    q: z.string().min(1).max(100).optional().describe('Case-insensitive part of the name or code.'),
    bbox: BBoxParamSchema.optional().describe('minLon,minLat,maxLon,maxLat: places whose extent meets this box.'),
    format: z.enum(['json', 'geojson']).default('json'),
    detail: z
      .enum(['full', 'world'])
      .default('full')
      .describe('With format=geojson: full geometry, or world: simplified for a whole-world map (Douglas–Peucker, 0.05°; shared borders stay shared).'),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type PlaceQuery = z.infer<typeof PlaceQuerySchema>;

/** The tolerance of `detail=world`, in degrees: under a fifth of a pixel on a 960-pixel world map, about 3 pixels at its deepest (24×) zoom. */
export const WORLD_DETAIL_TOLERANCE = 0.05;

/** One page of a listing, with the total before paging. */
export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }).meta({ id });
}
