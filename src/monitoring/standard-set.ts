import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SYSTEM } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { MetadataSchema, type Metadata, type MetadataReport } from '../domain/monitoring.js';
import { zodIssues } from '../domain/validation.js';
import { DATA_DIR } from '../paths.js';
import type { Store } from '../store/index.js';
import type { MetadataService } from './metadata.service.js';

/** The marker of the standard set in `dataset_loads`; a new version of the file gets a new one. */
export const STANDARD_SET = 'who-hiv-standard-set-v1';
export const STANDARD_SET_FILE = path.join(DATA_DIR, 'monitoring', 'standard-set.json');

/** UIDs of the standard set that other code (the demo, tests) refers to. */
export const STANDARD = {
  combo: 'CrdCmbSAMPG',
  quarterly: 'CrdDsQuartr',
  ibbs: 'CrdDsIbbsYr',
  categories: { sex: 'CrdCatSex01', age: 'CrdCatAge01', migrantStatus: 'CrdCatMig01', group: 'CrdCatGrp01' },
  elements: {
    tested: 'CrdDeTstRes',
    positive: 'CrdDeTstPos',
    newlyDiagnosed: 'CrdDeNewDx0',
    newlyDiagnosedOnArt: 'CrdDeNewArt',
    plhivEstimated: 'CrdDePlhivE',
    knowStatus: 'CrdDeKnowSt',
    onArt: 'CrdDeOnArt0',
    viralLoadResult: 'CrdDeVlRslt',
    viralLoadSuppressed: 'CrdDeVlSupp',
    prep: 'CrdDePrepRx',
    condoms: 'CrdDeCondom',
    reached: 'CrdDeReachd',
    ibbsRespondents: 'CrdDeIbResp',
    ibbsNonRegularPartner: 'CrdDeIbNrpt',
    ibbsCondomLastSex: 'CrdDeIbCond',
    ibbsTested12m: 'CrdDeIbTest',
    ibbsMultiplePartners: 'CrdDeIbMult',
  },
} as const;

/** Reads and checks data/monitoring/standard-set.json (DHIS2 metadata JSON). */
export function readStandardSet(file = STANDARD_SET_FILE): Metadata {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const parsed = MetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, raw, 'standard set');
    throw new AppError(
      'IMPORT_INVALID',
      `the standard M&E set is invalid: ${issues
        .slice(0, 3)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}

/**
 * Loads the standard M&E set (WHO-coded indicators, the sex × age × migrant status × population
 * group disaggregation, data elements, validation rules and the two data sets) into the store,
 * once: it is product data, there with or without the demo. Answers the import report, or null
 * when the set was already loaded.
 */
export async function ensureStandardSet(store: Store, metadata: MetadataService): Promise<MetadataReport | null> {
  if (await store.repos.datasets.isLoaded(STANDARD_SET)) return null;
  const set = readStandardSet();
  const report = await metadata.import(SYSTEM, set);
  await store.repos.datasets.markLoaded(STANDARD_SET, (set.dataElements ?? []).length + (set.indicators ?? []).length);
  return report;
}
