import path from 'node:path';
import { Command } from 'commander';
import { AppError, describeIssues } from '../../domain/errors.js';
import { PlaceQuerySchema } from '../../domain/place.js';
import { parsePlaceFile, placeFileFormat } from '../../registry/index.js';
import { zodIssues } from '../../domain/validation.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, printTable, progress } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Services } from '../../app.js';
import type { Encoding } from '../../lib/text.js';

/** `corridor places …`: the place hierarchy. */
export function placesCommand(): Command {
  const places = new Command('places').description('the place hierarchy: countries, admin areas and sites');

  places
    .command('import <file>')
    .description('import places from GeoJSON (properties: name, code, level, parent, id) or CSV (name, code, level, parent, latitude, longitude, id); all or nothing')
    .option('--parent <code>', 'parent place code for rows that name none (e.g. KEN)')
    .addOption(encodingOption())
    .action(async (file: string, opts: { parent?: string; encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const name = path.basename(file);
      const result = await aboutFile(file, async () => {
        const format = placeFileFormat(file);
        const rows = parsePlaceFile(readInputFile(file, opts.encoding), format);
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
      const remote = remoteOf(global);
      const page = remote
        ? await (async () => {
            const params = new URLSearchParams(Object.entries(raw).filter(([, v]) => v !== undefined) as [string, string][]);
            if (opts.parent) {
              const parents = (await remoteGet(remote, `/api/places?code=${encodeURIComponent(opts.parent)}`)).json as { items: { id: string }[] };
              if (!parents.items[0]) throw new AppError('PLACE_NOT_FOUND', `--parent "${opts.parent}": no place has this code`);
              params.set('parentId', parents.items[0].id);
            }
            return (await remoteGet(remote, `/api/places?${params}`)).json as Awaited<ReturnType<Services['places']['list']>>;
          })()
        : await withServices(cmd, async (s) => {
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
