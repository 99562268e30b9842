import { readFileSync } from 'node:fs';
import path from 'node:path';
import { authorize, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { MIGRANT_SHARE, MIGRANT_STOCK, REFUGEES } from '../domain/place.js';
import { CorridorInputSchema, FlowInputSchema, PolicyInputSchema, ProjectInputSchema, SiteRecordSchema } from '../domain/registry.js';
import { z, zodIssues } from '../domain/validation.js';
import { parseCsv } from '../lib/csv.js';
import { newUid } from '../lib/uid.js';
import { DATA_DIR } from '../paths.js';
import type { Store } from '../store/index.js';
import type { CorridorService } from './corridor.service.js';
import type { PlaceService } from './place.service.js';
import type { PortfolioService } from './portfolio.service.js';
import type { SiteService } from './site.service.js';

const TAXONOMY = 'registry-taxonomy-v1';
const MIGRANT_STOCK_DATASET = 'undesa-migrant-stock-2020';
const DEMO = 'demo-world-v1';
/** Demo flows carry this source, so that loading the demo again replaces them instead of adding more. */
export const DEMO_FLOW_SOURCE = 'Corridor demo world (illustrative)';

const CodeNameSchema = z.object({ code: z.string(), name: z.string() });
const TaxonomyFileSchema = z.object({
  siteTypes: z.array(CodeNameSchema),
  serviceTypes: z.array(CodeNameSchema),
  categories: z.array(CodeNameSchema.extend({ options: z.array(CodeNameSchema) })),
  groups: z.array(CodeNameSchema.extend({ description: z.string().optional(), options: z.record(z.string(), z.string()) })),
  needRules: z.array(z.object({ about: z.string().optional(), category: z.string().optional(), option: z.string().optional(), services: z.array(z.string()) })),
});

/** Loads the taxonomy, site and service types, groups and need rules of data/registry/taxonomy.json, once. */
export async function ensureReferenceData(store: Store): Promise<boolean> {
  if (await store.repos.datasets.isLoaded(TAXONOMY)) return false;
  const file = TaxonomyFileSchema.parse(JSON.parse(readFileSync(path.join(DATA_DIR, 'registry', 'taxonomy.json'), 'utf8')));
  await store.transaction(async (repos) => {
    await repos.reference.upsertTypes('site_types', file.siteTypes);
    await repos.reference.upsertTypes('service_types', file.serviceTypes);
    for (const [k, c] of file.categories.entries()) {
      await repos.reference.upsertCategory(c, k);
      for (const [j, o] of c.options.entries()) await repos.reference.upsertOption(c.code, o, j);
    }
    for (const g of file.groups) {
      const existing = await repos.reference.groupByCode(g.code);
      await repos.reference.saveGroup({ id: existing?.id ?? newUid(), code: g.code, name: g.name, description: g.description ?? null, options: g.options });
    }
    await repos.reference.replaceNeedRules(
      file.needRules.flatMap((r) => r.services.map((service) => ({ category: r.category ?? null, option: r.option ?? null, service, about: r.about ?? null }))),
    );
    await repos.datasets.markLoaded(TAXONOMY, file.groups.length);
  });
  return true;
}

/** Loads UN DESA international migrant stock (1990–2020) per country, once. */
export async function ensureMigrantStock(store: Store): Promise<boolean> {
  if (await store.repos.datasets.isLoaded(MIGRANT_STOCK_DATASET)) return false;
  const [header, ...rows] = parseCsv(readFileSync(path.join(DATA_DIR, 'migration', 'un_desa_migrant_stock_totals_2020.csv'), 'utf8'));
  const col = (name: string) => header!.fields.indexOf(name);
  const source = 'United Nations, Department of Economic and Social Affairs, Population Division (2020). International Migrant Stock 2020';
  await store.transaction(async (repos) => {
    const ids = new Map<string, string | null>();
    const series: Record<string, { placeId: string; year: number; value: number }[]> = { [MIGRANT_STOCK]: [], [MIGRANT_SHARE]: [], [REFUGEES]: [] };
    for (const r of rows) {
      const iso3 = r.fields[col('alpha3')]!;
      if (!ids.has(iso3)) ids.set(iso3, (await repos.places.findByCode(iso3))?.id ?? null);
      const placeId = ids.get(iso3);
      if (!placeId) continue;
      const year = Number(r.fields[col('year')]);
      for (const [indicator, field] of [
        [MIGRANT_STOCK, 'fb'],
        [MIGRANT_SHARE, 'fb_share'],
        [REFUGEES, 'refugee'],
      ] as const) {
        const value = Number(r.fields[col(field)]);
        if (r.fields[col(field)] !== 'NA' && Number.isFinite(value)) series[indicator]!.push({ placeId, year, value });
      }
    }
    for (const [indicator, values] of Object.entries(series)) await repos.statistics.replaceIndicator(indicator, source, values);
    await repos.datasets.markLoaded(MIGRANT_STOCK_DATASET, series[MIGRANT_STOCK]!.length);
  });
  return true;
}

const DemoWorldSchema = z
  .object({
    about: z.string(),
    adminAreas: z
      .array(
        z
          .object({
            code: z.string(),
            name: z.string(),
            level: z.enum(['admin1', 'admin2']),
            parent: z.string(),
            latitude: z.number().optional(),
            longitude: z.number().optional(),
          })
          .strict(),
      )
      .default([]),
    sites: z.array(SiteRecordSchema),
    corridors: z.array(CorridorInputSchema),
    flows: z.array(FlowInputSchema),
    projects: z.array(ProjectInputSchema),
    policies: z.array(PolicyInputSchema),
  })
  .strict();

/** What the demo world holds. */
export interface DemoCounts {
  adminAreas: number;
  sites: number;
  corridors: number;
  flows: number;
  projects: number;
  policies: number;
}

/**
 * Loads the demo world of DESIGN §8 (data/demo/world.json): admin areas, sites with populations
 * and services, corridors, flows, projects and policies. Idempotent: records are matched by
 * code (policies by country and restriction), and the demo's flows are replaced.
 */
export async function loadDemo(
  s: { store: Store; places: PlaceService; sites: SiteService; corridors: CorridorService; portfolio: PortfolioService },
  actor: Actor,
  file = path.join(DATA_DIR, 'demo', 'world.json'),
): Promise<DemoCounts> {
  authorize(actor, 'registry:import');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const parsed = DemoWorldSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, raw, 'demo world');
    throw new AppError(
      'IMPORT_INVALID',
      `the demo world file is invalid: ${issues
        .slice(0, 3)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ')}`,
      issues,
    );
  }
  const demo = parsed.data;
  if (demo.adminAreas.length > 0) {
    await s.places.import(
      actor,
      demo.adminAreas.map((a, k) => ({
        line: k + 1,
        code: a.code,
        name: a.name,
        level: a.level,
        parentCode: a.parent,
        geometry: a.latitude !== undefined && a.longitude !== undefined ? { type: 'Point', coordinates: [a.longitude, a.latitude] } : null,
      })),
      { source: 'demo world', unit: 'line' },
    );
  }
  await s.sites.import(
    actor,
    demo.sites.map((record, k) => ({ line: k + 1, record, hasPopulations: true, hasServices: true })),
    { source: 'demo world', unit: 'line' },
  );
  for (const c of demo.corridors) await s.corridors.create(actor, c, { upsert: true });
  await s.store.repos.flows.deleteBySource(DEMO_FLOW_SOURCE);
  await s.corridors.addFlows(
    actor,
    demo.flows.map((flow, k) => ({ line: k + 1, flow: { ...flow, source: DEMO_FLOW_SOURCE } })),
    { unit: 'item' },
  );
  for (const p of demo.projects) await s.portfolio.createProject(actor, p, { upsert: true });
  for (const p of demo.policies) await s.portfolio.createPolicy(actor, p, { upsert: true });
  await s.store.repos.datasets.markLoaded(DEMO, demo.sites.length);
  return {
    adminAreas: demo.adminAreas.length,
    sites: demo.sites.length,
    corridors: demo.corridors.length,
    flows: demo.flows.length,
    projects: demo.projects.length,
    policies: demo.policies.length,
  };
}

/** True when the demo world has been loaded into this store. */
export function demoLoaded(store: Store): Promise<boolean> {
  return store.repos.datasets.isLoaded(DEMO);
}
