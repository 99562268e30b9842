import { z } from '../../domain/validation.js';
import { featureCollectionSchema, PlaceGeometrySchema } from '../../domain/geojson.js';
import { pageSchema, PlaceDetailSchema, PlaceQuerySchema, PlaceSchema, YearSeriesSchema } from '../../domain/place.js';
import { defineRoute } from '../route.js';

const PlaceIdParams = z.object({ id: z.string().min(1).max(64).describe('Place id') }).strict();

/** GeoJSON; each feature’s properties are a Place (without its box) plus hivPrevalence. */
const FeatureCollectionSchema = featureCollectionSchema(
  'Place',
  PlaceGeometrySchema.nullable(),
  PlaceSchema.omit({ bbox: true }).extend({ hivPrevalence: YearSeriesSchema }).meta({ id: 'PlaceFeatureProperties' }),
);

export const placeRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/places',
    operationId: 'listPlaces',
    summary: 'List places (countries, admin areas, sites), as JSON or GeoJSON',
    tags: ['places'],
    query: PlaceQuerySchema,
    responses: {
      200: {
        description: 'A page of places; with format=geojson, a GeoJSON FeatureCollection',
        content: { 'application/json': pageSchema(PlaceSchema, 'PlacePage'), 'application/geo+json': FeatureCollectionSchema },
      },
    },
    async handler({ query: { format, detail, ...filter }, services, actor, reply }) {
      if (format === 'geojson') {
        reply.type('application/geo+json');
        return services.places.featureCollection(actor, { ...filter, detail });
      }
      return services.places.list(actor, filter);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/places/:id',
    operationId: 'getPlace',
    summary: 'One place with its reference statistics',
    tags: ['places'],
    params: PlaceIdParams,
    responses: { 200: { description: 'The place', content: { 'application/json': PlaceDetailSchema } } },
    async handler({ params, services, actor }) {
      return services.places.get(actor, params.id);
    },
  }),
];
