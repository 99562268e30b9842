import { readFileSync } from 'node:fs';
import path from 'node:path';
import { authorize, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { MetadataSchema, type DataValueInput, type ImportSummary, type Metadata } from '../domain/monitoring.js';
import { HIV_PREVALENCE } from '../domain/place.js';
import { z, zodIssues } from '../domain/validation.js';
import { DATA_DIR } from '../paths.js';
import type { Store } from '../store/index.js';
import type { ComboStructure } from '../store/metadata.repository.js';
import type { DataValueService } from './data-value.service.js';
import type { MetadataService } from './metadata.service.js';
import { STANDARD } from './standard-set.js';

/** What loading the demo's M&E data uses of the services (not `Services`, which wires this module in). */
export interface DemoMonitoringServices {
  store: Store;
  metadata: MetadataService;
  dataValues: DataValueService;
}

/** Marks the demo's M&E data in `dataset_loads` (informative: loading again is harmless). */
const DEMO_MONITORING = 'demo-monitoring-v1';
/** Who the demo values say stored them: everything the demo generates is illustrative. */
export const DEMO_STORED_BY = 'demo (illustrative)';
const PROJECT_COMBO = 'CrdCmbProj1';
/** The quarters of illustrative data: 2023Q1–2025Q4. */
const YEARS = [2023, 2024, 2025];
/** IBBS rounds (yearly). */
const IBBS_YEARS = [2023, 2024];
/** Fixed: the same demo everywhere, and on every load. */
const SEED = 20_250_101;

const DemoFileSchema = z.object({
  about: z.string(),
  dataSetAssignments: z.array(
    z
      .object({ dataSet: z.object({ id: z.string() }), categoryCombo: z.object({ id: z.string() }).optional(), organisationUnitCodes: z.array(z.string()) })
      .strict(),
  ),
});
const ProjectsSchema = z.object({
  projects: z.array(
    z.object({ code: z.string(), status: z.string(), startDate: z.string(), endDate: z.string().optional(), sites: z.array(z.string()).default([]) }),
  ),
});

type Sex = 'F' | 'M';
type Age = '15-19' | '20-24' | '25-49' | '50+';

/** How the demo spreads a population group over the disaggregation, and its illustrative rates. */
interface GroupProfile {
  /** Migrant status, sex, age band and share of the group: a few cells only, so the demo stays small. */
  cells: [status: string, sex: Sex, age: Age, share: number][];
  /** HIV prevalence relative to the country's adult prevalence. */
  risk: number;
  /** Share of the group reached with prevention in a quarter. */
  reach: number;
  /** PrEP recipients among those reached. */
  prep: number;
}

/** Illustrative, sparse on purpose (about 17,000 values in all). */
const PROFILES: Record<string, GroupProfile> = {
  general_population: {
    cells: [
      ['non_migrant', 'F', '25-49', 0.5],
      ['non_migrant', 'M', '25-49', 0.5],
    ],
    risk: 1,
    reach: 0.02,
    prep: 0,
  },
  truck_drivers: {
    cells: [
      ['internal_migrant', 'M', '25-49', 0.6],
      ['immigrant', 'M', '25-49', 0.25],
      ['internal_migrant', 'M', '50+', 0.15],
    ],
    risk: 2,
    reach: 0.3,
    prep: 0.03,
  },
  miners: {
    cells: [
      ['internal_migrant', 'M', '20-24', 0.3],
      ['internal_migrant', 'M', '25-49', 0.7],
    ],
    risk: 2,
    reach: 0.2,
    prep: 0.02,
  },
  seasonal_farm_workers: {
    cells: [
      ['internal_migrant', 'M', '25-49', 0.55],
      ['internal_migrant', 'F', '25-49', 0.45],
    ],
    risk: 1.5,
    reach: 0.12,
    prep: 0,
  },
  fisherfolk: {
    cells: [
      ['internal_migrant', 'M', '25-49', 0.8],
      ['internal_migrant', 'M', '20-24', 0.2],
    ],
    risk: 3,
    reach: 0.25,
    prep: 0.03,
  },
  fish_traders: {
    cells: [
      ['internal_migrant', 'F', '25-49', 0.8],
      ['internal_migrant', 'F', '20-24', 0.2],
    ],
    risk: 2.5,
    reach: 0.25,
    prep: 0.05,
  },
  port_workers: {
    cells: [
      ['internal_migrant', 'M', '25-49', 0.9],
      ['internal_migrant', 'M', '20-24', 0.1],
    ],
    risk: 1.8,
    reach: 0.15,
    prep: 0.01,
  },
  construction_workers: {
    cells: [
      ['internal_migrant', 'M', '20-24', 0.4],
      ['internal_migrant', 'M', '25-49', 0.6],
    ],
    risk: 1.5,
    reach: 0.2,
    prep: 0.01,
  },
  cross_border_traders: {
    cells: [
      ['non_migrant', 'F', '25-49', 0.35],
      ['immigrant', 'F', '25-49', 0.3],
      ['immigrant', 'M', '25-49', 0.35],
    ],
    risk: 1.5,
    reach: 0.06,
    prep: 0.02,
  },
  sex_workers: {
    cells: [
      ['internal_migrant', 'F', '20-24', 0.3],
      ['internal_migrant', 'F', '25-49', 0.35],
      ['immigrant', 'F', '25-49', 0.35],
    ],
    risk: 6,
    reach: 0.45,
    prep: 0.15,
  },
  refugees_displaced: {
    cells: [
      ['displaced_refugee', 'F', '25-49', 0.55],
      ['displaced_refugee', 'M', '25-49', 0.45],
    ],
    risk: 0.8,
    reach: 0.03,
    prep: 0,
  },
  irregular_migrants: {
    cells: [
      ['irregular_migrant', 'M', '20-24', 0.5],
      ['irregular_migrant', 'M', '25-49', 0.5],
    ],
    risk: 1.2,
    reach: 0.3,
    prep: 0.01,
  },
  partners_of_migrants: { cells: [['non_migrant', 'F', '25-49', 1]], risk: 1.5, reach: 0.15, prep: 0.04 },
  msm: {
    cells: [
      ['internal_migrant', 'M', '20-24', 0.4],
      ['internal_migrant', 'M', '25-49', 0.6],
    ],
    risk: 4,
    reach: 0.4,
    prep: 0.15,
  },
  pwid: {
    cells: [
      ['non_migrant', 'M', '25-49', 0.8],
      ['non_migrant', 'F', '25-49', 0.2],
    ],
    risk: 5,
    reach: 0.4,
    prep: 0.05,
  },
  young_women: {
    cells: [
      ['non_migrant', 'F', '15-19', 0.6],
      ['non_migrant', 'F', '20-24', 0.4],
    ],
    risk: 1.2,
    reach: 0.1,
    prep: 0.06,
  },
};
const SEX_CODES = { F: 'CRD_SEX_FEMALE', M: 'CRD_SEX_MALE' } as const;
const AGE_CODES = { '15-19': 'CRD_AGE_15_19', '20-24': 'CRD_AGE_20_24', '25-49': 'CRD_AGE_25_49', '50+': 'CRD_AGE_50_PLUS' } as const;

/** mulberry32: a small seeded PRNG (uniform in [0, 1)); deterministic, unlike Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: one PRNG stream per site, so adding a site leaves the others' values alone. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** What the demo's M&E data holds. */
export interface DemoMonitoringCounts {
  values: number;
  sites: number;
  periods: number;
}

function quarterBounds(year: number, q: number): [string, string] {
  const start = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10);
  return [start, end];
}

/** The option combo of a combo with exactly these option codes (one per category). */
function cocFinder(combo: ComboStructure): (codes: string[]) => string {
  const idOf = new Map(combo.categories.flatMap((c) => c.options.flatMap((o) => (o.code ? [[`${c.id}|${o.code}`, o.id] as const] : []))));
  const cocs = new Map(combo.cocs.map((c) => [[...c.options].sort().join(','), c.id]));
  return (codes) => {
    const options = codes.map((code, i) => idOf.get(`${combo.categories[i]!.id}|${code}`));
    const coc = options.every((o) => o !== undefined) ? cocs.get([...(options as string[])].sort().join(',')) : undefined;
    if (!coc) throw new AppError('INTERNAL', `the demo found no option combo of "${combo.name}" for ${codes.join(', ')}`);
    return coc;
  };
}

/**
 * Loads the demo programme's M&E data (DESIGN §8): the "Project" attribute combo of
 * data/monitoring/demo-metadata.json, made the attribute combo of the standard quarterly data set,
 * which is assigned to the demo projects' sites; then ILLUSTRATIVE quarterly values 2023Q1–2025Q4
 * for those sites while their project runs, and two IBBS rounds (2023, 2024) at three sites.
 * Values follow each site's population groups and size estimates and the country's UNAIDS
 * prevalence, with consistent cascades (positives ≤ tests, started ART ≤ newly diagnosed, …);
 * they come from a seeded PRNG, so every load gives the same values and loading again changes
 * nothing. Needs the demo world and the standard set. Prints nothing.
 */
export async function loadDemoMonitoring(
  services: DemoMonitoringServices,
  actor: Actor,
  file = path.join(DATA_DIR, 'monitoring', 'demo-metadata.json'),
): Promise<DemoMonitoringCounts> {
  authorize(actor, 'registry:import');
  const repos = services.store.repos;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const md = MetadataSchema.safeParse(raw);
  const demo = DemoFileSchema.safeParse(raw);
  if (!md.success || !demo.success) {
    const issues = !md.success ? zodIssues(md.error, raw, 'demo metadata') : zodIssues(demo.error!, raw, 'demo metadata');
    throw new AppError(
      'IMPORT_INVALID',
      `the demo M&E metadata file is invalid: ${issues
        .slice(0, 3)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ')}`,
      issues,
    );
  }

  // The attribute combo, and the data sets' new attribute combo and places (site codes → place ids).
  const dataSets: NonNullable<Metadata['dataSets']> = [];
  for (const a of demo.data.dataSetAssignments) {
    const ds = await repos.metadata.dataSet(a.dataSet.id);
    if (!ds) throw new AppError('IMPORT_INVALID', `the demo assigns data set ${a.dataSet.id}, which is not in the store (the standard M&E set loads first)`);
    const places = new Set(ds.places);
    for (const code of a.organisationUnitCodes) {
      const place = await repos.places.findByCode(code);
      if (!place) throw new AppError('IMPORT_INVALID', `the demo assigns data set ${ds.name} to "${code}", which is no place (load the demo world first)`);
      places.add(place.id);
    }
    dataSets.push({
      id: ds.id,
      name: ds.name,
      ...(ds.code ? { code: ds.code } : {}),
      periodType: ds.periodType,
      timelyDays: ds.timelyDays,
      ...(ds.description ? { description: ds.description } : {}),
      categoryCombo: { id: a.categoryCombo?.id ?? ds.comboId },
      dataSetElements: ds.elements.map((id) => ({ dataElement: { id } })),
      organisationUnits: [...places].map((id) => ({ id })),
    });
  }
  const { categoryOptions, categories, categoryCombos } = md.data;
  await services.metadata.import(actor, { categoryOptions, categories, categoryCombos, dataSets });

  const combo = await repos.metadata.comboStructure(STANDARD.combo);
  const projectCombo = await repos.metadata.comboStructure(PROJECT_COMBO);
  if (!combo || !projectCombo) throw new AppError('INTERNAL', 'the standard M&E set or the demo project combo is missing');
  const coc = cocFinder(combo);
  const aoc = cocFinder(projectCombo);
  const world = ProjectsSchema.parse(JSON.parse(readFileSync(path.join(DATA_DIR, 'demo', 'world.json'), 'utf8')));

  // Which project each site reports under (its first running project), and in which quarters.
  const reporting = new Map<string, { aoc: string; periods: string[] }>();
  for (const p of world.projects) {
    if (p.status === 'planned') continue;
    const periods = YEARS.flatMap((y) =>
      [1, 2, 3, 4].flatMap((q) => {
        const [start, end] = quarterBounds(y, q);
        return start <= (p.endDate ?? '9999-12-31') && end >= p.startDate ? [`${y}Q${q}`] : [];
      }),
    );
    for (const code of p.sites) if (!reporting.has(code) && periods.length > 0) reporting.set(code, { aoc: aoc([p.code]), periods });
  }

  const sites = await siteInputs(services, [...new Set([...reporting.keys(), ...demo.data.dataSetAssignments.flatMap((a) => a.organisationUnitCodes)])]);
  const quarterly: DataValueInput[] = [];
  const ibbs: DataValueInput[] = [];
  const ibbsSites = new Set(demo.data.dataSetAssignments.find((a) => a.dataSet.id === STANDARD.ibbs)?.organisationUnitCodes ?? []);
  const E = STANDARD.elements;
  for (const site of sites) {
    const random = mulberry32(SEED ^ hash(site.code));
    const between = (lo: number, hi: number) => lo + (hi - lo) * random();
    const part = (whole: number, share: number) => Math.min(whole, Math.max(0, Math.round(whole * share)));
    const put = (
      out: DataValueInput[],
      dataElement: string,
      period: string,
      categoryOptionCombo: string | undefined,
      attributeOptionCombo: string | undefined,
      n: number,
    ) => {
      if (n <= 0) return; // DHIS2 does not store zeros of elements whose zeros are not significant
      out.push({
        dataElement,
        period,
        orgUnit: site.id,
        value: String(n),
        storedBy: DEMO_STORED_BY,
        ...(categoryOptionCombo ? { categoryOptionCombo } : {}),
        ...(attributeOptionCombo ? { attributeOptionCombo } : {}),
      });
    };
    const cells = site.populations.flatMap((pop) => {
      const profile = PROFILES[pop.group];
      if (!profile) return [];
      const size = (pop.sizeLow + pop.sizeHigh) / 2;
      const prevalence = Math.min(0.4, (site.prevalence / 100) * profile.risk);
      return profile.cells.map(([status, sex, age, share]) => ({
        profile,
        prevalence,
        size: size * share,
        coc: coc([SEX_CODES[sex], AGE_CODES[age], status, pop.group]),
      }));
    });

    // A site reports what it offers: ART and viral-load counts only where there is ART or viral-load testing, PrEP only where PrEP is given.
    const art = site.services.has('art_refill') || site.services.has('art_initiation');
    const viralLoad = art && site.services.has('viral_load');
    const givesPrep = site.services.has('prep');
    const plan = reporting.get(site.code);
    for (const [t, period] of (plan?.periods ?? []).entries()) {
      let condoms = 0;
      const growth = 1 + 0.04 * t;
      for (const c of cells) {
        const plhiv = Math.round(c.size * c.prevalence * between(0.97, 1.03));
        const reached = part(Math.round(c.size), c.profile.reach * growth * between(0.8, 1.2));
        const tested = part(reached, between(0.35, 0.55));
        // Testing finds new positives at below the prevalence: many who live with HIV already know.
        const positive = part(tested, c.prevalence * between(0.35, 0.6));
        const newlyDiagnosed = part(positive, between(0.8, 0.95));
        const started = part(newlyDiagnosed, Math.min(0.98, between(0.75, 0.9) + 0.01 * t));
        const know = part(plhiv, Math.min(0.95, 0.72 + 0.015 * t + between(-0.03, 0.03)));
        const onArt = art ? part(know, between(0.85, 0.95)) : 0;
        const vl = viralLoad ? part(onArt, between(0.6, 0.8)) : 0;
        const suppressed = part(vl, between(0.85, 0.95));
        const prep = givesPrep ? part(reached, c.profile.prep * growth * between(0.7, 1.3)) : 0;
        condoms += reached * between(8, 15);
        for (const [de, n] of [
          [E.reached, reached],
          [E.tested, tested],
          [E.positive, positive],
          [E.newlyDiagnosed, newlyDiagnosed],
          [E.newlyDiagnosedOnArt, started],
          [E.plhivEstimated, plhiv],
          [E.knowStatus, know],
          [E.onArt, onArt],
          [E.viralLoadResult, vl],
          [E.viralLoadSuppressed, suppressed],
          [E.prep, prep],
        ] as const)
          put(quarterly, de, period, c.coc, plan!.aoc, n);
      }
      put(quarterly, E.condoms, period, undefined, plan!.aoc, Math.round(condoms));
    }

    if (!ibbsSites.has(site.code)) continue;
    for (const year of IBBS_YEARS) {
      for (const c of cells.filter((x) => x.size >= 20)) {
        const respondents = Math.round(Math.min(c.size, between(40, 160)));
        const sexWork = c.profile === PROFILES.sex_workers;
        const nonRegular = part(respondents, sexWork ? between(0.8, 0.95) : between(0.25, 0.55));
        const condom = part(nonRegular, between(0.45, 0.75) + (year - 2023) * 0.03);
        const tested = part(respondents, between(0.4, 0.7));
        const multiple = part(respondents, sexWork ? between(0.85, 0.98) : between(0.15, 0.45));
        for (const [de, n] of [
          [E.ibbsRespondents, respondents],
          [E.ibbsNonRegularPartner, nonRegular],
          [E.ibbsCondomLastSex, condom],
          [E.ibbsTested12m, tested],
          [E.ibbsMultiplePartners, multiple],
        ] as const) {
          put(ibbs, de, String(year), c.coc, undefined, n);
        }
      }
    }
  }

  const options = { importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', dryRun: false, idScheme: 'UID' } as const;
  const check = (s: ImportSummary, what: string) => {
    if (s.status !== 'SUCCESS')
      throw new AppError(
        'INTERNAL',
        `the demo's ${what} values did not import: ${s.conflicts
          .slice(0, 3)
          .map((c) => c.message)
          .join('; ')}`,
        s.conflicts.slice(0, 20),
      );
  };
  check(await services.dataValues.import(actor, { dataSet: STANDARD.quarterly, dataValues: quarterly }, options), 'quarterly');
  check(await services.dataValues.import(actor, { dataSet: STANDARD.ibbs, dataValues: ibbs }, options), 'IBBS');
  const values = quarterly.length + ibbs.length;
  await repos.datasets.markLoaded(DEMO_MONITORING, values);
  return { values, sites: new Set([...quarterly, ...ibbs].map((v) => v.orgUnit)).size, periods: new Set([...quarterly, ...ibbs].map((v) => v.period)).size };
}

/** The demo sites' place ids, population groups with sizes, services offered, and their country's latest UNAIDS prevalence (%). */
async function siteInputs(services: DemoMonitoringServices, codes: string[]) {
  const repos = services.store.repos;
  const out: { id: string; code: string; prevalence: number; populations: { group: string; sizeLow: number; sizeHigh: number }[]; services: Set<string> }[] =
    [];
  const prevalence = new Map<string, number>();
  for (const code of [...codes].sort()) {
    const site = await repos.sites.getByCode(code);
    if (!site) continue;
    if (!prevalence.has(site.country)) {
      const country = await repos.places.findByCode(site.country);
      const series = country ? (await repos.statistics.series(HIV_PREVALENCE, [country.id])).get(country.id) : undefined;
      const latest = series ? Object.entries(series).sort(([a], [b]) => Number(b) - Number(a))[0]?.[1] : undefined;
      // Without a published estimate the demo assumes 3% (about the region's adult prevalence).
      prevalence.set(site.country, latest ?? 3);
    }
    const populations = (await repos.sites.populations([site.id])).map((p) => ({ group: p.group, sizeLow: p.sizeLow, sizeHigh: p.sizeHigh ?? p.sizeLow }));
    const services = new Set((await repos.sites.services([site.id])).filter((s) => s.availability !== 'none').map((s) => s.service));
    out.push({ id: site.id, code, prevalence: prevalence.get(site.country)!, populations, services });
  }
  return out;
}
