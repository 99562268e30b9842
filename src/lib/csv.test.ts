import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { parseCsv, toCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and embedded newlines, with the line each record starts on', () => {
    const text = '\ufeffname,note\r\n"Busia, border",plain\r\n"He said ""hi""","two\nlines"\nlast,x';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Busia, border', 'plain'] },
      { line: 3, fields: ['He said "hi"', 'two\nlines'] },
      { line: 5, fields: ['last', 'x'] },
    ]);
  });

  it('skips blank lines and keeps empty fields', () => {
    expect(parseCsv('a,,c\n\n,b,\n')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 3, fields: ['', 'b', ''] },
    ]);
  });

  it('names the line and field of a quote that is never closed', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/^CSV line 2, field 2 \(character 3 of the line\): a quoted field is never closed$/);
  });

  /** The AppError a malformed text gets. */
  const refusal = (text: string): AppError => {
    try {
      parseCsv(text);
    } catch (e) {
      return e as AppError;
    }
    throw new Error(`accepted: ${JSON.stringify(text)}`);
  };

  it('refuses text after a closing quote ("12"3 is not 123), naming line, field and character', () => {
    const e = refusal('de,value\nA,"12"3\n');
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toMatch(/^CSV line 2, field 2 \(character 7 of the line\): text after the closing quote/);
    expect(e.details).toEqual([{ line: 2, field: 'field 2', message: 'text after the closing quote' }]);
    // A space after the closing quote, or a second quoted part, is text after it too.
    expect(refusal('"a" ,b').message).toMatch(/^CSV line 1, field 1 \(character 4 of the line\): text after the closing quote/);
    expect(refusal('x\n"a""b"c').message).toMatch(/^CSV line 2, field 1/);
    // The line is the one the closing quote is on, inside a field that spans lines.
    expect(refusal('a,"two\nlines"x\n').message).toMatch(/^CSV line 2, field 2 \(character 7 of the line\)/);
  });

  it('refuses a quote inside an unquoted field', () => {
    const e = refusal('de,value\r\nA,12"3\r\n');
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toMatch(/^CSV line 2, field 2 \(character 5 of the line\): a quote inside a field that does not start with one/);
    expect(refusal('a, "b"').message).toMatch(/^CSV line 1, field 2 \(character 4 of the line\): a quote inside a field/);
  });

  it('still reads a quoted field followed by a separator, an end of line or the end of the text', () => {
    expect(parseCsv('"a","b"\r\n"c"\r"d"').map((r) => r.fields)).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(parseCsv('"",""""').map((r) => r.fields)).toEqual([['', '"']]);
  });

  it('round-trips what toCsv writes', () => {
    const rows = [
      ['Malaba', 'a "quoted", value'],
      ['multi\nline', ''],
    ];
    const parsed = parseCsv(toCsv(['name', 'note'], rows));
    expect(parsed.map((r) => r.fields)).toEqual([['name', 'note'], ...rows]);
  });
});
