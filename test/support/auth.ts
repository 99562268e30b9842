import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { freshStore } from './databases.js';
import { SYSTEM, type Role } from '../../src/domain/access.js';

/** A user of the given role and scope, with a personal API token for requests. */
export async function userWithToken(services: Services, role: Role, scopes: string[], email = `${role}-${scopes.join('-') || 'all'}@test.org`) {
  const user = await services.auth.createUser(SYSTEM, { email, role, scopes, password: 'correct horse battery staple' });
  const { token } = await services.auth.createToken(SYSTEM, 'tests', user.email);
  return { user, token };
}

/** Requests as a given user (bearer token) against an in-process server. */
export function as(app: FastifyInstance, token: string | null) {
  const call = (opts: InjectOptions) => app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return {
    get: (url: string) => call({ method: 'GET', url }),
    send: (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      call({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}

/**
 * An in-process server on a fresh embedded store without the demo world, an unscoped admin with a
 * token, and the given DHIS2 metadata imported: what the M&E import tests start from.
 */
export async function serverWithMetadata(metadata: unknown) {
  const fresh = await freshStore('pglite');
  const services = await servicesFor(fresh.store, { demo: false });
  const app = await buildServer(services);
  const { token } = await userWithToken(services, 'admin', []);
  const admin = as(app, token);
  const res = await admin.send('POST', '/api/metadata', metadata);
  if (res.statusCode !== 200) throw new Error(`test metadata refused: ${res.body}`);
  return { services, app, token, admin, drop: fresh.drop };
}
