import type { FastifyRequest } from 'fastify';

/**
 * Who is making a request, for the audit trail. Until accounts exist (the users-and-roles
 * issue), every API caller is recorded as anonymous, with the client address.
 */
export function actorOf(request: FastifyRequest): string {
  return `api:anonymous@${request.ip}`;
}
