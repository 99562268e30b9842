import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { AppError, describeIssues } from '../../domain/errors.js';
import {
  DataValueQuerySchema,
  DataValueSetSchema,
  MetadataSchema,
  type DataValueSetInput,
  type ImportOptions,
  type ImportSummary,
  type MetadataReport,
} from '../../domain/monitoring.js';
import { zodIssues } from '../../domain/validation.js';
import { parseJson } from '../../lib/json.js';
import { formatDhis2Csv, parseDhis2Csv } from '../../monitoring/interop/dhis2-csv.js';
import { formatDhis2Xml, parseDhis2Xml } from '../../monitoring/interop/dhis2-xml.js';
import { parseAdx } from '../../monitoring/interop/adx.js';
import type { Services } from '../../app.js';
import { aboutFile, encodingOption, LOCAL_ACTOR, readInputFile, withServices, type GlobalOptions } from '../context.js';
import { printJson, progress } from '../output.js';
import { remoteGet, remoteOf, remotePost, type Remote } from '../remote.js';
import type { Encoding } from '../../lib/text.js';

/**
 * `corridor import dhis2 | dhis2-metadata` and `corridor export dhis2` (DESIGN §4): the DHIS2
 * dataValueSets and metadata exchange of `POST/GET /api/dataValueSets` and `POST /api/metadata`,
 * on the data directory or, with --server/--token, on a running server.
 */

/** The dataValueSet formats, each one branch of the switches below. */
const FORMATS = ['json', 'csv', 'xml', 'adx'] as const;
type Format = (typeof FORMATS)[number];

/** The format a file's name says: .json, .csv, .xml, and .adx or .adx.xml for ADX. */
function formatOfFile(file: string): Format | undefined {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.adx') || name.endsWith('.adx.xml')) return 'adx';
  const ext = path.extname(name).slice(1) as Format;
  return FORMATS.includes(ext) ? ext : undefined;
}

/** Content types of the formats, as the server's POST /api/dataValueSets reads them. */
const CONTENT_TYPE: Record<Format, string> = { json: 'application/json', csv: 'text/csv', xml: 'application/xml', adx: 'application/adx+xml' };

/** Imports over this many values show a progress bar (on a terminal). */
const PROGRESS_FROM = 10_000;

/** At most this many conflicts are printed; --json gives them all. */
const MAX_CONFLICTS = 50;

/** Zod issues of a file's content as one VALIDATION_FAILED line naming the field. */
function invalid(what: string, error: Parameters<typeof zodIssues>[0], input: unknown): AppError {
  const issues = zodIssues(error, input, what);
  return new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeIssues(issues)}`, issues);
}

/** Parses a JSON, CSV or DXF2 XML dataValueSet (CSV and XML errors name the line). */
function parseDataValueSet(format: Exclude<Format, 'adx'>, text: string): DataValueSetInput {
  switch (format) {
    case 'json': {
      const raw = parseJson(text);
      const parsed = DataValueSetSchema.safeParse(raw);
      if (!parsed.success) throw invalid('dataValueSet', parsed.error, raw);
      return parsed.data;
    }
    case 'csv':
      return parseDhis2Csv(text);
    case 'xml':
      return parseDhis2Xml(text);
  }
}

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

/** Imports on the data directory, with a progress bar for large files. */
async function importLocally(cmd: Command, name: string, format: Format, text: string, opts: ImportOptions): Promise<ImportSummary> {
  switch (format) {
    case 'json':
    case 'csv':
    case 'xml': {
      const set = parseDataValueSet(format, text);
      return withProgress(name, set.dataValues.length, (onProgress) => withServices(cmd, (s) => s.dataValues.import(LOCAL_ACTOR, set, opts, onProgress)));
    }
    case 'adx': {
      // ADX names categories and options by code: the service maps them to combos with the metadata.
      const doc = parseAdx(text);
      const total = doc.groups.reduce((n, g) => n + g.dataValues.length, 0);
      return withProgress(name, total, (onProgress) => withServices(cmd, (s) => s.dataValues.importAdx(LOCAL_ACTOR, doc, opts, onProgress)));
    }
  }
}

/** Runs an import of `total` values, with a progress bar when there are more than 10,000. */
async function withProgress<R>(name: string, total: number, work: (onProgress: (done: number) => void) => Promise<R>): Promise<R> {
  const bar = total > PROGRESS_FROM ? progress(`Importing ${name}`, total) : { update: () => undefined, stop: () => undefined };
  try {
    return await work((done) => bar.update(done));
  } finally {
    bar.stop();
  }
}

/** Sends the file to a running server's POST /api/dataValueSets, which parses and checks it the same way. */
async function importRemotely(remote: Remote, format: Format, text: string, opts: ImportOptions): Promise<ImportSummary> {
  const params = new URLSearchParams(Object.entries(opts).map(([k, v]): [string, string] => [k, String(v)]));
  return (await remotePost(remote, `/api/dataValueSets?${params}`, text, CONTENT_TYPE[format])).json as ImportSummary;
}

/** The import summary for a person: status and counts, then one line per conflict. */
function printSummary(name: string, summary: ImportSummary): void {
  const c = summary.importCount;
  const dry = summary.dryRun ? ' (dry run: nothing stored)' : '';
  console.log(`${name}: ${summary.status}${dry}: ${c.imported} imported, ${c.updated} updated, ${c.ignored} ignored, ${c.deleted} deleted`);
  if (summary.description) console.log(summary.description);
  for (const conflict of summary.conflicts.slice(0, MAX_CONFLICTS)) {
    // A value's conflict names it (dataValues[12]: …, ADX line 40: …); a set's names the property.
    const message = /^(dataValues\[\d+\]|ADX line \d+)/.test(conflict.message) ? conflict.message : `${conflict.property ?? conflict.object}: ${conflict.message}`;
    console.log(`  ${message}`);
  }
  if (summary.conflicts.length > MAX_CONFLICTS) console.log(`  … and ${summary.conflicts.length - MAX_CONFLICTS} more (use --json)`);
}

/** Exit code 1 without another message: the summary printed says why. */
function failed(): CommanderError {
  return new CommanderError(1, 'corridor.importFailed', 'the import summary status is ERROR');
}

const schemeOption = (flag: string, what: string) => new Option(`${flag} <scheme>`, what).choices(['uid', 'code', 'name']);

/** `corridor import …`: DHIS2 data values and metadata. */
export function importCommand(): Command {
  const imp = new Command('import').description('import DHIS2 data values and metadata');
  imp
    .command('dhis2 <file>')
    .description(
      'import a DHIS2 dataValueSet (JSON, CSV, DXF2 XML or ADX) and print the DHIS2 import summary; exits 1 when its status is ERROR (under --atomic all, any conflict stores nothing)',
    )
    .addOption(new Option('--format <format>', 'file format (default: from the extension: .json, .csv, .xml; .adx or .adx.xml for ADX)').choices(FORMATS))
    .addOption(encodingOption())
    .option('--dry-run', 'check and count everything, store nothing')
    .addOption(schemeOption('--id-scheme', 'how the file names data elements, org units and category option combos').default('uid'))
    .addOption(schemeOption('--data-element-id-scheme', 'for data elements (default: --id-scheme)'))
    .addOption(schemeOption('--org-unit-id-scheme', 'for org units (default: --id-scheme)'))
    .addOption(schemeOption('--coc-id-scheme', 'for category option combos (default: --id-scheme)'))
    .addOption(
      new Option('--strategy <strategy>', 'create (new values only), update (existing only), create_and_update, or delete')
        .choices(['create', 'update', 'create_and_update', 'delete'])
        .default('create_and_update'),
    )
    .addOption(new Option('--atomic <mode>', 'all: any conflict stores nothing (status ERROR); none: store the valid values (status WARNING)').choices(['all', 'none']).default('all'))
    .action(async (file: string, flags: ImportFlags, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const name = path.basename(file);
      const opts = importOptions(flags);
      const summary = await aboutFile(file, async () => {
        const format = flags.format ?? formatOfFile(file);
        if (!format) {
          throw new AppError('IMPORT_INVALID', `unknown file type "${path.extname(file) || '(none)'}"; use .json, .csv, .xml or .adx, or --format ${FORMATS.join('|')}`);
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
    .description(
      'import DHIS2 metadata JSON (organisationUnits, categoryOptions, categories, categoryCombos, categoryOptionCombos, dataElements, dataSets, indicators); all or nothing',
    )
    .addOption(encodingOption())
    .option('--dry-run', 'check and count everything, store nothing (importMode=VALIDATE)')
    .action(async (file: string, opts: { encoding?: Encoding; dryRun?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const name = path.basename(file);
      const report = await aboutFile(file, async () => {
        const text = readInputFile(file, opts.encoding);
        const raw = parseJson(text);
        const parsed = MetadataSchema.safeParse(raw);
        if (!parsed.success) throw invalid('metadata', parsed.error, raw);
        const importMode = opts.dryRun ? ('VALIDATE' as const) : ('COMMIT' as const);
        if (remote) return (await remotePost(remote, `/api/metadata?importMode=${importMode}`, text, 'application/json')).json as MetadataReport;
        return withServices(cmd, (s) => s.metadata.import(LOCAL_ACTOR, parsed.data, { importMode }));
      });
      if (global.json) return printJson(report);
      const counts = (stats: { created: number; updated: number; deleted?: number }) =>
        `${stats.created} created, ${stats.updated} updated${stats.deleted ? `, ${stats.deleted} deleted` : ''}`;
      console.log(`${name}: ${counts(report.stats)}${opts.dryRun ? ' (dry run: nothing stored)' : ''}`);
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

/** The stored values as text in `format`, exactly as GET /api/dataValueSets gives them. */
async function exportLocally(s: Services, q: ReturnType<typeof DataValueQuerySchema.parse>, format: Format): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(await s.dataValues.export(LOCAL_ACTOR, q), null, 2) + '\n';
    case 'csv':
      return formatDhis2Csv((await s.dataValues.export(LOCAL_ACTOR, q)).dataValues);
    case 'xml':
      return formatDhis2Xml(await s.dataValues.export(LOCAL_ACTOR, q));
    case 'adx':
      return s.dataValues.exportAdx(LOCAL_ACTOR, q);
  }
}

/** `corridor export …`: DHIS2 data values. */
export function exportCommand(): Command {
  const exp = new Command('export').description('export DHIS2 data values');
  exp
    .command('dhis2')
    .description('export stored data values as a DHIS2 dataValueSet (JSON, CSV, DXF2 XML or ADX), as GET /api/dataValueSets gives them')
    .option('--data-set <id>', 'only the data elements of this data set (id or code)')
    .option('--period <id>', 'only this DHIS2 period (e.g. 202401, 2024Q1)')
    .option('--org-unit <id>', 'only this org unit, by id (with --children: and every place under it)')
    .option('--children', "with --org-unit: the org unit's whole subtree")
    .option('--data-element <id>', 'only this data element')
    .option('--include-deleted', 'also the deleted values (with deleted: true)')
    .option('--limit <n>', 'at most this many values (default 1000000)')
    .addOption(new Option('--format <format>', 'json, csv, xml (DXF2) or adx (needs --data-set) (default: from the extension of --out, else json)').choices(FORMATS))
    .option('--out <file>', 'write to this file instead of standard output')
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
      if (format === 'adx' && !flags.dataSet) throw new AppError('VALIDATION_FAILED', '--format adx needs --data-set (ADX groups values by data set)', [{ field: '--data-set', message: 'required for ADX' }]);
      let text = remote
        ? (await remoteGet(remote, `/api/dataValueSets?${new URLSearchParams({ ...given, format })}`)).text
        : await withServices(cmd, (s) => exportLocally(s, parsed.data, format));
      if (!text.endsWith('\n')) text += '\n';
      if (format === 'json' && remote) text = JSON.stringify(JSON.parse(text), null, 2) + '\n';
      if (flags.out) {
        writeFileSync(flags.out, text);
        console.error(`wrote ${flags.out}`);
      } else process.stdout.write(text);
    });
  return exp;
}
