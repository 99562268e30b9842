import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { AppError, describeIssues } from '../../domain/errors.js';
import {
  DATA_VALUE_FORMATS as FORMATS,
  DATA_VALUE_MEDIA_TYPES,
  DataValueQuerySchema,
  type DataValueFormat as Format,
  type ImportOptions,
  type ImportSummary,
  type MetadataReport,
} from '../../domain/monitoring.js';
import { zodIssues } from '../../domain/validation.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, progressFrom } from '../output.js';
import { remoteGet, remoteOf, remotePost, type Remote } from '../remote.js';
import type { Encoding } from '../../lib/text.js';
import { t } from '../i18n.js';

/**
 * `corridor import dhis2 | dhis2-metadata` and `corridor export dhis2` (DESIGN §4): the DHIS2
 * dataValueSets and metadata exchange of `POST/GET /api/dataValueSets` and `POST /api/metadata`,
 * on the data directory or, with --server/--token, on a running server.
 */

/** The format a file's name says: .json, .csv, .xml, and .adx or .adx.xml for ADX. */
function formatOfFile(file: string): Format | undefined {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.adx') || name.endsWith('.adx.xml')) return 'adx';
  const ext = path.extname(name).slice(1) as Format;
  return FORMATS.includes(ext) ? ext : undefined;
}

/** Imports over this many values show a progress bar (on a terminal). */
const PROGRESS_FROM = 10_000;

/** At most this many conflicts are printed; --json gives them all. */
const MAX_CONFLICTS = 50;

interface ImportFlags {
  format?: Format;
  encoding?: Encoding;
  dryRun?: boolean;
  idScheme: 'uid' | 'code' | 'name';
  dataElementIdScheme?: 'uid' | 'code' | 'name';
  orgUnitIdScheme?: 'uid' | 'code' | 'name';
  cocIdScheme?: 'uid' | 'code' | 'name';
  strategy: 'create' | 'update' | 'create_and_update' | 'delete';
  atomic: 'all' | 'none';
}

/** The service's import options from the command's flags. */
function importOptions(flags: ImportFlags): ImportOptions {
  const scheme = (s: 'uid' | 'code' | 'name') => s.toUpperCase() as 'UID' | 'CODE' | 'NAME';
  return {
    dryRun: flags.dryRun === true,
    importStrategy: flags.strategy.toUpperCase() as ImportOptions['importStrategy'],
    atomicMode: flags.atomic.toUpperCase() as ImportOptions['atomicMode'],
    idScheme: scheme(flags.idScheme),
    ...(flags.dataElementIdScheme ? { dataElementIdScheme: scheme(flags.dataElementIdScheme) } : {}),
    ...(flags.orgUnitIdScheme ? { orgUnitIdScheme: scheme(flags.orgUnitIdScheme) } : {}),
    ...(flags.cocIdScheme ? { categoryOptionComboIdScheme: scheme(flags.cocIdScheme) } : {}),
  };
}

/** Imports on the data directory (the service reads the format), with a progress bar for large files. */
async function importLocally(cmd: Command, name: string, format: Format, text: string, options: ImportOptions): Promise<ImportSummary> {
  const bar = progressFrom(t('common.importing', { file: name }), PROGRESS_FROM);
  try {
    return await withServices(cmd, (s) => s.dataValues.importText(LOCAL_ACTOR, { format, text, options }, bar.update));
  } finally {
    bar.stop();
  }
}

/** Sends the file to a running server's POST /api/dataValueSets, which reads it with the same service. */
async function importRemotely(remote: Remote, format: Format, text: string, opts: ImportOptions): Promise<ImportSummary> {
  const params = new URLSearchParams(Object.entries(opts).map(([k, v]): [string, string] => [k, String(v)]));
  return (await remotePost(remote, `/api/dataValueSets?${params}`, text, DATA_VALUE_MEDIA_TYPES[format])).json as ImportSummary;
}

/** The import summary for a person: status and counts, then one line per conflict. */
function printSummary(name: string, summary: ImportSummary): void {
  const c = summary.importCount;
  const dry = summary.dryRun ? t('common.dryRunNote') : '';
  console.log(t('dhis2.summary', { file: name, status: summary.status, dry, ...c }));
  if (summary.description) console.log(summary.description);
  for (const conflict of summary.conflicts.slice(0, MAX_CONFLICTS)) {
    // A value's conflict names it (dataValues[12]: …, ADX line 40: …); a set's names the property.
    const message = /^(dataValues\[\d+\]|ADX line \d+)/.test(conflict.message)
      ? conflict.message
      : `${conflict.property ?? conflict.object}: ${conflict.message}`;
    console.log(`  ${message}`);
  }
  if (summary.conflicts.length > MAX_CONFLICTS) console.log(t('dhis2.moreConflicts', { count: summary.conflicts.length - MAX_CONFLICTS }));
}

/** Exit code 1 without another message: the summary printed says why. */
function failed(): CommanderError {
  return new CommanderError(1, 'corridor.importFailed', 'the import summary status is ERROR');
}

const schemeOption = (flag: string, what: string) => new Option(`${flag} <scheme>`, what).choices(['uid', 'code', 'name']);

/** `corridor import …`: DHIS2 data values and metadata. */
export function importCommand(): Command {
  const imp = new Command('import').description(t('dhis2.import'));
  imp
    .command('dhis2 <file>')
    .description(t('dhis2.importData'))
    .addOption(new Option('--format <format>', t('dhis2.format')).choices(FORMATS))
    .addOption(encodingOption())
    .option('--dry-run', t('dhis2.dryRun'))
    .addOption(schemeOption('--id-scheme', t('dhis2.idScheme')).default('uid'))
    .addOption(schemeOption('--data-element-id-scheme', t('dhis2.dataElementIdScheme')))
    .addOption(schemeOption('--org-unit-id-scheme', t('dhis2.orgUnitIdScheme')))
    .addOption(schemeOption('--coc-id-scheme', t('dhis2.cocIdScheme')))
    .addOption(
      new Option('--strategy <strategy>', t('dhis2.strategy')).choices(['create', 'update', 'create_and_update', 'delete']).default('create_and_update'),
    )
    .addOption(new Option('--atomic <mode>', t('dhis2.atomic')).choices(['all', 'none']).default('all'))
    .action(async (file: string, flags: ImportFlags, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const name = path.basename(file);
      const opts = importOptions(flags);
      const summary = await aboutFile(file, async () => {
        const format = flags.format ?? formatOfFile(file);
        if (!format) {
          throw new AppError('IMPORT_INVALID', t('dhis2.unknownType', { ext: path.extname(file) || '(none)', formats: FORMATS.join('|') }));
        }
        const text = readInputFile(file, flags.encoding);
        return remote ? importRemotely(remote, format, text, opts) : importLocally(cmd, name, format, text, opts);
      });
      if (global.json) printJson(summary);
      else printSummary(name, summary);
      if (summary.status === 'ERROR') throw failed();
    });

  imp
    .command('dhis2-metadata <file>')
    .description(t('dhis2.metadata'))
    .addOption(encodingOption())
    .option('--dry-run', t('dhis2.metadataDryRun'))
    .action(async (file: string, opts: { encoding?: Encoding; dryRun?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const name = path.basename(file);
      const report = await aboutFile(file, async () => {
        const text = readInputFile(file, opts.encoding);
        const importMode = opts.dryRun ? ('VALIDATE' as const) : ('COMMIT' as const);
        if (remote) return (await remotePost(remote, `/api/metadata?importMode=${importMode}`, text, 'application/json')).json as MetadataReport;
        return withServices(cmd, (s) => s.metadata.importText(LOCAL_ACTOR, { format: 'json', text, options: { importMode } }));
      });
      if (global.json) return printJson(report);
      const counts = (stats: { created: number; updated: number; deleted?: number }) => t(stats.deleted ? 'dhis2.countsDeleted' : 'dhis2.counts', stats);
      console.log(t('dhis2.metadataSummary', { file: name, counts: counts(report.stats), dry: opts.dryRun ? t('common.dryRunNote') : '' }));
      const width = Math.max(0, ...report.typeReports.map((t) => t.klass.length));
      for (const t of report.typeReports) console.log(`  ${t.klass.padEnd(width)}  ${counts(t.stats)}`);
    });
  return imp;
}

interface ExportFlags {
  dataSet?: string;
  period?: string;
  orgUnit?: string;
  children?: boolean;
  dataElement?: string;
  includeDeleted?: boolean;
  limit?: string;
  format?: Format;
  out?: string;
}

/** `corridor export …`: DHIS2 data values. */
export function exportCommand(): Command {
  const exp = new Command('export').description(t('dhis2.export'));
  exp
    .command('dhis2')
    .description(t('dhis2.exportData'))
    .option('--data-set <id>', t('dhis2.dataSet'))
    .option('--period <id>', t('dhis2.period'))
    .option('--org-unit <id>', t('dhis2.orgUnit'))
    .option('--children', t('dhis2.children'))
    .option('--data-element <id>', t('dhis2.dataElement'))
    .option('--include-deleted', t('dhis2.includeDeleted'))
    .option('--limit <n>', t('dhis2.limit'))
    .addOption(new Option('--format <format>', t('dhis2.exportFormat')).choices(FORMATS))
    .option('--out <file>', t('common.out'))
    .action(async (flags: ExportFlags, cmd: Command) => {
      const remote = remoteOf(cmd.optsWithGlobals<GlobalOptions>());
      const raw = {
        dataSet: flags.dataSet,
        dataElement: flags.dataElement,
        period: flags.period,
        orgUnit: flags.orgUnit,
        children: flags.children ? 'true' : undefined,
        includeDeleted: flags.includeDeleted ? 'true' : undefined,
        limit: flags.limit ?? '1000000',
      };
      const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const parsed = DataValueQuerySchema.safeParse(given);
      if (!parsed.success) {
        const option = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        const issues = zodIssues(parsed.error, given, 'option').map((i) => ({ ...i, field: i.field && option(i.field) }));
        throw new AppError('VALIDATION_FAILED', describeIssues(issues), issues);
      }
      const format = flags.format ?? (flags.out ? formatOfFile(flags.out) : undefined) ?? 'json';
      if (format === 'adx' && !flags.dataSet)
        throw new AppError('VALIDATION_FAILED', t('dhis2.adxNeedsDataSet'), [{ field: '--data-set', message: t('dhis2.adxNeedsDataSetIssue') }]);
      // Exactly as GET /api/dataValueSets gives them (the same service call), JSON indented for people.
      let text = remote
        ? (await remoteGet(remote, `/api/dataValueSets?${new URLSearchParams({ ...given, format })}`)).text
        : (await withServices(cmd, (s) => s.dataValues.exportText(LOCAL_ACTOR, parsed.data, format))).text;
      if (format === 'json') text = JSON.stringify(JSON.parse(text), null, 2);
      if (!text.endsWith('\n')) text += '\n';
      if (flags.out) {
        writeFileSync(flags.out, text);
        console.error(t('common.wrote', { file: flags.out }));
      } else process.stdout.write(text);
    });
  return exp;
}
