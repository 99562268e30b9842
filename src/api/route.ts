import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../domain/validation.js';
import type { Services } from '../app.js';
import type { Actor } from '../domain/access.js';

/** What a handler receives: the validated input and the services. */
export interface RouteInput<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  services: Services;
  /** Who is calling (anonymous callers reach only public routes). */
  actor: Actor;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One HTTP route: its schemas validate the request and also generate the OpenAPI document, so
 * the two cannot drift apart. Routes hold no rules; they call a service.
 */
export interface RouteDef<Q = unknown, P = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax: /api/places/:id */
  url: string;
  operationId: string;
  summary: string;
  /** Reachable without logging in (health, the API document, login). */
  public?: boolean;
  tags: string[];
  /** A strict object schema; a route that takes no parameters gets NO_QUERY, so any is refused. */
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  /**
   * Other media types the body may have besides JSON (e.g. text/csv): each decoder turns the
   * text into what `body` validates. Listed in OpenAPI as string bodies.
   */
  bodyFormats?: Record<string, (text: string) => unknown>;
  /** Response schemas per status and media type, documented in OpenAPI. */
  responses: Record<number, { description: string; content?: Record<string, z.ZodType> }>;
  handler(input: RouteInput<Q, P, B>): Promise<unknown>;
}

/** The query of a route that takes no parameters: any parameter is refused. */
export const NO_QUERY = z.object({}).strict();

/** True when `schema` is an object schema that refuses keys it does not declare. */
export function refusesUnknownKeys(schema: z.ZodType): boolean {
  return schema instanceof z.ZodObject && schema._zod.def.catchall instanceof z.ZodNever;
}

/**
 * Declares a route with its input types inferred from its schemas. Its query is strict, and
 * refused when absent: an unknown parameter (a typo, `?dryRun=1` where there is none) is a
 * 400, never silently ignored.
 */
export function defineRoute<Q = undefined, P = undefined, B = undefined>(def: RouteDef<Q, P, B>): RouteDef {
  const query = def.query ?? NO_QUERY;
  if (!refusesUnknownKeys(query)) throw new Error(`${def.method} ${def.url}: its query schema must be a strict object (.strict()), so that unknown parameters are refused`);
  return { ...def, query } as unknown as RouteDef;
}
