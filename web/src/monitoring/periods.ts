import type { TFunction } from 'i18next';
import { isPeriodType, periodOf, previousPeriod, type Period } from '../../../src/shared/periods';
import { i18next } from '../i18n';
import { localeOf } from '../i18n/format';

// The period pickers: the recent periods of a data set's period type, computed by the server's own
// period engine (src/shared/periods.ts, every DHIS2 period type), with labels in the user's language.

export interface PeriodOption {
  id: string;
  startDate: string;
  endDate: string;
  /** e.g. "Apr–Jun 2025 (2025Q2)", « avr.–juin 2025 (2025Q2) ». */
  label: string;
}

/** How many recent periods the pickers offer, by type. */
const HOW_MANY: Record<string, number> = {
  Daily: 31,
  Weekly: 26,
  WeeklyWednesday: 26,
  WeeklyThursday: 26,
  WeeklySaturday: 26,
  WeeklySunday: 26,
  BiWeekly: 26,
  Monthly: 24,
  BiMonthly: 12,
  Yearly: 6,
};

const DAY = 86_400_000;
const dayOf = (iso: string) => new Date(`${iso}T00:00:00Z`);

function formats(language: string) {
  const locale = localeOf(language);
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...o });
  return {
    day: f({ day: 'numeric', month: 'short', year: 'numeric' }),
    dayMonth: f({ day: 'numeric', month: 'short' }),
    month: f({ month: 'short' }),
    monthYear: f({ month: 'short', year: 'numeric' }),
    longMonthYear: f({ month: 'long', year: 'numeric' }),
  };
}

/** "1 Apr 2025" (« 1 avr. 2025 »). */
export function formatDay(iso: string, language = i18next.language): string {
  const d = dayOf(iso);
  return Number.isNaN(d.getTime()) ? iso : formats(language).day.format(d);
}

/** A readable span of whole months or days: "Apr–Jun 2025", "Nov 2025–Jan 2026", "March 2025", "2025", "27 Jan–2 Feb 2025". */
export function formatSpan(startDate: string, endDate: string, language = i18next.language): string {
  const s = dayOf(startDate);
  const e = dayOf(endDate);
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${startDate} – ${endDate}`;
  const f = formats(language);
  const wholeMonths = s.getUTCDate() === 1 && new Date(e.getTime() + DAY).getUTCDate() === 1;
  const sameYear = s.getUTCFullYear() === e.getUTCFullYear();
  if (wholeMonths) {
    if (s.getUTCMonth() === 0 && e.getUTCMonth() === 11 && sameYear) return String(s.getUTCFullYear());
    if (s.getUTCMonth() === e.getUTCMonth() && sameYear) return f.longMonthYear.format(s);
    return sameYear ? `${f.month.format(s)}–${f.monthYear.format(e)}` : `${f.monthYear.format(s)}–${f.monthYear.format(e)}`;
  }
  if (startDate === endDate) return f.day.format(s);
  return sameYear ? `${f.dayMonth.format(s)}–${f.day.format(e)}` : `${f.day.format(s)} – ${f.day.format(e)}`;
}

/** "Apr–Jun 2025 (2025Q2)". */
export function periodLabel(p: { id: string; startDate: string; endDate: string }, language = i18next.language): string {
  const span = formatSpan(p.startDate, p.endDate, language);
  return span === p.id ? span : `${span} (${p.id})`;
}

/** True when the pickers can list periods of this type (otherwise the period is typed). */
export function canListPeriods(type: string): boolean {
  return isPeriodType(type);
}

const option = (p: Period, language: string): PeriodOption => ({ id: p.id, startDate: p.startDate, endDate: p.endDate, label: periodLabel(p, language) });

/**
 * The recent periods of a type, newest first, from the one containing `today` back: the last 12
 * quarters, 24 months, 6 years… Empty for a type that is not a DHIS2 period type.
 */
export function recentPeriods(type: string, today = new Date(), count = HOW_MANY[type] ?? 12, language = i18next.language): PeriodOption[] {
  if (!isPeriodType(type)) return [];
  const out: PeriodOption[] = [];
  let p = periodOf(type, today);
  for (let i = 0; i < count; i++) {
    out.push(option(p, language));
    p = previousPeriod(p);
  }
  return out;
}

/**
 * The period a picker starts on: the latest period that has ended (the one being reported now),
 * or the current one when none has.
 */
export function defaultPeriod(periods: PeriodOption[], today = new Date()): string {
  const todayIso = today.toISOString().slice(0, 10);
  return (periods.find((p) => p.endDate < todayIso) ?? periods[0])?.id ?? '';
}

/** The name of a DHIS2 period type in the user's language ("Quarterly", « Trimestriel »). */
export function periodTypeName(t: TFunction<'monitoring'>, type: string): string {
  return isPeriodType(type) ? t(`periodTypes.${type}`) : type;
}
