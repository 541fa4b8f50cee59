import { describe, expect, it } from 'vitest';
import {
  assertDate,
  daysBetween,
  nextOccurrence,
  parseCadence,
  resolveMonth,
  todayIn,
  upcomingOccurrences,
  validateTimezone,
} from '../../../../../server/services/agenda/cadence-service.js';

describe('cadence', () => {
  it('gives the next 3rd Thursday strictly after a date', () => {
    expect(nextOccurrence('FREQ=MONTHLY;BYDAY=3TH', '2016-12-15')).toBe('2017-01-19');
    expect(nextOccurrence('FREQ=MONTHLY;BYDAY=3TH', '2016-12-14')).toBe('2016-12-15');
    expect(nextOccurrence('RRULE:FREQ=MONTHLY;BYDAY=2TH', '2017-09-30')).toBe('2017-10-12');
  });

  it('includes the day itself when asked', () => {
    expect(nextOccurrence('FREQ=MONTHLY;BYDAY=3TH', '2016-12-15', { inclusive: true })).toBe('2016-12-15');
  });

  it('keeps the phase of fortnightly rules whatever date is asked about', () => {
    const a = upcomingOccurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2024-03-01', 3);
    const b = nextOccurrence('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', a[0]);
    expect(b).toBe(a[1]);
    expect(daysBetween(a[0], a[1])).toBe(14);
    expect(daysBetween(a[1], a[2])).toBe(14);
  });

  it('honours a DTSTART line for the phase', () => {
    expect(upcomingOccurrences('DTSTART:20240305\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2024-03-06', 2)).toEqual([
      '2024-03-19',
      '2024-04-02',
    ]);
  });

  it('lists upcoming occurrences from a date, that date included', () => {
    expect(upcomingOccurrences('FREQ=MONTHLY;BYDAY=3TH', '2017-01-19', 3)).toEqual(['2017-01-19', '2017-02-16', '2017-03-16']);
  });

  it('reads a time of day from BYHOUR/BYMINUTE, else none', () => {
    expect(parseCadence('FREQ=MONTHLY;BYDAY=2TH;BYHOUR=15;BYMINUTE=30').time).toBe('15:30');
    expect(parseCadence('FREQ=MONTHLY;BYDAY=2TH').time).toBeNull();
  });

  it('resolves a month-only date to the occurrence in that month', () => {
    expect(resolveMonth('FREQ=MONTHLY;BYDAY=3TH', '2017-09')).toBe('2017-09-21');
    expect(resolveMonth('FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', '2017-09')).toBeNull();
    expect(() => resolveMonth('FREQ=MONTHLY;BYDAY=3TH', 'September')).toThrow(/YYYY-MM/);
  });

  it('says what is wrong with a bad cadence', () => {
    expect(() => parseCadence('every second thursday')).toThrow(/RRULE such as FREQ=MONTHLY/);
    expect(() => parseCadence('FREQ=SOMETIMES')).toThrow(/not a valid RRULE|RRULE such as/);
  });

  it('takes "today" in the series timezone', () => {
    // 03:00 UTC on Thursday 19 January 2017 is still Wednesday evening in New York.
    const now = new Date('2017-01-19T03:00:00Z');
    expect(todayIn('UTC', now)).toBe('2017-01-19');
    expect(todayIn('America/New_York', now)).toBe('2017-01-18');
    expect(nextOccurrence('FREQ=MONTHLY;BYDAY=3TH', todayIn('America/New_York', now))).toBe('2017-01-19');
    expect(nextOccurrence('FREQ=MONTHLY;BYDAY=3TH', todayIn('UTC', now))).toBe('2017-02-16');
    // And the other way round: 23:30 UTC is already tomorrow in Tokyo.
    expect(todayIn('Asia/Tokyo', new Date('2017-01-18T23:30:00Z'))).toBe('2017-01-19');
  });

  it('rejects unknown timezones and impossible dates', () => {
    expect(() => validateTimezone('Mars/Olympus')).toThrow(/unknown timezone "Mars\/Olympus"/);
    expect(validateTimezone('Europe/London')).toBe('Europe/London');
    expect(() => assertDate('2017-02-30')).toThrow(/YYYY-MM-DD, got "2017-02-30"/);
    expect(assertDate('2016-02-29')).toBe('2016-02-29');
  });
});
