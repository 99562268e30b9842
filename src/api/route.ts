import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../domain/validation.js';
import type { Services } from '../app.js';
import type { Actor } from '../domain/access.js';
import type { TextFile } from '../lib/text.js';

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
   * A body the route's service reads itself, as text in a named format (a file import: DHIS2
   * JSON, CSV, XML, ADX). The server reads its bytes as text (src/lib/text.ts: charset, BOM,
   * encodings named) and the handler gets `body` = `{ format, text }`; a media type not listed is
   * refused with 415 naming those that are. Instead of `body`.
   */
  textBody?: TextBodySpec;
  /** Response schemas per status and media type, documented in OpenAPI. */
  responses: Record<number, { description: string; content?: Record<string, z.ZodType> }>;
  handler(input: RouteInput<Q, P, B>): Promise<unknown>;
}

/** What the handler of a route with `textBody` receives as its body. */
export interface TextBody<F extends string = string> {
  /** The format its media type names. */
  format: F;
  text: string;
}

export interface TextBodySpec<F extends string = string> {
  /** Each accepted media type (no parameters) and the format name the service reads it as. */
  formats: Record<string, F>;
  /** For OpenAPI: the shape a media type's text holds (e.g. the JSON schema); others are strings. */
  schemas?: Record<string, z.ZodType>;
}

/** The media type of a Content-Type header, without parameters, lower case ('' when there is none). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Answers a service's text document: its media type, and Content-Disposition when it names a file. */
export function sendText(reply: FastifyReply, file: TextFile): string {
  reply.type(file.contentType);
  if (file.filename) reply.header('Content-Disposition', `attachment; filename="${file.filename}"`);
  return file.text;
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
export function defineRoute<Q = undefined, P = undefined, F extends string = string>(
  def: Omit<RouteDef<Q, P, TextBody<F>>, 'body' | 'textBody'> & { textBody: TextBodySpec<F>; body?: undefined },
): RouteDef;
export function defineRoute<Q = undefined, P = undefined, B = undefined>(def: RouteDef<Q, P, B> & { textBody?: undefined }): RouteDef;
export function defineRoute<Q, P, B>(def: RouteDef<Q, P, B>): RouteDef {
  const query = def.query ?? NO_QUERY;
  if (!refusesUnknownKeys(query))
    throw new Error(`${def.method} ${def.url}: its query schema must be a strict object (.strict()), so that unknown parameters are refused`);
  return { ...def, query } as unknown as RouteDef;
}
