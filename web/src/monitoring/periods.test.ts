import { describe, expect, it } from 'vitest';
import { PERIOD_TYPES, periodOf, previousPeriod } from '../../../src/shared/periods';
import { defaultPeriod, formatSpan, periodLabel, recentPeriods } from './periods';

// The pickers use the server's period engine, so their ids are the ones the server accepts.
describe('the period pickers', () => {
  const today = new Date('2025-05-14T10:00:00Z');
  it('lists the recent periods of every DHIS2 type, newest first, each the one before the last', () => {
    for (const type of PERIOD_TYPES) {
      const list = recentPeriods(type, today, 5, 'en');
      expect(list, type).toHaveLength(5);
      expect(list[0]!.id).toBe(periodOf(type, '2025-05-14').id);
      for (let i = 1; i < list.length; i++) expect(list[i]!.id).toBe(previousPeriod(list[i - 1]!.id).id);
    }
  });
  it('labels periods in the user’s language', () => {
    expect(periodLabel({ id: '2025Q2', startDate: '2025-04-01', endDate: '2025-06-30' }, 'en')).toBe('Apr–Jun 2025 (2025Q2)');
    expect(periodLabel({ id: '2025Q2', startDate: '2025-04-01', endDate: '2025-06-30' }, 'fr')).toBe('avr.–juin 2025 (2025Q2)');
    expect(formatSpan('2025-03-01', '2025-03-31', 'fr')).toBe('mars 2025');
    expect(formatSpan('2025-01-01', '2025-12-31', 'en')).toBe('2025');
    expect(formatSpan('2025-01-27', '2025-02-02', 'en')).toBe('27 Jan–2 Feb 2025');
  });
  it('starts on the latest period that has ended', () => {
    expect(defaultPeriod(recentPeriods('Quarterly', today, 4, 'en'), today)).toBe('2025Q1');
  });
  it('offers nothing for a type that is not a period type', () => {
    expect(recentPeriods('Fortnightly', today)).toEqual([]);
  });
});
