import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { compact, describeStore, migrate, openStore, resolveStoreConfig, schemaVersion } from '../../store/index.js';
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
  db.command('vacuum')
    .description('give unused space back to the file system (VACUUM FULL and spare WAL; embedded store), printing the data directory size before and after')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const config = resolveStoreConfig({ dataDir: global.dataDir });
      const where = describeStore(config);
      const size = () => (config.databaseUrl ? null : directoryBytes(config.dataDir));
      const before = size();
      const store = await openStore(config);
      try {
        await compact(store.db, { full: true });
      } finally {
        await store.close();
      }
      const after = size();
      const mb = (b: number | null) => (b === null ? null : Math.round((b / 1e6) * 10) / 10);
      if (global.json) printJson({ database: where.dialect, beforeMB: mb(before), afterMB: mb(after) });
      else if (before === null) console.log(`${where.dialect} at ${where.location}: nothing to do (the PostgreSQL server's autovacuum reclaims space)`);
      else console.log(`${where.location}: ${mb(before)} MB before, ${mb(after)} MB after`);
    });
  return db;
}

/** Bytes of every file under `dir`. */
function directoryBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(path.join(e.parentPath, e.name)).size;
  }
  return total;
}
