import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CACHED_ROUTES, HEAVY_ROUTES, LoadControl } from '../../src/api/load.js';
import { ROUTES } from '../../src/api/routes/index.js';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { SYSTEM } from '../../src/domain/access.js';
import { currentRequest } from '../../src/store/request-context.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * The server under load (issue 10, defect 5): a bounded queue for heavy routes, work dropped when
 * its client leaves, health ahead of heavy work, and cached answers that never cross scopes and
 * never outlive a write. Concurrency is driven by held promises, never by timing.
 */
const U = { district: 'LdDistrict1', s1: 'LdSiteUga01', k1: 'LdSiteKen01', tested: 'LdElTested1', ds: 'LdDataSet01' };
const unitQuery = (orgUnit: string, period = '2024Q1') => `dataSet=${U.ds}&period=${period}&orgUnit=${orgUnit}`;

let services: Services;
let drop: () => Promise<void>;
let load: LoadControl;
let app: FastifyInstance;
let base: string;
let admin: ReturnType<typeof as>;
let uga: ReturnType<typeof as>;
let ken: ReturnType<typeof as>;
let adminToken: string;

/** Resolves once `cond` holds, checking on every turn of the event loop. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** A promise and the function that resolves it: a heavy request held until the test lets it go. */
function held(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

/** A GET over a real connection, which the test may cut before the answer comes. */
function rawGet(path: string, token: string): { req: http.ClientRequest; done: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> } {
  const req = http.get(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const done = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
  return { req, done };
}

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store, { demo: false });
  load = new LoadControl(services, { heavyConcurrency: 1, heavyQueue: 1, retryAfterSeconds: 3, queueTimeoutMs: 600_000 });
  app = await buildServer(services, { load });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  adminToken = (await userWithToken(services, 'admin', [], 'root@load.test')).token;
  admin = as(app, adminToken);
  uga = as(app, (await userWithToken(services, 'data_entry', ['UGA'], 'uga@load.test')).token);
  ken = as(app, (await userWithToken(services, 'data_entry', ['KEN'], 'ken@load.test')).token);
  const ugaId = (await services.store.repos.places.findByCode('UGA'))!.id;
  const kenId = (await services.store.repos.places.findByCode('KEN'))!.id;
  const res = await admin.send('POST', '/api/metadata', {
    organisationUnits: [
      { id: U.district, name: 'Load district', code: 'LD-DIST', parent: { id: ugaId } },
      { id: U.s1, name: 'Load site', code: 'LD-S1', parent: { id: U.district } },
      { id: U.k1, name: 'Kenyan load site', code: 'LD-K1', parent: { id: kenId } },
    ],
    dataElements: [{ id: U.tested, name: 'Tested', code: 'LD_TESTED', valueType: 'INTEGER_ZERO_OR_POSITIVE' }],
    dataSets: [
      {
        id: U.ds,
        name: 'Load quarterly',
        code: 'LD_QDS',
        periodType: 'Quarterly',
        dataSetElements: [{ dataElement: { id: U.tested } }],
        organisationUnits: [{ id: U.district }, { id: U.s1 }, { id: U.k1 }],
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

/** Holds every validation run at a gate until it is released, counting the runs that started. */
function holdValidation() {
  const gate = held();
  const runs = { started: 0 };
  vi.spyOn(services.validation, 'run').mockImplementation(async () => {
    runs.started++;
    await gate.promise;
    return { ok: true } as never;
  });
  return { gate, runs };
}

describe('load control', () => {
  it('names only routes that exist, and caches only reads', () => {
    const ops = new Map(ROUTES.map((r) => [r.operationId, r.method]));
    for (const op of [...HEAVY_ROUTES, ...CACHED_ROUTES]) expect(ops.has(op), op).toBe(true);
    for (const op of CACHED_ROUTES) expect(ops.get(op), op).toBe('GET');
  });

  it('answers 503 OVERLOADED with Retry-After at once when the heavy queue is full, and serves the rest', async () => {
    const { gate, runs } = holdValidation();
    // Different periods: three computations, not one shared one.
    const first = admin.get(`/api/validation?${unitQuery(U.district, '2023Q1')}`);
    await until(() => load.heavy.state.active === 1);
    const second = admin.get(`/api/validation?${unitQuery(U.district, '2023Q2')}`);
    await until(() => load.heavy.state.waiting === 1);
    const third = await admin.get(`/api/validation?${unitQuery(U.district, '2023Q3')}`);
    expect(third.statusCode).toBe(503);
    expect(third.headers['retry-after']).toBe('3');
    expect(third.json().error.code).toBe('OVERLOADED');
    // Health does not wait for heavy work.
    const health = await admin.get('/api/health');
    expect(health.statusCode).toBe(200);
    expect(runs.started).toBe(1);
    gate.release();
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect(runs.started).toBe(2);
    expect(load.heavy.state).toEqual({ active: 0, waiting: 0 });
  });

  it('never runs a queued heavy request whose client has gone', async () => {
    const gate = held();
    const periods: string[] = [];
    vi.spyOn(services.validation, 'run').mockImplementation(async (_actor, q) => {
      periods.push(q.period);
      await gate.promise;
      return { ok: true } as never;
    });
    const first = rawGet(`/api/validation?${unitQuery(U.district, '2022Q1')}`, adminToken);
    await until(() => load.heavy.state.active === 1);
    const second = rawGet(`/api/validation?${unitQuery(U.district, '2022Q2')}`, adminToken);
    second.done.catch(() => undefined);
    await until(() => load.heavy.state.waiting === 1);
    second.req.destroy();
    await until(() => load.heavy.state.waiting === 0);
    gate.release();
    expect((await first.done).status).toBe(200);
    expect(periods).toEqual(['2022Q1']);
  });

  it('refuses the queries a request has not started yet once its client has gone', async () => {
    const gate = held();
    let ctx: ReturnType<typeof currentRequest>;
    const queries = vi.spyOn(services.store.db, 'query');
    let after: 'ran' | string = 'pending';
    vi.spyOn(services.validation, 'run').mockImplementation(async () => {
      ctx = currentRequest();
      await services.store.repos.places.findByCode('UGA');
      await gate.promise;
      try {
        await services.store.repos.places.findByCode('KEN');
        after = 'ran';
      } catch (e) {
        after = (e as { code?: string }).code ?? String(e);
      }
      return { ok: true } as never;
    });
    const call = rawGet(`/api/validation?${unitQuery(U.district, '2021Q1')}`, adminToken);
    call.done.catch(() => undefined);
    await until(() => ctx !== undefined);
    const before = queries.mock.calls.length;
    call.req.destroy();
    await until(() => ctx!.signal?.aborted === true);
    gate.release();
    await until(() => after !== 'pending');
    expect(after).toBe('CANCELLED');
    // The refused query was asked for, and went no further than the client.
    expect(queries.mock.calls.length).toBe(before + 1);
    expect(load.heavy.state).toEqual({ active: 0, waiting: 0 });
  });

  it('computes one answer for many clients asking the same heavy question at once', async () => {
    const { gate, runs } = holdValidation();
    const many = Array.from({ length: 5 }, () => admin.get(`/api/validation?${unitQuery(U.district, '2020Q1')}`));
    await until(() => runs.started === 1);
    gate.release();
    for (const r of await Promise.all(many)) expect(r.statusCode).toBe(200);
    expect(runs.started).toBe(1);
  });
});

describe('cached answers', () => {
  it('never serve one scope the sites of another, and show a write in the next read', async () => {
    const site = (country: string, name: string) => ({
      name,
      type: 'market',
      country,
      latitude: country === 'UGA' ? 0.35 : -1.28,
      longitude: country === 'UGA' ? 32.58 : 36.82,
    });
    expect((await admin.send('POST', '/api/sites', site('UGA', 'Owino market'))).statusCode).toBe(201);
    expect((await admin.send('POST', '/api/sites', site('KEN', 'Gikomba market'))).statusCode).toBe(201);
    const names = async (client: ReturnType<typeof as>) =>
      (await client.get('/api/sites'))
        .json<{ items: { name: string }[] }>()
        .items.map((s) => s.name)
        .sort();
    // The same URL, three audiences, each answer cached in turn.
    expect(await names(admin)).toEqual(['Gikomba market', 'Owino market']);
    expect(await names(uga)).toEqual(['Owino market']);
    expect(await names(ken)).toEqual(['Gikomba market']);
    expect(await names(uga)).toEqual(['Owino market']);
    const created = await uga.send('POST', '/api/sites', site('UGA', 'Nakasero market'));
    expect(created.statusCode).toBe(201);
    expect(await names(uga)).toEqual(['Nakasero market', 'Owino market']);
    expect(await names(ken)).toEqual(['Gikomba market']);
    const id = created.json<{ id: string }>().id;
    expect((await uga.send('PUT', `/api/sites/${id}`, site('UGA', 'Nakasero central market'))).statusCode).toBe(200);
    expect(await names(uga)).toEqual(['Nakasero central market', 'Owino market']);
    expect(await names(admin)).toEqual(['Gikomba market', 'Nakasero central market', 'Owino market']);
  });

  it('never serve another scope a validation answer, and show new data in the next run', async () => {
    const path = `/api/validation?${unitQuery(U.district, '2024Q2')}&outliers=NONE`;
    const first = await uga.get(path);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().valuesChecked).toBe(0);
    // Kenya's user asks the same URL: the place is outside their scope, cached or not.
    expect((await ken.get(path)).statusCode).toBe(404);
    const saved = await uga.send('PUT', '/api/dataEntry/values', { dataSet: U.ds, period: '2024Q2', orgUnit: U.s1, dataElement: U.tested, value: '7' });
    expect(saved.statusCode, saved.body).toBe(200);
    const second = await uga.get(path);
    expect(second.json().valuesChecked).toBe(1);
    const completeness = `/api/completeness?${unitQuery(U.district, '2024Q2')}`;
    expect((await uga.get(completeness)).json().completed).toBe(0);
    expect((await uga.send('POST', '/api/completeDataSetRegistrations', { dataSet: U.ds, period: '2024Q2', orgUnit: U.s1 })).statusCode).toBeLessThan(300);
    expect((await uga.get(completeness)).json().completed).toBe(1);
  });

  it('give the country boundaries an ETag, answer 304 while they are unchanged, and a new ETag after an edit of a country', async () => {
    const url = '/api/places?level=country&format=geojson';
    const first = await admin.get(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const revalidate = (tag: string, encoding?: string) =>
      app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${adminToken}`, 'if-none-match': tag, ...(encoding ? { 'accept-encoding': encoding } : {}) },
      });
    const same = await revalidate(etag);
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(etag);
    // A list of validators, one of them current, and the gzip answer's (same validator): 304 too.
    expect((await revalidate(`W/"old", ${etag}`)).statusCode).toBe(304);
    expect((await revalidate(etag, 'gzip')).statusCode).toBe(304);
    // Another answer's validator is not this one's.
    expect((await revalidate('W/"someotheranswer"')).statusCode).toBe(200);
    // Another audience (Uganda's data entry sees the same countries): 304 only if its bytes are the same.
    const ugaAnswer = await uga.get(url);
    expect(ugaAnswer.headers.etag === etag).toBe(ugaAnswer.body === first.body);

    // An edit of a country (its name) changes the answer, so its validator, and the old one gets the new body.
    const kenya = (await services.store.repos.places.findByCode('KEN'))!;
    const renamed = await admin.send('POST', '/api/metadata', { organisationUnits: [{ id: kenya.id, name: 'Kenya (renamed)', code: 'KEN' }] });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await revalidate(etag);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body).toContain('Kenya (renamed)');
    expect((await revalidate(after.headers.etag as string)).statusCode).toBe(304);
  });

  it('sees a revoked token at once', async () => {
    const { token } = await services.auth.createToken(SYSTEM, 'short-lived', 'uga@load.test');
    const client = as(app, token);
    expect((await client.get('/api/sites')).statusCode).toBe(200);
    const id = (await services.auth.listTokens(SYSTEM, true)).find((t) => t.name === 'short-lived')!.id;
    await services.auth.revokeToken(SYSTEM, id);
    expect((await client.get('/api/sites')).statusCode).toBe(401);
  });
});
