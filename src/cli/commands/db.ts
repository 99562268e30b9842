import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { compact, describeStore, migrate, openStore, resolveStoreConfig, schemaVersion } from '../../store/index.js';
import type { GlobalOptions } from '../context.js';
import { printJson } from '../output.js';
import { num, t } from '../i18n.js';

/** `corridor db …`: schema maintenance. */
export function dbCommand(): Command {
  const db = new Command('db').description(t('db.description'));
  db.command('migrate')
    .description(t('db.migrate'))
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
          for (const m of applied) console.log(t('db.applied', { version: m.version, name: m.name }));
          console.log(t(applied.length ? 'db.version' : 'db.upToDate', { dialect: where.dialect, location: where.location, version }));
        }
      } finally {
        await store.close();
      }
    });
  db.command('vacuum')
    .description(t('db.vacuum'))
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
      else if (before === null) console.log(t('db.nothingToDo', { dialect: where.dialect, location: where.location }));
      else console.log(t('db.sizes', { location: where.location, before: num(mb(before)!), after: num(mb(after)!) }));
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
