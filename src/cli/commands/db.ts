import { Command } from 'commander';
import { describeStore, migrate, openStore, resolveStoreConfig, schemaVersion } from '../../store/index.js';
import type { GlobalOptions } from '../context.js';
import { printJson } from '../output.js';

/** `corridor db …`: schema maintenance. */
export function dbCommand(): Command {
  const db = new Command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending schema migrations (serve also does this at start)')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const config = resolveStoreConfig({ dataDir: global.dataDir });
      const store = await openStore(config, { migrate: false });
      try {
        const applied = await migrate(store.db);
        const version = await schemaVersion(store.db);
        const where = describeStore(config);
        if (global.json) printJson({ database: where.dialect, schemaVersion: version, applied: applied.map((m) => m.version) });
        else {
          for (const m of applied) console.log(`applied migration ${m.version} (${m.name})`);
          console.log(`${where.dialect} at ${where.location}: schema at version ${version}${applied.length ? '' : ', already up to date'}`);
        }
      } finally {
        await store.close();
      }
    });
  return db;
}
