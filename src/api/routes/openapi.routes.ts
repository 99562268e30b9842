import { buildOpenApi } from '../openapi.js';
import { defineRoute, type RouteDef } from '../route.js';

/** Serves the OpenAPI document of `routes` (itself included). */
export function openApiRoutes(routes: RouteDef[]): RouteDef[] {
  let doc: unknown;
  const self = defineRoute({
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This API, as an OpenAPI 3.1 document',
    tags: ['system'],
    public: true,
    responses: { 200: { description: 'The OpenAPI document' } },
    async handler() {
      doc ??= buildOpenApi([...routes, self]);
      return doc;
    },
  });
  return [self];
}
