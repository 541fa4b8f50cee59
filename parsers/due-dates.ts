/**
 * Due dates written in minutes ("by Friday", "by end of March", "next week", "by January",
 * "in two weeks", "before the next meeting", "due 27 Jul 2022"), resolved against the meeting
 * date with chrono-node. Pure: the meeting date is the only reference, never the clock.
 */
import type { ParsedResult } from 'chrono-node/en';
import { chronoEnglish } from './load-on-use.js';
import { ISO_DAY } from '../domain/dates.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, couple: 2, few: 3 };

/** A meeting date `YYYY-MM-DD` or `YYYY-MM` as a UTC noon instant (month-only: the 1st). */
let lastRef: { date: string; ref: Date | null } | null = null;

function referenceOf(meetingDate: string | null): Date | null {
  if (meetingDate === null) return null;
  if (lastRef !== null && lastRef.date === meetingDate) return lastRef.ref;
  const ref = computeReference(meetingDate);
  lastRef = { date: meetingDate, ref };
  return ref;
}

function computeReference(meetingDate: string): Date | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(meetingDate);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1, 12));
  return Number.isNaN(d.getTime()) ? null : d;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

/** The Friday of the week holding `d` (weeks start on Monday); `d` itself from Friday on. */
function fridayOf(d: Date): Date {
  const day = d.getUTCDay();
  const toFriday = day === 0 ? -2 : 5 - day;
  return toFriday < 0 ? d : addDays(d, toFriday);
}

function monthIndex(word: string): number {
  const w = word.toLowerCase();
  if (w.length < 3) return -1;
  const i = MONTHS.indexOf(w.slice(0, 3));
  if (i < 0) return -1;
  // "mar" must not take "march"-less words like "market"; accept abbreviations and full names.
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][i]!;
  return full.startsWith(w.replace(/\.$/, '')) || w === 'sept' ? i : -1;
}

/**
 * Resolves a date phrase against the meeting date. Returns `YYYY-MM-DD`, or `YYYY-MM` when
 * the phrase names a month only ("Oct", "Oct call", "January": the next such month on or
 * after the meeting's month). Weekdays are the next such day after the meeting ("next Friday":
 * the Friday of the following Monday-to-Sunday week); "this week" and "next week" are the
 * Friday of that week; "in N days/weeks" counts from the meeting.
 * Null when the phrase is not a date or needs a meeting date that is unknown.
 */
export function resolveDatePhrase(phrase: string, meetingDate: string | null): string | null {
  return resolve(phrase, meetingDate, true);
}

/** `resolveDatePhrase`, optionally without the (slower) chrono fallback. */
function resolve(phrase: string, meetingDate: string | null, useChrono: boolean): string | null {
  const text = phrase.trim().toLowerCase().replace(/[.,;:!?)]+$/, '').replace(/^(?:the\s+)?week\s+of\s+/, '').slice(0, 80);
  if (text === '') return null;
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (isoMatch) {
    const d = new Date(Date.UTC(Number(isoMatch[1]), Number(isoMatch[2]) - 1, Number(isoMatch[3]), 12));
    return Number.isNaN(d.getTime()) || iso(d) !== isoMatch[0] ? null : isoMatch[0];
  }
  const ref = referenceOf(meetingDate);
  // Absolute dates with a year resolve without a meeting date.
  const refOrEpoch = ref ?? new Date(Date.UTC(2000, 0, 1, 12));

  const words = text.replace(/^(?:the\s+)?(?:end\s+of\s+(?=\w))?/, '').split(/\s+/);
  const endOf = /^(?:the\s+)?end\s+of\s+/.test(text);

  // Bare month, optionally followed by a meeting word: "oct", "october call", "january".
  const mi = monthIndex(words[0] ?? '');
  if (mi >= 0 && (words.length === 1 || /^(?:call|meeting|sync|session)$/.test(words[1] ?? '') || /^\d{4}$/.test(words[1] ?? ''))) {
    let year: number;
    if (/^\d{4}$/.test(words[1] ?? '')) year = Number(words[1]);
    else {
      if (ref === null) return null;
      year = ref.getUTCFullYear() + (mi < ref.getUTCMonth() ? 1 : 0);
    }
    const ym = `${year}-${String(mi + 1).padStart(2, '0')}`;
    if (!endOf) return ym;
    const last = new Date(Date.UTC(year, mi + 1, 0, 12));
    return iso(last);
  }

  if (ref === null) {
    if (!/\b\d{4}\b/.test(text)) return null;
  }
  const base = ref ?? refOrEpoch;

  const quarter = /^(?:the\s+)?(?:end\s+of\s+)?q([1-4])(?:\s+(\d{4}))?$/.exec(text);
  if (quarter) {
    const q = Number(quarter[1]);
    let year = quarter[2] ? Number(quarter[2]) : base.getUTCFullYear();
    if (!quarter[2] && q * 3 - 1 < base.getUTCMonth()) year++;
    return iso(new Date(Date.UTC(year, q * 3, 0, 12)));
  }
  if (/^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year$/.test(text)) return `${base.getUTCFullYear()}-12-31`;
  const ordinal = /^the\s+(\d{1,2})(?:st|nd|rd|th)$/.exec(text);
  if (ordinal) {
    const day = Number(ordinal[1]);
    if (day < 1 || day > 31) return null;
    let d = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), day, 12));
    if (d.getUTCDate() !== day || d.getTime() < base.getTime() - 43_200_000) d = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 1, day, 12));
    return d.getUTCDate() === day ? iso(d) : null;
  }
  const mid = /^mid[-\s]([a-z]{3,9})$/.exec(text);
  if (mid && monthIndex(mid[1]!) >= 0) {
    const r = resolve(mid[1]!, meetingDate, false);
    return r === null ? null : `${r.slice(0, 7)}-15`;
  }
  if (/^(?:the\s+)?(?:end\s+of\s+)?(?:this|the)\s+week$/.test(text) || text === 'end of week' || text === 'eow') return iso(fridayOf(base));
  if (/^(?:the\s+)?(?:end\s+of\s+)?(?:(?:the\s+)?first half of\s+)?next\s+week$/.test(text) || text === 'the following week') return iso(fridayOf(addDays(base, 7)));
  if (/^(?:today|tonight|eod|end of (?:the )?day)$/.test(text)) return iso(base);
  if (text === 'tomorrow') return iso(addDays(base, 1));
  if (/^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month$/.test(text)) return iso(new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 1, 0, 12)));
  if (/^(?:the\s+)?end\s+of\s+next\s+month$/.test(text)) return iso(new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 2, 0, 12)));
  if (/^next\s+month$/.test(text)) return iso(new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + 1, 1, 12)));

  const inN = /^(?:(?:in|within)\s+)?(?:about\s+|a\s+)?(\d{1,2}|a|an|one|two|three|four|five|six|couple|few)(?:\s*[-–]\s*(\d{1,2}))?\s+(?:of\s+)?(days?|weeks?|months?)(?:\s+or\s+so)?$/.exec(text);
  if (inN && (text.startsWith('in') || text.startsWith('within'))) {
    const n = Number(inN[2] ?? NaN) || Number(inN[1]) || NUMBER_WORDS[inN[1]!] || 1;
    const unit = inN[3]!;
    if (unit.startsWith('day')) return iso(addDays(base, n));
    if (unit.startsWith('week')) return iso(addDays(base, 7 * n));
    return iso(new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + n, base.getUTCDate(), 12)));
  }

  // A weekday: the next such day strictly after the meeting ("by Friday" said on a Friday = a
  // week later). "next Friday" is the Friday of next week (weeks start on Monday), as most
  // speakers mean it: said on a Monday it is 11 days on, not the coming Friday ("this Friday").
  const wd = /^(?:(on|this|next|coming)\s+)?(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?\.?$/.exec(text);
  if (wd) {
    const target = WEEKDAYS.findIndex((d) => d.startsWith(wd[2]!.slice(0, 3)));
    if (wd[1] === 'next') {
      const mondayOffset = (base.getUTCDay() + 6) % 7; // days since this week's Monday
      return iso(addDays(base, 7 - mondayOffset + ((target + 6) % 7)));
    }
    let delta = (target - base.getUTCDay() + 7) % 7;
    if (delta === 0) delta = 7;
    return iso(addDays(base, delta));
  }

  if (!useChrono) return null;
  const chrono = chronoEnglish(); // loaded here, on the first phrase the rules above do not read
  let results: ParsedResult[];
  try {
    results = chrono.parse(text, { instant: base, timezone: 0 }, { forwardDate: true });
  } catch {
    return null;
  }
  const first = results[0];
  if (!first || first.index > 4) return null;
  if (ref === null && !first.start.isCertain('year')) return null;
  const date = first.start.date();
  if (Number.isNaN(date.getTime())) return null;
  if (!first.start.isCertain('day') && first.start.isCertain('month') && !first.start.isCertain('weekday')) {
    // A month with no day: "by January" is the 1st, "by end of March" the last day.
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth();
    if (endOf) return iso(new Date(Date.UTC(y, mo + 1, 0, 12)));
    return `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return iso(date);
}

/** Phrases after which a date is a due date. Each group 1 is the date phrase (bounded). */
const DUE_TRIGGERS: RegExp[] = [
  /\b(?:due(?:\s+date)?|deadline)\s*(?:is\s+|:\s*|on\s+|by\s+)?((?:[\w.,/-]+\s*){1,5})/iu,
  /\b(?:by|before|until|til|till|no later than)\s+((?:the\s+)?(?:end\s+of\s+)?(?:[\w.,/-]+\s*){1,4})/iu,
  /\b(?:expected|targeted|planned)\s+(?:for\s+|on\s+|by\s+)?((?:the\s+)?(?:week\s+of\s+)?(?:[\w.,-]+\s*){1,4})/iu,
  /\b((?:this|next)\s+(?:week|month)|(?:first half of\s+)?next week|(?:in|within)\s+(?:about\s+)?(?:\d{1,2}(?:\s*[-–]\s*\d{1,2})?|a|an|one|two|three|four|five|six|a couple of|a few)\s+(?:days?|weeks?|months?)(?:\s+or\s+so)?|today|tomorrow|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/iu,
  // "~Thursday", "on Thu": a weekday said as the day it happens.
  /(?:^|[\s(])(?:~\s*|on\s+)((?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[a-z]*day)?)\b\.?/iu,
  // "at the meetup on April 19th", "on 3 May": a day and month said as the day it happens.
  /\bon\s+((?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)/iu,
  // "Time limit of 2 weeks on it", "timebox of a week": counted from the meeting.
  /\b(?:time\s*limit|time-?box(?:ed)?|deadline)\s+(?:of\s+|to\s+)?((?:\d{1,2}|a|an|one|two|three|four|five|six)\s+(?:days?|weeks?|months?))\b/iu,
];
/** Triggers whose phrase is a length of time, read as "in <phrase>". */
const SPAN_TRIGGER = 6;

const NEXT_MEETING = /\b(?:by|before|until|at|for|in|during)\s+(?:the\s+)?next\s+(?:call|meeting|sync|week's meeting|session|community call)\b/i;

const MONTH_MEETING = /\b(?:by|before|until|at|for|in)\s+(?:our|the)\s+([a-z]{3,9})\s+(?:call|meeting|sync|session)\b/i;

/** Words that make a "by ..." phrase look like a deadline even when it cannot be read. */
const TIMEISH = /^(?:the\s+)?(?:end|mid|middle|beginning|start|early|late|next|this|q[1-4]|eo[dwmq]|h[12]|week|month|quarter|sprint|release|\d{1,2}(?:st|nd|rd|th)\b|\d{1,2}[/.-]\d)/i;

/** A written date at the very end of a text ("... Silona Bonewald 14 Jan 2020"). */
const TRAILING_DATE = /(?:\b\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\b\d{4}-\d{2}-\d{2})\s*\.?\s*$/u;
const ISO_ANYWHERE = /\b\d{4}-\d{2}-\d{2}\b/u;

/** The result of `findDue`. */
export interface DueFind {
  /** `YYYY-MM-DD`, or null when the phrase could not be read (then `unreadable` is true). */
  due: string | null;
  /** The phrase as written. */
  phrase: string;
  unreadable?: boolean;
}

function toDay(resolved: string | null): string | null {
  if (resolved === null) return null;
  return resolved.length === 7 ? `${resolved}-01` : resolved;
}

/**
 * Finds the due date in an action's text. "next call/meeting" takes `nextMeetingDate` when
 * known. A deadline phrase that cannot be read ("by end of Q5") comes back with
 * `unreadable: true` so that the caller can warn. Null when the text names no deadline.
 */
export function findDue(text: string, meetingDate: string | null, nextMeetingDate: string | null): DueFind | null {
  const t = text.length > 2000 ? text.slice(0, 2000) : text;
  const next = NEXT_MEETING.exec(t);
  if (next) {
    if (nextMeetingDate !== null && ISO_DAY.test(nextMeetingDate)) return { due: nextMeetingDate, phrase: next[0] };
  }
  // "by our January meeting": the next meeting's date when it falls in that month.
  const monthMeeting = MONTH_MEETING.exec(t);
  if (monthMeeting && nextMeetingDate !== null && ISO_DAY.test(nextMeetingDate) && Number(nextMeetingDate.slice(5, 7)) === monthIndex(monthMeeting[1]!) + 1) {
    return { due: nextMeetingDate, phrase: monthMeeting[0] };
  }
  for (const trigger of DUE_TRIGGERS) {
    const m = trigger.exec(t);
    if (!m) continue;
    const phrase = m[1]!.trim();
    if (next && m.index >= next.index && m.index <= next.index + next[0].length) continue;
    const due = resolveCandidates(trigger === DUE_TRIGGERS[SPAN_TRIGGER] ? `in ${phrase}` : phrase, meetingDate);
    if (due !== null) return { due, phrase };
    if (trigger === DUE_TRIGGERS[0]) return { due: null, phrase, unreadable: true };
    if (trigger === DUE_TRIGGERS[1] && TIMEISH.test(phrase) && meetingDate !== null) return { due: null, phrase: m[0].trim(), unreadable: true };
  }
  const iso = ISO_ANYWHERE.exec(t);
  if (iso) {
    const due = resolveDatePhrase(iso[0], meetingDate);
    if (due !== null) return { due, phrase: iso[0] };
  }
  const trailing = TRAILING_DATE.exec(t);
  if (trailing) {
    const due = toDay(resolveDatePhrase(trailing[0], meetingDate));
    if (due !== null) return { due, phrase: trailing[0].trim() };
  }
  return null;
}

/**
 * Tries the phrase, then shorter prefixes of it ("Friday to discuss" -> "Friday") with the
 * fast rules, and chrono once on the whole phrase (chrono finds the date at its start itself).
 */
function resolveCandidates(phrase: string, meetingDate: string | null): string | null {
  return toDay(resolveLeadingDate(phrase, meetingDate));
}

/**
 * The date a phrase starts with ("Oct call once the release is out" -> `2017-10`, "Friday to
 * discuss" -> that Friday): `resolveDatePhrase` on the phrase and its shorter prefixes with
 * the fast rules, then (unless `useChrono` is false) chrono once on the whole phrase.
 * Month-only results stay `YYYY-MM`.
 */
export function resolveLeadingDate(phrase: string, meetingDate: string | null, useChrono = true): string | null {
  const words = phrase.split(/\s+/).slice(0, 6);
  for (let n = words.length; n >= 1; n--) {
    // "Jun 13" is a day, not the month of June: leave it to chrono.
    if (n < words.length && monthIndex(words[n - 1]!) >= 0 && /^\d/.test(words[n]!)) continue;
    const r = resolve(words.slice(0, n).join(' '), meetingDate, false);
    if (r !== null) return r;
  }
  return useChrono ? resolve(words.join(' '), meetingDate, true) : null;
}
