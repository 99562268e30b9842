import { describe, expect, it } from 'vitest';
import { formatters } from '../i18n/format';
import { numberOrText } from './form-errors';

describe('numberOrText', () => {
  it('reads a number in the user’s locale: a French latitude of -1,2921 is -1.2921, not -12921', () => {
    expect(numberOrText(formatters('fr'), '-1,2921')).toBe(-1.2921);
    expect(numberOrText(formatters('fr'), '12 500')).toBe(12500);
    expect(numberOrText(formatters('en'), '12,500')).toBe(12500);
    expect(numberOrText(formatters('en'), '0.183')).toBe(0.183);
  });

  it('sends text that is not a number as typed, so the server can name it; nothing for a blank', () => {
    expect(numberOrText(formatters('en'), ' abc ')).toBe('abc');
    expect(numberOrText(formatters('fr'), '  ')).toBeUndefined();
  });
});
