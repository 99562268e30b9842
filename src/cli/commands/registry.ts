import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { AppError } from '../../domain/errors.js';
import { loadDemo } from '../../registry/seed.js';
import { loadDemoMonitoring } from '../../monitoring/demo-data.js';
import { parseFlowCsv, parseSiteCsv, parseSiteGeoJson } from '../../registry/site-import.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, progress } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Encoding } from '../../lib/text.js';

/** `corridor sites …`: import and export spaces of vulnerability. */
export function sitesCommand(): Command {
  const sites = new Command('sites').description('sites (spaces of vulnerability) with their populations and services');
  sites
    .command('import <file>')
    .description('import sites from GeoJSON (points; properties as the export writes them, with populations and services) or CSV (the --format csv columns, or an HXL export); all or nothing; sites whose code exists are updated')
    .addOption(encodingOption())
    .action(async (file: string, opts: { encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const ext = path.extname(file).toLowerCase();
      const result = await aboutFile(file, async () => {
        if (!['.geojson', '.json', '.csv'].includes(ext)) throw new AppError('IMPORT_INVALID', `unknown file type "${ext || '(none)'}"; use .geojson, .json or .csv`);
        const text = readInputFile(file, opts.encoding);
        const unit = ext === '.csv' ? ('line' as const) : ('feature' as const);
        const records = unit === 'line' ? parseSiteCsv(text) : parseSiteGeoJson(text);
        const bar = progress(`Importing ${path.basename(file)}`, records.length);
        try {
          return await withServices(cmd, (s) =>
            s.sites.import(LOCAL_ACTOR, records, { source: path.basename(file), unit, onProgress: (done) => bar.update(done) }),
          );
        } finally {
          bar.stop();
        }
      });
      if (global.json) printJson(result);
      else console.log(`${path.basename(file)}: ${result.created} sites created, ${result.updated} updated`);
    });
  sites
    .command('export')
    .description('export every site (or those of --country / --type)')
    .addOption(new Option('--format <format>', 'geojson (with populations and services), hxl (HXL-tagged CSV) or csv').choices(['geojson', 'hxl', 'csv']).default('geojson'))
    .option('--country <iso3>', 'only sites in this country')
    .option('--type <type>', 'only sites of this type')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: { format: 'geojson' | 'hxl' | 'csv'; country?: string; type?: string; out?: string }, cmd: Command) => {
      const remote = remoteOf(cmd.optsWithGlobals<GlobalOptions>());
      const params = new URLSearchParams({ format: opts.format, limit: '5000', ...(opts.country ? { country: opts.country } : {}), ...(opts.type ? { type: opts.type } : {}) });
      const text = remote
        ? (await remoteGet(remote, `/api/sites?${params}`)).text
        : await withServices(cmd, async (s) => {
        const q = {
          ...(opts.country ? { country: opts.country } : {}),
          ...(opts.type ? { type: opts.type as never } : {}),
          limit: 1_000_000,
          offset: 0,
        };
        if (opts.format === 'hxl') return s.sites.hxl(LOCAL_ACTOR, q);
        if (opts.format === 'csv') return s.sites.csv(LOCAL_ACTOR, q);
        const records = await s.sites.exportRecords(LOCAL_ACTOR, q);
        return (
          JSON.stringify(
            {
              type: 'FeatureCollection',
              features: records.map(({ id, latitude, longitude, ...r }) => ({
                type: 'Feature',
                id,
                geometry: { type: 'Point', coordinates: [longitude, latitude] },
                properties: r,
              })),
            },
            null,
            1,
          ) + '\n'
        );
          });
      if (opts.out) {
        writeFileSync(opts.out, text);
        console.error(`wrote ${opts.out}`);
      } else process.stdout.write(text);
    });
  return sites;
}

/** `corridor flows …`: movement between places. */
export function flowsCommand(): Command {
  const flows = new Command('flows').description('flows: counts of people moving between places');
  flows
    .command('import <file>')
    .description('import flows from CSV: from,to,corridor,period_start,period_end,sex,age_band,nationality,reason,count,source,illustrative (all or nothing)')
    .addOption(encodingOption())
    .action(async (file: string, opts: { encoding?: Encoding }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const result = await aboutFile(file, async () => {
        const records = parseFlowCsv(readInputFile(file, opts.encoding));
        return withServices(cmd, (s) => s.corridors.addFlows(LOCAL_ACTOR, records, { unit: 'line' }));
      });
      if (global.json) printJson({ created: result.created });
      else console.log(`${path.basename(file)}: ${result.created} flows recorded`);
    });
  return flows;
}

/** `corridor demo load`: the demo world of DESIGN §8. */
export function demoCommand(): Command {
  const demo = new Command('demo').description('the demo world (East Africa’s Northern Corridor and neighbours; illustrative values)');
  demo
    .command('load')
    .description('load (or reload) the demo world: sites, corridors, flows, projects, policies and the demo programme\'s M&E data; safe to run again')
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
        console.log(
          `demo world loaded: ${counts.sites} sites, ${counts.corridors} corridors, ${counts.flows} flows, ${counts.projects} projects, ${counts.policies} policies, ${counts.dataValues} M&E data values (illustrative)`,
        );
      }
    });
  return demo;
}
