import type { Services } from '../app.js';
import { z } from '../domain/validation.js';
import type { Actor } from '../domain/access.js';
import { defineRoute, type RouteDef } from './route.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

/** The standard routes of one kind of record: create, read, replace, delete, each through its service. */
export function crudRoutes<I>(o: {
  /** e.g. /api/projects */
  path: string;
  tag: string;
  /** e.g. project, policy */
  noun: string;
  input: z.ZodType<I>;
  output: z.ZodType;
  /** What GET of one record answers, when it tells more than a write does (a site's profile). */
  detail?: z.ZodType;
  create(s: Services, actor: Actor, body: I): Promise<unknown>;
  get(s: Services, actor: Actor, id: string): Promise<unknown>;
  update?(s: Services, actor: Actor, id: string, body: I): Promise<unknown>;
  remove(s: Services, actor: Actor, id: string): Promise<void>;
  /** What deleting does beyond the obvious, for the API reference. */
  removeNote?: string;
}): RouteDef[] {
  const Name = o.noun[0]!.toUpperCase() + o.noun.slice(1);
  const op = (verb: string) => `${verb}${Name.replace(/[- ](\w)/g, (_, c: string) => c.toUpperCase())}`;
  const json = { 'application/json': o.output };
  const routes: RouteDef[] = [
    defineRoute({
      method: 'POST',
      url: o.path,
      operationId: op('create'),
      summary: `Create a ${o.noun}`,
      tags: [o.tag],
      body: o.input,
      responses: { 201: { description: `The new ${o.noun}`, content: json } },
      async handler({ body, services, actor, reply }) {
        reply.code(201);
        return o.create(services, actor, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${o.path}/:id`,
      operationId: op('get'),
      summary: `One ${o.noun}`,
      tags: [o.tag],
      params: IdParams,
      responses: { 200: { description: `The ${o.noun}`, content: o.detail ? { 'application/json': o.detail } : json } },
      async handler({ params, services, actor }) {
        return o.get(services, actor, params.id);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: `${o.path}/:id`,
      operationId: op('delete'),
      summary: `Delete a ${o.noun}${o.removeNote ? ` (${o.removeNote})` : ''}`,
      tags: [o.tag],
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      async handler({ params, services, actor, reply }) {
        await o.remove(services, actor, params.id);
        return reply.code(204).send();
      },
    }),
  ];
  const update = o.update;
  if (update) {
    routes.push(
      defineRoute({
        method: 'PUT',
        url: `${o.path}/:id`,
        operationId: op('update'),
        summary: `Replace a ${o.noun}`,
        tags: [o.tag],
        params: IdParams,
        body: o.input,
        responses: { 200: { description: `The ${o.noun}`, content: json } },
        async handler({ params, body, services, actor }) {
          return update(services, actor, params.id, body);
        },
      }),
    );
  }
  return routes;
}
