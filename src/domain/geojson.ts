import { z } from './validation.js';

// GeoJSON (RFC 7946) answers of the API, described precisely enough that the web app's types are
// generated from them rather than written by hand.

const Position = z.array(z.number()).min(2).meta({ description: '[longitude, latitude]' });

export const PointSchema = z.object({ type: z.literal('Point'), coordinates: Position }).meta({ id: 'GeoPoint' });
export const LineStringSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(Position) }).meta({ id: 'GeoLineString' });
export const AreaGeometrySchema = z
  .union([
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
  ])
  .meta({ id: 'GeoArea' });

/** A FeatureCollection whose features have `geometry` and `properties` of the given schemas, plus the page fields. */
export function featureCollectionSchema(id: string, geometry: z.ZodType, properties: z.ZodType) {
  const feature = z.object({ type: z.literal('Feature'), id: z.string(), geometry, properties }).meta({ id: `${id}Feature` });
  return z
    .object({
      type: z.literal('FeatureCollection'),
      features: z.array(feature),
      total: z.number(),
      limit: z.number(),
      offset: z.number(),
    })
    .meta({ id: `${id}FeatureCollection` });
}

/** The geometry of a place: an area's outline, or a point for a place known only by its position. */
export const PlaceGeometrySchema = z.union([PointSchema, AreaGeometrySchema]).meta({ id: 'GeoPlace' });
