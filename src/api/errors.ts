import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../domain/validation.js';
import { AppError } from '../domain/errors.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { loggableFailure } from './failure-log.js';

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. VALIDATION_FAILED, PLACE_NOT_FOUND.'),
      message: z.string().describe('What was wrong and where, for a person.'),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The one place where errors become HTTP responses: AppError by its status, bad input as 4xx, never a stack. */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // Errors raised before routing (a malformed URL) skip the onSend hook that sets these.
  reply.headers(SECURITY_HEADERS);
  if (err instanceof AppError) {
    if (err.status >= 500 && err.code !== 'OVERLOADED') request.log.error({ code: err.code }, err.message);
    const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
    if ((err.code === 'RATE_LIMITED' || err.code === 'OVERLOADED') && retryAfter) reply.header('Retry-After', String(retryAfter));
    return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : fe.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : fe.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    return reply.status(fe.statusCode).send({ error: { code, message: fe.message } });
  }
  // Never the error object itself: a database error holds the statement's parameters.
  request.log.error({ failure: loggableFailure(err) }, 'unexpected error');
  return reply.status(500).send({
    error: { code: 'INTERNAL', message: `an unexpected error occurred; it has been logged (request ${request.id})`, details: { requestId: request.id } },
  });
}
