import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { AppError } from '../../domain/errors.js';
import { loadDemo } from '../../registry/seed.js';
import { loadDemoMonitoring } from '../../monitoring/demo-data.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, progressFrom } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Encoding } from '../../lib/text.js';
import { t } from '../i18n.js';

/** `corridor sites …`: import and export spaces of vulnerability. */
export function sitesCommand(): Command {
  const sites = new Command('sites').description(t('sites.description'));
  sites
    .command('import <file>')
    .description(t('sites.import'))
    .addOption(encodingOption())
    .action(async (file: string, opts: { encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const ext = path.extname(file).toLowerCase();
      const name = path.basename(file);
      const result = await aboutFile(file, async () => {
        if (!['.geojson', '.json', '.csv'].includes(ext)) throw new AppError('IMPORT_INVALID', t('sites.unknownType', { ext: ext || '(none)' }));
        const text = readInputFile(file, opts.encoding);
        const bar = progressFrom(t('common.importing', { file: name }), 0);
        try {
          return await withServices(cmd, (s) =>
            s.sites.importText(LOCAL_ACTOR, { format: ext === '.csv' ? 'csv' : 'geojson', text, source: name }, bar.update),
          );
        } finally {
          bar.stop();
        }
      });
      if (global.json) printJson(result);
      else console.log(t('sites.imported', { file: name, count: result.created, updated: result.updated }));
    });
  sites
    .command('export')
    .description(t('sites.export'))
    .addOption(new Option('--format <format>', t('sites.format')).choices(['geojson', 'hxl', 'csv']).default('geojson'))
    .option('--country <iso3>', t('sites.country'))
    .option('--type <type>', t('sites.type'))
    .option('--out <file>', t('common.out'))
    .action(async (opts: { format: 'geojson' | 'hxl' | 'csv'; country?: string; type?: string; out?: string }, cmd: Command) => {
      const remote = remoteOf(cmd.optsWithGlobals<GlobalOptions>());
      const params = new URLSearchParams({
        format: opts.format,
        limit: '5000',
        ...(opts.country ? { country: opts.country } : {}),
        ...(opts.type ? { type: opts.type } : {}),
      });
      const text = remote
        ? (await remoteGet(remote, `/api/sites?${params}`)).text
        : (
            await withServices(cmd, (s) =>
              s.sites.exportText(
                LOCAL_ACTOR,
                { ...(opts.country ? { country: opts.country } : {}), ...(opts.type ? { type: opts.type as never } : {}), limit: 1_000_000, offset: 0 },
                opts.format,
              ),
            )
          ).text;
      if (opts.out) {
        writeFileSync(opts.out, text);
        console.error(t('common.wrote', { file: opts.out }));
      } else process.stdout.write(text);
    });
  return sites;
}

/** `corridor flows …`: movement between places. */
export function flowsCommand(): Command {
  const flows = new Command('flows').description(t('flows.description'));
  flows
    .command('import <file>')
    .description(t('flows.import'))
    .addOption(encodingOption())
    .action(async (file: string, opts: { encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const result = await aboutFile(file, async () => {
        const text = readInputFile(file, opts.encoding);
        return withServices(cmd, (s) => s.corridors.importFlowsText(LOCAL_ACTOR, { format: 'csv', text }));
      });
      if (global.json) printJson({ created: result.created });
      else console.log(t('flows.imported', { file: path.basename(file), count: result.created }));
    });
  return flows;
}

/** `corridor demo load`: the demo world of DESIGN §8. */
export function demoCommand(): Command {
  const demo = new Command('demo').description(t('demo.description'));
  demo
    .command('load')
    .description(t('demo.load'))
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const counts = await withServices(
        cmd,
        async (s) => {
          const world = await loadDemo(s, LOCAL_ACTOR);
          return { ...world, dataValues: (await loadDemoMonitoring(s, LOCAL_ACTOR)).values };
        },
        { demo: false },
      );
      if (global.json) printJson(counts);
      else {
        console.log(t('demo.loaded', counts));
      }
    });
  return demo;
}
