import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * Records that span countries (issue 10, defects 2 and 3): a Uganda-scoped user sees a filtered
 * view of them and must never write that view back over the parts it cannot see.
 */
let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let root: ReturnType<typeof as>;
const ug = {} as Record<'data_entry' | 'country_manager' | 'admin', ReturnType<typeof as>>;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  root = as(app, (await userWithToken(services, 'admin', [], 'root@test.org')).token);
  for (const role of ['data_entry', 'country_manager', 'admin'] as const) ug[role] = as(app, (await userWithToken(services, role, ['UGA'])).token);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

type Corridor = { id: string; code: string; name: string; places: { code: string }[] };
type Project = { id: string; code: string; title: string; countries: string[]; sites: string[] } & Record<string, unknown>;
const byCode = async <T extends { code: string }>(path: string, code: string) =>
  (await root.get(`${path}?limit=1000`)).json<{ items: T[] }>().items.find((x) => x.code === code)!;

describe('corridors that span countries', () => {
  it('refuses a Uganda-scoped user replacing or deleting the Northern Corridor, and keeps it whole', async () => {
    const stored = await byCode<Corridor>('/api/corridors', 'NORTHERN_CORRIDOR');
    expect(stored.places).toHaveLength(10);
    for (const client of Object.values(ug)) {
      const view = (await client.get(`/api/corridors/${stored.id}`)).json<Corridor>();
      expect(view.places.map((p) => p.code)).toEqual(['UG-OWINO-MKT', 'UG-LUKAYA-TS', 'UG-KATUNA-OSBP']);
      const put = await client.send('PUT', `/api/corridors/${stored.id}`, { code: stored.code, name: 'Kampala loop', places: view.places.map((p) => p.code) });
      expect(put.statusCode).toBe(403);
      expect(put.json().error.message).toMatch(/corridor NORTHERN_CORRIDOR .* also covers places outside your scope/);
      expect(put.body).not.toMatch(/KE-|RW-/);
      expect((await client.send('DELETE', `/api/corridors/${stored.id}`)).statusCode).toBe(403);
    }
    expect((await root.get(`/api/corridors/${stored.id}`)).json()).toEqual(stored);
  });

  it('lets a Uganda-scoped user edit a corridor wholly within Uganda, and not see one wholly elsewhere', async () => {
    const created = await ug.data_entry.send('POST', '/api/corridors', {
      code: 'KLA_LOCAL',
      name: 'Kampala local',
      places: ['UGA', 'UG-OWINO-MKT', 'UG-LUKAYA-TS'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<Corridor>().id;
    expect(
      (await ug.data_entry.send('PUT', `/api/corridors/${id}`, { code: 'KLA_LOCAL', name: 'Kampala local route', places: ['UG-OWINO-MKT', 'UG-LUKAYA-TS'] }))
        .statusCode,
    ).toBe(200);
    expect((await ug.country_manager.send('DELETE', `/api/corridors/${id}`)).statusCode).toBe(204);
    const central = await byCode<Corridor>('/api/corridors', 'CENTRAL_CORRIDOR');
    expect((await ug.admin.send('DELETE', `/api/corridors/${central.id}`)).statusCode).toBe(404);
  });
});

describe('projects that span countries', () => {
  it('keeps the parts outside the scope when a Uganda-scoped user writes back its view of Lake Victoria', async () => {
    const stored = await byCode<Project>('/api/projects', 'DEMO-LAKE-VICTORIA');
    expect(stored.countries.sort()).toEqual(['KEN', 'TZA', 'UGA']);
    const view = (await ug.country_manager.get(`/api/projects/${stored.id}`)).json<Project>();
    expect(view.sites.sort()).toEqual(['UG-GGABA-LANDING', 'UG-KASENYI-LANDING', 'UG-LUKAYA-TS']);
    const { id: _i, totalUsd: _t, ...body } = view;
    // The view written back, less one Ugandan site: Kenya, Tanzania and their sites stay.
    const res = await ug.country_manager.send('PUT', `/api/projects/${stored.id}`, {
      ...body,
      countries: ['UGA'],
      sites: ['UG-GGABA-LANDING', 'UG-KASENYI-LANDING'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Project>().sites.sort()).toEqual(['UG-GGABA-LANDING', 'UG-KASENYI-LANDING']);
    const after = (await root.get(`/api/projects/${stored.id}`)).json<Project>();
    expect(after.countries.sort()).toEqual(['KEN', 'TZA', 'UGA']);
    expect(after.sites.sort()).toEqual(stored.sites.filter((s) => s !== 'UG-LUKAYA-TS').sort());
    expect(after.title).toBe(stored.title);
    // The view written back as it is (all its countries, its visible sites) changes nothing.
    const again = (await ug.data_entry.get(`/api/projects/${stored.id}`)).json<Project>();
    const { id: _j, totalUsd: _u, ...same } = again;
    expect((await ug.data_entry.send('PUT', `/api/projects/${stored.id}`, same)).statusCode).toBe(200);
    expect((await root.get(`/api/projects/${stored.id}`)).json()).toEqual(after);
    // A country outside the scope that the project does not have yet is refused.
    const res2 = await ug.data_entry.send('PUT', `/api/projects/${stored.id}`, { ...same, countries: [...same.countries, 'RWA'] });
    expect(res2.statusCode).toBe(403);
  });

  it('refuses renaming, changing its own fields or deleting a project that reaches outside the scope', async () => {
    const stored = await byCode<Project>('/api/projects', 'DEMO-LAKE-VICTORIA');
    const { id: _i, totalUsd: _t, ...body } = (await ug.data_entry.get(`/api/projects/${stored.id}`)).json<Project>();
    for (const change of [{ title: 'Kampala fishing' }, { code: 'UG-ONLY' }, { status: 'closed' }, { donors: [] }]) {
      const res = await ug.data_entry.send('PUT', `/api/projects/${stored.id}`, { ...body, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(403);
      expect(res.json().error.message).toMatch(/project DEMO-LAKE-VICTORIA .* also covers places outside your scope/);
      expect(res.body).not.toMatch(/KE-DUNGA|TZ-MWANZA/);
    }
    // The demo loader's upsert (by code) follows the same rule.
    const ugAdmin = {
      label: 'ug-admin',
      userId: null,
      role: 'admin' as const,
      scopePaths: [(await services.store.repos.places.pathOf((await services.store.repos.places.findByCode('UGA'))!.id))!],
    };
    await expect(
      services.portfolio.createProject(ugAdmin, { ...body, countries: ['UGA'], title: 'Kampala fishing' } as never, { upsert: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      services.corridors.create(ugAdmin, { code: 'NORTHERN_CORRIDOR', name: 'Kampala loop', places: ['UGA'], illustrative: false }, { upsert: true }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const client of Object.values(ug)) expect((await client.send('DELETE', `/api/projects/${stored.id}`)).statusCode).toBe(403);
    expect((await root.get(`/api/projects/${stored.id}`)).json()).toEqual(stored);
    // An actor covering all of it may.
    expect(
      (
        await root.send('PUT', `/api/projects/${stored.id}`, {
          ...body,
          countries: stored.countries,
          sites: stored.sites,
          title: 'Lake Victoria fishing communities',
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('cross-border flows and shared reference data', () => {
  it('refuses a Uganda-scoped user deleting a flow from the DR Congo, and lets it delete one within Uganda', async () => {
    const flows = (await ug.data_entry.get('/api/flows?limit=1000')).json<{ items: { id: string; from: string; to: string }[] }>().items;
    const cross = flows.find((f) => f.from === 'COD')!;
    const res = await ug.data_entry.send('DELETE', `/api/flows/${cross.id}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/^flow COD → UG-NYAKABANDE-TC .* also covers places outside your scope/);
    expect((await root.get(`/api/flows/${cross.id}`)).statusCode).toBe(200);
    const local = flows.find((f) => f.from.startsWith('UG-') && f.to.startsWith('UG-'))!;
    expect((await ug.data_entry.send('DELETE', `/api/flows/${local.id}`)).statusCode).toBe(204);
  });

  it('lets a scoped admin add population groups and taxonomy options, but change existing ones only an unscoped admin', async () => {
    const groups = (await root.get('/api/population-groups')).json<{ items: { id: string; code: string; name: string; options: object }[] }>().items;
    const g = groups[0]!;
    const put = await ug.admin.send('PUT', `/api/population-groups/${g.id}`, { code: g.code, name: 'Renamed', options: g.options });
    expect(put.statusCode).toBe(403);
    expect(put.json().error.message).toMatch(/shared by every country/);
    expect((await ug.admin.send('DELETE', `/api/population-groups/${g.id}`)).statusCode).toBe(403);
    expect((await ug.admin.send('POST', '/api/population-groups', { code: 'ug_boda', name: 'Boda-boda riders', options: {} })).statusCode).toBe(201);
    const tax = (await root.get('/api/taxonomy')).json<{ categories: { code: string; options: { code: string; name: string }[] }[] }>().categories;
    const sector = tax.find((c) => c.code === 'occupation_sector')!;
    expect((await ug.admin.send('POST', '/api/taxonomy/occupation_sector/options', { code: sector.options[0]!.code, name: 'Renamed' })).statusCode).toBe(403);
    expect((await ug.admin.send('POST', '/api/taxonomy/occupation_sector/options', { code: 'boda_boda', name: 'Boda-boda' })).statusCode).toBe(201);
    expect((await root.get('/api/taxonomy')).json<{ categories: typeof tax }>().categories.find((c) => c.code === 'occupation_sector')!.options[0]).toEqual(
      sector.options[0],
    );
  });
});

describe('metadata imports by a scoped admin', () => {
  const SET = 'CrdDsQuartr';
  const setPayload = async (places: string[]) => {
    const s = (await services.store.repos.metadata.dataSet(SET))!;
    return {
      id: s.id,
      code: s.code ?? undefined,
      name: s.name,
      periodType: s.periodType,
      categoryCombo: { id: s.comboId },
      description: s.description ?? undefined,
      timelyDays: s.timelyDays,
      dataSetElements: s.elements.map((id) => ({ dataElement: { id } })),
      organisationUnits: places.map((id) => ({ id })),
    };
  };
  const placeIds = async (codes: string[]) => Promise.all(codes.map(async (c) => (await services.store.repos.places.findByCode(c))!.id));

  it('keeps a data set’s assignments outside the scope, and audits the lists before and after', async () => {
    const before = (await services.store.repos.metadata.dataSet(SET))!.places;
    expect(before.length).toBeGreaterThan(20);
    const [mpondwe] = await placeIds(['UG-MPONDWE-OSBP']);
    const res = await ug.admin.send('POST', '/api/metadata', { dataSets: [await setPayload([mpondwe!])] });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await services.store.repos.metadata.dataSet(SET))!.places;
    const ugandan = new Set(
      await placeIds([
        'UG-LUKAYA-TS',
        'UG-KATUNA-OSBP',
        'UG-GGABA-LANDING',
        'UG-KASENYI-LANDING',
        'UG-NAKIVALE',
        'UG-KYANGWALI',
        'UG-NYAKABANDE-TC',
        'UG-BUBUKWANGA-TC',
        'UG-ELEGU-OSBP',
      ]),
    );
    expect(after.sort()).toEqual(before.filter((p) => !ugandan.has(p)).sort());
    const entry = (await services.store.repos.audit.recent(50)).find((e) => e.objectType === 'data-set' && e.objectId === SET)!;
    expect(entry).toMatchObject({ action: 'update', actor: 'admin-uga@test.org' });
    expect((entry.before as { places: string[] }).places.sort()).toEqual([...before].sort());
    expect((entry.after as { places: string[] }).places.sort()).toEqual([...after].sort());
    expect((entry.details as { placesRemoved: string[] }).placesRemoved.sort()).toEqual([...ugandan].filter((p) => before.includes(p)).sort());
  });

  it('audits an unscoped admin’s cut so the old list can be recovered', async () => {
    const before = (await services.store.repos.metadata.dataSet(SET))!.places;
    expect((await root.send('POST', '/api/metadata', { dataSets: [await setPayload(before.slice(0, 1))] })).statusCode).toBe(200);
    const entry = (await services.store.repos.audit.recent(50)).find((e) => e.objectType === 'data-set' && e.objectId === SET)!;
    expect((entry.before as { places: string[] }).places.sort()).toEqual([...before].sort());
    expect((entry.details as { placesRemoved: string[] }).placesRemoved).toHaveLength(before.length - 1);
    expect((await root.send('POST', '/api/metadata', { dataSets: [await setPayload((entry.before as { places: string[] }).places)] })).statusCode).toBe(200);
    expect((await services.store.repos.metadata.dataSet(SET))!.places.sort()).toEqual([...before].sort());
  });

  it('refuses org units outside the scope, naming each of them', async () => {
    const [ken, rwa] = await placeIds(['KEN', 'RWA']);
    const res = await ug.admin.send('POST', '/api/metadata', {
      organisationUnits: [
        { id: 'KeNewUnit01', name: 'Kenyan unit', parent: { id: ken! } },
        { id: 'RwNewUnit01', name: 'Rwandan unit', parent: { id: rwa! } },
      ],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/KeNewUnit01 \(Kenyan unit\).*RwNewUnit01 \(Rwandan unit\)/);
    expect(await services.store.repos.places.findById('KeNewUnit01')).toBeNull();
  });

  it('lets a scoped admin create shared objects but change existing ones only an unscoped admin', async () => {
    const created = await ug.admin.send('POST', '/api/metadata', { dataElements: [{ id: 'UgNewElem01', name: 'Uganda new element', valueType: 'NUMBER' }] });
    expect(created.statusCode, created.body).toBe(200);
    const entry = (await services.store.repos.audit.recent(20)).find((e) => e.objectType === 'data-element' && e.objectId === 'UgNewElem01')!;
    expect(entry).toMatchObject({ action: 'create', before: null, after: { id: 'UgNewElem01', name: 'Uganda new element' } });
    const existing = (await services.store.repos.metadata.dataElements())[0]!;
    const change = await ug.admin.send('POST', '/api/metadata', {
      dataElements: [{ id: existing.id, name: 'Renamed by Uganda', valueType: existing.valueType, categoryCombo: { id: existing.comboId } }],
    });
    expect(change.statusCode).toBe(403);
    expect(change.json().error.message).toMatch(new RegExp(`shared metadata.*dataElements ${existing.id} .*name`));
    expect((await services.store.repos.metadata.dataElements()).find((d) => d.id === existing.id)!.name).toBe(existing.name);
    const s = await setPayload([]);
    const rename = await ug.admin.send('POST', '/api/metadata', { dataSets: [{ ...s, name: 'Uganda set', organisationUnits: undefined }] });
    expect(rename.statusCode).toBe(403);
    const renamed = await root.send('POST', '/api/metadata', {
      dataElements: [{ id: existing.id, name: 'Renamed', valueType: existing.valueType, categoryCombo: { id: existing.comboId } }],
    });
    expect(renamed.statusCode).toBe(200);
    const update = (await services.store.repos.audit.recent(20)).find((e) => e.objectType === 'data-element' && e.objectId === existing.id)!;
    expect(update).toMatchObject({
      action: 'update',
      before: { name: existing.name },
      after: { name: 'Renamed' },
      details: { changed: expect.arrayContaining(['name']) },
    });
  });
});
