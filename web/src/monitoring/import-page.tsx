import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useId, useMemo, useState } from 'react';
import type { ChangeEvent } from 'react';
import { $api, ApiError, api, data, messageOf } from '../api';
import type { Schema } from '../api';
import type { Formatters } from '../i18n/format';
import { Link } from '../router';
import { nameIds } from './entry-grid';
import { MonitoringNav, useNumbers, usePlaces } from './shared';

type ImportSummary = Schema<'ImportSummary'>;
type Format = 'json' | 'csv' | 'xml' | 'adx';

/** The content type each format is sent with (the server reads the format from it). */
const FORMATS: Record<Format, { contentType: string }> = {
  json: { contentType: 'application/json' },
  csv: { contentType: 'text/csv' },
  xml: { contentType: 'application/xml' },
  adx: { contentType: 'application/adx+xml' },
};

/** The server's request limit. */
const MAX_BYTES = 10 * 1024 * 1024;
const PAGE_SIZE = 25;

interface Options {
  idScheme: 'UID' | 'CODE' | 'NAME';
  importStrategy: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  atomicMode: 'ALL' | 'NONE';
}

const DEFAULT_OPTIONS: Options = { idScheme: 'UID', importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL' };

interface Chosen {
  name: string;
  size: number;
  text: string;
  format: Format;
  /** How the format was found. */
  how: How;
}

/** The format of a file: by its extension, then by its first characters. */
/** How the format of a file was found: a key of `import.how`. */
type How = 'json' | 'csv' | 'adx' | 'xml' | 'xmlAdx' | 'contentJson' | 'contentAdx' | 'contentXml' | 'contentCsv' | 'chosen';

export function detectFormat(name: string, text: string): { format: Format; how: How } {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 2000);
  const isAdx = /<(?:[\w-]+:)?adx[\s>/]/.test(head) || head.includes('ihe.net/adx');
  if (ext === 'json') return { format: 'json', how: 'json' };
  if (ext === 'csv') return { format: 'csv', how: 'csv' };
  if (ext === 'adx') return { format: 'adx', how: 'adx' };
  if (ext === 'xml') return isAdx ? { format: 'adx', how: 'xmlAdx' } : { format: 'xml', how: 'xml' };
  if (head.startsWith('{') || head.startsWith('[')) return { format: 'json', how: 'contentJson' };
  if (head.startsWith('<')) return isAdx ? { format: 'adx', how: 'contentAdx' } : { format: 'xml', how: 'contentXml' };
  return { format: 'csv', how: 'contentCsv' };
}

function formatBytes(n: number, t: TFunction<'monitoring'>, f: Formatters): string {
  if (n < 1024) return t('import.bytes', { count: n, n: f.number(n) });
  if (n < 1024 * 1024) return t('import.kB', { n: f.number(n / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
  return t('import.MB', { n: f.number(n / 1024 / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

/** What a refused import means, in a heading. */
function errorHeading(err: ApiError, t: TFunction<'monitoring'>): string {
  switch (err.code) {
    case 'IMPORT_INVALID':
      return t('import.errors.invalid');
    case 'DATA_APPROVED':
      return t('import.errors.approved');
    case 'PAYLOAD_TOO_LARGE':
      return t('import.errors.tooLarge');
    case 'FORBIDDEN':
      return t('import.errors.forbidden');
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return t('import.errors.refused');
    default:
      return t('import.errors.failed');
  }
}

/** `/monitoring/import`: import a DHIS2 data value file, checking it first (dry run). */
export function ImportPage() {
  const { t } = useTranslation('monitoring');
  const { f } = useNumbers();
  const uid = useId();
  const [file, setFile] = useState<Chosen | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [options, setOptions] = useState<Options>(DEFAULT_OPTIONS);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [result, setResult] = useState<{ summary: ImportSummary; key: string } | null>(null);
  const [error, setError] = useState<{ heading: string; message: string } | null>(null);
  const elements = $api.useQuery('get', '/api/metadata/dataElements');
  const places = usePlaces();

  // Names for the ids in conflicts: data elements and places.
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const e of elements.data?.dataElements ?? []) m.set(e.id, e.name);
    for (const p of places.data ?? []) m.set(p.id, p.name);
    return m;
  }, [elements.data, places.data]);

  const key = file ? `${file.name}|${file.size}|${file.format}|${options.idScheme}|${options.importStrategy}|${options.atomicMode}` : '';
  const checked = result && result.key === key && result.summary.dryRun ? result.summary : null;
  const imported = result && result.key === key && !result.summary.dryRun ? result.summary : null;
  // Under atomic mode ALL, a check with conflicts means the import would store nothing.
  const blocked = checked !== null && checked.status === 'ERROR' && options.atomicMode === 'ALL';

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file0 = event.target.files?.[0];
    setResult(null);
    setError(null);
    setFileError(null);
    if (!file0) {
      setFile(null);
      return;
    }
    if (file0.size > MAX_BYTES) {
      setFile(null);
      setFileError(t('import.fileTooLarge', { name: file0.name, size: formatBytes(file0.size, t, f), max: formatBytes(MAX_BYTES, t, f) }));
      return;
    }
    try {
      const text = await file0.text();
      if (text.trim() === '') {
        setFile(null);
        setFileError(t('import.fileEmpty', { name: file0.name }));
        return;
      }
      setFile({ name: file0.name, size: file0.size, text, ...detectFormat(file0.name, text) });
    } catch (err) {
      setFile(null);
      setFileError(t('import.fileUnreadable', { name: file0.name, message: messageOf(err) }));
    }
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    setError(null);
    try {
      // The file is sent as it is, with its format's content type.
      const summary = await data(
        api.POST('/api/dataValueSets', {
          params: { query: { dryRun, ...options } },
          body: file.text as never,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'content-type': FORMATS[file.format].contentType },
        }),
      );
      setResult({ summary, key });
    } catch (err) {
      setResult(null);
      setError(
        err instanceof ApiError
          ? { heading: errorHeading(err, t), message: nameIds(err.message, names) }
          : { heading: t('import.errors.failed'), message: messageOf(err) },
      );
    } finally {
      setBusy(null);
    }
  }

  function set<K extends keyof Options>(k: K, v: Options[K]) {
    setOptions((o) => ({ ...o, [k]: v }));
  }

  return (
    <main id="main" tabIndex={-1} className="page page--medium monitoring-page import-page">
      <MonitoringNav />
      <div className="page-heading">
        <h1>{t('import.title')}</h1>
        <p className="lede">{t('import.lede')}</p>
      </div>

      <form className="import-form" onSubmit={(e) => e.preventDefault()} data-testid="import-form">
        <fieldset>
          <legend>{t('import.step1')}</legend>
          <div className="form-field">
            <label htmlFor={`${uid}-file`}>{t('import.fileLabel')}</label>
            <input
              id={`${uid}-file`}
              name="file"
              type="file"
              accept=".json,.csv,.xml,.adx,application/json,text/csv,application/xml"
              onChange={(e) => void choose(e)}
            />
          </div>
          {fileError ? (
            <p className="field-error" data-testid="file-error">
              {fileError}
            </p>
          ) : null}
          {file ? (
            <div className="import-file" data-testid="import-file" data-format={file.format}>
              <p>
                <strong>{file.name}</strong> · {formatBytes(file.size, t, f)}
              </p>
              <div className="form-field import-file__format">
                <label htmlFor={`${uid}-format`}>{t('import.readAs')}</label>
                <select
                  id={`${uid}-format`}
                  name="format"
                  value={file.format}
                  onChange={(e) => setFile({ ...file, format: e.target.value as Format, how: 'chosen' })}
                >
                  {(Object.keys(FORMATS) as Format[]).map((f) => (
                    <option key={f} value={f}>
                      {t(`import.formats.${f}`)}
                    </option>
                  ))}
                </select>
                <p className="form-field__hint">{t(`import.how.${file.how}`)}</p>
              </div>
            </div>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{t('import.step2')}</legend>
          <div className="form-grid">
            <div className="form-field">
              <label htmlFor={`${uid}-ids`}>{t('import.idScheme')}</label>
              <select id={`${uid}-ids`} name="idScheme" value={options.idScheme} onChange={(e) => set('idScheme', e.target.value as Options['idScheme'])}>
                <option value="UID">{t('import.ids.UID')}</option>
                <option value="CODE">{t('import.ids.CODE')}</option>
                <option value="NAME">{t('import.ids.NAME')}</option>
              </select>
              <p className="form-field__hint">{t('import.idSchemeHint')}</p>
            </div>
            <div className="form-field">
              <label htmlFor={`${uid}-strategy`}>{t('import.strategy')}</label>
              <select
                id={`${uid}-strategy`}
                name="importStrategy"
                value={options.importStrategy}
                onChange={(e) => set('importStrategy', e.target.value as Options['importStrategy'])}
              >
                <option value="CREATE_AND_UPDATE">{t('import.strategies.CREATE_AND_UPDATE')}</option>
                <option value="CREATE">{t('import.strategies.CREATE')}</option>
                <option value="UPDATE">{t('import.strategies.UPDATE')}</option>
                <option value="DELETE">{t('import.strategies.DELETE')}</option>
              </select>
            </div>
            <div className="form-field">
              <label htmlFor={`${uid}-atomic`}>{t('import.atomic')}</label>
              <select
                id={`${uid}-atomic`}
                name="atomicMode"
                value={options.atomicMode}
                onChange={(e) => set('atomicMode', e.target.value as Options['atomicMode'])}
              >
                <option value="ALL">{t('import.atomicModes.ALL')}</option>
                <option value="NONE">{t('import.atomicModes.NONE')}</option>
              </select>
            </div>
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="button" data-testid="import-check" disabled={!file || busy !== null} onClick={() => void run(true)}>
            {busy === 'check' ? t('import.checking') : t('import.check')}
          </button>
          <button
            type="button"
            data-testid="import-run"
            className={checked && !blocked ? undefined : 'button--secondary'}
            disabled={!checked || blocked || busy !== null}
            onClick={() => void run(false)}
          >
            {busy === 'import' ? t('import.importing') : t('import.import')}
          </button>
          <span className="muted import-hint">
            {!file
              ? t('import.hints.chooseFile')
              : imported
                ? t('import.hints.imported')
                : !checked
                  ? t('import.hints.checkFirst')
                  : blocked
                    ? t('import.hints.blocked')
                    : t('import.hints.passed')}
          </span>
        </div>
      </form>

      {error ? (
        <div className="status status--error import-error" role="alert" data-testid="import-error">
          <p>
            <strong>{error.heading}</strong> {error.message}
          </p>
        </div>
      ) : null}

      {imported ? (
        <Summary summary={imported} format={file?.format ?? 'json'} names={names} />
      ) : checked ? (
        <Summary summary={checked} format={file?.format ?? 'json'} names={names} />
      ) : null}
    </main>
  );
}

/** The status badge's tone of each import status. */
const IMPORT_STATUS_TONE: Record<ImportSummary['status'], string> = { SUCCESS: 'active', WARNING: 'warning', ERROR: 'error' };

/** The DHIS2 import summary: status, counts and the conflicts (paged). */
function Summary({ summary, format, names }: { summary: ImportSummary; format: Format; names: Map<string, string> }) {
  const { t } = useTranslation('monitoring');
  const { num } = useNumbers();
  const [page, setPage] = useState(1);
  const n = summary.importCount;
  const pages = Math.max(1, Math.ceil(summary.conflicts.length / PAGE_SIZE));
  const shown = summary.conflicts.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const mode = summary.dryRun ? 'dry' : 'real';
  /** "value 3" (JSON, XML) or "line 4" (CSV, after its header) from "dataValues[2]: …". */
  function where(message: string): { where: string; message: string } {
    const m = /^dataValues\[(\d+)\]:\s*/.exec(message);
    if (!m) return { where: '—', message };
    const i = Number(m[1]);
    return { where: format === 'csv' ? t('import.line', { n: i + 2 }) : t('import.value', { n: i + 1 }), message: message.slice(m[0].length) };
  }
  return (
    <section
      className="import-summary"
      data-testid="import-summary"
      data-status={summary.status}
      data-dry-run={summary.dryRun ? 'true' : 'false'}
      aria-live="polite"
    >
      <h2>
        {summary.dryRun ? t('import.summaryDry') : t('import.summaryReal')}{' '}
        <span className={`status-badge status-badge--${IMPORT_STATUS_TONE[summary.status]}`} data-testid="import-status">
          {t(`import.statusName.${summary.status}`)}
        </span>
      </h2>
      <p>
        {t(`import.status.${summary.status}.${mode}`)}
        {summary.description ? <span className="muted"> ({summary.description})</span> : null}
        {summary.dryRun ? ` ${t('import.nothingYet')}` : ''}
      </p>
      <div className="stat-cards import-counts">
        {(['imported', 'updated', 'deleted', 'ignored'] as const).map((k) => (
          <div key={k} className={`stat-card${k === 'ignored' && n.ignored > 0 ? ' stat-card--alert' : ''}`} data-testid={`count-${k}`} data-count={n[k]}>
            <span className="stat-card__label">{t(`import.counts.${k}`)}</span>
            <span className="stat-card__value">{num(n[k])}</span>
            <span className="stat-card__note">{t(`import.countNotes.${mode}.${k}`)}</span>
          </div>
        ))}
      </div>
      {summary.conflicts.length > 0 ? (
        <>
          <h3>{t('import.conflicts', { count: summary.conflicts.length, n: num(summary.conflicts.length) })}</h3>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="conflicts-table">
              <thead>
                <tr>
                  <th scope="col">{t('import.where')}</th>
                  <th scope="col">{t('grid.value')}</th>
                  <th scope="col">{t('import.field')}</th>
                  <th scope="col">{t('import.object')}</th>
                  <th scope="col">{t('import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c, i) => {
                  const w = where(c.message);
                  return (
                    <tr key={(page - 1) * PAGE_SIZE + i} data-object={c.object} data-property={c.property ?? ''}>
                      <td className="cell-nowrap">{w.where}</td>
                      <td>
                        <code>{c.value}</code>
                      </td>
                      <td>{c.property ?? '—'}</td>
                      <td>
                        {names.get(c.object) ?? c.object}
                        {names.has(c.object) ? <code className="entry-code">{c.object}</code> : null}
                      </td>
                      <td>{nameIds(w.message, names)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <nav className="pager" aria-label={t('import.pages')}>
              <button type="button" className="button--secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t('import.previous')}
              </button>
              <span>{t('import.page', { page, pages })}</span>
              <button type="button" className="button--secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                {t('import.next')}
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
      {!summary.dryRun && summary.status !== 'ERROR' ? (
        <p>
          {t('import.nextSteps')} <Link to="/monitoring/quality">{t('nav.quality')}</Link> · <Link to="/monitoring/entry">{t('nav.entry')}</Link>
        </p>
      ) : null}
    </section>
  );
}
