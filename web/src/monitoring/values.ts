import type { Formatters } from '../i18n/format';

// Values of the data-entry grid: shown and typed in the user's locale, sent to the server plain.
// DHIS2 keeps numbers as plain text ("0.183"), whatever the language of who typed them.

/** True for the value types that hold numbers (and so have totals). */
export function isNumericType(valueType: string): boolean {
  return ['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE'].includes(valueType);
}

/**
 * A stored value as the box shows it: numbers in the user's locale ("0.183" → « 0,183 »), without
 * grouping, so that what is shown can be typed back; other values as they are.
 */
export function shownValue(stored: string, valueType: string, f: Formatters): string {
  if (!isNumericType(valueType) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(stored.trim())) return stored;
  return f.number(Number(stored), { useGrouping: false, maximumFractionDigits: 20 });
}

/**
 * What a box holds, as the server keeps it: a number typed in the user's locale becomes a plain
 * number ("0,183" → "0.183"); anything else is sent as typed (and the server says what is wrong).
 */
export function wireValue(typed: string, valueType: string, f: Formatters): string {
  const v = typed.trim();
  if (v === '' || !isNumericType(valueType)) return v;
  const n = f.parseNumber(v);
  return n === null ? v : String(n);
}
