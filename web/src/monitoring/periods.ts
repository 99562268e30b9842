// DHIS2 periods computed in the browser (mirroring src/monitoring/periods.ts) for the period
// pickers: the recent periods of a data set's period type, with readable labels. The server
// checks every period id it receives; a type not covered here gets a plain text box instead.

export interface PeriodOption {
  id: string;
  startDate: string;
  endDate: string;
  /** e.g. "Apr–Jun 2025 (2025Q2)". */
  label: string;
}

const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Period types of `months` months; period k of label year Y starts at month index Y*12 + offset + (k-1)*months. */
const MONTH_TYPES: Record<string, { months: number; offset: number; format(year: number, k: number): string }> = {
  Monthly: { months: 1, offset: 0, format: (y, k) => `${y}${pad(k)}` },
  BiMonthly: { months: 2, offset: 0, format: (y, k) => `${y}${pad(k)}B` },
  Quarterly: { months: 3, offset: 0, format: (y, k) => `${y}Q${k}` },
  QuarterlyNov: { months: 3, offset: -2, format: (y, k) => `${y}NovQ${k}` },
  SixMonthly: { months: 6, offset: 0, format: (y, k) => `${y}S${k}` },
  SixMonthlyApril: { months: 6, offset: 3, format: (y, k) => `${y}AprilS${k}` },
  SixMonthlyNov: { months: 6, offset: -2, format: (y, k) => `${y}NovS${k}` },
  Yearly: { months: 12, offset: 0, format: (y) => `${y}` },
  FinancialApril: { months: 12, offset: 3, format: (y) => `${y}April` },
  FinancialJuly: { months: 12, offset: 6, format: (y) => `${y}July` },
  FinancialOct: { months: 12, offset: 9, format: (y) => `${y}Oct` },
  FinancialNov: { months: 12, offset: -2, format: (y) => `${y}Nov` },
};

/** How many recent periods the pickers offer, by type. */
const HOW_MANY: Record<string, number> = { Daily: 31, Weekly: 26, Monthly: 24, BiMonthly: 12, Yearly: 6 };

function isoDay(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function dayOf(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/** "1 Apr 2025". */
export function formatDay(iso: string): string {
  const d = dayOf(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTH_ABBR[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** A readable span of whole months or days: "Apr–Jun 2025", "Nov 2025–Jan 2026", "March 2025", "2025", "27 Jan–2 Feb 2025". */
export function formatSpan(startDate: string, endDate: string): string {
  const s = dayOf(startDate);
  const e = dayOf(endDate);
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${startDate} – ${endDate}`;
  const next = new Date(e.getTime() + 86_400_000);
  const wholeMonths = s.getUTCDate() === 1 && next.getUTCDate() === 1;
  if (wholeMonths) {
    const sameYear = s.getUTCFullYear() === e.getUTCFullYear();
    if (s.getUTCMonth() === 0 && e.getUTCMonth() === 11 && sameYear) return String(s.getUTCFullYear());
    if (s.getUTCMonth() === e.getUTCMonth() && sameYear) return `${MONTH_NAMES[s.getUTCMonth()]} ${s.getUTCFullYear()}`;
    return sameYear
      ? `${MONTH_ABBR[s.getUTCMonth()]}–${MONTH_ABBR[e.getUTCMonth()]} ${e.getUTCFullYear()}`
      : `${MONTH_ABBR[s.getUTCMonth()]} ${s.getUTCFullYear()}–${MONTH_ABBR[e.getUTCMonth()]} ${e.getUTCFullYear()}`;
  }
  if (startDate === endDate) return formatDay(startDate);
  return `${formatDay(startDate)} – ${formatDay(endDate)}`;
}

/** "Apr–Jun 2025 (2025Q2)". */
export function periodLabel(p: { id: string; startDate: string; endDate: string }): string {
  const span = formatSpan(p.startDate, p.endDate);
  return span === p.id ? span : `${span} (${p.id})`;
}

function monthPeriod(type: string, monthIndex: number): PeriodOption | null {
  const spec = MONTH_TYPES[type];
  if (!spec) return null;
  const t = monthIndex - spec.offset;
  const year = Math.floor(t / 12);
  const k = Math.floor((t - year * 12) / spec.months) + 1;
  const start = year * 12 + spec.offset + (k - 1) * spec.months;
  const end = start + spec.months - 1;
  const startDate = isoDay(new Date(Date.UTC(Math.floor(start / 12), start - Math.floor(start / 12) * 12, 1)));
  const endDate = isoDay(new Date(Date.UTC(Math.floor(end / 12), end - Math.floor(end / 12) * 12 + 1, 0)));
  const p = { id: spec.format(year, k), startDate, endDate };
  return { ...p, label: periodLabel(p) };
}

/** ISO week (Monday first) containing a day. */
function isoWeek(d: Date): PeriodOption {
  const day = (d.getUTCDay() + 6) % 7; // 0 = Monday
  const monday = new Date(d.getTime() - day * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  const n = Math.round((monday.getTime() - week1.getTime()) / (7 * 86_400_000)) + 1;
  const p = { id: `${year}W${n}`, startDate: isoDay(monday), endDate: isoDay(new Date(monday.getTime() + 6 * 86_400_000)) };
  return { ...p, label: periodLabel(p) };
}

/** True when the pickers can list periods of this type (otherwise the period is typed). */
export function canListPeriods(type: string): boolean {
  return type in MONTH_TYPES || type === 'Weekly' || type === 'Daily';
}

/**
 * The recent periods of a type, newest first, from the one containing `today` back: the last 12
 * quarters, 24 months, 6 years… Empty for a type not computed here.
 */
export function recentPeriods(type: string, today = new Date(), count = HOW_MANY[type] ?? 12): PeriodOption[] {
  const out: PeriodOption[] = [];
  if (MONTH_TYPES[type]) {
    const spec = MONTH_TYPES[type];
    let m = today.getUTCFullYear() * 12 + today.getUTCMonth();
    for (let i = 0; i < count; i++) {
      const p = monthPeriod(type, m);
      if (!p) break;
      out.push(p);
      m -= spec.months;
    }
  } else if (type === 'Weekly') {
    let d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    for (let i = 0; i < count; i++) {
      out.push(isoWeek(d));
      d = new Date(d.getTime() - 7 * 86_400_000);
    }
  } else if (type === 'Daily') {
    let d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    for (let i = 0; i < count; i++) {
      const iso = isoDay(d);
      const p = { id: iso.replaceAll('-', ''), startDate: iso, endDate: iso };
      out.push({ ...p, label: periodLabel(p) });
      d = new Date(d.getTime() - 86_400_000);
    }
  }
  return out;
}

/**
 * The period a picker starts on: the latest period that has ended (the one being reported now),
 * or the current one when none has.
 */
export function defaultPeriod(periods: PeriodOption[], today = new Date()): string {
  const todayIso = isoDay(today);
  return (periods.find((p) => p.endDate < todayIso) ?? periods[0])?.id ?? '';
}

/** Readable names of DHIS2 period types. */
export const PERIOD_TYPE_NAMES: Record<string, string> = {
  Daily: 'Daily',
  Weekly: 'Weekly',
  Monthly: 'Monthly',
  BiMonthly: 'Every two months',
  Quarterly: 'Quarterly',
  QuarterlyNov: 'Quarterly (from November)',
  SixMonthly: 'Six-monthly',
  SixMonthlyApril: 'Six-monthly (from April)',
  SixMonthlyNov: 'Six-monthly (from November)',
  Yearly: 'Yearly',
  FinancialApril: 'Financial year (April)',
  FinancialJuly: 'Financial year (July)',
  FinancialOct: 'Financial year (October)',
  FinancialNov: 'Financial year (November)',
};
