import { PlaceService } from './registry/index.js';
import { ensureWorld } from './registry/world.js';
import { openStore, type Store, type StoreConfig } from './store/index.js';

/** The services over one store: what the HTTP API and the CLI are thin faces of. */
export interface Services {
  store: Store;
  places: PlaceService;
}

/** Opens the store (migrating it), loads the bundled world on first use, and wires the services. */
export async function openServices(config: StoreConfig): Promise<Services> {
  const store = await openStore(config);
  try {
    await ensureWorld(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return { store, places: new PlaceService(store) };
}
