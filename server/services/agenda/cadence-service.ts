import rrule from 'rrule';
import { AppError } from '../../errors.js';
import { ISO_MONTH, daysBetween, isCalendarDay, isoDay } from '../../../domain/dates.js';

const { RRule } = rrule;

/**
 * Meeting dates from a series cadence (an RFC 5545 RRULE such as `FREQ=MONTHLY;BYDAY=2TH`).
 *
 * The rule is evaluated in "floating" time: rrule's Date objects carry the series' wall-clock
 * date and time in their UTC fields, so a "2nd Thursday" never slides to a Wednesday because
 * of an offset. The timezone only matters for "what day is it today" and for the ICS TZID.
 * A rule without DTSTART is anchored on Monday 2000-01-03, so `INTERVAL=2` rules keep the same
 * phase whatever date is asked about.
 */

const DAY_MS = 86_400_000;
const ANCHOR = Date.UTC(2000, 0, 3);

/** One parsed cadence: the rule plus the wall-clock time of day, when the rule gives one. */
export interface Cadence {
  rule: InstanceType<typeof RRule>;
  /** `HH:MM` when the rule has BYHOUR (and maybe BYMINUTE), else null (an all-day event). */
  time: string | null;
  source: string;
}

/**
 * Parses a cadence string (`FREQ=...`, optionally prefixed `RRULE:`, optionally with a
 * `DTSTART:YYYYMMDD` line). Throws `bad-cadence` naming the problem.
 */
export function parseCadence(source: string): Cadence {
  const cached = parsed.get(source);
  if (cached) return cached;
  const cadence = parseUncached(source);
  // Rules are immutable and rrule memoises its iterations per rule, so keeping the parsed
  // rule makes every later "next meeting" a lookup instead of a walk from 2000.
  if (parsed.size >= 200) parsed.clear();
  parsed.set(source, cadence);
  return cadence;
}

const parsed = new Map<string, Cadence>();

function parseUncached(source: string): Cadence {
  const text = source.trim();
  let dtstart = new Date(ANCHOR);
  let ruleText = text;
  const m = /DTSTART(?:;[^:]*)?:(\d{8})(?:T(\d{6}))?Z?\s*/i.exec(text);
  if (m) {
    const d = m[1];
    const t = m[2] ?? '000000';
    dtstart = new Date(
      Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6)),
    );
    ruleText = text.replace(m[0], '');
  }
  ruleText = ruleText.replace(/^RRULE:/i, '').trim();
  if (!/^FREQ=|;FREQ=/i.test(ruleText)) {
    throw new AppError('bad-cadence', `cadence must be an RRULE such as FREQ=MONTHLY;BYDAY=2TH, got "${source}"`);
  }
  let rule: InstanceType<typeof RRule>;
  let hour: number | null;
  try {
    const opts = RRule.parseString(ruleText);
    hour = firstNumber(opts.byhour);
    // Without BYHOUR/BYMINUTE/BYSECOND rrule takes them from DTSTART: pin them so dates stay dates.
    rule = new RRule({ ...opts, dtstart, byhour: hour ?? 0, byminute: firstNumber(opts.byminute) ?? 0, bysecond: 0 });
    // Stepping once catches values parseString lets through (BYDAY=XX throws only here), and a
    // rule that never occurs (BYMONTHDAY=31 with BYMONTH=2) would make every lookup fail later.
    if (!rule.after(dtstart, true)) throw new Error('it has no occurrences');
  } catch (err) {
    throw new AppError('bad-cadence', `cadence "${source}" is not a valid RRULE: ${(err as Error).message}`);
  }
  const minute = firstNumber(rule.options.byminute) ?? 0;
  const time = hour === null ? null : `${pad(hour)}:${pad(minute)}`;
  return { rule, time, source };
}

/** Throws `bad-cadence` when `source` is not a usable RRULE; returns it trimmed. */
export function validateCadence(source: string): string {
  parseCadence(source);
  return source.trim();
}

/** Throws `bad-timezone` unless `tz` is an IANA zone this Node knows. */
export function validateTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: tz });
  } catch {
    throw new AppError('bad-timezone', `unknown timezone "${tz}" (use an IANA name such as Europe/London)`);
  }
  return tz;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) of instant `now` in timezone `tz`. */
export function todayIn(tz: string, now: Date): string {
  let fmt = dayFormats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(tz, fmt);
  }
  const parts = fmt.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The first occurrence strictly after `after` (a date), or on it when `inclusive`.
 * Returns `YYYY-MM-DD`.
 */
export function nextOccurrence(cadence: Cadence | string, after: string, { inclusive = false } = {}): string {
  const c = typeof cadence === 'string' ? parseCadence(cadence) : cadence;
  const from = inclusive ? dayStart(after) - 1 : dayStart(after) + DAY_MS - 1;
  const next = c.rule.after(new Date(from), false);
  if (!next) throw new AppError('no-next-meeting', `cadence "${c.source}" has no occurrence after ${after}`);
  return isoDay(next);
}

/** Up to `count` occurrences on or after `from` (a date), as `YYYY-MM-DD`. */
export function upcomingOccurrences(cadence: Cadence | string, from: string, count: number): string[] {
  const c = typeof cadence === 'string' ? parseCadence(cadence) : cadence;
  const out: string[] = [];
  let cursor = new Date(dayStart(from) - 1);
  while (out.length < count) {
    const next = c.rule.after(cursor, false);
    if (!next) break;
    out.push(isoDay(next));
    cursor = next;
  }
  return out;
}

/**
 * Resolves a month-only meeting date (`YYYY-MM`, as the parser reports "September 2017") to
 * the first occurrence of the cadence in that month; null when the cadence has none there.
 */
export function resolveMonth(cadence: Cadence | string, month: string): string | null {
  if (!ISO_MONTH.test(month)) throw new AppError('bad-date', `expected a month YYYY-MM, got "${month}"`);
  const c = typeof cadence === 'string' ? parseCadence(cadence) : cadence;
  const start = Date.UTC(+month.slice(0, 4), +month.slice(5, 7) - 1, 1);
  const hit = c.rule.after(new Date(start - 1), false);
  return hit && isoDay(hit).startsWith(month) ? isoDay(hit) : null;
}

/**
 * Every occurrence of the cadence in a month (`YYYY-MM`), as `YYYY-MM-DD`, on the same
 * anchored rule as `nextOccurrence`, so import and agenda agree on a fortnightly phase.
 */
export function occurrencesInMonth(cadence: Cadence | string, month: string): string[] {
  if (!ISO_MONTH.test(month)) throw new AppError('bad-date', `expected a month YYYY-MM, got "${month}"`);
  const c = typeof cadence === 'string' ? parseCadence(cadence) : cadence;
  const start = Date.UTC(+month.slice(0, 4), +month.slice(5, 7) - 1, 1);
  const end = Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 1);
  return c.rule.between(new Date(start - 1), new Date(end), false).map(isoDay).filter((d) => d.startsWith(month));
}

/** Throws `bad-date` unless `d` is a real calendar date `YYYY-MM-DD`. */
export function assertDate(d: string, what = 'date'): string {
  if (!isCalendarDay(d)) {
    throw new AppError('bad-date', `${what} must be a date YYYY-MM-DD, got "${d}"`);
  }
  return d;
}

/** Whole days from date `a` to date `b`: the rule lives in `domain/dates.ts`. */
export { daysBetween };

function dayStart(d: string): number {
  return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
}

function firstNumber(v: number | number[] | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length ? v[0] : null;
  return v;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
