import { PlaceService } from './registry/index.js';
import { ensureWorld } from './registry/world.js';
import { openStore, type Store, type StoreConfig } from './store/index.js';

/** The services over one store: what the HTTP API and the CLI are thin faces of. */
export interface Services {
  store: Store;
  places: PlaceService;
}

/** Wires the services over an open, migrated store, loading the bundled world on first use. */
export async function servicesFor(store: Store): Promise<Services> {
  await ensureWorld(store);
  return { store, places: new PlaceService(store) };
}

/** Opens the configured store (migrating it) and wires the services. */
export async function openServices(config: StoreConfig): Promise<Services> {
  const store = await openStore(config);
  try {
    return await servicesFor(store);
  } catch (e) {
    await store.close();
    throw e;
  }
}
