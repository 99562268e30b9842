import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { ROLES, SYSTEM, type Role } from '../../src/domain/access.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * The access matrix: users of every role, each scoped to one country, call every endpoint the
 * server documents (so a new endpoint is covered automatically), in scope and out of scope.
 */
let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let routes: { method: string; path: string; public: boolean }[];
const clients = new Map<Role, ReturnType<typeof as>>();
let admin: ReturnType<typeof as>;
/** Ids and codes of everything Kenyan below country level (sites, areas) and of Kenyan policies. */
const kenyan = new Set<string>();
const ids: Record<string, { uga: string; ken: string }> = {};

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  admin = as(app, (await userWithToken(services, 'admin', [], 'root@test.org')).token);
  for (const role of ROLES) clients.set(role, as(app, (await userWithToken(services, role, ['UGA'])).token));

  const doc = (await admin.get('/api/openapi.json')).json<{
    paths: Record<string, Record<string, { security?: unknown[]; tags: string[]; operationId: string }>>;
  }>();
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path, public: ['getHealth', 'getOpenApi', 'login'].includes(ops[method]!.operationId) })),
  );

  const sites = (await admin.get('/api/sites')).json<{ items: { id: string; code: string; country: string }[] }>().items;
  for (const s of sites.filter((s) => s.country === 'KEN')) {
    kenyan.add(s.id);
    kenyan.add(s.code);
  }
  const places = (await admin.get('/api/places?limit=5000')).json<{ items: { id: string; code: string | null; level: string; parentId: string | null }[] }>()
    .items;
  const ken = places.find((p) => p.code === 'KEN')!;
  for (const p of places.filter((p) => p.parentId === ken.id && p.level !== 'site')) {
    kenyan.add(p.id);
    if (p.code) kenyan.add(p.code);
  }
  const policies = (await admin.get('/api/policies')).json<{ items: { id: string; country: string }[] }>().items;
  for (const p of policies.filter((p) => p.country === 'KEN')) kenyan.add(p.id);
  const pick = (list: { id: string; country: string }[]) => ({
    uga: list.find((x) => x.country === 'UGA')!.id,
    ken: list.find((x) => x.country === 'KEN')!.id,
  });
  ids.sites = pick(sites);
  ids.policies = pick(policies);
  ids.places = { uga: places.find((p) => p.code === 'UGA')!.id, ken: places.find((p) => p.parentId === ken.id && p.level !== 'site')!.id };
  const flows = (await admin.get('/api/flows')).json<{ items: { id: string; from: string; to: string }[] }>().items;
  const ugandan = (code: string) => code.startsWith('UG-') || code === 'UGA';
  const country = (code: string) => /^[A-Z]{3}$/.test(code);
  ids.flows = {
    uga: flows.find((f) => (ugandan(f.from) && (ugandan(f.to) || country(f.to))) || (ugandan(f.to) && country(f.from)))!.id,
    ken: flows.find((f) => kenyan.has(f.from) && kenyan.has(f.to))!.id,
  };
  const projects = (await admin.get('/api/projects')).json<{ items: { id: string; countries: string[] }[] }>().items;
  ids.projects = { uga: projects.find((p) => p.countries.includes('UGA'))!.id, ken: projects.find((p) => !p.countries.includes('UGA'))!.id };
  const corridors = (await admin.get('/api/corridors')).json<{ items: { id: string; places: { code: string }[] }[] }>().items;
  ids.corridors = {
    uga: corridors.find((c) => c.places.some((p) => p.code?.startsWith('UG-')))!.id,
    ken: corridors.find((c) => c.places.every((p) => !p.code?.startsWith('UG-') && p.code !== 'UGA'))?.id ?? 'none',
  };
  const groups = (await admin.get('/api/population-groups')).json<{ items: { id: string }[] }>().items;
  ids['population-groups'] = { uga: groups[0]!.id, ken: groups[0]!.id };
  const users = (await admin.get('/api/users')).json<{ items: { id: string; email: string }[] }>().items;
  ids.users = { uga: users.find((u) => u.email.startsWith('viewer'))!.id, ken: users.find((u) => u.email.startsWith('viewer'))!.id };
  ids.tokens = { uga: 'noSuchToken', ken: 'noSuchToken' };
  // M&E: the demo programme's quarterly data set at a Ugandan and a Kenyan border post.
  const site = (code: string) => sites.find((s) => s.code === code)!.id;
  ids.reportingSites = { uga: site('UG-MPONDWE-OSBP'), ken: site('KE-MALABA-OSBP') };
  const stored = (await admin.get(`/api/dataValueSets?dataSet=${DATA_SET}&period=2024Q1&orgUnit=${ids.reportingSites.uga}`)).json<{
    dataValues: { attributeOptionCombo: string }[];
  }>();
  aoc = stored.dataValues[0]!.attributeOptionCombo;
  const unit = { dataSet: DATA_SET, period: '2024Q1', orgUnit: ids.reportingSites.uga, attributeOptionCombo: aoc };
  BODIES['PUT /api/dataEntry/values'] = { ...unit, dataElement: 'CrdDeCondom', value: '1234' };
  BODIES['POST /api/completeDataSetRegistrations'] = unit;
  BODIES['POST /api/dataApprovals'] = unit;
  BODIES['PUT /api/minMaxValues'] = [{ dataElement: 'CrdDeCondom', orgUnit: ids.reportingSites.uga, categoryOptionCombo: 'HllvX50cXC0', min: 0, max: 5000 }];
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const DATA_SET = 'CRD_MIGRANT_HIV_QUARTERLY';
let aoc = '';
/** Endpoints about one reporting unit (data set, period, place, attribute option combo), given in the query. */
const UNIT_QUERY = ['/api/dataEntry/form', '/api/completeness', '/api/dataApprovals', '/api/validation', '/api/completeDataSetRegistrations'];

/** A URL for a documented path, with an in-scope or out-of-scope id (or reporting unit; a POST takes it in the body). */
function url(path: string, which: 'uga' | 'ken', method = 'GET'): string {
  if (UNIT_QUERY.includes(path) && method !== 'POST')
    return `${path}?dataSet=${DATA_SET}&period=2024Q1&orgUnit=${ids.reportingSites![which]}&attributeOptionCombo=${aoc}`;
  return path
    .replace(/\{category\}/, 'occupation_sector')
    .replace(/^\/api\/([a-z-]+)\/\{id\}/, (_m, kind: string) => `/api/${kind}/${ids[kind]?.[which] ?? 'unknownId'}`);
}

/** A valid body for each write, so that a refusal can only come from access control. */
const BODIES: Record<string, unknown> = {
  'POST /api/sites': { name: 'Test post', type: 'market', country: 'UGA', latitude: 0.35, longitude: 32.58 },
  'PUT /api/sites/{id}': { name: 'Renamed', type: 'market', country: 'UGA', latitude: 0.35, longitude: 32.58 },
  'PUT /api/sites/{id}/populations': [{ group: 'truck_drivers', sizeLow: 1, sizeHigh: 2 }],
  'PUT /api/sites/{id}/services': [{ service: 'hiv_testing', availability: 'full' }],
  'POST /api/taxonomy/{category}/options': { code: 'fishing_net_repair', name: 'Net repair' },
  'POST /api/population-groups': { code: 'net_menders', name: 'Net menders', options: {} },
  'PUT /api/population-groups/{id}': { code: 'general_population', name: 'General population', options: { migrant_status: 'non_migrant' } },
  'POST /api/corridors': { code: 'TEST_C', name: 'Test corridor', places: ['UGA', 'RWA'] },
  'PUT /api/corridors/{id}': { code: 'TEST_C2', name: 'Test corridor', places: ['UGA', 'RWA'] },
  'POST /api/flows': { from: 'UGA', to: 'RWA', periodStart: '2024-01-01', periodEnd: '2024-03-31', count: 5 },
  'PUT /api/flows/{id}': { from: 'UGA', to: 'RWA', periodStart: '2024-01-01', periodEnd: '2024-06-30', count: 7 },
  'POST /api/projects': { code: 'TEST_P', title: 'Test', status: 'planned', startDate: '2025-01-01', countries: ['UGA'] },
  'PUT /api/projects/{id}': { code: 'TEST_P2', title: 'Test', status: 'planned', startDate: '2025-01-01', countries: ['UGA'] },
  'POST /api/policies': { country: 'UGA', restriction: 'deportation', status: 'unclear', citation: 'test', lastVerified: '2025-01-01' },
  'PUT /api/policies/{id}': { country: 'UGA', restriction: 'entry_ban', status: 'none', citation: 'test', lastVerified: '2025-01-01' },
  'POST /api/users': { email: 'new@test.org', role: 'viewer', scopes: ['UGA'], password: 'a long enough password' },
  'PATCH /api/users/{id}': { role: 'analyst' },
  'POST /api/tokens': { name: 'x', email: 'root@test.org' },
  'POST /api/auth/login': { email: 'nobody@test.org', password: 'wrong password' },
  'POST /api/auth/password': { currentPassword: 'not my password', newPassword: 'a new long password' },
  'POST /api/metadata': { dataElements: [{ id: 'AccessTest1', name: 'Access test', valueType: 'NUMBER' }] },
  'POST /api/dataValueSets': { dataValues: [] },
  'POST /api/model/runs': {
    scenario: {
      name: 'access check',
      years: 1,
      places: [
        {
          code: 'A',
          name: 'A',
          population: [
            { sex: 'F', count: 20 },
            { sex: 'M', count: 20 },
          ],
        },
      ],
    },
  },
};
const isWrite = (m: string) => m !== 'GET';

/** Every string in a JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

async function auditCount(): Promise<number> {
  return (await services.store.repos.audit.recent(100_000)).filter((e) => !['login', 'login-failed'].includes(e.action) && e.objectType !== 'api-token').length;
}

describe('access matrix', () => {
  it('knows every route and has a valid body for every write', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((r) => isWrite(r.method) && r.method !== 'DELETE' && !(`${r.method} ${r.path}` in BODIES) && r.path !== '/api/auth/logout');
    expect(missing, 'add a body for these new write routes').toEqual([]);
  });

  it('answers anonymous callers 401 everywhere but health, the API document and login', async () => {
    const anonymous = as(app, null);
    for (const r of routes) {
      const res = isWrite(r.method)
        ? await anonymous.send(r.method as 'POST', url(r.path, 'uga', r.method), BODIES[`${r.method} ${r.path}`])
        : await anonymous.get(url(r.path, 'uga'));
      if (r.public) expect(res.body, `${r.method} ${r.path}`).not.toMatch(/log in first/);
      else {
        expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
        expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      }
    }
  });

  it('never lets a viewer or an analyst change anything', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const before = await auditCount();
      for (const r of routes.filter(
        (r) =>
          isWrite(r.method) &&
          !r.public && // What every user may do for themselves: log out, manage their own tokens and password.
          !['/api/auth/logout', '/api/auth/password', '/api/tokens', '/api/tokens/{id}'].includes(r.path) &&
          // An analyst may run the model (model:run): that changes no data, but starting a run is audited.
          !(role === 'analyst' && r.path.startsWith('/api/model/runs')),
      )) {
        for (const which of ['uga', 'ken'] as const) {
          const res = await clients.get(role)!.send(r.method as 'POST', url(r.path, which, r.method), BODIES[`${r.method} ${r.path}`]);
          expect([403, 404], `${role} ${r.method} ${r.path} (${which}) → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        }
      }
      expect(await auditCount(), `${role} changed something`).toBe(before);
    }
  });

  it('shows a Uganda-scoped user nothing Kenyan, in any list or export, whatever the role', async () => {
    expect(kenyan.size).toBeGreaterThan(10);
    for (const role of ROLES) {
      const client = clients.get(role)!;
      for (const r of routes.filter((r) => r.method === 'GET' && !r.path.includes('{'))) {
        for (const suffix of [
          '',
          r.path === '/api/sites' ? '?format=geojson' : '',
          r.path === '/api/sites' ? '?format=hxl' : '',
          r.path === '/api/sites' ? '?format=csv' : '',
          r.path === '/api/corridors' ? '?format=geojson' : '',
          r.path === '/api/flows' ? '?aggregate=route' : '',
        ]) {
          const res = await client.get(url(r.path, 'uga') + suffix);
          if (res.statusCode !== 200) {
            expect([403], `${role} GET ${r.path}${suffix} → ${res.statusCode}`).toContain(res.statusCode);
            continue;
          }
          const body = String(res.headers['content-type']).includes('json') ? strings(res.json()) : res.body.split(/[\n,]/);
          const leaks = body.filter((s) => kenyan.has(s));
          expect(leaks, `${role} GET ${r.path}${suffix}`).toEqual([]);
        }
      }
    }
  });

  it('answers a Uganda-scoped user 404 for a Kenyan object, and refuses to change one', async () => {
    for (const role of ROLES) {
      const client = clients.get(role)!;
      for (const kind of ['sites', 'policies', 'flows', 'projects']) {
        expect((await client.get(`/api/${kind}/${ids[kind]!.ken}`)).statusCode, `${role} ${kind}`).toBe(404);
        expect((await client.get(`/api/${kind}/${ids[kind]!.uga}`)).statusCode, `${role} ${kind} in scope`).toBe(200);
      }
      expect((await client.get(`/api/places/${ids.places!.ken}`)).statusCode).toBe(404);
      for (const path of UNIT_QUERY.filter((p) => p !== '/api/completeDataSetRegistrations')) {
        expect((await client.get(url(path, 'ken'))).statusCode, `${role} ${path}`).toBe(404);
        expect((await client.get(url(path, 'uga'))).statusCode, `${role} ${path} in scope`).toBe(200);
      }
    }
    const before = await auditCount();
    for (const role of ['data_entry', 'country_manager', 'admin'] as const) {
      const client = clients.get(role)!;
      expect((await client.send('PUT', `/api/sites/${ids.sites!.ken}`, BODIES['PUT /api/sites/{id}'])).statusCode).toBe(404);
      expect((await client.send('DELETE', `/api/policies/${ids.policies!.ken}`)).statusCode).toBe(404);
      for (const [method, path] of [
        ['PUT', '/api/dataEntry/values'],
        ['POST', '/api/completeDataSetRegistrations'],
        ['POST', '/api/dataApprovals'],
      ] as const) {
        if (method === 'POST' && path === '/api/dataApprovals' && role === 'data_entry') continue;
        const body = { ...(BODIES[`${method} ${path}`] as object), orgUnit: ids.reportingSites!.ken };
        expect((await client.send(method, path, body)).statusCode, `${role} ${method} ${path}`).toBe(404);
      }
      const kenSite = { name: 'Sneaky', type: 'market', country: 'KEN', latitude: -1.28, longitude: 36.82 };
      expect((await client.send('POST', '/api/sites', kenSite)).statusCode).toBe(403);
    }
    expect(await auditCount()).toBe(before);
  });

  it('lets data entry and country managers write within their scope, and only managers and admins read the audit trail', async () => {
    for (const role of ['data_entry', 'country_manager'] as const) {
      const res = await clients.get(role)!.send('PUT', `/api/sites/${ids.sites!.uga}/services`, BODIES['PUT /api/sites/{id}/services']);
      expect(res.statusCode, role).toBe(200);
    }
    expect((await clients.get('data_entry')!.get('/api/audit')).statusCode).toBe(403);
    const audit = (await clients.get('country_manager')!.get('/api/audit?limit=1000')).json<{ items: { objectId: string | null; actor: string }[] }>().items;
    expect(audit.some((e) => e.actor === 'data_entry-uga@test.org')).toBe(true);
    expect(strings(audit).filter((s) => kenyan.has(s))).toEqual([]);
    const all = (await admin.get('/api/audit?limit=1000')).json<{ items: { objectId: string | null }[] }>().items;
    expect(strings(all).some((s) => kenyan.has(s))).toBe(true);
  });

  it("offers as audit filters what the reader's part of the trail holds, with the counts a filter then finds", async () => {
    expect((await clients.get('data_entry')!.get('/api/audit/facets')).statusCode).toBe(403);
    type Facets = Record<'actions' | 'objectTypes' | 'actors', { value: string; count: number }[]>;
    for (const client of [admin, clients.get('country_manager')!]) {
      const facets = (await client.get('/api/audit/facets')).json<Facets>();
      expect(facets.actions.length).toBeGreaterThan(0);
      for (const [facet, param] of [
        ['actions', 'action'],
        ['objectTypes', 'objectType'],
        ['actors', 'actor'],
      ] as const) {
        for (const { value, count } of facets[facet]) {
          const page = (await client.get(`/api/audit?${param}=${encodeURIComponent(value)}&limit=1`)).json<{ total: number }>();
          expect(page.total, `${facet} ${value}`).toBe(count);
        }
      }
    }
    // A Ugandan manager's choices name nobody who wrote only in Kenya.
    const manager = (await clients.get('country_manager')!.get('/api/audit/facets')).json<Facets>();
    expect(manager.actors.map((a) => a.value)).toContain('data_entry-uga@test.org');
    expect(manager.actors.map((a) => a.value).filter((a) => kenyan.has(a))).toEqual([]);
  });

  it('audits every write of every endpoint with its actor', async () => {
    const root = 'root@test.org';
    // (Logout with a token ends no session: there is nothing to record.)
    const writes = routes.filter((r) => isWrite(r.method) && !r.public && r.path !== '/api/auth/logout');
    // Deletions last, so that the other writes find their objects.
    writes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    let succeeded = 0;
    for (const r of writes) {
      const before = (await services.store.repos.audit.recent(1))[0]?.id ?? 0;
      const res = await admin.send(r.method as 'POST', url(r.path, 'uga', r.method), BODIES[`${r.method} ${r.path}`]);
      if (res.statusCode >= 300) continue;
      succeeded++;
      const added = (await services.store.repos.audit.recent(20)).filter((e) => e.id > before);
      expect(added.length, `${r.method} ${r.path} left no audit entry`).toBeGreaterThan(0);
      expect(
        added.some((e) => e.actor === root),
        `${r.method} ${r.path}`,
      ).toBe(true);
    }
    expect(succeeded).toBeGreaterThan(10);
  });

  it('audits every write with its actor, before and after', async () => {
    const entries = await services.store.repos.audit.recent(1000);
    const write = entries.find((e) => e.actor === 'country_manager-uga@test.org' && e.objectType === 'site-services')!;
    expect(write).toMatchObject({ action: 'update', objectId: ids.sites!.uga });
    expect(write.before).toBeDefined();
    expect(write.after).toEqual([{ service: 'hiv_testing', availability: 'full', languages: [], servesUndocumented: null, onSite: true }]);
    expect(entries.some((e) => e.actor === 'system' && e.objectType === 'user')).toBe(true);
    void SYSTEM;
  });
});
