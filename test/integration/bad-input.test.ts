import net from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { ROUTES } from '../../src/api/routes/index.js';
import { defineRoute, refusesUnknownKeys } from '../../src/api/route.js';
import { servicesFor, type Services } from '../../src/app.js';
import { SYSTEM } from '../../src/domain/access.js';
import { z } from '../../src/domain/validation.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';
import { fingerprint } from '../support/fingerprint.js';

/**
 * Each cause of a 500 on bad input (issue 10, defect 4) and each silently accepted query
 * parameter (defect 11), on an otherwise valid request: refused with a 4xx naming the field.
 */
let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as>;
let bearer: string;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  const { token } = await userWithToken(services, 'admin', [], 'bad-input@test.org');
  admin = as(app, token);
  bearer = `Bearer ${token}`;
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const site = { name: 'Busia border post', type: 'land_border_post', country: 'UGA', latitude: 0.46, longitude: 34.09 };
const project = {
  code: 'BADINPUT',
  title: 'Bad input',
  status: 'planned',
  startDate: '2025-01-01',
  countries: ['UGA'],
  donors: [{ name: 'A donor', amountUsd: 10 }],
};

function expectInvalid(res: LightMyRequestResponse, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ error: { code: string; message: string; details?: { field?: string }[] } }>();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  // Programs find the field's path in the details; people find its label (or, without one, its path) in the message.
  const issue = body.error.details?.find((d) => d.field === field);
  expect(issue, JSON.stringify(body.error.details)).toBeDefined();
  expect(body.error.message).toContain((issue as { label?: string }).label ?? field);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

describe('bad input is a 4xx naming the field, never a 500, and changes nothing', () => {
  it('refuses a NUL byte in a body field, a query parameter and a path segment', async () => {
    const before = await fingerprint(services.store.db);
    expectInvalid(await admin.send('POST', '/api/sites', { ...site, name: 'Busia\u0000' }), 'name');
    expectInvalid(await admin.send('POST', '/api/sites', { ...site, notes: 'a\u0000b' }), 'notes');
    expectInvalid(await admin.get('/api/sites?q=a%00b'), 'q');
    expectInvalid(await admin.get('/api/dataValueSets?orgUnit=a%00b'), 'orgUnit');
    expectInvalid(
      await admin.send('PUT', '/api/policies/a%00b', { country: 'UGA', restriction: 'deportation', status: 'none', citation: 'x', lastVerified: '2024-01-01' }),
      'id',
    );
    expect(await fingerprint(services.store.db)).toEqual(before);
  });

  it('refuses a lone UTF-16 surrogate, which PostgreSQL refuses in jsonb', async () => {
    const before = await fingerprint(services.store.db);
    expectInvalid(await admin.send('POST', '/api/projects', { ...project, donors: [{ name: 'x\uD800', amountUsd: 1 }] }), 'donors.0.name');
    expectInvalid(await admin.send('POST', '/api/sites', { ...site, name: '\uDC00Busia' }), 'name');
    expect(await fingerprint(services.store.db)).toEqual(before);
  });

  it('refuses calendar-impossible dates', async () => {
    for (const d of ['2024-02-30', '0000-01-01', '2023-13-01', '2023-02-29']) {
      expectInvalid(await admin.send('POST', '/api/projects', { ...project, startDate: d }), 'startDate');
      expectInvalid(await admin.send('POST', '/api/sites', { ...site, assessmentDate: d }), 'assessmentDate');
      expectInvalid(await admin.get(`/api/flows?periodStart=${d}`), 'periodStart');
      expectInvalid(await admin.get(`/api/audit?from=${d}`), 'from');
    }
    expect((await admin.send('POST', '/api/projects', { ...project, startDate: '2024-02-29' })).statusCode).toBe(201);
  });

  it('refuses JSON nested 10,000 deep, in a field or as the whole body', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const send = (url: string, payload: string) =>
      app.inject({ method: 'PUT', url, payload, headers: { authorization: bearer, 'content-type': 'application/json' } });
    const inField = await send('/api/dataEntry/values', `{"dataSet":"x","period":${deep},"orgUnit":"x","dataElement":"x","value":"1"}`);
    expectInvalid(inField, 'period');
    expect(inField.json<{ error: { message: string } }>().error.message).toContain('nested deeper than 64 levels');
    const whole = await send('/api/minMaxValues', deep);
    expect(whole.statusCode).toBe(400);
    expect(whole.json<{ error: { message: string } }>().error.message).toContain('nested deeper');
    const res = await send('/api/projects/x', `{"code":"A","title":${deep}}`);
    expect(res.statusCode).toBe(400);
  });

  it('treats a malformed session cookie as no session (401), not a 500, on every route', async () => {
    for (const cookie of ['corridor_session=%ZZ', 'corridor_session=%E0%A4%A', 'corridor_session="%ZZ"', 'other=%ZZ; corridor_session=%']) {
      for (const [method, url] of [
        ['GET', '/api/auth/me'],
        ['GET', '/api/sites'],
        ['GET', '/api/users'],
        ['POST', '/api/auth/logout'],
      ] as const) {
        const res = await app.inject({ method, url, headers: { cookie } });
        expect(res.statusCode, `${cookie} ${method} ${url}: ${res.body}`).toBe(401);
        expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
      // A public route reads no credentials and still answers.
      expect((await app.inject({ method: 'GET', url: '/api/health', headers: { cookie } })).statusCode).toBe(200);
    }
  });

  it('reads a valid session cookie next to a malformed cookie of another name', async () => {
    const email = 'cookie-user@test.org';
    await services.auth.createUser(SYSTEM, { email, password: 'a very good password', role: 'viewer', scopes: ['UGA'] });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'a very good password' } });
    const session = String(login.headers['set-cookie']).split(';')[0]!;
    const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `theme=%ZZ; ${session}; other=%E0%A4%A` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { email } });
  });

  it('answers a malformed URL in the error shape with the security headers', async () => {
    const res = await admin.get('/api/sites/%ED%A0%80');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

/** Sends raw bytes to a listening server and returns what it answers. */
async function raw(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.setTimeout(10_000, () => reject(new Error(`no answer: ${data}`)));
  });
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]), headers: head.toLowerCase(), body };
}

describe('requests Node refuses before Fastify (huge headers, a malformed request line)', () => {
  let server: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    server = await buildServer(services);
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as net.AddressInfo).port;
  });
  afterAll(() => server?.close());

  it('answers 431 in the error shape with the security headers', async () => {
    const res = await raw(port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
    expect(res.headers).toContain('x-content-type-options: nosniff');
    expect(res.headers).toContain('content-security-policy:');
  });

  it('answers 400 to a malformed request line in the error shape with the security headers', async () => {
    const res = await raw(port, 'GARBAGE\r\n\r\n');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(res.headers).toContain('x-content-type-options: nosniff');
    expect(res.headers).toContain('x-frame-options: deny');
  });
});

describe('unknown query parameters are refused on every route (defect 11)', () => {
  it('refuses POST /api/sites?dryRun=1 and creates nothing', async () => {
    const before = await fingerprint(services.store.db);
    const res = await app.inject({ method: 'POST', url: '/api/sites?dryRun=1', payload: site, headers: { authorization: bearer } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: 'invalid query: field "dryRun": unknown query parameter "dryRun"' } });
    expect(await fingerprint(services.store.db)).toEqual(before);
  });

  it('refuses POST /api/metadata with a parameter it does not document (?dryrun=true) and imports nothing', async () => {
    const before = await fingerprint(services.store.db);
    const body = {
      dataElements: [{ id: 'BadInput001', name: 'Bad input', shortName: 'Bad input', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE' }],
    };
    const res = await app.inject({ method: 'POST', url: '/api/metadata?dryrun=true', payload: body, headers: { authorization: bearer } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('"dryrun"');
    expect(await fingerprint(services.store.db)).toEqual(before);
  });

  it('keeps the DHIS2 parameters the data value routes document', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/dataValueSets?dryRun=true&importStrategy=CREATE',
      payload: { dataValues: [] },
      headers: { authorization: bearer },
    });
    expect(res.statusCode).toBe(200);
  });

  it('gives every route a strict query schema, an empty one when it takes none', () => {
    for (const r of ROUTES) expect(r.query && refusesUnknownKeys(r.query), `${r.method} ${r.url}`).toBe(true);
  });

  it('refuses to define a route whose query schema would accept unknown parameters', () => {
    const route = {
      method: 'GET',
      url: '/api/x',
      operationId: 'x',
      summary: 'x',
      tags: [] as string[],
      responses: {},
      handler: () => Promise.resolve(null),
    } as const;
    expect(() => defineRoute({ ...route, query: z.object({ a: z.string() }) })).toThrow(/strict/);
    expect(() => defineRoute({ ...route, query: z.looseObject({ a: z.string() }) })).toThrow(/strict/);
    expect(defineRoute({ ...route }).query).toBeDefined();
  });
});

describe('the OpenAPI document (defect 12, in part)', () => {
  it('lists every query parameter of every route', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>>;
    }>();
    for (const r of ROUTES) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!;
      const listed = op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort();
      const declared = Object.keys((r.query as z.ZodObject).shape).sort();
      expect(listed, `${r.method} ${r.url}`).toEqual(declared);
    }
    expect(doc.paths['/api/completeness']!.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['dataSet', 'period', 'orgUnit']));
  });
});
