import path from 'node:path';
import { Command } from 'commander';
import { AppError, describeIssues } from '../../domain/errors.js';
import { PlaceQuerySchema } from '../../domain/place.js';
import { parsePlaceFile, placeFileFormat } from '../../registry/index.js';
import { zodIssues } from '../../domain/validation.js';
import { aboutFile, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, printTable, progress } from '../output.js';

/** `corridor places …`: the place hierarchy. */
export function placesCommand(): Command {
  const places = new Command('places').description('the place hierarchy: countries, admin areas and sites');

  places
    .command('import <file>')
    .description('import places from GeoJSON (properties: name, code, level, parent, id) or CSV (name, code, level, parent, latitude, longitude, id); all or nothing')
    .option('--parent <code>', 'parent place code for rows that name none (e.g. KEN)')
    .action(async (file: string, opts: { parent?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const name = path.basename(file);
      const result = await aboutFile(file, async () => {
        const format = placeFileFormat(file);
        const rows = parsePlaceFile(readInputFile(file), format);
        const bar = progress(`Importing ${name}`, rows.length);
        try {
          return await withServices(cmd, (s) =>
            s.places.import(LOCAL_ACTOR, rows, {
              defaultParentCode: opts.parent,
              source: name,
              unit: format === 'csv' ? 'line' : 'feature',
              onProgress: (done) => bar.update(done),
            }),
          );
        } finally {
          bar.stop();
        }
      });
      if (global.json) printJson({ created: result.created, updated: result.updated, places: result.places });
      else console.log(`${path.basename(file)}: ${result.created} places created, ${result.updated} updated`);
    });

  places
    .command('list')
    .description('list places')
    .option('--level <level>', 'country, admin1, admin2, admin3, admin4 or site')
    .option('--parent <code>', 'only the children of the place with this code')
    .option('-q, --search <text>', 'part of the name or code')
    .option('--limit <n>', 'at most this many (default 1000)')
    .option('--offset <n>', 'skip this many')
    .action(async (opts: { level?: string; parent?: string; search?: string; limit?: string; offset?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const raw = { level: opts.level, q: opts.search, limit: opts.limit, offset: opts.offset };
      const parsed = PlaceQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
      if (!parsed.success) {
        const issues = zodIssues(parsed.error, raw, 'option').map((i) => ({ ...i, field: i.field && `--${i.field === 'q' ? 'search' : i.field}` }));
        throw new AppError('VALIDATION_FAILED', describeIssues(issues), issues);
      }
      const { format: _format, ...query } = parsed.data;
      const page = await withServices(cmd, async (s) => {
        const parent = opts.parent ? await s.places.getByCode(LOCAL_ACTOR, opts.parent, '--parent') : null;
        return s.places.list(LOCAL_ACTOR, parent ? { ...query, parentId: parent.id } : query);
      });
      if (global.json) return printJson(page);
      printTable(
        ['CODE', 'NAME', 'LEVEL', 'ID'],
        page.items.map((p) => [p.code, p.name, p.level, p.id]),
      );
      console.log(`${page.items.length} of ${page.total} places`);
    });
  return places;
}
