import { featureCollectionSchema, LineStringSchema } from '../../domain/geojson.js';
import { pageSchema } from '../../domain/place.js';
import { CorridorInputSchema, CorridorSchema, FlowInputSchema, FlowSchema } from '../../domain/registry.js';
import { isoDate as date, z } from '../../domain/validation.js';
import { crudRoutes } from '../crud.js';
import { defineRoute } from '../route.js';

const paging = {
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
};

const FlowQuerySchema = z
  .object({
    corridor: z.string().min(1).max(64).optional(),
    from: z.string().min(1).max(64).optional().describe('Code of the place of origin.'),
    to: z.string().min(1).max(64).optional().describe('Code of the destination.'),
    periodStart: date.optional().describe('Flows whose period ends on or after this date.'),
    periodEnd: date.optional().describe('Flows whose period starts on or before this date.'),
    aggregate: z.enum(['none', 'route']).default('none').describe('route: totals per origin and destination, with positions.'),
    ...paging,
  })
  .strict();

const RouteTotalSchema = z
  .object({
    from: z.string(),
    fromName: z.string(),
    to: z.string(),
    toName: z.string(),
    fromLatitude: z.number().nullable(),
    fromLongitude: z.number().nullable(),
    toLatitude: z.number().nullable(),
    toLongitude: z.number().nullable(),
    count: z.number(),
  })
  .meta({ id: 'RouteTotal' });

export const corridorRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/corridors',
    operationId: 'listCorridors',
    summary: 'Corridors (ordered routes of places), as JSON or GeoJSON lines',
    tags: ['corridors'],
    query: z.object({ format: z.enum(['json', 'geojson']).default('json'), ...paging }).strict(),
    responses: {
      200: {
        description: 'A page of corridors',
        content: {
          'application/json': pageSchema(CorridorSchema, 'CorridorPage'),
          'application/geo+json': featureCollectionSchema(
            'Corridor',
            LineStringSchema,
            CorridorSchema.omit({ places: true })
              .extend({ places: z.array(z.string().nullable()) })
              .meta({ id: 'CorridorFeatureProperties' }),
          ),
        },
      },
    },
    async handler({ query, services, actor, reply }) {
      if (query.format === 'geojson') {
        reply.type('application/geo+json');
        return services.corridors.featureCollection(actor, query.limit, query.offset);
      }
      return services.corridors.list(actor, query.limit, query.offset);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/flows',
    operationId: 'listFlows',
    summary: 'Flows: counts of people moving between two places per period, by sex, age, nationality and reason',
    tags: ['corridors'],
    query: FlowQuerySchema,
    responses: {
      200: {
        description: 'A page of flow records, or with aggregate=route the totals per origin and destination',
        content: { 'application/json': z.union([pageSchema(FlowSchema, 'FlowPage'), z.object({ items: z.array(RouteTotalSchema) })]) },
      },
    },
    async handler({ query: { aggregate, limit, offset, ...q }, services, actor }) {
      if (aggregate === 'route') return services.corridors.routeTotals(actor, q);
      return services.corridors.flows(actor, { ...q, limit, offset });
    },
  }),
  ...crudRoutes({
    path: '/api/corridors',
    tag: 'corridors',
    noun: 'corridor',
    input: CorridorInputSchema,
    output: CorridorSchema,
    create: (s, actor, body) => s.corridors.create(actor, body),
    get: (s, actor, id) => s.corridors.get(actor, id),
    update: (s, actor, id, body) => s.corridors.update(actor, id, body),
    remove: (s, actor, id) => s.corridors.delete(actor, id),
    removeNote: 'its flows stay, without a corridor',
  }),
  ...crudRoutes({
    path: '/api/flows',
    tag: 'corridors',
    noun: 'flow',
    input: FlowInputSchema,
    output: FlowSchema,
    create: async (s, actor, body) => s.corridors.flow(actor, (await s.corridors.addFlows(actor, [{ line: 1, flow: body }])).ids[0]!),
    get: (s, actor, id) => s.corridors.flow(actor, id),
    update: (s, actor, id, body) => s.corridors.updateFlow(actor, id, body),
    remove: (s, actor, id) => s.corridors.deleteFlow(actor, id),
  }),
];
