/**
 * The common cadences a series form offers, and the RRULE each one means. A rule the patterns
 * do not cover stays a raw RRULE. Pure: the series pages read and write cadences with it.
 */

export const WEEKDAYS = [
  ['MO', 'Monday'],
  ['TU', 'Tuesday'],
  ['WE', 'Wednesday'],
  ['TH', 'Thursday'],
  ['FR', 'Friday'],
  ['SA', 'Saturday'],
  ['SU', 'Sunday'],
] as const;

export type Weekday = (typeof WEEKDAYS)[number][0];
export type CadencePattern = 'none' | 'weekly' | 'biweekly' | 'monthly-nth' | 'monthly-last' | 'rrule';

/** What the form holds: a pattern and its parts, or the raw rule. */
export interface CadenceChoice {
  pattern: CadencePattern;
  weekday: Weekday;
  /** 1..4 for "monthly on the Nth weekday". */
  nth: number;
  rrule: string;
}

const isWeekday = (s: string): s is Weekday => WEEKDAYS.some(([code]) => code === s);

/**
 * The cadence string of a choice: null for "no cadence", the raw rule for `rrule` (checked
 * later by the cadence service), else the rule of the pattern.
 */
export function cadenceOf(c: CadenceChoice): string | null {
  switch (c.pattern) {
    case 'none':
      return null;
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${c.weekday}`;
    case 'biweekly':
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${c.weekday}`;
    case 'monthly-nth':
      return `FREQ=MONTHLY;BYDAY=${c.nth}${c.weekday}`;
    case 'monthly-last':
      return `FREQ=MONTHLY;BYDAY=-1${c.weekday}`;
    case 'rrule':
      return c.rrule.trim() || null;
  }
}

/** The form's choice for a stored cadence: a pattern when it is exactly one, else `rrule`. */
export function choiceOf(cadence: string | null): CadenceChoice {
  const base: CadenceChoice = { pattern: 'none', weekday: 'TH', nth: 1, rrule: '' };
  if (!cadence) return base;
  const parts = new Map(
    cadence
      .trim()
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((kv) => kv.split('=').map((x) => x.trim().toUpperCase()) as [string, string]),
  );
  const keys = [...parts.keys()].sort().join(',');
  const freq = parts.get('FREQ');
  const byday = parts.get('BYDAY') ?? '';
  const raw = { ...base, pattern: 'rrule' as const, rrule: cadence };
  if (freq === 'WEEKLY' && isWeekday(byday)) {
    if (keys === 'BYDAY,FREQ') return { ...base, pattern: 'weekly', weekday: byday };
    if (keys === 'BYDAY,FREQ,INTERVAL' && parts.get('INTERVAL') === '2') return { ...base, pattern: 'biweekly', weekday: byday };
  }
  if (freq === 'MONTHLY' && keys === 'BYDAY,FREQ') {
    const m = /^(-1|[1-4])([A-Z]{2})$/.exec(byday);
    if (m && isWeekday(m[2])) {
      return m[1] === '-1' ? { ...base, pattern: 'monthly-last', weekday: m[2] } : { ...base, pattern: 'monthly-nth', nth: Number(m[1]), weekday: m[2] };
    }
  }
  return raw;
}

/** "Monthly on the 2nd Thursday" and the like, for lists; the raw rule when no pattern fits. */
export function describeCadence(cadence: string | null): string {
  const c = choiceOf(cadence);
  const day = WEEKDAYS.find(([code]) => code === c.weekday)![1];
  switch (c.pattern) {
    case 'none':
      return 'no cadence';
    case 'weekly':
      return `weekly on ${day}`;
    case 'biweekly':
      return `every 2 weeks on ${day}`;
    case 'monthly-nth':
      return `monthly on the ${['1st', '2nd', '3rd', '4th'][c.nth - 1]} ${day}`;
    case 'monthly-last':
      return `monthly on the last ${day}`;
    case 'rrule':
      return c.rrule;
  }
}
