import { describe, expect, it } from 'vitest';
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

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/line 2: a quoted field is never closed/);
  });

  it('round-trips what toCsv writes', () => {
    const rows = [['Malaba', 'a "quoted", value'], ['multi\nline', '']];
    const parsed = parseCsv(toCsv(['name', 'note'], rows));
    expect(parsed.map((r) => r.fields)).toEqual([['name', 'note'], ...rows]);
  });
});
