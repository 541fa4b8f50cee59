import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isCalendarDay, MONTH_DAY_IN_TEXT } from '../../../domain/dates.js';

describe('date rules', () => {
  it('checks calendar days strictly', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('2026-2-3')).toBe(false);
  });

  it('adds days across months and years, and counts days between', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-28', '2027-01-04')).toBe(7);
    expect(daysBetween('2027-01-04', '2026-12-28')).toBe(-7);
  });

  it('finds a day written with a month name', () => {
    for (const line of ['**Jan 5**', 'December 12, 2016', '12th December', '5 sept.']) expect(MONTH_DAY_IN_TEXT.test(line), line).toBe(true);
    for (const line of ['2016-12-12', 'December 12th', 'March']) expect(MONTH_DAY_IN_TEXT.test(line), line).toBe(false);
  });
});
