import { describe, expect, it } from 'vitest';
import { codeWords, decodeHttpBody, decodeText } from './text.js';

describe('decodeText', () => {
  const text = 'name,code\nMurang’a,KE-021\n';

  it('reads UTF-8, with or without a BOM', () => {
    expect(decodeText(Buffer.from(text))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });

  it('decodes UTF-16 with a BOM, both byte orders', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toBe(text);
  });

  it('names UTF-16 without a BOM and Latin-1, and reads them when told', () => {
    expect(() => decodeText(Buffer.from(text, 'utf16le'))).toThrow(/not UTF-8; it looks like UTF-16 \(little-endian\).*--encoding utf16le/);
    const latin1 = Buffer.from('name\nCaf\xe9\n', 'latin1');
    expect(() => decodeText(latin1)).toThrow('the file is not UTF-8 (line 2); it looks like Latin-1 (ISO-8859-1) — save it as UTF-8 or pass --encoding latin1');
    expect(decodeText(latin1, { encoding: 'latin1' })).toBe('name\nCafé\n');
    expect(decodeText(Buffer.from(text, 'utf16le'), { encoding: 'utf16le' })).toBe(text);
  });

  it('honours a charset in an HTTP Content-Type', () => {
    const latin1 = Buffer.from('Caf\xe9', 'latin1');
    expect(() => decodeHttpBody(latin1, 'text/csv')).toThrow(/request body is not UTF-8.*charset=ISO-8859-1/);
    expect(decodeHttpBody(latin1, 'text/csv; charset=ISO-8859-1')).toBe('Café');
  });
});

describe('codeWords', () => {
  it('makes a readable code of capitals and hyphens, without accents', () => {
    expect(codeWords('Malaba Border Post')).toBe('MALABA-BORDER-POST');
    expect(codeWords('  Gisenyi–Goma (petite barrière) ')).toBe('GISENYI-GOMA-PETITE-BARRIERE');
    expect(codeWords('Bukavu, Ruzizi I')).toBe('BUKAVU-RUZIZI-I');
    expect(codeWords('???')).toBe('');
  });
  it('cuts long names at a word boundary', () => {
    expect(codeWords('Kasumbalesa one stop border post and truck park', 20)).toBe('KASUMBALESA-ONE-STOP');
    expect(codeWords('A'.repeat(50), 20)).toBe('A'.repeat(20));
  });
});
