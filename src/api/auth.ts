import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import type { Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';

/** The session cookie: an opaque random id (stored hashed), HttpOnly, SameSite=Lax. */
export const SESSION_COOKIE = 'corridor_session';
/** Cookie-authenticated writes must echo the session's CSRF token in this header. */
export const CSRF_HEADER = 'x-csrf-token';

/** The actor of anonymous requests: no scope, so it can see nothing even if a check were missed. */
export const ANONYMOUS: Actor = { label: 'anonymous', userId: null, role: 'viewer', scopePaths: [] };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie value as the cookie parser (@fastify/cookie, registered in server.ts) decodes it: a
 * value that is not valid percent-encoding (`corridor_session=%ZZ`) is no cookie, so no session
 * and a 401, never an exception in the request hook (a 500).
 */
export function decodeCookieValue(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The session id the request's cookie carries, if any. */
export function sessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE] || undefined;
}

/** True when the request reached us over HTTPS (directly or through a proxy that says so). */
function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** The session cookie's attributes: HttpOnly, SameSite=Lax, the whole site, Secure over HTTPS. */
const cookieOptions = (request: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secure(request) });

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, sessionId, { ...cookieOptions(request), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

/** A token's actor as last looked up, valid at one data generation for a short while. */
interface KnownToken {
  actor: Actor;
  generation: number;
  at: number;
}

/**
 * Token lookups are a digest and three queries per request: the answer is kept per token digest
 * until any write (a revoked token, a disabled user or a changed scope is a write) and at most a
 * minute, so that the token's last use is still recorded about once a minute. On PostgreSQL, which
 * other processes may write, at most five seconds.
 */
const knownTokens = new WeakMap<Services, Map<string, KnownToken>>();
const MAX_KNOWN_TOKENS = 10_000;

async function tokenActor(services: Services, token: string): Promise<Actor | null> {
  const cache = knownTokens.get(services) ?? knownTokens.set(services, new Map()).get(services)!;
  const key = createHash('sha256').update(token).digest('base64');
  const generation = services.store.generation;
  const maxAge = services.store.dialect === 'pglite' ? 60_000 : 5_000;
  const known = cache.get(key);
  if (known && known.generation === generation && Date.now() - known.at < maxAge) return known.actor;
  const found = await services.auth.fromToken(token);
  cache.delete(key);
  if (!found) return null;
  if (cache.size >= MAX_KNOWN_TOKENS) cache.delete(cache.keys().next().value!);
  cache.set(key, { actor: found.actor, generation, at: Date.now() });
  return found.actor;
}

/**
 * Who is calling: a bearer token, else a session cookie (whose writes must carry the CSRF
 * token), else nobody. A credential that is sent but not valid is an error, not anonymity.
 */
export async function authenticate(services: Services, request: FastifyRequest): Promise<{ actor: Actor; csrfToken: string | null } | null> {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = m ? await tokenActor(services, m[1]!) : null;
    if (!actor) throw new AppError('UNAUTHENTICATED', 'the API token is not valid (unknown, revoked, or its user is disabled)');
    return { actor, csrfToken: null };
  }
  const sessionId = sessionCookie(request);
  if (!sessionId) return null;
  const found = await services.auth.fromSession(sessionId);
  if (!found) return null;
  if (!SAFE_METHODS.has(request.method) && !services.auth.csrfMatches(found.csrfToken, request.headers[CSRF_HEADER] as string | undefined)) {
    throw new AppError('CSRF_FAILED', `this request needs the ${CSRF_HEADER} header of your session (reload the page)`);
  }
  return { actor: found.actor, csrfToken: found.csrfToken };
}
