import type { BBox, Geometry } from '../domain/place.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/** Checks a GeoJSON geometry's structure and coordinate ranges; returns a message or null when valid. */
export function geometryProblem(g: unknown): string | null {
  if (g === null || typeof g !== 'object') return 'geometry must be a GeoJSON object';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) return `unsupported geometry type ${JSON.stringify(type)}`;
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[
    type as Geometry['type']
  ];
  const check = (c: unknown, d: number): string | null => {
    if (!Array.isArray(c)) return 'coordinates must be arrays';
    if (d === 0) {
      const [lon, lat] = c as unknown[];
      if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat))
        return 'a position must be [longitude, latitude] numbers';
      if (lon < -180 || lon > 180) return `longitude ${lon} is outside -180..180`;
      if (lat < -90 || lat > 90) return `latitude ${lat} is outside -90..90`;
      return null;
    }
    for (const inner of c) {
      const p = check(inner, d - 1);
      if (p) return p;
    }
    return null;
  };
  return check(coordinates, depth);
}

/** Walks every position of a geometry. */
function eachPosition(g: Geometry, fn: (p: number[]) => void): void {
  const walk = (c: unknown, d: number) => {
    if (d === 0) fn(c as number[]);
    else for (const inner of c as unknown[]) walk(inner, d - 1);
  };
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[g.type];
  walk(g.coordinates, depth);
}

/** The bounding box of a geometry, or null for an empty one. */
export function bboxOf(g: Geometry | null): BBox | null {
  if (!g) return null;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  eachPosition(g, ([lon, lat]) => {
    if (lon! < minLon) minLon = lon!;
    if (lon! > maxLon) maxLon = lon!;
    if (lat! < minLat) minLat = lat!;
    if (lat! > maxLat) maxLat = lat!;
  });
  return minLon === Infinity ? null : [minLon, minLat, maxLon, maxLat];
}

/** Rounds every coordinate to `decimals` places (3 ≈ 110 m, finer than 1:50m boundaries). */
export function roundGeometry<G extends Geometry>(g: G, decimals: number): G {
  const f = 10 ** decimals;
  const round = (c: unknown): unknown =>
    typeof c === 'number' ? Math.round(c * f) / f : (c as unknown[]).map(round);
  return { ...g, coordinates: round(g.coordinates) } as G;
}
