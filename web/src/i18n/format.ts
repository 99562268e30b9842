import { useTranslation } from 'react-i18next';

// Numbers and dates shown to people, in the user's language: 12 345,6 and 3 déc. 2026 in French,
// 12,345.6 and 3 Dec 2026 in English. Values sent to the server stay plain (0.183, 2026-12-03).

const LOCALES: Record<string, string> = { en: 'en-GB', fr: 'fr-FR' };

/** The Intl locale of an app language. */
export function localeOf(language: string): string {
  return LOCALES[language] ?? 'en-GB';
}

export interface Formatters {
  locale: string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
  /** A share (0.183) as a percentage ("18.3%", "18,3 %"). */
  percent(share: number, digits?: number): string;
  /** An ISO day or instant as a date ("3 Dec 2026"). */
  date(iso: string | Date): string;
  /**
   * A registry date as recorded: a day ("15 Mar 2024"), a month ("Mar 2024"), or any other text
   * (e.g. "c.2018") as it is; "—" when there is none.
   */
  day(iso: string | null | undefined): string;
  /** An instant with its time ("3 Dec 2026, 14:05"). */
  dateTime(iso: string | Date): string;
  /** A number as typed by the user ("0,183" in French, "1,234.5" in English); null when it is not one. */
  parseNumber(text: string): number | null;
}

export function formatters(language: string): Formatters {
  const locale = localeOf(language);
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const nf = (options: Intl.NumberFormatOptions = {}) => {
    const key = JSON.stringify(options);
    let f = numberFormats.get(key);
    if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
    return f;
  };
  const dayFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const asDate = (v: string | Date) => (v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v));
  return {
    locale,
    number: (n, options) => nf(options).format(n),
    percent: (share, digits = 1) => nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share),
    date: (v) => {
      const d = asDate(v);
      return Number.isNaN(d.getTime()) ? String(v) : dayFormat.format(d);
    },
    day: (iso) => {
      if (!iso) return '—';
      const m = /^(\d{4})-(\d{2})(-\d{2})?$/.exec(iso.slice(0, 10));
      const d = m ? new Date(`${m[1]}-${m[2]}${m[3] ?? '-01'}T00:00:00Z`) : null;
      if (!m || !d || Number.isNaN(d.getTime())) return iso;
      return (m[3] ? dayFormat : monthFormat).format(d);
    },
    dateTime: (v) => {
      const d = asDate(v);
      return Number.isNaN(d.getTime()) ? String(v) : timeFormat.format(d);
    },
    parseNumber: (text) => parseLocaleNumber(text, locale),
  };
}

/** A count of people in the user's numbers; halves (midpoints of size ranges) keep one decimal. */
export function formatCount(f: Formatters, n: number): string {
  return f.number(n, { maximumFractionDigits: 1 });
}

/** A low–high size estimate, e.g. "1,500–3,000" (« 1 500–3 000 » in French). */
export function formatRange(f: Formatters, low: number, high: number): string {
  return low === high ? formatCount(f, low) : `${formatCount(f, low)}–${formatCount(f, high)}`;
}

/**
 * Reads a number typed in the user's locale. The locale's decimal mark is the decimal mark
 * ("0,183" is 0.183 in French); group separators (spaces, narrow no-break spaces, and the
 * locale's own) are ignored; a point is also taken as a decimal mark in French when the text has
 * no comma, since people copy numbers from English sources. Null when the text is not a number.
 */
export function parseLocaleNumber(text: string, locale: string): number | null {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  if (decimal === ',') {
    if (s.includes(',')) s = s.split('.').join('').replace(',', '.');
  } else {
    s = s.split(group).join('');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** The formatters of the current language, re-rendering when it changes. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(i18n.language);
}
