import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  adxPeriod,
  formatPeriod,
  isPeriodId,
  MAX_PERIODS,
  nextPeriod,
  parseAdxPeriod,
  parsePeriod,
  PERIOD_TYPES,
  periodOf,
  periodsBetween,
  previousPeriod,
  type Period,
  type PeriodType,
} from './periods.js';

/** The error a call throws (it must throw an AppError). */
function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an error');
}

const span = (id: string) => {
  const p = parsePeriod(id);
  return `${p.startDate}..${p.endDate}`;
};

// An oracle independent of the module: the JavaScript Date in UTC.
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const time = (date: string) => Date.parse(`${date}T00:00:00Z`);
const addDays = (date: string, n: number) => iso(time(date) + n * DAY);
/** 0 = Sunday … 6 = Saturday. */
const dow = (date: string) => new Date(time(date)).getUTCDay();
/** The ISO 8601 week of a date, by the textbook rule: the week of its Thursday. */
function isoWeek(date: string): { year: number; week: number } {
  const t = time(date);
  const thursday = t + (4 - (dow(date) || 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY / 7) + 1 };
}

describe('parsePeriod: every type', () => {
  it.each<[string, PeriodType, string, string]>([
    ['20240315', 'Daily', '2024-03-15', '2024-03-15'],
    ['2024W5', 'Weekly', '2024-01-29', '2024-02-04'],
    ['2024WedW5', 'WeeklyWednesday', '2024-01-31', '2024-02-06'],
    ['2024ThuW5', 'WeeklyThursday', '2024-02-01', '2024-02-07'],
    ['2024SatW5', 'WeeklySaturday', '2024-01-27', '2024-02-02'],
    ['2024SunW5', 'WeeklySunday', '2024-01-28', '2024-02-03'],
    ['2024BiW1', 'BiWeekly', '2024-01-01', '2024-01-14'],
    ['2024BiW2', 'BiWeekly', '2024-01-15', '2024-01-28'],
    ['202401', 'Monthly', '2024-01-01', '2024-01-31'],
    ['202412', 'Monthly', '2024-12-01', '2024-12-31'],
    ['202401B', 'BiMonthly', '2024-01-01', '2024-02-29'],
    ['202406B', 'BiMonthly', '2024-11-01', '2024-12-31'],
    ['2024Q1', 'Quarterly', '2024-01-01', '2024-03-31'],
    ['2024Q4', 'Quarterly', '2024-10-01', '2024-12-31'],
    ['2024NovQ1', 'QuarterlyNov', '2023-11-01', '2024-01-31'],
    ['2024NovQ2', 'QuarterlyNov', '2024-02-01', '2024-04-30'],
    ['2024NovQ4', 'QuarterlyNov', '2024-08-01', '2024-10-31'],
    ['2024S1', 'SixMonthly', '2024-01-01', '2024-06-30'],
    ['2024S2', 'SixMonthly', '2024-07-01', '2024-12-31'],
    ['2024AprilS1', 'SixMonthlyApril', '2024-04-01', '2024-09-30'],
    ['2024AprilS2', 'SixMonthlyApril', '2024-10-01', '2025-03-31'],
    ['2024NovS1', 'SixMonthlyNov', '2023-11-01', '2024-04-30'],
    ['2024NovS2', 'SixMonthlyNov', '2024-05-01', '2024-10-31'],
    ['2024', 'Yearly', '2024-01-01', '2024-12-31'],
    ['2024April', 'FinancialApril', '2024-04-01', '2025-03-31'],
    ['2024July', 'FinancialJuly', '2024-07-01', '2025-06-30'],
    ['2023Oct', 'FinancialOct', '2023-10-01', '2024-09-30'],
    // DHIS2 names a November financial year by the year it ends in (FinancialNovemberPeriodType).
    ['2023Nov', 'FinancialNov', '2022-11-01', '2023-10-31'],
  ])('%s is %s, %s..%s', (id, type, startDate, endDate) => {
    expect(parsePeriod(id)).toEqual({ id, type, startDate, endDate });
  });

  it('covers every period type in that table', () => {
    const seen = new Set(
      [
        '20240315',
        '2024W5',
        '2024WedW5',
        '2024ThuW5',
        '2024SatW5',
        '2024SunW5',
        '2024BiW1',
        '202401',
        '202401B',
        '2024Q1',
        '2024NovQ1',
        '2024S1',
        '2024AprilS1',
        '2024NovS1',
        '2024',
        '2024April',
        '2024July',
        '2023Oct',
        '2023Nov',
      ].map((id) => parsePeriod(id).type),
    );
    expect([...seen].sort()).toEqual([...PERIOD_TYPES].sort());
  });

  it('accepts the other forms DHIS2 accepts and answers the canonical id', () => {
    expect(parsePeriod('2024-03-15')).toMatchObject({ id: '20240315', type: 'Daily' });
    expect(parsePeriod('2024-03')).toMatchObject({ id: '202403', type: 'Monthly', endDate: '2024-03-31' });
    expect(parsePeriod('2024W05')).toEqual(parsePeriod('2024W5'));
    expect(parsePeriod('2024SunW07').id).toBe('2024SunW7');
  });
});

describe('weeks', () => {
  it('has ISO week 53 only in years that have it', () => {
    expect(span('2020W53')).toBe('2020-12-28..2021-01-03');
    expect(span('2015W53')).toBe('2015-12-28..2016-01-03');
    expect(span('2026W53')).toBe('2026-12-28..2027-01-03');
    expect(failure(() => parsePeriod('2021W53')).message).toBe('2021W53: 2021 has only 52 ISO weeks');
    expect(failure(() => parsePeriod('2024W53')).message).toBe('2024W53: 2024 has only 52 ISO weeks');
    expect(failure(() => parsePeriod('2020W54')).message).toBe('2020W54: 2020 has only 53 ISO weeks');
  });

  it('starts week 1 in the previous year when 4 January falls early in the week', () => {
    expect(span('2025W1')).toBe('2024-12-30..2025-01-05');
    expect(span('2009W1')).toBe('2008-12-29..2009-01-04');
    expect(span('2021W1')).toBe('2021-01-04..2021-01-10');
    expect(periodOf('Weekly', '2024-12-31').id).toBe('2025W1');
    expect(periodOf('Weekly', '2021-01-01').id).toBe('2020W53');
    expect(periodOf('Weekly', '2012-12-31').id).toBe('2013W1');
    expect(periodOf('Weekly', '2012-12-30').id).toBe('2012W52');
    expect(periodOf('Weekly', '2009-12-29').id).toBe('2009W53');
  });

  it('numbers weeks starting on other days from the one that holds 4 January (DHIS2 test cases)', () => {
    // WeeklyPeriodTypeTest in dhis2-core: dates of May 2017.
    const cases: [PeriodType, string, string][] = [
      ['WeeklyWednesday', '2017-05-04', '2017WedW18'],
      ['WeeklyWednesday', '2017-05-03', '2017WedW18'],
      ['WeeklyWednesday', '2017-05-02', '2017WedW17'],
      ['WeeklyThursday', '2017-05-04', '2017ThuW19'],
      ['WeeklyThursday', '2017-05-03', '2017ThuW18'],
      ['WeeklySaturday', '2017-05-06', '2017SatW19'],
      ['WeeklySaturday', '2017-05-05', '2017SatW18'],
      ['WeeklySunday', '2017-05-07', '2017SunW19'],
      ['WeeklySunday', '2017-05-06', '2017SunW18'],
    ];
    for (const [type, date, id] of cases) expect(periodOf(type, date).id, `${type} ${date}`).toBe(id);
    // 4 January 2024 is a Thursday.
    expect(span('2024WedW1')).toBe('2024-01-03..2024-01-09');
    expect(span('2024ThuW1')).toBe('2024-01-04..2024-01-10');
    expect(span('2024SatW1')).toBe('2023-12-30..2024-01-05');
    expect(span('2024SunW1')).toBe('2023-12-31..2024-01-06');
    expect(periodOf('WeeklySunday', '2023-12-31').id).toBe('2024SunW1');
    expect(periodOf('WeeklySunday', '2023-12-30').id).toBe('2023SunW52');
  });

  it("knows how many weeks of each kind a year has: as many as the days of the week's fourth weekday", () => {
    // A week belongs to the year holding at least four of its days, hence its fourth day.
    const kinds: [string, number][] = [
      ['W', 4],
      ['WedW', 6],
      ['ThuW', 0],
      ['SatW', 2],
      ['SunW', 3],
    ];
    for (let year = 1990; year <= 2040; year++) {
      for (const [infix, fourthDay] of kinds) {
        let count = 0;
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) if (new Date(t).getUTCDay() === fourthDay) count++;
        expect(isPeriodId(`${year}${infix}52`)).toBe(true);
        expect(isPeriodId(`${year}${infix}53`), `${year}${infix}53`).toBe(count === 53);
        expect(isPeriodId(`${year}BiW27`)).toBe(isPeriodId(`${year}W53`));
      }
    }
    expect(failure(() => parsePeriod('2015ThuW53')).message).toBe('2015ThuW53: 2015 has only 52 weeks starting on Thursday');
    // 2017 has 53 Sundays, the fourth day of weeks starting on Thursday.
    expect(span('2017ThuW53')).toBe('2017-12-28..2018-01-03');
    expect(span('2018ThuW1')).toBe('2018-01-04..2018-01-10');
  });

  it('agrees with the textbook ISO week of every day over three decades', () => {
    for (let t = Date.UTC(1999, 11, 1); t <= Date.UTC(2031, 0, 31); t += DAY) {
      const date = iso(t);
      const { year, week } = isoWeek(date);
      const p = periodOf('Weekly', date);
      expect(p.id).toBe(`${year}W${week}`);
      expect(dow(p.startDate)).toBe(1);
    }
  });

  it('makes bi-weeks of ISO weeks 2n-1 and 2n, with bi-week 27 only in years of 53 weeks', () => {
    expect(span('2018BiW1')).toBe('2018-01-01..2018-01-14');
    expect(periodOf('BiWeekly', '2018-01-08').id).toBe('2018BiW1');
    expect(periodOf('BiWeekly', '2017-12-29')).toMatchObject({ id: '2017BiW26', startDate: '2017-12-18', endDate: '2017-12-31' });
    expect(nextPeriod('2018BiW1').startDate).toBe('2018-01-15');
    expect(span('2025BiW1')).toBe('2024-12-30..2025-01-12');
    // DHIS2's own example: 2009 has 53 ISO weeks, so 2010-01-01 is in 2009BiW27.
    expect(periodOf('BiWeekly', '2010-01-01').id).toBe('2009BiW27');
    expect(span('2020BiW27')).toBe('2020-12-28..2021-01-10');
    expect(failure(() => parsePeriod('2021BiW27')).message).toMatch(/^2021BiW27: 2021 has only 26 bi-weeks/);
    expect(failure(() => parsePeriod('2024BiW0')).message).toBe('2024BiW0: bi-weeks are numbered from 1');
    // Bi-week 27 overlaps bi-week 1 of the next year; navigation still goes forwards and back.
    expect(nextPeriod('2020BiW27').id).toBe('2021BiW1');
    expect(previousPeriod('2021BiW1').id).toBe('2020BiW27');
    expect(nextPeriod('2020BiW26').id).toBe('2020BiW27');
    expect(periodsBetween('BiWeekly', '2020-12-20', '2021-01-05').map((p) => p.id)).toEqual(['2020BiW26', '2020BiW27', '2021BiW1']);
  });
});

describe('months, quarters, halves and years', () => {
  it('knows leap years', () => {
    expect(parsePeriod('2024Q1').endDate).toBe('2024-03-31');
    expect(parsePeriod('202402').endDate).toBe('2024-02-29');
    expect(parsePeriod('202302').endDate).toBe('2023-02-28');
    expect(parsePeriod('190002').endDate).toBe('1900-02-28');
    expect(parsePeriod('200002').endDate).toBe('2000-02-29');
    expect(parsePeriod('210002').endDate).toBe('2100-02-28');
    expect(parsePeriod('20240229').startDate).toBe('2024-02-29');
    expect(parsePeriod('20000229').startDate).toBe('2000-02-29');
    expect(failure(() => parsePeriod('20230229')).message).toMatch(/^20230229: not a date/);
    expect(failure(() => parsePeriod('19000229')).message).toMatch(/^19000229: not a date/);
    expect(parsePeriod('2023April').endDate).toBe('2024-03-31');
    expect(parsePeriod('2023NovS1').endDate).toBe('2023-04-30');
    expect(parsePeriod('2024NovQ2').endDate).toBe('2024-04-30');
    expect(parsePeriod('202301B').endDate).toBe('2023-02-28');
  });

  it('names the November types by the year they end in', () => {
    expect(periodOf('QuarterlyNov', '2023-11-01').id).toBe('2024NovQ1');
    expect(periodOf('QuarterlyNov', '2024-01-31').id).toBe('2024NovQ1');
    expect(periodOf('QuarterlyNov', '2024-02-01').id).toBe('2024NovQ2');
    expect(periodOf('QuarterlyNov', '2024-12-25').id).toBe('2025NovQ1');
    expect(periodOf('SixMonthlyNov', '2024-12-25').id).toBe('2025NovS1');
    expect(periodOf('SixMonthlyNov', '2024-10-31').id).toBe('2024NovS2');
    expect(periodOf('FinancialNov', '2009-02-15')).toMatchObject({ id: '2009Nov', startDate: '2008-11-01', endDate: '2009-10-31' });
    expect(periodOf('FinancialNov', '2009-11-12')).toMatchObject({ id: '2010Nov', startDate: '2009-11-01', endDate: '2010-10-31' });
  });

  it('names the other financial years and SixMonthlyApril by the year they start in', () => {
    expect(periodOf('FinancialApril', '2025-03-31').id).toBe('2024April');
    expect(periodOf('FinancialApril', '2025-04-01').id).toBe('2025April');
    expect(periodOf('FinancialJuly', '2025-06-30').id).toBe('2024July');
    expect(periodOf('FinancialOct', '2024-09-30').id).toBe('2023Oct');
    expect(periodOf('FinancialOct', '2024-10-01').id).toBe('2024Oct');
    expect(periodOf('SixMonthlyApril', '2025-01-15').id).toBe('2024AprilS2');
    expect(periodOf('SixMonthlyApril', '2025-03-31').id).toBe('2024AprilS2');
    expect(periodOf('BiMonthly', '2024-12-31').id).toBe('202406B');
    expect(periodOf('BiMonthly', '2024-03-01').id).toBe('202402B');
  });
});

describe('bad period ids', () => {
  it.each<[unknown, RegExp]>([
    ['', /^the period id is empty$/],
    ['2024W0', /^2024W0: weeks are numbered from 1$/],
    ['2024W54', /^2024W54: 2024 has only 52 ISO weeks$/],
    ['2024W005', /^2024W005: the week number has one or two digits$/],
    ['202400', /^202400: month must be 01–12$/],
    ['202413', /^202413: month must be 01–12$/],
    ['2024-13', /^2024-13: month must be 01–12$/],
    ['202407B', /^202407B: bi-month must be 01–06/],
    ['202400B', /^202400B: bi-month must be 01–06/],
    ['2024Q0', /^2024Q0: quarter must be 1–4$/],
    ['2024Q5', /^2024Q5: quarter must be 1–4$/],
    ['2024NovQ5', /^2024NovQ5: quarter must be 1–4$/],
    ['2024Q01', /^2024Q01: quarter must be 1–4$/],
    ['2024S3', /^2024S3: half-year must be 1 or 2$/],
    ['2024AprilS0', /^2024AprilS0: half-year must be 1 or 2$/],
    ['2024NovS3', /^2024NovS3: half-year must be 1 or 2$/],
    ['20241301', /^20241301: month must be 01–12$/],
    ['20240132', /^20240132: not a date \(January 2024 has 31 days\)$/],
    ['20240100', /^20240100: not a date/],
    ['20230229', /^20230229: not a date \(February 2023 has 28 days\)$/],
    ['24Q1', /^24Q1: the year must have four digits/],
    ['24', /^24: the year must have four digits/],
    ['2024q1', /^2024q1: period ids are case-sensitive \(write "Q", not "q"\); did you mean 2024Q1\?$/],
    ['2024april', /case-sensitive.*did you mean 2024April\?$/],
    ['2024w5', /case-sensitive.*did you mean 2024W5\?$/],
    ['202401b', /case-sensitive.*did you mean 202401B\?$/],
    ['2024NOVS1', /case-sensitive.*did you mean 2024NovS1\?$/],
    ['2024q5', /^2024q5: period ids are case-sensitive \(write "Q", not "q"\)$/],
    ['2024Q1 ', /^"2024Q1 ": a period id contains no spaces$/],
    [' 2024', /no spaces/],
    ['2024 Q1', /no spaces/],
    ['abc', /^abc: not a DHIS2 period id \(expected forms such as 20240315, 2024W5/],
    ['2024Q', /^2024Q: not a DHIS2 period id/],
    ['2024W', /^2024W: not a DHIS2 period id/],
    ['2024-3-15', /not a DHIS2 period id/],
    ['2024-0315', /not a DHIS2 period id/],
    ['2024FriW1', /not a DHIS2 period id/],
    ['2024TwoYearly', /not a DHIS2 period id/],
    ['２０２４', /not a DHIS2 period id/],
    ['0000', /^0000: lies outside the supported years 0001–9999$/],
    ['9999April', /outside the supported years/],
    ['x'.repeat(1000), /^x{40}…: not a DHIS2 period id/],
    [2024, /must be a string/],
    [null, /must be a string/],
  ])('refuses %j', (id, message) => {
    const e = failure(() => parsePeriod(id as string));
    expect(e.code).toBe('INVALID_PERIOD');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(message);
    expect(isPeriodId(id as string)).toBe(false);
  });

  it('says which type a bad id was meant to be', () => {
    expect(failure(() => parsePeriod('2021W53')).details).toEqual({ value: '2021W53', type: 'Weekly' });
    expect(failure(() => parsePeriod('abc')).details).toEqual({ value: 'abc' });
    expect(failure(() => parsePeriod('2024Q1 ')).details).toEqual({ value: '2024Q1 ' });
    expect(failure(() => parsePeriod('2'.repeat(100))).details).toEqual({ value: `${'2'.repeat(40)}…` });
  });
});

describe('round trips over every day of three decades, for every type', () => {
  const days: string[] = [];
  for (let t = Date.UTC(1999, 11, 1); t <= Date.UTC(2031, 0, 31); t += DAY) days.push(iso(t));

  it.each(PERIOD_TYPES.map((t) => [t]))('%s', (type) => {
    let previous: Period | null = null;
    for (const d of days) {
      const p = periodOf(type, d);
      expect(p.type).toBe(type);
      expect(p.startDate <= d && d <= p.endDate, `${type} ${d} → ${p.id} ${p.startDate}..${p.endDate}`).toBe(true);
      if (previous && previous.id === p.id) {
        expect(p).toEqual(previous);
        continue;
      }
      // A new period: every way of writing and reading it agrees.
      expect(parsePeriod(p.id)).toEqual(p);
      expect(formatPeriod(p)).toBe(p.id);
      expect(parseAdxPeriod(adxPeriod(p))).toEqual(p);
      expect(periodOf(type, p.startDate)).toEqual(p);
      // The second week of bi-week 27 is also the first week of the next year's bi-week 1, and periodOf answers that one.
      if (p.id.endsWith('BiW27')) expect(periodOf(type, p.endDate)).toEqual(nextPeriod(p));
      else expect(periodOf(type, p.endDate)).toEqual(p);
      expect(previousPeriod(nextPeriod(p))).toEqual(p);
      if (previous) {
        expect(nextPeriod(previous)).toEqual(p);
        expect(previousPeriod(p)).toEqual(previous);
        // Periods tile time: the next starts the day after (bar the bi-week 27 overlap).
        if (p.startDate !== addDays(previous.endDate, 1)) {
          expect(type).toBe('BiWeekly');
          expect(previous.id).toMatch(/BiW27$/);
          expect(p.startDate).toBe(addDays(previous.endDate, -6));
        }
      }
      previous = p;
    }
  });

  it('gives periods of the right length, starting on the right day', () => {
    const length = (p: Period) => (time(p.endDate) - time(p.startDate)) / DAY + 1;
    const firstDays: Partial<Record<PeriodType, number>> = {
      Weekly: 1,
      WeeklyWednesday: 3,
      WeeklyThursday: 4,
      WeeklySaturday: 6,
      WeeklySunday: 0,
      BiWeekly: 1,
    };
    const startMonths: Partial<Record<PeriodType, number[]>> = {
      BiMonthly: [1, 3, 5, 7, 9, 11],
      Quarterly: [1, 4, 7, 10],
      QuarterlyNov: [2, 5, 8, 11],
      SixMonthly: [1, 7],
      SixMonthlyApril: [4, 10],
      SixMonthlyNov: [5, 11],
      Yearly: [1],
      FinancialApril: [4],
      FinancialJuly: [7],
      FinancialOct: [10],
      FinancialNov: [11],
    };
    for (const type of PERIOD_TYPES) {
      for (const p of periodsBetween(type, '2019-06-01', '2026-06-30')) {
        if (type === 'Daily') expect(length(p)).toBe(1);
        else if (firstDays[type] !== undefined) {
          expect(dow(p.startDate), p.id).toBe(firstDays[type]);
          expect(length(p), p.id).toBe(type === 'BiWeekly' ? 14 : 7);
        } else {
          expect(p.startDate.slice(8), p.id).toBe('01');
          expect(addDays(p.endDate, 1).slice(8), p.id).toBe('01');
          const months =
            (Number(addDays(p.endDate, 1).slice(0, 4)) - Number(p.startDate.slice(0, 4))) * 12 +
            Number(addDays(p.endDate, 1).slice(5, 7)) -
            Number(p.startDate.slice(5, 7));
          expect(months, p.id).toBe(
            { Monthly: 1, BiMonthly: 2, Quarterly: 3, QuarterlyNov: 3, SixMonthly: 6, SixMonthlyApril: 6, SixMonthlyNov: 6 }[type as string] ?? 12,
          );
          if (startMonths[type]) expect(startMonths[type], p.id).toContain(Number(p.startDate.slice(5, 7)));
        }
      }
    }
  });
});

describe('periodOf, formatPeriod, next and previous', () => {
  it('takes a Date by its UTC day', () => {
    expect(periodOf('Monthly', new Date(Date.UTC(2024, 0, 31, 23, 59, 59))).id).toBe('202401');
    expect(periodOf('Daily', new Date('2024-02-29T00:00:00Z')).id).toBe('20240229');
    expect(failure(() => periodOf('Daily', new Date(Number.NaN))).code).toBe('BAD_REQUEST');
  });

  it('refuses bad dates and unknown types', () => {
    expect(failure(() => periodOf('Monthly', '2023-02-29')).message).toBe('2023-02-29: not a date (February 2023 has 28 days)');
    expect(failure(() => periodOf('Monthly', '20230101')).message).toMatch(/not a date \(expected YYYY-MM-DD\)/);
    expect(failure(() => periodOf('Fortnightly' as PeriodType, '2023-01-01')).message).toMatch(/^unknown period type "Fortnightly"/);
  });

  it('formats only the first day of a period', () => {
    expect(formatPeriod({ type: 'QuarterlyNov', startDate: '2023-11-01' })).toBe('2024NovQ1');
    expect(formatPeriod({ type: 'Weekly', startDate: '2024-12-30' })).toBe('2025W1');
    expect(failure(() => formatPeriod({ type: 'Quarterly', startDate: '2024-02-01' })).message).toBe(
      'no Quarterly period starts on 2024-02-01 (the one containing it is 2024Q1, 2024-01-01..2024-03-31)',
    );
  });

  it('steps across year boundaries', () => {
    expect(nextPeriod('2020W53').id).toBe('2021W1');
    expect(previousPeriod('2021W1').id).toBe('2020W53');
    expect(nextPeriod('2024W52').id).toBe('2025W1');
    expect(nextPeriod('202412').id).toBe('202501');
    expect(previousPeriod('202401').id).toBe('202312');
    expect(nextPeriod('202406B').id).toBe('202501B');
    expect(nextPeriod('2024Q4').id).toBe('2025Q1');
    expect(nextPeriod('2024NovQ4').id).toBe('2025NovQ1');
    expect(previousPeriod('2024NovQ1').id).toBe('2023NovQ4');
    expect(nextPeriod('2024NovS2').id).toBe('2025NovS1');
    expect(nextPeriod('2024AprilS2').id).toBe('2025AprilS1');
    expect(nextPeriod('20241231').id).toBe('20250101');
    expect(nextPeriod('20240228').id).toBe('20240229');
    expect(nextPeriod(parsePeriod('2023Nov')).id).toBe('2024Nov');
    expect(previousPeriod('2024SunW1').id).toBe('2023SunW52');
  });

  it('lists the periods over a range, from the one containing the start to the one containing the end', () => {
    expect(periodsBetween('Quarterly', '2023-12-31', '2024-04-01').map((p) => p.id)).toEqual(['2023Q4', '2024Q1', '2024Q2']);
    expect(periodsBetween('Monthly', '2024-02-10', '2024-02-10').map((p) => p.id)).toEqual(['202402']);
    expect(periodsBetween('FinancialOct', '2023-01-01', '2024-12-31').map((p) => p.id)).toEqual(['2022Oct', '2023Oct', '2024Oct']);
    expect(periodsBetween('Daily', '2024-02-27', '2024-03-01').map((p) => p.id)).toEqual(['20240227', '20240228', '20240229', '20240301']);
    expect(periodsBetween('Weekly', '2020-01-01', '2020-12-31')).toHaveLength(53);
    expect(periodsBetween('Weekly', '2021-01-04', '2022-01-02')).toHaveLength(52);
    expect(failure(() => periodsBetween('Monthly', '2024-02-01', '2024-01-01')).message).toBe('the start 2024-02-01 is after the end 2024-01-01');
    expect(failure(() => periodsBetween('Daily', '1000-01-01', '9999-12-31')).message).toMatch(new RegExp(`more than ${MAX_PERIODS}`));
  });

  it('works at the edges of the supported years', () => {
    expect(parsePeriod('0001W1')).toMatchObject({ startDate: '0001-01-01', endDate: '0001-01-07' });
    expect(parsePeriod('9999')).toMatchObject({ startDate: '9999-01-01', endDate: '9999-12-31' });
    expect(periodsBetween('Yearly', '9998-05-01', '9999-12-31').map((p) => p.id)).toEqual(['9998', '9999']);
    expect(failure(() => nextPeriod('9999')).code).toBe('INVALID_PERIOD');
    expect(failure(() => previousPeriod('0001')).code).toBe('INVALID_PERIOD');
  });
});

describe('ADX periods', () => {
  it.each<[string, string]>([
    ['2015-06-01/P1M', '201506'],
    ['2015-06-15/P1D', '20150615'],
    ['2024-01-29/P7D', '2024W5'],
    ['2024-01-03/P7D', '2024WedW1'],
    ['2024-01-04/P7D', '2024ThuW1'],
    ['2023-12-30/P7D', '2024SatW1'],
    ['2023-12-31/P7D', '2024SunW1'],
    ['2024-12-30/P7D', '2025W1'],
    ['2020-12-28/P14D', '2020BiW27'],
    ['2024-11-01/P2M', '202406B'],
    ['2024-10-01/P3M', '2024Q4'],
    ['2023-11-01/P3M', '2024NovQ1'],
    ['2024-07-01/P6M', '2024S2'],
    ['2024-10-01/P6M', '2024AprilS2'],
    ['2024-05-01/P6M', '2024NovS2'],
    ['2024-01-01/P1Y', '2024'],
    ['2024-04-01/P1Y', '2024April'],
    ['2024-07-01/P1Y', '2024July'],
    ['2023-10-01/P1Y', '2023Oct'],
    ['2022-11-01/P1Y', '2023Nov'],
  ])('%s is %s', (adx, id) => {
    expect(parseAdxPeriod(adx).id).toBe(id);
    expect(adxPeriod(id)).toBe(adx);
  });

  it.each<[string, RegExp]>([
    ['2015-06-15/P1M', /^2015-06-15\/P1M: no DHIS2 period of P1M starts on 2015-06-15; P1M periods start on the 1st of a month$/],
    ['2024-01-02/P7D', /starts on 2024-01-02 \(a Tuesday\).*no weeks starting on Tuesday or Friday/],
    ['2021-01-11/P14D', /odd-numbered ISO week/],
    ['2024-03-01/P3M', /P3M periods start on the 1st of January, April, July or October \(Quarterly\)/],
    ['2024-02-01/P2M', /P2M periods start on/],
    ['2024-02-01/P1Y', /P1Y periods start on/],
    ['2015-06-01/P2Y', /the duration must be one of P1D, P7D, P14D, P1M, P2M, P3M, P6M, P1Y/],
    ['2015-06-01/p1m', /the duration must be one of/],
    ['2015-02-29/P1D', /not a date/],
    ['201506/P1M', /not a date/],
    ['2015-06-01', /an ADX period is a start date and a duration/],
    ['2015-06-01/P1M/x', /an ADX period is a start date and a duration/],
    ['', /an ADX period is a start date and a duration/],
  ])('refuses %s', (adx, message) => {
    const e = failure(() => parseAdxPeriod(adx));
    expect(e.code).toBe('INVALID_PERIOD');
    expect(e.message).toMatch(message);
  });
});
