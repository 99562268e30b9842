import { AppError } from '../domain/errors.js';

/** A document a service writes in a named format: its media type, a file name to save it as, and the text. */
export interface TextFile {
  contentType: string;
  /** A name to save it under (HTTP: Content-Disposition); none when the answer is meant to be read in place. */
  filename?: string;
  text: string;
}

/** The encodings a file import may be told to read (`--encoding`). */
export const ENCODINGS = ['utf8', 'latin1', 'utf16le', 'utf16be'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const LABEL: Record<Encoding, string> = { utf8: 'UTF-8', latin1: 'Latin-1 (ISO-8859-1)', utf16le: 'UTF-16 (little-endian)', utf16be: 'UTF-16 (big-endian)' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether the bytes look like UTF-16 without a BOM: many NUL bytes on one side of each pair of mostly-ASCII text. */
function utf16Without(bytes: Uint8Array): 'utf16le' | 'utf16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf16be';
  return null;
}

/** Swaps each byte pair (UTF-16BE to LE, which is what Node decodes). */
function swapped(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return out.swap16();
}

/** The first line holding `offset` (1-based), for messages. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Where strict UTF-8 decoding first fails (a byte offset), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return i;
    for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes an imported file's bytes as text, the one place every file import (CLI files, HTTP text
 * bodies) reads its encoding. A UTF-8 BOM is dropped; UTF-16 with a BOM is decoded; UTF-16 without
 * one, and bytes that are not UTF-8 (most often Latin-1 from a spreadsheet), are refused with the
 * encoding named, unless `encoding` says how to read them. `what` names the input in messages.
 */
export function decodeText(bytes: Uint8Array, opts: { encoding?: Encoding | undefined; what?: string; advice?: (encoding: Encoding) => string } = {}): string {
  const what = opts.what ?? 'the file';
  const advice = opts.advice ?? ((e: Encoding) => `save it as UTF-8 or pass --encoding ${e}`);
  if (opts.encoding && opts.encoding !== 'utf8') {
    let body = bytes;
    if (opts.encoding === 'utf16le' && bytes[0] === 0xff && bytes[1] === 0xfe) body = bytes.subarray(2);
    if (opts.encoding === 'utf16be' && bytes[0] === 0xfe && bytes[1] === 0xff) body = bytes.subarray(2);
    if (opts.encoding === 'latin1') return Buffer.from(body).toString('latin1');
    return (opts.encoding === 'utf16be' ? swapped(body) : Buffer.from(body)).toString('utf16le');
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return Buffer.from(bytes.subarray(2)).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return swapped(bytes.subarray(2)).toString('utf16le');
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const utf16 = utf16Without(body);
  if (utf16) {
    throw new AppError('IMPORT_INVALID', `${what} is not UTF-8; it looks like ${LABEL[utf16]} without a byte-order mark — ${advice(utf16)}`, {
      encoding: utf16,
    });
  }
  try {
    return strictUtf8.decode(body);
  } catch {
    const line = lineAt(body, Math.max(0, firstInvalidUtf8(body)));
    throw new AppError('IMPORT_INVALID', `${what} is not UTF-8 (line ${line}); it looks like ${LABEL.latin1} — ${advice('latin1')}`, {
      encoding: 'latin1',
      line,
    });
  }
}

/** Drops a leading UTF-8 BOM from text already decoded (a BOM is accepted in every format). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The encoding a Content-Type's charset names, if it is one an import reads (else UTF-8). */
function charsetOf(contentType: string | undefined): Encoding | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  const cs = m?.[1]?.toLowerCase();
  if (!cs) return undefined;
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252'].includes(cs)) return 'latin1';
  if (cs === 'utf-16le') return 'utf16le';
  if (cs === 'utf-16be') return 'utf16be';
  return undefined;
}

/**
 * An HTTP request body as text, read as decodeText reads a file: a charset in the Content-Type
 * (ISO-8859-1, UTF-16LE/BE) is honoured, else the body must be UTF-8 (a BOM is dropped).
 */
export function decodeHttpBody(bytes: Uint8Array, contentType: string | undefined): string {
  return decodeText(bytes, {
    encoding: charsetOf(contentType),
    what: 'the request body',
    advice: (e) =>
      `send it as UTF-8, or name its encoding in the Content-Type (charset=${e === 'latin1' ? 'ISO-8859-1' : e === 'utf16le' ? 'UTF-16LE' : 'UTF-16BE'})`,
  });
}

/** Text quoted in a message, cut to its start when long (a file's 300,000-character "column name" must not come back whole). */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, Math.floor(max * 0.7))}… (${text.length} characters)` : text;
}

/**
 * A readable code from words: letters and digits in capitals, accents dropped, anything else a
 * hyphen ("Malaba Border Post" → "MALABA-BORDER-POST", "Gisenyi–Goma" → "GISENYI-GOMA"), cut at
 * `max` characters on a word boundary. Empty when the words have no letter or digit.
 */
export function codeWords(words: string, max = 40): string {
  const s = words
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length <= max) return s;
  const cut = s.slice(0, max + 1);
  const end = cut.lastIndexOf('-');
  return (end > 0 ? cut.slice(0, end) : s.slice(0, max)).replace(/-+$/, '');
}
