import type { Command } from 'commander';
import { openServices, type Services } from '../app.js';
import { resolveStoreConfig } from '../store/index.js';

/** Options every command takes (they may stand before or after the command name). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** Opens the services for a command that works on the data directory (or DATABASE_URL) directly. */
export async function withServices<R>(cmd: Command, fn: (s: Services) => Promise<R>): Promise<R> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const services = await openServices(resolveStoreConfig({ dataDir: opts.dataDir }));
  try {
    return await fn(services);
  } finally {
    await services.store.close();
  }
}

/** The actor recorded in the audit trail for commands run on the data directory. */
export const LOCAL_ACTOR = 'cli:local-admin';
