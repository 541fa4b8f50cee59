/**
 * Date rules the server shares: the `YYYY-MM-DD` and `YYYY-MM` shapes, calendar checks and
 * month words. Dates are calendar days without a timezone, compared as UTC midnights.
 */

/** `YYYY-MM-DD` by shape only. */
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM`: a month-only meeting date ("September 2017"). */
export const ISO_MONTH = /^\d{4}-\d{2}$/;

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
