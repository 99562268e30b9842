import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { SYSTEM } from '../../src/domain/access.js';
import { freshStore } from '../support/databases.js';

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
const admin = { email: 'chief@corridor.test', password: 'a very good password' };

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store, { demo: false });
  app = await buildServer(services);
  await services.auth.createUser(SYSTEM, { ...admin, role: 'admin', scopes: [] });
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const login = (body: object, ip = '10.0.0.1') => app.inject({ method: 'POST', url: '/api/auth/login', payload: body, remoteAddress: ip });

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and returns the CSRF token', async () => {
    const res = await login(admin);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^corridor_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; Secure is added over HTTPS
    expect(res.json()).toMatchObject({ user: { email: admin.email, role: 'admin' }, csrfToken: expect.any(String) });
    // Only a hash of the session id is stored.
    const id = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await services.store.db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(stored.map((s) => s.id_hash)).not.toContain(id);
  });

  it('gives the cookie Path=/ and a twelve-hour Max-Age, adds Secure over HTTPS, and clears it on logout', async () => {
    const res = await login(admin);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).toMatch(/; Path=\//);
    const secure = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: admin,
      remoteAddress: '10.0.0.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(secure.headers['set-cookie'])).toMatch(/; Secure/);
    const session = cookie.split(';')[0]!;
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const cleared = String(out.headers['set-cookie']);
    expect(cleared).toMatch(/^corridor_session=;/);
    expect(cleared).toMatch(/; Max-Age=0/);
    expect(cleared).toMatch(/; Path=\//);
    expect(cleared).toMatch(/; HttpOnly/);
    expect(cleared).toMatch(/; SameSite=Lax/);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403), and accepts it with it', async () => {
    const res = await login(admin);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = res.json<{ csrfToken: string }>();
    const body = { email: 'new.user@corridor.test', role: 'viewer', scopes: ['KEN'], password: 'another good password' };
    const without = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie }, payload: body });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    const wrong = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, 'x-csrf-token': 'x'.repeat(csrfToken.length) }, payload: body });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, 'x-csrf-token': csrfToken }, payload: body });
    expect(ok.statusCode).toBe(201);
    // Reads need no CSRF token.
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(200);
  });

  it('ends the session on logout', async () => {
    const res = await login(admin);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = res.json<{ csrfToken: string }>();
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('lets a user change their own password with the current one, ending their other sessions', async () => {
    await services.auth.createUser(SYSTEM, { email: 'pat@corridor.test', password: 'first password 1', role: 'viewer', scopes: ['KEN'] });
    const first = await login({ email: 'pat@corridor.test', password: 'first password 1' }, '10.2.0.1');
    const other = await login({ email: 'pat@corridor.test', password: 'first password 1' }, '10.2.0.2');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken };
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: 'nope', newPassword: 'second password 2' },
    });
    expect(wrong.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'currentPassword' }] } });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: 'first password 1', newPassword: 'second password 2' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const otherCookie = String(other.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: otherCookie } })).statusCode).toBe(401);
    expect((await login({ email: 'pat@corridor.test', password: 'second password 2' }, '10.2.0.3')).statusCode).toBe(200);
  });
});

describe('login protection', () => {
  it('answers wrong credentials generically, whether or not the account exists', async () => {
    const unknown = await login({ email: 'nobody@corridor.test', password: 'whatever it is' }, '10.0.0.2');
    const wrong = await login({ ...admin, password: 'not the password' }, '10.0.0.3');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('gives 429 with Retry-After after repeated wrong passwords from one address', async () => {
    const codes: number[] = [];
    for (let k = 0; k < 6; k++) codes.push((await login({ email: `guess${k}@corridor.test`, password: 'guess' }, '10.9.9.9')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await login(admin, '10.9.9.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login(admin, '10.0.0.4')).statusCode).toBe(200);
  });

  it('gives 429 after repeated wrong passwords for one account, from any address', async () => {
    await services.auth.createUser(SYSTEM, { email: 'target@corridor.test', password: 'target password 1', role: 'viewer', scopes: ['UGA'] });
    for (let k = 0; k < 5; k++) await login({ email: 'target@corridor.test', password: 'nope' }, `10.1.0.${k}`);
    expect((await login({ email: 'target@corridor.test', password: 'target password 1' }, '10.1.0.99')).statusCode).toBe(429);
  });

  it('refuses a revoked or unknown API token', async () => {
    const { token, id } = await services.auth.createToken(SYSTEM, 'script', admin.email);
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/users', headers })).statusCode).toBe(200);
    await services.auth.revokeToken(SYSTEM, id);
    const res = await app.inject({ method: 'GET', url: '/api/users', headers });
    expect(res.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: 'Bearer crd_forged' } })).statusCode).toBe(401);
  });
});
