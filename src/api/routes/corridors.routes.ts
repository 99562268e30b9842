import { pageSchema } from '../../domain/place.js';
import { CorridorInputSchema, CorridorSchema, FlowInputSchema, FlowSchema } from '../../domain/registry.js';
import { z } from '../../domain/validation.js';
import { actorOf } from '../actor.js';
import { defineRoute } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const json = (schema: z.ZodType) => ({ 'application/json': schema });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
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
        content: { 'application/json': pageSchema(CorridorSchema, 'CorridorPage'), 'application/geo+json': z.object({ type: z.literal('FeatureCollection') }) },
      },
    },
    async handler({ query, services, reply }) {
      if (query.format === 'geojson') {
        reply.type('application/geo+json');
        return services.corridors.featureCollection(query.limit, query.offset);
      }
      return services.corridors.list(query.limit, query.offset);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/corridors',
    operationId: 'createCorridor',
    summary: 'Define a corridor',
    tags: ['corridors'],
    body: CorridorInputSchema,
    responses: { 201: { description: 'The corridor', content: json(CorridorSchema) } },
    async handler({ body, services, request, reply }) {
      reply.code(201);
      return services.corridors.create(body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/corridors/:id',
    operationId: 'getCorridor',
    summary: 'One corridor with its places',
    tags: ['corridors'],
    params: IdParams,
    responses: { 200: { description: 'The corridor', content: json(CorridorSchema) } },
    async handler({ params, services }) {
      return services.corridors.get(params.id);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/corridors/:id',
    operationId: 'updateCorridor',
    summary: 'Replace a corridor',
    tags: ['corridors'],
    params: IdParams,
    body: CorridorInputSchema,
    responses: { 200: { description: 'The corridor', content: json(CorridorSchema) } },
    async handler({ params, body, services, request }) {
      return services.corridors.update(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/corridors/:id',
    operationId: 'deleteCorridor',
    summary: 'Delete a corridor (its flows stay, without a corridor)',
    tags: ['corridors'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.corridors.delete(params.id, actorOf(request));
      return reply.code(204).send();
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
    async handler({ query: { aggregate, limit, offset, ...q }, services }) {
      if (aggregate === 'route') return services.corridors.routeTotals(q);
      return services.corridors.flows({ ...q, limit, offset });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/flows',
    operationId: 'createFlow',
    summary: 'Record a flow',
    tags: ['corridors'],
    body: FlowInputSchema,
    responses: { 201: { description: 'The flow', content: json(FlowSchema) } },
    async handler({ body, services, request, reply }) {
      const { ids } = await services.corridors.addFlows([{ line: 1, flow: body }], { actor: actorOf(request) });
      reply.code(201);
      return services.corridors.flow(ids[0]!);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/flows/:id',
    operationId: 'getFlow',
    summary: 'One flow record',
    tags: ['corridors'],
    params: IdParams,
    responses: { 200: { description: 'The flow', content: json(FlowSchema) } },
    async handler({ params, services }) {
      return services.corridors.flow(params.id);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/flows/:id',
    operationId: 'deleteFlow',
    summary: 'Delete a flow record',
    tags: ['corridors'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.corridors.deleteFlow(params.id, actorOf(request));
      return reply.code(204).send();
    },
  }),
];
