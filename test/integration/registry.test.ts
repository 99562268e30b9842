import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { parseCsv } from '../../src/lib/csv.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

let app: FastifyInstance;
let services: Services;
let client: ReturnType<typeof as>;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  // A new database: the bundled world and the demo world load as on a first start.
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  const { token } = await userWithToken(services, 'admin', []);
  client = as(app, token);
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

const get = (url: string) => client.get(url);
const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => client.send(method, url, payload);

interface SiteItem {
  id: string;
  code: string;
  name: string;
  type: string;
  country: string;
  latitude: number;
  longitude: number;
  illustrative: boolean;
}

async function allSites(): Promise<SiteItem[]> {
  return (await get('/api/sites')).json<{ items: SiteItem[] }>().items;
}

describe('the demo world', () => {
  it('has at least 30 sites in at least 6 countries and of at least 6 types, each with id, name, type, country and position', async () => {
    const sites = await allSites();
    expect(sites.length).toBeGreaterThanOrEqual(30);
    expect(new Set(sites.map((s) => s.country)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(sites.map((s) => s.type)).size).toBeGreaterThanOrEqual(6);
    for (const s of sites) {
      expect(s).toMatchObject({ id: expect.any(String), name: expect.any(String), type: expect.any(String), country: expect.stringMatching(/^[A-Z]{3}$/) });
      expect(Math.abs(s.latitude)).toBeLessThanOrEqual(90);
      expect(s.illustrative).toBe(true);
    }
    // Every type of space of vulnerability that DESIGN §2.1 names.
    const types = new Set(sites.map((s) => s.type));
    for (const t of ['land_border_post', 'port', 'mine', 'construction_site', 'farm_compound', 'truck_stop', 'fishing_landing']) expect(types).toContain(t);
  });

  it('has at least 3 corridors, the Northern Corridor from Mombasa through Malaba to Kampala among them, with flows', async () => {
    const corridors = (await get('/api/corridors')).json<{ items: { code: string; places: { code: string; name: string }[] }[] }>().items;
    expect(corridors.length).toBeGreaterThanOrEqual(3);
    const northern = corridors.find((c) => c.code === 'NORTHERN_CORRIDOR')!;
    const names = northern.places.map((p) => p.name).join(' | ');
    expect(names).toMatch(/Mombasa/);
    expect(names).toMatch(/Malaba/);
    expect(names).toMatch(/Kampala/);
    const flows = (await get('/api/flows?corridor=NORTHERN_CORRIDOR')).json<{ total: number }>();
    expect(flows.total).toBeGreaterThan(0);
    const routes = (await get('/api/flows?aggregate=route')).json<{ items: { count: number; fromLatitude: number | null }[] }>().items;
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.every((r) => r.count > 0 && r.fromLatitude !== null)).toBe(true);
  });

  it('shows a site profile with populations (low–high estimates), services and gaps, and area totals', async () => {
    const sites = await allSites();
    let withGaps = 0;
    for (const s of sites) {
      const d = (await get(`/api/sites/${s.id}`)).json<{
        populations: { sizeLow: number; sizeHigh: number; sizeEstimate: number }[];
        services: { availability: string }[];
        gaps: { group: string; service: string; severity: string }[];
        totals: { sizeLow: number; sizeHigh: number; sizeEstimate: number };
      }>();
      for (const p of d.populations) {
        expect(p.sizeLow).toBeLessThanOrEqual(p.sizeHigh);
        expect(p.sizeEstimate).toBe((p.sizeLow + p.sizeHigh) / 2);
      }
      expect(d.totals.sizeLow).toBe(d.populations.reduce((a, p) => a + p.sizeLow, 0));
      expect(d.totals.sizeHigh).toBe(d.populations.reduce((a, p) => a + p.sizeHigh, 0));
      expect(d.totals.sizeEstimate).toBe((d.totals.sizeLow + d.totals.sizeHigh) / 2);
      if (d.gaps.length > 0) withGaps++;
    }
    expect(withGaps).toBeGreaterThan(0);
    const malaba = sites.find((s) => /Malaba/.test(s.name))!;
    const profile = (await get(`/api/sites/${malaba.id}`)).json<{ populations: unknown[]; services: unknown[]; countryName: string }>();
    expect(profile.populations.length).toBeGreaterThan(0);
    expect(profile.services.length).toBeGreaterThan(0);
  });

  it('sums size estimates over an area: lows and highs added, the estimate their midpoint', async () => {
    const totals = (await get('/api/population-totals?country=UGA')).json<{
      sites: number;
      groups: { group: string; sizeLow: number; sizeHigh: number; sizeEstimate: number }[];
      total: { sizeLow: number; sizeHigh: number; sizeEstimate: number };
    }>();
    const sites = (await get('/api/sites?country=UGA')).json<{ items: { id: string }[] }>().items;
    expect(totals.sites).toBe(sites.length);
    let low = 0;
    let high = 0;
    for (const s of sites) {
      const d = (await get(`/api/sites/${s.id}`)).json<{ totals: { sizeLow: number; sizeHigh: number } }>();
      low += d.totals.sizeLow;
      high += d.totals.sizeHigh;
    }
    expect(totals.total).toEqual({ sizeLow: low, sizeHigh: high, sizeEstimate: (low + high) / 2 });
    expect(totals.groups.reduce((a, g) => a + g.sizeLow, 0)).toBe(low);
    for (const g of totals.groups) expect(g.sizeEstimate).toBe((g.sizeLow + g.sizeHigh) / 2);
  });

  it('lists projects and policies with citations, and country statuses for the map', async () => {
    const projects = (await get('/api/projects')).json<{ items: { totalUsd: number; countries: string[] }[] }>().items;
    expect(projects.length).toBeGreaterThan(0);
    expect(projects.every((p) => p.countries.length > 0)).toBe(true);
    const policies = (await get('/api/policies')).json<{ items: { citation: string; lastVerified: string }[] }>().items;
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.every((p) => p.citation.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(p.lastVerified))).toBe(true);
    const statuses = (await get('/api/policies/status-by-country')).json<{ items: { status: string }[] }>().items;
    expect(statuses.length).toBeGreaterThanOrEqual(6);
    const counts = (await get('/api/policies/reference-counts')).json<{ items: { count: number; source: string }[] }>().items;
    expect(counts.find((c) => c.count === 48)).toBeDefined();
  });

  it('carries UN DESA migrant stock on countries', async () => {
    const ken = (await get('/api/places?code=KEN')).json<{ items: { id: string }[] }>().items[0]!;
    const detail = (await get(`/api/places/${ken.id}`)).json<{ migrantStock: Record<string, number>; migrantSharePercent: Record<string, number> }>();
    expect(detail.migrantStock['2020']).toBe(1050147);
    expect(detail.migrantSharePercent['2020']).toBeCloseTo(1.95, 2);
  });
});

describe('site exports', () => {
  it('writes HXL-tagged CSV with a valid hashtag row', async () => {
    const res = await get('/api/sites?format=hxl');
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const [header, tags, first] = parseCsv(res.body).map((r) => r.fields);
    expect(header!.slice(0, 2)).toEqual(['Site code', 'Site name']);
    const hashtags = tags!;
    // HXL 1.1: a hashtag, then attributes, lowercase letters, digits and underscores.
    for (const tag of hashtags) expect(tag).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
    expect(hashtags).toEqual(expect.arrayContaining(['#loc+name', '#loc+code', '#loc+type', '#geo+lat', '#geo+lon', '#country+code']));
    expect(first!.length).toBe(hashtags.length);
  });

  it('writes GeoJSON points with population totals and gap counts', async () => {
    const fc = (await get('/api/sites?format=geojson&country=KEN')).json<{
      features: {
        geometry: { coordinates: number[] };
        properties: { id: string; country: string; gapCount: number; totals: object; latitude: number; longitude: number };
      }[];
    }>();
    expect(fc.features.length).toBeGreaterThan(0);
    let gaps = 0;
    for (const f of fc.features) {
      expect(f.properties.country).toBe('KEN');
      expect(f.geometry.coordinates).toEqual([f.properties.longitude, f.properties.latitude]);
      // Each point's count is the length of its site's list of gaps (from its populations and services).
      const profile = (await get(`/api/sites/${f.properties.id}`)).json<{ gaps: unknown[] }>();
      expect(f.properties.gapCount, f.properties.id).toBe(profile.gaps.length);
      gaps += profile.gaps.length;
    }
    // The demo world's Kenyan sites have gaps: a count stuck at 0 would not pass.
    expect(gaps).toBeGreaterThan(0);
  });
});

describe('editing the registry', () => {
  const newSite = { name: 'Lwakhakha border post', type: 'land_border_post', country: 'KEN', latitude: 0.79, longitude: 34.39 };

  it('creates, edits and deletes a site, auditing every write', async () => {
    const created = await send('POST', '/api/sites', newSite);
    expect(created.statusCode).toBe(201);
    const site = created.json<{ id: string; code: string }>();
    const updated = await send('PUT', `/api/sites/${site.id}`, { ...newSite, name: 'Lwakhakha OSBP', operatingHours: '06:00–22:00' });
    expect(updated.json()).toMatchObject({ name: 'Lwakhakha OSBP', operatingHours: '06:00–22:00' });
    const pops = await send('PUT', `/api/sites/${site.id}/populations`, [{ group: 'truck_drivers', sizeLow: 40, sizeHigh: 90 }]);
    expect(pops.json()).toMatchObject({ totals: { sizeLow: 40, sizeHigh: 90, sizeEstimate: 65 } });
    const services = await send('PUT', `/api/sites/${site.id}/services`, [{ service: 'hiv_testing', availability: 'full' }]);
    const gaps = services.json<{ gaps: { service: string }[] }>().gaps.map((g) => g.service);
    expect(gaps).toContain('art_refill');
    expect(gaps).not.toContain('hiv_testing');
    expect((await send('DELETE', `/api/sites/${site.id}`)).statusCode).toBe(204);
    expect((await get(`/api/sites/${site.id}`)).statusCode).toBe(404);
  });

  it('makes a readable, unique code for a site created without one', async () => {
    const first = (await send('POST', '/api/sites', { ...newSite, name: 'Lwakhakha Border Post' })).json<{ id: string; code: string }>();
    const second = (await send('POST', '/api/sites', { ...newSite, name: 'Lwakhakha border post' })).json<{ id: string; code: string }>();
    expect(first.code).toBe('KEN-LWAKHAKHA-BORDER-POST');
    expect(second.code).toBe('KEN-LWAKHAKHA-BORDER-POST-2');
    for (const s of [first, second]) expect((await send('DELETE', `/api/sites/${s.id}`)).statusCode).toBe(204);
  });

  it('answers bad sites with 4xx naming the field, and writes nothing', async () => {
    const before = (await allSites()).length;
    const cases: [unknown, string][] = [
      [{ ...newSite, latitude: undefined }, 'latitude'],
      [{ ...newSite, type: 'airport' }, 'type'],
      [{ ...newSite, latitude: 123 }, 'latitude'],
      [{ ...newSite, latitude: 9.5 }, 'latitude'], // inside the range of latitudes, outside Kenya
      [{ ...newSite, country: 'XXX' }, 'country'],
    ];
    for (const [body, field] of cases) {
      const res = await send('POST', '/api/sites', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const err = res.json<{ error: { code: string; details: { field: string }[] } }>().error;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.details.map((d) => d.field)).toContain(field);
    }
    const site = (await allSites())[0]!;
    const bad = await send('PUT', `/api/sites/${site.id}/populations`, [{ group: 'truck_drivers', sizeLow: 500, sizeHigh: 100 }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { field: string }[] } }>().error.details[0]!.field).toBe('0.sizeLow');
    const unknownGroup = await send('PUT', `/api/sites/${site.id}/populations`, [
      { group: 'truck_drivers', sizeLow: 1, sizeHigh: 2 },
      { group: 'astronauts', sizeLow: 1, sizeHigh: 2 },
    ]);
    expect(unknownGroup.statusCode).toBe(400);
    // The first, valid row was not written either.
    const profile = (await get(`/api/sites/${site.id}`)).json<{ populations: { group: string; sizeLow: number }[] }>();
    expect(profile.populations.find((p) => p.group === 'truck_drivers' && p.sizeLow === 1)).toBeUndefined();
    expect((await allSites()).length).toBe(before);
  });

  it('refuses to delete a site that a corridor or a flow names', async () => {
    const malaba = (await allSites()).find((s) => /Malaba/.test(s.name))!;
    const res = await send('DELETE', `/api/sites/${malaba.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/corridor/);
  });

  it('validates flows, corridors, projects and policies', async () => {
    const flow = { from: 'KEN', to: 'UGA', periodStart: '2024-01-01', periodEnd: '2024-03-31', count: 10 };
    expect((await send('POST', '/api/flows', flow)).statusCode).toBe(201);
    expect((await send('POST', '/api/flows', { ...flow, periodEnd: '2023-12-31' })).json()).toMatchObject({ error: { details: [{ field: 'periodEnd' }] } });
    expect((await send('POST', '/api/flows', { ...flow, to: 'NOWHERE' })).json()).toMatchObject({ error: { details: [{ field: 'to', value: 'NOWHERE' }] } });
    expect((await send('POST', '/api/flows', { ...flow, count: -1 })).statusCode).toBe(400);
    expect((await send('POST', '/api/corridors', { code: 'X', name: 'X', places: ['KEN', 'ATLANTIS'] })).json()).toMatchObject({
      error: { details: [{ field: 'places.1' }] },
    });
    const policy = { country: 'KEN', restriction: 'deportation', status: 'none', citation: '', lastVerified: '2024-01-01' };
    expect((await send('POST', '/api/policies', policy)).json()).toMatchObject({ error: { details: [{ field: 'citation' }] } });
    const project = { code: 'NEWPROJ', title: 'New', status: 'planned', startDate: '2025-01-01', endDate: '2024-01-01', countries: ['KEN'] };
    expect((await send('POST', '/api/projects', project)).json()).toMatchObject({ error: { details: [{ field: 'endDate' }] } });
  });

  it('records every write in the audit trail with its actor, before and after', async () => {
    const audit = await services.store.repos.audit.recent(500);
    const siteWrites = audit.filter((e) => e.objectType === 'site' && e.actor === 'admin-all@test.org');
    expect(siteWrites.length).toBeGreaterThan(0);
    expect(siteWrites.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
    const update = siteWrites.find((e) => e.action === 'update')!;
    expect(update.before).toMatchObject({ name: 'Lwakhakha border post' });
    expect(update.after).toMatchObject({ name: 'Lwakhakha OSBP' });
    expect(audit.some((e) => e.objectType === 'site-populations')).toBe(true);
    expect(audit.some((e) => e.objectType === 'flow' && e.actor === 'admin-all@test.org')).toBe(true);
    const res = await send('POST', '/api/population-groups', {
      code: 'gold_panners',
      name: 'Artisanal gold panners',
      options: { occupation_sector: 'mining' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ needs: expect.arrayContaining(['hiv_testing']) });
    const bad = await send('POST', '/api/population-groups', { code: 'x', name: 'x', options: { occupation_sector: 'astronomy' } });
    expect(bad.json()).toMatchObject({ error: { details: [{ field: 'options.occupation_sector' }] } });
  });
});
