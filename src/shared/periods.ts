import { AppError } from './errors.js';

/**
 * DHIS2 periods (the fixed period types of DHIS2 2.40, ISO 8601 calendar): parsing and
 * formatting of period ids (`2024W5`, `202401`, `2024Q1`, `2024April`…), the period of a type that
 * contains a date, the next and previous period, the periods over a date range, and ADX periods
 * (`2015-06-01/P1M`). See docs/periods.md for the table of types.
 *
 * Pure: dates are whole days counted from 1970-01-01 on the proleptic Gregorian calendar, so no
 * clock, `Date` arithmetic or time zone is involved. Dates in and out are ISO `YYYY-MM-DD`; the
 * end date of a period is inclusive.
 */

/** Every DHIS2 period type with a string form, by its DHIS2 name (`PeriodTypeEnum` in dhis2-core). */
export const PERIOD_TYPES = [
  'Daily',
  'Weekly',
  'WeeklyWednesday',
  'WeeklyThursday',
  'WeeklySaturday',
  'WeeklySunday',
  'BiWeekly',
  'Monthly',
  'BiMonthly',
  'Quarterly',
  'QuarterlyNov',
  'SixMonthly',
  'SixMonthlyApril',
  'SixMonthlyNov',
  'Yearly',
  'FinancialApril',
  'FinancialJuly',
  'FinancialOct',
  'FinancialNov',
] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** One period: its canonical DHIS2 id, its type and its first and last day (inclusive). */
export interface Period {
  id: string;
  type: PeriodType;
  /** ISO date of the first day. */
  startDate: string;
  /** ISO date of the last day (inclusive). */
  endDate: string;
}

/** The ISO 8601 durations of ADX periods. */
export const ADX_DURATIONS = ['P1D', 'P7D', 'P14D', 'P1M', 'P2M', 'P3M', 'P6M', 'P1Y'] as const;
export type AdxDuration = (typeof ADX_DURATIONS)[number];

/** At most this many periods come out of `periodsBetween` (about 270 years of days). */
export const MAX_PERIODS = 100_000;

// ---------------------------------------------------------------------------------------------
// Calendar: day numbers (days since 1970-01-01), proleptic Gregorian, integers only.
// ---------------------------------------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Day number of a civil date (H. Hinnant's days_from_civil). */
function toDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number (H. Hinnant's civil_from_days). */
function fromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function weekday(z: number): number {
  return ((((z + 3) % 7) + 7) % 7) + 1;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function isoDate(z: number): string {
  const { y, m, d } = fromDays(z);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

const MIN_DAY = toDays(1, 1, 1);
const MAX_DAY = toDays(9999, 12, 31);

/** The first day of the week (starting on `firstDay`) that contains day `z`. */
function weekStart(z: number, firstDay: number): number {
  return z - ((weekday(z) - firstDay + 7) % 7);
}

/**
 * The first day of week 1 of `year` for weeks starting on `firstDay`: as in ISO 8601 and in
 * DHIS2 (`WeekFields.of(firstDay, 4)`), week 1 is the first week with at least four days in the
 * year, which is the week that contains 4 January.
 */
function weekOne(year: number, firstDay: number): number {
  return weekStart(toDays(year, 1, 4), firstDay);
}

/** 52 or 53: how many weeks starting on `firstDay` belong to `year`. */
function weeksInYear(year: number, firstDay: number): number {
  return (weekOne(year + 1, firstDay) - weekOne(year, firstDay)) / 7;
}

/** The week (starting on `firstDay`) containing day `z`: its week-based year, number and first day. */
function weekOf(z: number, firstDay: number): { year: number; week: number; start: number } {
  const start = weekStart(z, firstDay);
  // The week belongs to the year that holds at least four of its days, so the year of its fourth day.
  const year = fromDays(start + 3).y;
  return { year, week: (start - weekOne(year, firstDay)) / 7 + 1, start };
}

// ---------------------------------------------------------------------------------------------
// Period types
// ---------------------------------------------------------------------------------------------

type Spec =
  | { kind: 'day' }
  | { kind: 'week'; firstDay: number; infix: string }
  | { kind: 'biweek' }
  /**
   * Periods of `months` months. Period k (1-based) of label year Y starts in month index
   * Y * 12 + offset + (k - 1) * months (month index = year * 12 + month - 1), so a negative offset
   * starts the first period in the previous calendar year (QuarterlyNov, SixMonthlyNov, FinancialNov).
   */
  | { kind: 'months'; months: number; offset: number; format(year: string, k: number): string };

const SPECS: Record<PeriodType, Spec> = {
  Daily: { kind: 'day' },
  Weekly: { kind: 'week', firstDay: 1, infix: 'W' },
  WeeklyWednesday: { kind: 'week', firstDay: 3, infix: 'WedW' },
  WeeklyThursday: { kind: 'week', firstDay: 4, infix: 'ThuW' },
  WeeklySaturday: { kind: 'week', firstDay: 6, infix: 'SatW' },
  WeeklySunday: { kind: 'week', firstDay: 7, infix: 'SunW' },
  BiWeekly: { kind: 'biweek' },
  Monthly: { kind: 'months', months: 1, offset: 0, format: (y, k) => `${y}${pad(k, 2)}` },
  BiMonthly: { kind: 'months', months: 2, offset: 0, format: (y, k) => `${y}${pad(k, 2)}B` },
  Quarterly: { kind: 'months', months: 3, offset: 0, format: (y, k) => `${y}Q${k}` },
  QuarterlyNov: { kind: 'months', months: 3, offset: -2, format: (y, k) => `${y}NovQ${k}` },
  SixMonthly: { kind: 'months', months: 6, offset: 0, format: (y, k) => `${y}S${k}` },
  SixMonthlyApril: { kind: 'months', months: 6, offset: 3, format: (y, k) => `${y}AprilS${k}` },
  SixMonthlyNov: { kind: 'months', months: 6, offset: -2, format: (y, k) => `${y}NovS${k}` },
  Yearly: { kind: 'months', months: 12, offset: 0, format: (y) => y },
  FinancialApril: { kind: 'months', months: 12, offset: 3, format: (y) => `${y}April` },
  FinancialJuly: { kind: 'months', months: 12, offset: 6, format: (y) => `${y}July` },
  FinancialOct: { kind: 'months', months: 12, offset: 9, format: (y) => `${y}Oct` },
  FinancialNov: { kind: 'months', months: 12, offset: -2, format: (y) => `${y}Nov` },
};

const ADX_DURATION_OF: Record<PeriodType, AdxDuration> = {
  Daily: 'P1D',
  Weekly: 'P7D',
  WeeklyWednesday: 'P7D',
  WeeklyThursday: 'P7D',
  WeeklySaturday: 'P7D',
  WeeklySunday: 'P7D',
  BiWeekly: 'P14D',
  Monthly: 'P1M',
  BiMonthly: 'P2M',
  Quarterly: 'P3M',
  QuarterlyNov: 'P3M',
  SixMonthly: 'P6M',
  SixMonthlyApril: 'P6M',
  SixMonthlyNov: 'P6M',
  Yearly: 'P1Y',
  FinancialApril: 'P1Y',
  FinancialJuly: 'P1Y',
  FinancialOct: 'P1Y',
  FinancialNov: 'P1Y',
};

/** True when `s` names a period type. */
export function isPeriodType(s: unknown): s is PeriodType {
  return typeof s === 'string' && (PERIOD_TYPES as readonly string[]).includes(s);
}

function specOf(type: PeriodType): Spec {
  if (!isPeriodType(type)) {
    throw new AppError('BAD_REQUEST', `unknown period type ${JSON.stringify(type)}; expected one of ${PERIOD_TYPES.join(', ')}`, { type });
  }
  return SPECS[type];
}

/** INVALID_PERIOD: "<id>: <problem>"; `shown` is how the message writes the id (quoted, shortened). */
function invalid(id: string, problem: string, type?: PeriodType, shown = id): AppError {
  return new AppError('INVALID_PERIOD', `${shown}: ${problem}`, { value: id, ...(type ? { type } : {}) });
}

function make(type: PeriodType, id: string, start: number, end: number): Period {
  if (start < MIN_DAY || end > MAX_DAY) throw invalid(id, 'lies outside the supported years 0001–9999', type);
  return { id, type, startDate: isoDate(start), endDate: isoDate(end) };
}

/** The period of `type` that contains day `z`, with its canonical id. */
function periodAt(type: PeriodType, z: number): Period {
  const spec = specOf(type);
  switch (spec.kind) {
    case 'day': {
      const { y, m, d } = fromDays(z);
      return make(type, `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`, z, z);
    }
    case 'week': {
      const { year, week, start } = weekOf(z, spec.firstDay);
      return make(type, `${pad(year, 4)}${spec.infix}${week}`, start, start + 6);
    }
    case 'biweek': {
      // DHIS2: bi-week n is ISO weeks 2n-1 and 2n; in a year of 53 ISO weeks, bi-week 27 starts on
      // the Monday of week 53 and runs into week 1 of the next year (which also starts bi-week 1).
      const { year, week } = weekOf(z, 1);
      const n = Math.ceil(week / 2);
      const start = weekOne(year, 1) + (2 * n - 2) * 7;
      return make(type, `${pad(year, 4)}BiW${n}`, start, start + 13);
    }
    case 'months': {
      const { y, m } = fromDays(z);
      const index = Math.floor((y * 12 + m - 1 - spec.offset) / spec.months);
      const first = spec.offset + index * spec.months;
      const perYear = 12 / spec.months;
      const year = Math.floor(index / perYear);
      const k = index - year * perYear + 1;
      const startY = Math.floor(first / 12);
      const last = first + spec.months - 1;
      const endY = Math.floor(last / 12);
      const endM = last - endY * 12 + 1;
      return make(type, spec.format(pad(year, 4), k), toDays(startY, first - startY * 12 + 1, 1), toDays(endY, endM, daysInMonth(endY, endM)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** A number within `min`…`max` written with at most `digits` digits; else INVALID_PERIOD. */
function numberIn(id: string, text: string, min: number, max: number, digits: number, problem: string, type: PeriodType): number {
  const n = Number(text);
  if (n < min || n > max || text.length > digits) throw invalid(id, problem, type);
  return n;
}

/** Day number of a civil date given as text, or the reason it is not a date. */
function civil(y: number, m: number, d: number): number | string {
  if (m < 1 || m > 12) return 'month must be 01–12';
  if (d < 1 || d > daysInMonth(y, m)) return `not a date (${MONTHS[m - 1]} ${pad(y, 4)} has ${daysInMonth(y, m)} days)`;
  return toDays(y, m, d);
}

function parseDaily(id: string, ys: string, ms: string, ds: string): Period {
  const z = civil(Number(ys), Number(ms), Number(ds));
  if (typeof z === 'string') throw invalid(id, z, 'Daily');
  return periodAt('Daily', z);
}

function parseWeek(type: PeriodType, id: string, ys: string, ws: string): Period {
  const spec = SPECS[type] as { firstDay: number };
  const year = Number(ys);
  const max = weeksInYear(year, spec.firstDay);
  const what = spec.firstDay === 1 ? 'ISO weeks' : `weeks starting on ${DAYS[spec.firstDay - 1]}`;
  const week = Number(ws);
  if (week < 1) throw invalid(id, 'weeks are numbered from 1', type);
  if (week > max) throw invalid(id, `${ys} has only ${max} ${what}`, type);
  if (ws.length > 2) throw invalid(id, 'the week number has one or two digits', type);
  return periodAt(type, weekOne(year, spec.firstDay) + (week - 1) * 7);
}

function parseBiWeek(id: string, ys: string, ns: string): Period {
  const year = Number(ys);
  const isoWeeks = weeksInYear(year, 1);
  const max = Math.ceil(isoWeeks / 2);
  const n = Number(ns);
  if (n < 1) throw invalid(id, 'bi-weeks are numbered from 1', 'BiWeekly');
  if (n > max) throw invalid(id, `${ys} has only ${max} bi-weeks (it has ${isoWeeks} ISO weeks; bi-week 27 exists only in years of 53)`, 'BiWeekly');
  if (ns.length > 2) throw invalid(id, 'the bi-week number has one or two digits', 'BiWeekly');
  return periodAt('BiWeekly', weekOne(year, 1) + (2 * n - 2) * 7);
}

/** The period k of label year `ys` of a months-based type. */
function monthsPeriod(type: PeriodType, ys: string, k: number): Period {
  const spec = SPECS[type] as { months: number; offset: number };
  const first = Number(ys) * 12 + spec.offset + (k - 1) * spec.months;
  const y = Math.floor(first / 12);
  const z = toDays(y, first - y * 12 + 1, 1);
  if (z < MIN_DAY) {
    const id = (SPECS[type] as { format(y: string, k: number): string }).format(ys, k);
    throw invalid(id, 'lies outside the supported years 0001–9999', type);
  }
  return periodAt(type, z);
}

interface Form {
  re: RegExp;
  parse(id: string, m: string[]): Period;
}

const numbered = (type: PeriodType, max: number, what: string) => (id: string, m: string[]) =>
  monthsPeriod(type, m[1]!, numberIn(id, m[2]!, 1, max, 1, `${what} must be ${max === 2 ? '1 or 2' : `1–${max}`}`, type));

const yearly = (type: PeriodType) => (_id: string, m: string[]) => monthsPeriod(type, m[1]!, 1);

/** The forms DHIS2 2.40 accepts (`DateUnitType`): full-string, case-sensitive, four-digit years. */
const FORMS: Form[] = [
  { re: /^(\d{4})(\d{2})(\d{2})$/, parse: (id, m) => parseDaily(id, m[1]!, m[2]!, m[3]!) },
  { re: /^(\d{4})-(\d{2})-(\d{2})$/, parse: (id, m) => parseDaily(id, m[1]!, m[2]!, m[3]!) },
  { re: /^(\d{4})W(\d+)$/, parse: (id, m) => parseWeek('Weekly', id, m[1]!, m[2]!) },
  { re: /^(\d{4})WedW(\d+)$/, parse: (id, m) => parseWeek('WeeklyWednesday', id, m[1]!, m[2]!) },
  { re: /^(\d{4})ThuW(\d+)$/, parse: (id, m) => parseWeek('WeeklyThursday', id, m[1]!, m[2]!) },
  { re: /^(\d{4})SatW(\d+)$/, parse: (id, m) => parseWeek('WeeklySaturday', id, m[1]!, m[2]!) },
  { re: /^(\d{4})SunW(\d+)$/, parse: (id, m) => parseWeek('WeeklySunday', id, m[1]!, m[2]!) },
  { re: /^(\d{4})BiW(\d+)$/, parse: (id, m) => parseBiWeek(id, m[1]!, m[2]!) },
  {
    re: /^(\d{4})-?(\d{2})$/,
    parse: (id, m) => monthsPeriod('Monthly', m[1]!, numberIn(id, m[2]!, 1, 12, 2, 'month must be 01–12', 'Monthly')),
  },
  {
    re: /^(\d{4})(\d{2})B$/,
    parse: (id, m) =>
      monthsPeriod('BiMonthly', m[1]!, numberIn(id, m[2]!, 1, 6, 2, 'bi-month must be 01–06 (01 = January–February … 06 = November–December)', 'BiMonthly')),
  },
  { re: /^(\d{4})Q(\d+)$/, parse: numbered('Quarterly', 4, 'quarter') },
  { re: /^(\d{4})NovQ(\d+)$/, parse: numbered('QuarterlyNov', 4, 'quarter') },
  { re: /^(\d{4})S(\d+)$/, parse: numbered('SixMonthly', 2, 'half-year') },
  { re: /^(\d{4})AprilS(\d+)$/, parse: numbered('SixMonthlyApril', 2, 'half-year') },
  { re: /^(\d{4})NovS(\d+)$/, parse: numbered('SixMonthlyNov', 2, 'half-year') },
  { re: /^(\d{4})$/, parse: yearly('Yearly') },
  { re: /^(\d{4})April$/, parse: yearly('FinancialApril') },
  { re: /^(\d{4})July$/, parse: yearly('FinancialJuly') },
  { re: /^(\d{4})Oct$/, parse: yearly('FinancialOct') },
  { re: /^(\d{4})Nov$/, parse: yearly('FinancialNov') },
];

/** The letters of period ids, by their lower case: to point out a wrong case. */
const TOKENS = new Map(
  ['W', 'WedW', 'ThuW', 'SatW', 'SunW', 'BiW', 'B', 'Q', 'NovQ', 'S', 'AprilS', 'NovS', 'April', 'July', 'Oct', 'Nov'].map((t) => [t.toLowerCase(), t]),
);

const EXAMPLES = '20240315, 2024W5, 2024BiW1, 202401, 202401B, 2024Q1, 2024S1, 2024AprilS1, 2024, 2024April';

function match(id: string): Period | null {
  for (const form of FORMS) {
    const m = form.re.exec(id);
    if (m) return form.parse(id, m);
  }
  return null;
}

/**
 * The period a DHIS2 period id stands for, with its canonical id. Besides the canonical forms it
 * accepts what DHIS2 2.40 also accepts: `2024-03-15` (Daily), `2024-03` (Monthly) and a week
 * number with a leading zero (`2024W05`). Ids are case-sensitive, as in DHIS2: `2024q1` is refused.
 * INVALID_PERIOD (400) otherwise, with a message that says what is wrong.
 */
export function parsePeriod(id: string): Period {
  if (typeof id !== 'string') throw new AppError('INVALID_PERIOD', 'a period id must be a string', { value: id });
  if (id === '') throw new AppError('INVALID_PERIOD', 'the period id is empty', { value: id });
  // A long string is echoed shortened, in the message and in the details.
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  if (/\s/.test(id)) throw invalid(shown, 'a period id contains no spaces', undefined, JSON.stringify(shown));
  if (id.length <= 40) {
    const period = match(id);
    if (period) return period;
    // Wrong case: 2024q1, 2024april, 202401b.
    const parts = /^(\d+)([A-Za-z]+)(\d*)$/.exec(id);
    const token = parts && TOKENS.get(parts[2]!.toLowerCase());
    if (parts && token && token !== parts[2]) {
      const guess = `${parts[1]}${token}${parts[3]}`;
      let valid = true;
      try {
        valid = match(guess) !== null;
      } catch {
        valid = false;
      }
      throw invalid(id, `period ids are case-sensitive (write "${token}", not "${parts[2]}")${valid ? `; did you mean ${guess}?` : ''}`);
    }
    if (/^\d{1,3}(?:[A-Za-z]|$)/.test(id)) throw invalid(id, `the year must have four digits (e.g. 2024Q1)`);
  }
  throw invalid(shown, `not a DHIS2 period id (expected forms such as ${EXAMPLES})`);
}

/** True when `id` is a valid DHIS2 period id (in any form `parsePeriod` accepts). */
export function isPeriodId(id: string): boolean {
  try {
    parsePeriod(id);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates, formatting, navigation
// ---------------------------------------------------------------------------------------------

/** Day number of an ISO date string or a `Date` (its UTC day); BAD_REQUEST if it is neither. */
function dayOf(date: string | Date): number {
  if (date instanceof Date) {
    const t = date.getTime();
    if (Number.isNaN(t)) throw new AppError('BAD_REQUEST', 'not a date (an invalid Date)');
    const z = Math.floor(t / 86_400_000);
    if (z < MIN_DAY || z > MAX_DAY) throw new AppError('BAD_REQUEST', `${date.toISOString()}: outside the supported years 0001–9999`);
    return z;
  }
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) throw new AppError('BAD_REQUEST', `${JSON.stringify(date)}: not a date (expected YYYY-MM-DD)`, { value: date });
  const z = civil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (typeof z === 'string') throw new AppError('BAD_REQUEST', `${date}: ${z}`, { value: date });
  if (z < MIN_DAY) throw new AppError('BAD_REQUEST', `${date}: outside the supported years 0001–9999`, { value: date });
  return z;
}

/** The period of `type` that contains `date` (ISO `YYYY-MM-DD`, or a `Date` taken in UTC). */
export function periodOf(type: PeriodType, date: string | Date): Period {
  specOf(type);
  return periodAt(type, dayOf(date));
}

/**
 * The id of the period of `type` that starts on `startDate`; BAD_REQUEST when no period of that
 * type starts that day.
 */
export function formatPeriod(p: { type: PeriodType; startDate: string | Date }): string {
  const period = periodOf(p.type, p.startDate);
  const start = typeof p.startDate === 'string' ? p.startDate : isoDate(dayOf(p.startDate));
  if (period.startDate !== start) {
    throw new AppError(
      'BAD_REQUEST',
      `no ${p.type} period starts on ${start} (the one containing it is ${period.id}, ${period.startDate}..${period.endDate})`,
      { type: p.type, startDate: start },
    );
  }
  return period.id;
}

const reparse = (p: Period | string): Period => parsePeriod(typeof p === 'string' ? p : p.id);

/**
 * The period after `p`: the period of its type that contains the day after its end. (The one
 * overlap among DHIS2 types: bi-week 27 of a 53-week year is followed by bi-week 1 of the next
 * year, which starts a week before bi-week 27 ends.)
 */
export function nextPeriod(p: Period | string): Period {
  const period = reparse(p);
  return periodAt(period.type, dayOf(period.endDate) + 1);
}

/** The period before `p`: the period of its type that contains the day before its start. */
export function previousPeriod(p: Period | string): Period {
  const period = reparse(p);
  return periodAt(period.type, dayOf(period.startDate) - 1);
}

/**
 * The periods of `type` that overlap the dates `start`…`end` (inclusive), in order: from the one
 * containing `start` to the one containing `end`. BAD_REQUEST when `start` is after `end` or there
 * would be more than MAX_PERIODS.
 */
export function periodsBetween(type: PeriodType, start: string | Date, end: string | Date): Period[] {
  specOf(type);
  const from = dayOf(start);
  const to = dayOf(end);
  if (from > to) throw new AppError('BAD_REQUEST', `the start ${isoDate(from)} is after the end ${isoDate(to)}`, { start: isoDate(from), end: isoDate(to) });
  const out: Period[] = [];
  // Walking from period to period reaches the last one even where bi-weeks overlap (see nextPeriod).
  const last = periodAt(type, to);
  for (let p = periodAt(type, from); ; p = periodAt(type, dayOf(p.endDate) + 1)) {
    if (out.length === MAX_PERIODS) {
      throw new AppError('BAD_REQUEST', `more than ${MAX_PERIODS} ${type} periods between ${isoDate(from)} and ${isoDate(to)}`, { type, limit: MAX_PERIODS });
    }
    out.push(p);
    if (p.id === last.id) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ADX
// ---------------------------------------------------------------------------------------------

/** The ADX form of a period: its start date and ISO 8601 duration, e.g. `2015-06-01/P1M`. */
export function adxPeriod(p: Period | string): string {
  const period = reparse(p);
  return `${period.startDate}/${ADX_DURATION_OF[period.type]}`;
}

const START_RULES: Record<AdxDuration, string> = {
  P1D: 'any day',
  P7D: 'a Monday (Weekly), Wednesday, Thursday, Saturday or Sunday; DHIS2 2.40 has no weeks starting on Tuesday or Friday',
  P14D: 'the Monday of an odd-numbered ISO week (BiWeekly)',
  P1M: 'the 1st of a month',
  P2M: 'the 1st of January, March, May, July, September or November',
  P3M: 'the 1st of January, April, July or October (Quarterly) or of November, February, May or August (QuarterlyNov)',
  P6M: 'the 1st of January or July (SixMonthly), April or October (SixMonthlyApril), or November or May (SixMonthlyNov)',
  P1Y: 'the 1st of January (Yearly), April, July, October or November (financial years)',
};

/**
 * The DHIS2 period of an ADX period (`2015-06-01/P1M` → 201506). The start date must be the first
 * day of a period of a type with that duration (P3M starting in November, February, May or
 * August is QuarterlyNov); INVALID_PERIOD otherwise. Stricter than DHIS2 2.40, which takes the
 * period containing the start date (and always reads P3M as Quarterly).
 */
export function parseAdxPeriod(s: string): Period {
  const parts = typeof s === 'string' ? s.split('/') : [];
  if (parts.length !== 2)
    throw new AppError('INVALID_PERIOD', `${JSON.stringify(s)}: an ADX period is a start date and a duration, e.g. 2015-06-01/P1M`, { value: s });
  const [date, duration] = parts as [string, string];
  let z: number;
  try {
    z = dayOf(date);
  } catch (e) {
    throw new AppError('INVALID_PERIOD', `${s}: ${(e as Error).message}`, { value: s });
  }
  if (!(ADX_DURATIONS as readonly string[]).includes(duration)) {
    throw new AppError('INVALID_PERIOD', `${s}: the duration must be one of ${ADX_DURATIONS.join(', ')}`, { value: s });
  }
  for (const type of PERIOD_TYPES.filter((t) => ADX_DURATION_OF[t] === duration)) {
    let period: Period;
    try {
      period = periodAt(type, z);
    } catch {
      continue;
    }
    if (period.startDate === date) return period;
  }
  throw new AppError(
    'INVALID_PERIOD',
    `${s}: no DHIS2 period of ${duration} starts on ${date}${duration === 'P7D' || duration === 'P14D' ? ` (a ${DAYS[weekday(z) - 1]})` : ''}; ${duration} periods start on ${START_RULES[duration as AdxDuration]}`,
    {
      value: s,
    },
  );
}
