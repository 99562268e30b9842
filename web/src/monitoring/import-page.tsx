import { useId, useMemo, useState } from 'react';
import type { ChangeEvent } from 'react';
import { ApiError, getJson, messageOf, sendText } from '../api';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { nameIds } from './entry-grid';
import { MonitoringNav, formatNumber, loadPlaces } from './shared';
import type { DataElement, ImportSummary } from './types';

type Format = 'json' | 'csv' | 'xml' | 'adx';

const FORMATS: Record<Format, { label: string; contentType: string }> = {
  json: { label: 'DHIS2 JSON (dataValueSet)', contentType: 'application/json' },
  csv: { label: 'DHIS2 CSV', contentType: 'text/csv' },
  xml: { label: 'DHIS2 XML (DXF2 dataValueSet)', contentType: 'application/xml' },
  adx: { label: 'ADX (IHE aggregate data exchange, XML)', contentType: 'application/adx+xml' },
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
  how: string;
}

/** The format of a file: by its extension, then by its first characters. */
export function detectFormat(name: string, text: string): { format: Format; how: string } {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2000);
  const isAdx = /<(?:[\w-]+:)?adx[\s>/]/.test(head) || head.includes('ihe.net/adx');
  if (ext === 'json') return { format: 'json', how: 'from the .json extension' };
  if (ext === 'csv') return { format: 'csv', how: 'from the .csv extension' };
  if (ext === 'adx') return { format: 'adx', how: 'from the .adx extension' };
  if (ext === 'xml') return isAdx ? { format: 'adx', how: 'an .xml file whose root element is <adx>' } : { format: 'xml', how: 'from the .xml extension' };
  if (head.startsWith('{') || head.startsWith('[')) return { format: 'json', how: 'from the content (it starts with “{”)' };
  if (head.startsWith('<')) return isAdx ? { format: 'adx', how: 'from the content (an <adx> document)' } : { format: 'xml', how: 'from the content (XML)' };
  return { format: 'csv', how: 'from the content (neither JSON nor XML)' };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** What a refused import means, in a heading. */
function errorHeading(err: ApiError): string {
  switch (err.code) {
    case 'IMPORT_INVALID':
      return 'The file could not be read, so nothing was imported.';
    case 'DATA_APPROVED':
      return 'The file writes to approved (locked) data, so nothing was imported.';
    case 'PAYLOAD_TOO_LARGE':
      return 'The file is too large for the server.';
    case 'FORBIDDEN':
      return 'Your role may not import data.';
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return 'The server refused the file, so nothing was imported.';
    default:
      return 'The import failed.';
  }
}

/** `/monitoring/import`: import a DHIS2 data value file, checking it first (dry run). */
export function ImportPage() {
  const uid = useId();
  const [file, setFile] = useState<Chosen | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [options, setOptions] = useState<Options>(DEFAULT_OPTIONS);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [result, setResult] = useState<{ summary: ImportSummary; key: string } | null>(null);
  const [error, setError] = useState<{ heading: string; message: string } | null>(null);
  const [elements] = useLoad('data-elements', () => getJson<{ dataElements: DataElement[] }>('/api/metadata/dataElements').then((b) => b.dataElements));
  const [places] = useLoad('places', loadPlaces);

  // Names for the ids in conflicts: data elements and places.
  const names = useMemo(() => {
    const m = new Map<string, string>();
    if (elements.state === 'ready') for (const e of elements.data) m.set(e.id, e.name);
    if (places.state === 'ready') for (const p of places.data) m.set(p.id, p.name);
    return m;
  }, [elements, places]);

  const key = file ? `${file.name}|${file.size}|${file.format}|${options.idScheme}|${options.importStrategy}|${options.atomicMode}` : '';
  const checked = result && result.key === key && result.summary.dryRun ? result.summary : null;
  const imported = result && result.key === key && !result.summary.dryRun ? result.summary : null;
  // Under atomic mode ALL, a check with conflicts means the import would store nothing.
  const blocked = checked !== null && checked.status === 'ERROR' && options.atomicMode === 'ALL';

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const f = event.target.files?.[0];
    setResult(null);
    setError(null);
    setFileError(null);
    if (!f) {
      setFile(null);
      return;
    }
    if (f.size > MAX_BYTES) {
      setFile(null);
      setFileError(`“${f.name}” is ${formatBytes(f.size)}; the server accepts files up to ${formatBytes(MAX_BYTES)}. Split it into smaller files (for example one per period).`);
      return;
    }
    try {
      const text = await f.text();
      if (text.trim() === '') {
        setFile(null);
        setFileError(`“${f.name}” is empty.`);
        return;
      }
      setFile({ name: f.name, size: f.size, text, ...detectFormat(f.name, text) });
    } catch (err) {
      setFile(null);
      setFileError(`Could not read “${f.name}”: ${messageOf(err)}`);
    }
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    setError(null);
    const q = new URLSearchParams({ dryRun: String(dryRun), ...options });
    try {
      const summary = await sendText<ImportSummary>('POST', `/api/dataValueSets?${q.toString()}`, file.text, FORMATS[file.format].contentType);
      setResult({ summary, key });
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? { heading: errorHeading(err), message: nameIds(err.message, names) } : { heading: 'The import failed.', message: messageOf(err) });
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
        <h1>Import data values</h1>
        <p className="lede">
          Load a file of data values exported from DHIS2 or another system: DHIS2 JSON, CSV or XML, or ADX. First check it (a dry
          run stores nothing and lists every problem), then import it.
        </p>
      </div>

      <form className="import-form" onSubmit={(e) => e.preventDefault()} data-testid="import-form">
        <fieldset>
          <legend>1. File</legend>
          <div className="form-field">
            <label htmlFor={`${uid}-file`}>Data value file (.json, .csv, .xml or .adx, up to 10 MB)</label>
            <input id={`${uid}-file`} name="file" type="file" accept=".json,.csv,.xml,.adx,application/json,text/csv,application/xml" onChange={(e) => void choose(e)} />
          </div>
          {fileError ? (
            <p className="field-error" data-testid="file-error">
              {fileError}
            </p>
          ) : null}
          {file ? (
            <div className="import-file" data-testid="import-file" data-format={file.format}>
              <p>
                <strong>{file.name}</strong> · {formatBytes(file.size)}
              </p>
              <div className="form-field import-file__format">
                <label htmlFor={`${uid}-format`}>Read as</label>
                <select id={`${uid}-format`} name="format" value={file.format} onChange={(e) => setFile({ ...file, format: e.target.value as Format, how: 'as you chose' })}>
                  {(Object.keys(FORMATS) as Format[]).map((f) => (
                    <option key={f} value={f}>
                      {FORMATS[f].label}
                    </option>
                  ))}
                </select>
                <p className="form-field__hint">Found {file.how}.</p>
              </div>
            </div>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>2. Options</legend>
          <div className="form-grid">
            <div className="form-field">
              <label htmlFor={`${uid}-ids`}>Identifiers in the file</label>
              <select id={`${uid}-ids`} name="idScheme" value={options.idScheme} onChange={(e) => set('idScheme', e.target.value as Options['idScheme'])}>
                <option value="UID">UID (DHIS2 11-character ids)</option>
                <option value="CODE">Code</option>
                <option value="NAME">Name</option>
              </select>
              <p className="form-field__hint">How the file names data elements, places and disaggregations.</p>
            </div>
            <div className="form-field">
              <label htmlFor={`${uid}-strategy`}>What to do with each value</label>
              <select
                id={`${uid}-strategy`}
                name="importStrategy"
                value={options.importStrategy}
                onChange={(e) => set('importStrategy', e.target.value as Options['importStrategy'])}
              >
                <option value="CREATE_AND_UPDATE">Add new values and update existing ones</option>
                <option value="CREATE">Only add new values (leave existing ones)</option>
                <option value="UPDATE">Only update existing values</option>
                <option value="DELETE">Delete the values listed</option>
              </select>
            </div>
            <div className="form-field">
              <label htmlFor={`${uid}-atomic`}>When some values have problems</label>
              <select id={`${uid}-atomic`} name="atomicMode" value={options.atomicMode} onChange={(e) => set('atomicMode', e.target.value as Options['atomicMode'])}>
                <option value="ALL">Import nothing (all or nothing)</option>
                <option value="NONE">Import the values without problems</option>
              </select>
            </div>
          </div>
        </fieldset>

        <div className="form-actions">
          <button type="button" data-testid="import-check" disabled={!file || busy !== null} onClick={() => void run(true)}>
            {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
          </button>
          <button
            type="button"
            data-testid="import-run"
            className={checked && !blocked ? undefined : 'button--secondary'}
            disabled={!checked || blocked || busy !== null}
            onClick={() => void run(false)}
          >
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
          <span className="muted import-hint">
            {!file
              ? 'Choose a file first.'
              : imported
                ? 'Imported. Choose another file to import more.'
                : !checked
                  ? 'Check the file with these options before importing it.'
                  : blocked
                    ? 'Fix the problems below and check the file again: under “Import nothing” a file with problems stores nothing.'
                    : 'The check passed: import the file to store its values.'}
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

      {imported ? <Summary summary={imported} format={file?.format ?? 'json'} names={names} /> : checked ? <Summary summary={checked} format={file?.format ?? 'json'} names={names} /> : null}
    </main>
  );
}

const STATUS_TEXT: Record<ImportSummary['status'], { dry: string; real: string }> = {
  SUCCESS: { dry: 'The file can be imported as it is.', real: 'The values are stored.' },
  WARNING: { dry: 'Some values have problems: only the others would be stored.', real: 'The values without problems are stored; the others were left out.' },
  ERROR: { dry: 'The file has problems: fix them and check it again.', real: 'Nothing was stored.' },
};

/** The DHIS2 import summary: status, counts and the conflicts (paged). */
/** The status badge's tone of each import status. */
const IMPORT_STATUS_TONE: Record<ImportSummary['status'], string> = { SUCCESS: 'active', WARNING: 'warning', ERROR: 'error' };

function Summary({ summary, format, names }: { summary: ImportSummary; format: Format; names: Map<string, string> }) {
  const [page, setPage] = useState(1);
  const n = summary.importCount;
  const pages = Math.max(1, Math.ceil(summary.conflicts.length / PAGE_SIZE));
  const shown = summary.conflicts.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const verb = summary.dryRun ? 'would be' : '';
  /** "value 3" (JSON, XML) or "line 4" (CSV, after its header) from "dataValues[2]: …". */
  function where(message: string): { where: string; message: string } {
    const m = /^dataValues\[(\d+)\]:\s*/.exec(message);
    if (!m) return { where: '—', message };
    const i = Number(m[1]);
    return { where: format === 'csv' ? `line ${i + 2}` : `value ${i + 1}`, message: message.slice(m[0].length) };
  }
  return (
    <section className="import-summary" data-testid="import-summary" data-status={summary.status} data-dry-run={summary.dryRun ? 'true' : 'false'} aria-live="polite">
      <h2>
        {summary.dryRun ? 'Check (dry run): ' : 'Import: '}
        <span className={`status-badge status-badge--${IMPORT_STATUS_TONE[summary.status]}`} data-testid="import-status">
          {summary.status}
        </span>
      </h2>
      <p>
        {summary.dryRun ? STATUS_TEXT[summary.status].dry : STATUS_TEXT[summary.status].real}
        {summary.description ? <span className="muted"> ({summary.description})</span> : null}
        {summary.dryRun ? ' Nothing has been stored yet.' : ''}
      </p>
      <div className="stat-cards import-counts">
        {(
          [
            ['imported', 'New values', `${verb} added`],
            ['updated', 'Updated values', `${verb} changed`],
            ['deleted', 'Deleted values', `${verb} removed`],
            ['ignored', 'Ignored values', `${verb} left out`],
          ] as const
        ).map(([k, label, note]) => (
          <div key={k} className={`stat-card${k === 'ignored' && n.ignored > 0 ? ' stat-card--alert' : ''}`} data-testid={`count-${k}`} data-count={n[k]}>
            <span className="stat-card__label">{label}</span>
            <span className="stat-card__value">{formatNumber(n[k])}</span>
            <span className="stat-card__note">{note.trim()}</span>
          </div>
        ))}
      </div>
      {summary.conflicts.length > 0 ? (
        <>
          <h3>
            {summary.conflicts.length} conflict{summary.conflicts.length === 1 ? '' : 's'}
          </h3>
          <div className="table-scroll">
            <table className="data-table data-table--compact" data-testid="conflicts-table">
              <thead>
                <tr>
                  <th scope="col">Where</th>
                  <th scope="col">Value</th>
                  <th scope="col">Field</th>
                  <th scope="col">Object</th>
                  <th scope="col">Problem</th>
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
            <nav className="pager" aria-label="Pages of conflicts">
              <button type="button" className="button--secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                ← Previous
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" className="button--secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next →
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
      {!summary.dryRun && summary.status !== 'ERROR' ? (
        <p>
          Next: check the imported values on the <Link to="/monitoring/quality">data quality</Link> page, or open a form in{' '}
          <Link to="/monitoring/entry">data entry</Link>.
        </p>
      ) : null}
    </section>
  );
}
