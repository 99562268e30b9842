import { describe, expect, it } from 'vitest';
import { formatters } from '../i18n/format';
import { shownValue, wireValue } from './values';

// The grid shows and reads numbers in the user's language; what it sends stays plain (DHIS2's form).
describe('data-entry values by locale', () => {
  const fr = formatters('fr');
  const en = formatters('en');
  it('reads a number typed in French as the plain number the server keeps', () => {
    expect(wireValue('0,183', 'NUMBER', fr)).toBe('0.183');
    expect(wireValue('1 234', 'INTEGER_ZERO_OR_POSITIVE', fr)).toBe('1234');
    expect(wireValue('1\u202f234,5', 'NUMBER', fr)).toBe('1234.5');
    expect(wireValue('0.5', 'PERCENTAGE', fr)).toBe('0.5');
    expect(wireValue('1,234.5', 'NUMBER', en)).toBe('1234.5');
  });
  it('sends what is not a number as typed, so that the server names the problem', () => {
    expect(wireValue('abc', 'INTEGER', fr)).toBe('abc');
    expect(wireValue(' 2O ', 'INTEGER', en)).toBe('2O');
    expect(wireValue('0,5', 'TEXT', fr)).toBe('0,5');
    expect(wireValue('', 'NUMBER', fr)).toBe('');
  });
  it('shows a stored number in the user’s language, without grouping, so that it can be typed back', () => {
    expect(shownValue('0.183', 'NUMBER', fr)).toBe('0,183');
    expect(shownValue('1234', 'INTEGER', fr)).toBe('1234');
    expect(shownValue('0.183', 'NUMBER', en)).toBe('0.183');
    expect(wireValue(shownValue('1234.75', 'NUMBER', fr), 'NUMBER', fr)).toBe('1234.75');
    // Not numbers: as stored.
    expect(shownValue('0.183', 'TEXT', fr)).toBe('0.183');
    expect(shownValue('true', 'BOOLEAN', fr)).toBe('true');
  });
});
