import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor } from '../../src/app.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

let app: FastifyInstance;
let drop: () => Promise<void>;
let viewer: ReturnType<typeof as>;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  const services = await servicesFor(fresh.store, { demo: false });
  app = await buildServer(services);
  viewer = as(app, (await userWithToken(services, 'viewer', ['UGA'])).token);
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

describe('GET /api/periods/{id}', () => {
  it.each([
    ['2024W5', { id: '2024W5', type: 'Weekly', startDate: '2024-01-29', endDate: '2024-02-04' }],
    ['2020W53', { id: '2020W53', type: 'Weekly', startDate: '2020-12-28', endDate: '2021-01-03' }],
    ['202402', { id: '202402', type: 'Monthly', startDate: '2024-02-01', endDate: '2024-02-29' }],
    ['2024NovQ1', { id: '2024NovQ1', type: 'QuarterlyNov', startDate: '2023-11-01', endDate: '2024-01-31' }],
    ['2023Oct', { id: '2023Oct', type: 'FinancialOct', startDate: '2023-10-01', endDate: '2024-09-30' }],
    ['2024-03-15', { id: '20240315', type: 'Daily', startDate: '2024-03-15', endDate: '2024-03-15' }],
  ])('answers %s with its type and dates', async (id, period) => {
    const res = await viewer.get(`/api/periods/${encodeURIComponent(id)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(period);
  });

  it.each([
    ['2021W53', '2021W53: 2021 has only 52 ISO weeks'],
    ['202413', '202413: month must be 01–12'],
    ['20230229', '20230229: not a date (February 2023 has 28 days)'],
    ['2024q1', '2024q1: period ids are case-sensitive (write "Q", not "q"); did you mean 2024Q1?'],
    ['2024Q1 ', '"2024Q1 ": a period id contains no spaces'],
  ])('refuses %j with 400 INVALID_PERIOD naming the problem', async (id, message) => {
    const res = await viewer.get(`/api/periods/${encodeURIComponent(id)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID_PERIOD', message, details: expect.objectContaining({ value: id }) } });
  });

  it('refuses an unknown string with 400 in the error shape', async () => {
    const res = await viewer.get('/api/periods/abc');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_PERIOD', message: expect.stringMatching(/^abc: not a DHIS2 period id/) } });
    expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    const long = await viewer.get(`/api/periods/${'9'.repeat(150)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers 401 without a token, and with a revoked or made-up one', async () => {
    for (const client of [as(app, null), as(app, 'not-a-real-token')]) {
      const res = await client.get('/api/periods/2024Q1');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    // Even an invalid id: an anonymous caller learns nothing about the route.
    expect((await as(app, null).get('/api/periods/2021W53')).statusCode).toBe(401);
  });

  it('is documented in the API document', async () => {
    const doc = (await viewer.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { operationId: string }>> }>();
    expect(doc.paths['/api/periods/{id}']?.get?.operationId).toBe('getPeriod');
  });
});
