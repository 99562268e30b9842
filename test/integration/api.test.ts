import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { ROUTES } from '../../src/api/routes/index.js';
import { servicesFor } from '../../src/app.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

let app: FastifyInstance;
let drop: () => Promise<void>;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  const services = await servicesFor(fresh.store);
  app = await buildServer(services);
  admin = as(app, (await userWithToken(services, 'admin', [])).token);
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const get = (url: string) => admin.get(url);

/** Every failure has one shape and never leaks a stack trace. */
function expectError(res: { statusCode: number; body: string; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('HTTP API', () => {
  it('GET /api/health answers ok with the database kind and version', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'pglite', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('lists at least 170 countries with ISO3 codes, East Africa among them', async () => {
    const res = await get('/api/places?level=country');
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: { id: string; code: string; name: string; level: string; parentId: null }[]; total: number }>();
    expect(page.total).toBeGreaterThanOrEqual(170);
    expect(page.items).toHaveLength(page.total);
    for (const code of ['KEN', 'UGA', 'COD']) {
      expect(page.items.find((p) => p.code === code)).toMatchObject({ level: 'country', parentId: null, id: expect.any(String) });
    }
    expect(page.items.filter((p) => p.code).every((p) => /^[A-Z]{3}$/.test(p.code))).toBe(true);
  });

  it('pages, searches and filters by bounding box', async () => {
    const page = (await get('/api/places?level=country&limit=5&offset=5')).json<{ items: unknown[]; limit: number; offset: number }>();
    expect(page).toMatchObject({ limit: 5, offset: 5 });
    expect(page.items).toHaveLength(5);
    const uganda = (await get('/api/places?q=ugand&level=country')).json<{ items: { code: string }[] }>();
    expect(uganda.items.map((p) => p.code)).toEqual(['UGA']);
    // A box around Lake Victoria meets Kenya, Uganda and Tanzania but not Nigeria.
    const lake = (await get('/api/places?level=country&bbox=32,-2,34,0')).json<{ items: { code: string }[] }>();
    const codes = lake.items.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['KEN', 'UGA', 'TZA']));
    expect(codes).not.toContain('NGA');
  });

  it('returns one place with its prevalence series', async () => {
    const list = (await get('/api/places?code=KEN')).json<{ items: { id: string }[] }>();
    const res = await get(`/api/places/${list.items[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const kenya = res.json<{ name: string; code: string; hivPrevalence: Record<string, number> }>();
    expect(kenya).toMatchObject({ name: 'Kenya', code: 'KEN' });
    expect(kenya.hivPrevalence['1990']).toBeGreaterThan(0);
  });

  it('returns countries as GeoJSON with prevalence by year in the properties', async () => {
    const res = await get('/api/places?level=country&format=geojson');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = res.json<{
      type: string;
      features: { id: string; geometry: { type: string }; properties: { code: string; hivPrevalence: Record<string, number> } }[];
    }>();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThanOrEqual(170);
    const ken = fc.features.find((f) => f.properties.code === 'KEN')!;
    expect(['Polygon', 'MultiPolygon']).toContain(ken.geometry.type);
    expect(ken.id).toBe((ken.properties as unknown as { id: string }).id);
    expect(Object.keys(ken.properties.hivPrevalence)).toContain('2023');
  });

  it('answers an unknown place id with 404 PLACE_NOT_FOUND', async () => {
    expectError(await get('/api/places/doesNotExst'), 404, 'PLACE_NOT_FOUND');
  });

  it('answers malformed query parameters with 400, naming field and value', async () => {
    const level = await get('/api/places?level=planet');
    expectError(level, 400, 'VALIDATION_FAILED');
    expect(level.json()).toMatchObject({ error: { details: [{ field: 'level', value: 'planet' }] } });
    expectError(await get('/api/places?limit=-3'), 400, 'VALIDATION_FAILED');
    expectError(await get('/api/places?limit=many'), 400, 'VALIDATION_FAILED');
    expectError(await get('/api/places?bbox=1,2,3'), 400, 'VALIDATION_FAILED');
    expectError(await get('/api/places?bbox=10,0,5,1'), 400, 'VALIDATION_FAILED');
    expectError(await get('/api/places?format=kml'), 400, 'VALIDATION_FAILED');
    const typo = await get('/api/places?levle=country');
    expectError(typo, 400, 'VALIDATION_FAILED');
    expect(typo.json<{ error: { message: string } }>().error.message).toContain('unknown query parameter "levle"');
  });

  it('answers bad URLs, unknown endpoints and unsupported methods in the same shape', async () => {
    expectError(await get('/api/places/%ZZ'), 400, 'BAD_REQUEST');
    expectError(await get('/api/nothing-here'), 404, 'NOT_FOUND');
    expectError(await admin.send('DELETE', '/api/health'), 404, 'NOT_FOUND');
  });

  it('sends security headers', async () => {
    const res = await get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('documents every route in an OpenAPI 3.1 document built from the validating schemas', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      expect(doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const level = doc.paths['/api/places']!.get!.parameters.find((p) => p.name === 'level')!;
    expect(level.schema.enum).toEqual(['country', 'admin1', 'admin2', 'admin3', 'admin4', 'site']);
    expect(doc.components.schemas).toHaveProperty('Place');
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });
});
