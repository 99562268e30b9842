import path from 'node:path';
import { Command } from 'commander';
import { AppError, describeIssues } from '../../domain/errors.js';
import { PlaceQuerySchema } from '../../domain/place.js';
import { placeFileFormat } from '../../registry/index.js';
import { zodIssues } from '../../domain/validation.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, printTable, progressFrom } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Services } from '../../app.js';
import type { Encoding } from '../../lib/text.js';
import { t } from '../i18n.js';

/** `corridor places …`: the place hierarchy. */
export function placesCommand(): Command {
  const places = new Command('places').description(t('places.description'));

  places
    .command('import <file>')
    .description(t('places.import'))
    .option('--parent <code>', t('places.parent'))
    .addOption(encodingOption())
    .action(async (file: string, opts: { parent?: string; encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const name = path.basename(file);
      const result = await aboutFile(file, async () => {
        const format = placeFileFormat(file);
        const text = readInputFile(file, opts.encoding);
        const bar = progressFrom(t('common.importing', { file: name }), 0);
        try {
          return await withServices(cmd, (s) => s.places.importText(LOCAL_ACTOR, { format, text, source: name, defaultParentCode: opts.parent }, bar.update));
        } finally {
          bar.stop();
        }
      });
      if (global.json) printJson({ created: result.created, updated: result.updated, places: result.places });
      else console.log(t('places.imported', { file: path.basename(file), count: result.created, updated: result.updated }));
    });

  places
    .command('list')
    .description(t('places.list'))
    .option('--level <level>', t('places.level'))
    .option('--parent <code>', t('places.parentFilter'))
    .option('-q, --search <text>', t('places.search'))
    .option('--limit <n>', t('places.limit'))
    .option('--offset <n>', t('places.offset'))
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
              if (!parents.items[0]) throw new AppError('PLACE_NOT_FOUND', t('places.noParent', { code: opts.parent }));
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
        [t('places.headCode'), t('places.headName'), t('places.headLevel'), t('places.headId')],
        page.items.map((p) => [p.code, p.name, p.level, p.id]),
      );
      console.log(t('places.shown', { shown: page.items.length, count: page.total }));
    });
  return places;
}
