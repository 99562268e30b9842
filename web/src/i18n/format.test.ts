import { describe, expect, it } from 'vitest';
import { formatters, parseLocaleNumber } from './format';

describe('numbers typed by the user', () => {
  it('reads a French decimal comma as the decimal mark', () => {
    expect(parseLocaleNumber('0,183', 'fr-FR')).toBe(0.183);
    expect(parseLocaleNumber('12 345,5', 'fr-FR')).toBe(12345.5);
    expect(parseLocaleNumber('12\u202f345', 'fr-FR')).toBe(12345);
    expect(parseLocaleNumber('0.183', 'fr-FR')).toBe(0.183);
  });
  it('reads English numbers with group commas', () => {
    expect(parseLocaleNumber('0.183', 'en-GB')).toBe(0.183);
    expect(parseLocaleNumber('1,234.5', 'en-GB')).toBe(1234.5);
  });
  it('refuses what is not a number', () => {
    for (const bad of ['', 'abc', '1,2,3x', '--1', '1.2.3']) expect(parseLocaleNumber(bad, 'en-GB')).toBeNull();
    expect(parseLocaleNumber('0,1,8', 'fr-FR')).toBeNull();
  });
  it('formats numbers and dates by language', () => {
    expect(formatters('fr').number(12345.6).replace(/\s/g, ' ')).toBe('12 345,6');
    expect(formatters('en').number(12345.6)).toBe('12,345.6');
    expect(formatters('fr').date('2026-12-03')).toBe('3 déc. 2026');
    expect(formatters('en').date('2026-12-03')).toBe('3 Dec 2026');
  });
});
