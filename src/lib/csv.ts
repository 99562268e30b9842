import { AppError } from '../domain/errors.js';

/** One parsed CSV record and the 1-based line of the file on which it starts. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, embedded newlines). Malformed
 * quoting is refused with IMPORT_INVALID naming the line, field and column, never guessed at:
 * text after a closing quote (`"12"3`), a quote inside a field that does not start with one
 * (`12"3`), and a quoted field that is never closed.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let lineStart = 0;
  let recordLine = 1;
  let inQuotes = false;
  /** Where the open quoted field started, for the message when it is never closed. */
  let quoted = { line: 0, column: 0 };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  lineStart = i;
  const refuse = (at: number, problem: string, message: string): never => {
    const column = at - lineStart + 1;
    const n = fields.length + 1;
    throw new AppError('IMPORT_INVALID', `CSV line ${line}, field ${n} (character ${column} of the line): ${message}`, [
      { line, field: `field ${n}`, message: problem },
    ]);
  };
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          const next = text[i + 1];
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
            refuse(
              i + 1,
              'text after the closing quote',
              `text after the closing quote of a quoted field; to put a quote inside a field, quote the whole field and double the quote ("")`,
            );
          }
        }
      } else {
        if (ch === '\n') {
          line++;
          lineStart = i + 1;
        }
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== '') {
        refuse(i, 'quote inside an unquoted field', `a quote inside a field that does not start with one; quote the whole field and double the quote ("")`);
      }
      inQuotes = true;
      quoted = { line, column: i - lineStart + 1 };
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      lineStart = i + 1;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) {
    const n = fields.length + 1;
    throw new AppError('IMPORT_INVALID', `CSV line ${quoted.line}, field ${n} (character ${quoted.column} of the line): a quoted field is never closed`, [
      { line: quoted.line, field: `field ${n}`, message: 'unclosed quote' },
    ]);
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Quotes a value for CSV output when it needs it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats rows as CSV text with a header row. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
