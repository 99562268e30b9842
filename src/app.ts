import { AuthService } from './access/auth.service.js';
import { SYSTEM } from './domain/access.js';
import { PeriodService } from './monitoring/period.service.js';
import { CorridorService } from './registry/corridor.service.js';
import { PlaceService } from './registry/index.js';
import { PortfolioService } from './registry/portfolio.service.js';
import { ensureMigrantStock, ensureReferenceData, loadDemo } from './registry/seed.js';
import { SiteService } from './registry/site.service.js';
import { TaxonomyService } from './registry/taxonomy.service.js';
import { AuditService } from './access/audit.service.js';
import { ensureWorld } from './registry/world.js';
import { DataValueService } from './monitoring/data-value.service.js';
import { MetadataService } from './monitoring/metadata.service.js';
import { loadDemoMonitoring } from './monitoring/demo-data.js';
import { ensureStandardSet } from './monitoring/standard-set.js';
import { ApprovalService } from './monitoring/approval.service.js';
import { DataEntryService } from './monitoring/data-entry.service.js';
import { ValidationService } from './monitoring/validation.service.js';
import { ModelService, type ModelServiceOptions } from './model/model.service.js';
import { openStore, type Store, type StoreConfig } from './store/index.js';

/** The services over one store: what the HTTP API and the CLI are thin faces of. */
export interface Services {
  store: Store;
  places: PlaceService;
  sites: SiteService;
  corridors: CorridorService;
  portfolio: PortfolioService;
  taxonomy: TaxonomyService;
  auth: AuthService;
  audit: AuditService;
  metadata: MetadataService;
  dataValues: DataValueService;
  periods: PeriodService;
  dataEntry: DataEntryService;
  approvals: ApprovalService;
  validation: ValidationService;
  model: ModelService;
  /** Stops the model's worker threads (and its jobs), then closes the store. */
  close(): Promise<void>;
}

/**
 * Wires the services over an open, migrated store. A new database gets the bundled world
 * (countries, HIV prevalence, migrant stock, the taxonomy) and, unless `demo` is false, the demo
 * world of DESIGN §8.
 */
export async function servicesFor(store: Store, opts: { demo?: boolean } = {}): Promise<Services> {
  const fresh = (await ensureWorld(store)) !== null;
  await ensureReferenceData(store);
  await ensureMigrantStock(store);
  const dataValues = new DataValueService(store);
  const validation = new ValidationService(store);
  const services: Services = {
    store,
    places: new PlaceService(store),
    sites: new SiteService(store),
    corridors: new CorridorService(store),
    portfolio: new PortfolioService(store),
    taxonomy: new TaxonomyService(store),
    auth: new AuthService(store),
    audit: new AuditService(store),
    metadata: new MetadataService(store),
    dataValues,
    periods: new PeriodService(),
    dataEntry: new DataEntryService(store, dataValues, validation),
    approvals: new ApprovalService(store),
    validation,
    model: new ModelService(store),
    async close() {
      await services.model.close();
      await store.close();
    },
  };
  await ensureStandardSet(store, services.metadata);
  if (fresh && opts.demo !== false) {
    await loadDemo(services, SYSTEM);
    await loadDemoMonitoring(services, SYSTEM);
  }
  return services;
}

/** Opens the configured store (migrating it) and wires the services. */
export async function openServices(config: StoreConfig, opts: { demo?: boolean } = {}): Promise<Services> {
  const store = await openStore(config);
  try {
    return await servicesFor(store, opts);
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * The model service alone, without a store: what `corridor model run` and `bench` need. No data
 * directory is opened, so a model runs beside a server that holds it; jobs (which are audited)
 * need the full services.
 */
export function openModelService(options: ModelServiceOptions = {}): ModelService {
  return new ModelService(null, options);
}
