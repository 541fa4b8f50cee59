/**
 * Date rules the server shares: the `YYYY-MM-DD` and `YYYY-MM` shapes, calendar checks and
 * month words. Dates are calendar days without a timezone, compared as UTC midnights.
 */

/** `YYYY-MM-DD` by shape only. */
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM`: a month-only meeting date ("September 2017"). */
export const ISO_MONTH = /^\d{4}-\d{2}$/;

/** An instant: `YYYY-MM-DD`, optionally with a time and a zone (`2026-03-01T09:00:00Z`, `2026-03-01 09:00+01:00`). */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** English month names and their abbreviations, as a whole lower-case word. */
export const MONTH_WORD =
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)$/;

/** The `YYYY-MM-DD` of a Date, read in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** True when `d` is a real calendar day `YYYY-MM-DD` (2026-02-30 is not; nothing rolls over). */
export function isCalendarDay(d: string): boolean {
  if (!ISO_DAY.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && isoDay(t) === d;
}

const MONTH_STEM = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';

/**
 * A day written with a month name somewhere in a line: "Jan 5", "December 12, 2016", "5 Jan",
 * "12th December" (not "December 12th"). Case-insensitive; a cheap hint that a line holds a
 * date (the archive check of imports), not a parse.
 */
export const MONTH_DAY_IN_TEXT = new RegExp(`\\b${MONTH_STEM}[a-z]*\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_STEM}`, 'i');

/** `YYYY-MM-DD` plus `n` days (negative: earlier). */
export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10) + n)));
}

/** Whole days from day `a` to day `b` (`YYYY-MM-DD`; negative when `b` is before `a`). */
export function daysBetween(a: string, b: string): number {
  const start = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
  return Math.round((start(b) - start(a)) / 86_400_000);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A meeting date for people: `YYYY-MM-DD` as is; a month-only `2017-09` as `September 2017 (day to confirm)`. */
export function meetingDateLabel(date: string): string {
  if (!ISO_MONTH.test(date)) return date;
  const m = Number(date.slice(5, 7));
  return m >= 1 && m <= 12 ? `${MONTH_NAMES[m - 1]} ${date.slice(0, 4)} (day to confirm)` : date;
}
