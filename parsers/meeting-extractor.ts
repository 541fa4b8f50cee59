/**
 * The meeting itself: title, date, series, from front matter, the title line, the first
 * lines and, as a last resort, the file name. Also the next meeting's date when the minutes
 * name it ("Next meeting: 2024-04-04"), which due dates like "by next call" resolve against.
 */
import { yamlPackage } from './load-on-use.js';
import type { Block } from './block-types.js';
import type { FrontMatter } from './block-document.js';

export interface FoundDate {
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  value: string;
  precision: 'day' | 'month';
  /** Index of the match in the searched text. */
  index: number;
  /** Length of the matched text. */
  length: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const ORD = '(?:st|nd|rd|th)?';

const RANGE_JOIN = '\\s*(?:&|and|-|–|—|to|/)\\s*';
const DATE_PATTERNS: { re: RegExp; pick(m: RegExpExecArray): [number, number, number] }[] = [
  // A multi-day meeting is dated by its first day: "11 & 12 January, 2018", "January 11-12, 2018".
  { re: new RegExp(`\\b(\\d{1,2})${ORD}${RANGE_JOIN}\\d{1,2}${ORD}(?:\\s+of)?[\\s-]+${MONTH},?[\\s-]+(\\d{4})\\b`, 'gi'), pick: (m) => [+m[3], monthOf(m[2]), +m[1]] },
  { re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})${ORD}${RANGE_JOIN}\\d{1,2}${ORD},?\\s+(\\d{4})\\b`, 'gi'), pick: (m) => [+m[3], monthOf(m[1]), +m[2]] },
  { re: /(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/gi, pick: (m) => [+m[1], +m[2], +m[3]] },
  // "2019 10 10": a slug turned title ("2019-10-10-TSC-Minutes").
  { re: /(?<![\d.])(\d{4}) (\d{2}) (\d{2})(?![\d])/g, pick: (m) => [+m[1], +m[2], +m[3]] },
  { re: new RegExp(`\\b(\\d{1,2})${ORD}(?:\\s+of)?[\\s-]+${MONTH},?[\\s-]+(\\d{4})\\b`, 'gi'), pick: (m) => [+m[3], monthOf(m[2]), +m[1]] },
  { re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})${ORD},?\\s+(\\d{4})\\b`, 'gi'), pick: (m) => [+m[3], monthOf(m[1]), +m[2]] },
  // 12/15/2020: US order (the corpus' US projects); 15/12/2020 is read day-first when it must be.
  { re: /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/g, pick: (m) => (+m[1] > 12 ? [+m[3], +m[2], +m[1]] : [+m[3], +m[1], +m[2]]) },
  // 22.10.2025: European order.
  { re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])/g, pick: (m) => [+m[3], +m[2], +m[1]] },
  // 03.24.21: two-digit fields with a two-digit year, month first unless the first cannot be a month.
  { re: /(?<![\d.])(\d{2})\.(\d{2})\.(\d{2})(?![\d.])/g, pick: (m) => { const y = +m[3] < 70 ? 2000 + +m[3] : 1900 + +m[3]; return +m[1] > 12 ? [y, +m[2], +m[1]] : [y, +m[1], +m[2]]; } },
];
const MONTH_YEAR = new RegExp(`\\b${MONTH},?\\s+(\\d{4})\\b`, 'gi');
const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})${ORD}\\b(?!\\s*,?\\s*\\d{4})|\\b(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH}\\b(?!\\s*,?\\s*\\d{4})`, 'gi');

function monthOf(name: string): number {
  return MONTHS[name.toLowerCase().slice(0, 3)] ?? 0;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` for a real calendar date in a plausible range, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1970 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  if (d > days) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * The first full date written in `text` ("15th December 2016", "2024-03-07", "Tuesday 2 April
 * 2024", "Dec 13, 2022", "12/15/2020"), else the first month and year ("September 2017" ->
 * `2017-09`), else null.
 */
export function findDate(text: string): FoundDate | null {
  if (!text || !/\d{4}|\d\d\.\d\d\.\d\d/.test(text)) return null;
  let best: FoundDate | null = null;
  for (const p of DATE_PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const [y, mo, d] = p.pick(m);
      const value = isoDate(y, mo, d);
      if (value) {
        if (!best || m.index < best.index) best = { value, precision: 'day', index: m.index, length: m[0].length };
        break;
      }
    }
  }
  if (best) return best;
  MONTH_YEAR.lastIndex = 0;
  const m = MONTH_YEAR.exec(text);
  if (m) {
    const y = +m[2];
    const mo = monthOf(m[1]);
    if (y >= 1970 && y <= 2199 && mo) return { value: `${y}-${pad(mo)}`, precision: 'month', index: m.index, length: m[0].length };
  }
  return null;
}

/**
 * A day and month with no year ("Aug 3rd", "May 7th", "Sep 10"), placed on or after `after`
 * (`YYYY-MM[-DD]`): the year of `after`, or the next one when that would fall before it.
 */
export function findDayMonth(text: string, after: string | null): FoundDate | null {
  MONTH_DAY.lastIndex = 0;
  const m = MONTH_DAY.exec(text);
  if (!m) return null;
  const mo = monthOf(m[1] ?? m[4]);
  const d = +(m[2] ?? m[3]);
  if (!after || !mo) return null;
  let y = +after.slice(0, 4);
  let value = isoDate(y, mo, d);
  if (value && value.slice(0, after.length) < after) value = isoDate(++y, mo, d);
  return value ? { value, precision: 'day', index: m.index, length: m[0].length } : null;
}

export interface MeetingInfo {
  title: string | null;
  date: string | null;
  series: string | null;
  /** The line of the block used as title, so the topic extractor does not take it as a topic. */
  titleLine: number | null;
  /** Front matter `attendees`, as given. */
  frontMatterAttendees: unknown;
  nextMeetingDate: string | null;
}

const DATE_LABEL = /^\s*(?:meeting\s+)?(?:date|when|held on)\s*[:\-–]/i;
const NEXT_MEETING = /\bnext\s+(?:meeting|call|sync|session)\b|\bdate\s+for\s+next\s+(?:meeting|call)\b/i;

/**
 * Reads the meeting's title, date and series. `opts.meetingDate` wins over a month-only or
 * missing date; a full date in the text wins over it.
 */
export function extractMeeting(
  blocks: Block[],
  frontMatter: FrontMatter | null,
  opts: { meetingDate?: string; filename?: string; plain?: boolean; text?: string },
): MeetingInfo {
  const fm = readFrontMatter(frontMatter);
  const titleBlock = findTitleBlock(blocks);
  const headingTitle = titleBlock ? titleBlock.text.split('\n')[0].trim() : null;
  const fmTitle = typeof fm.title === 'string' || typeof fm.title === 'number' ? String(fm.title).trim() : null;
  // An inferred heading (plain text) or a sub-heading is a weaker title than the front matter's.
  const strong = titleBlock?.kind === 'heading' && titleBlock.depth === 1 && !opts.plain;
  // An email's Subject names the minutes better than its From: line.
  const subject = !strong && blocks[0] && blocks[0].kind === 'paragraph' && blocks[0].lines.filter((l) => EMAIL_HEADER.test(l.text)).length >= 2
    ? blocks[0].lines.find((l) => /^subject\s*:/i.test(l.text))?.text.replace(/^subject\s*:\s*/i, '').trim() || null
    : null;
  const title = (strong ? headingTitle || fmTitle : fmTitle || subject || headingTitle) || null;

  const candidates: (FoundDate | null)[] = [];
  // A MeetBot record names the meeting's own date; a blog post wrapping it has its own date.
  if (opts.text) candidates.push(meetbotDate(opts.text));
  if (fm.date != null) candidates.push(findDate(fm.date instanceof Date ? fm.date.toISOString().slice(0, 10) : String(fm.date)));
  // A title inferred from plain text (the first short line) is weaker than a Markdown heading.
  const realHeading = titleBlock?.kind === 'heading' && !opts.plain;
  if (headingTitle && realHeading) candidates.push(findDate(headingTitle));
  if (fmTitle) candidates.push(findDate(fmTitle));
  const fromName = opts.filename ? findDate(baseName(opts.filename).replace(/[_]/g, ' ')) : null;
  // The file name's date, also written in the body (a log link, "held on ..."), beats a date in
  // the first lines, which often says when the notes were posted rather than when the meeting
  // was held. Front matter, a heading and MeetBot stay stronger.
  if (fromName?.precision === 'day' && !candidates.some((c) => c?.precision === 'day') && opts.text?.includes(fromName.value)) {
    candidates.push(fromName);
  }
  if (headingTitle && !realHeading) candidates.push(findDate(headingTitle));
  candidates.push(firstLinesDate(blocks, !!opts.plain));
  const day = candidates.find((c) => c?.precision === 'day') ?? null;
  const month = candidates.find((c) => c?.precision === 'month') ?? null;

  let date: string | null = null;
  if (day) date = day.value;
  else if (opts.meetingDate) date = opts.meetingDate;
  else if (month && fromName?.precision === 'day' && fromName.value.startsWith(month.value)) date = fromName.value;
  else if (month) date = month.value;
  else if (fromName) date = fromName.value;

  const series = typeof fm.series === 'string' && fm.series.trim() ? fm.series.trim() : null;
  return {
    title,
    date,
    series,
    titleLine: titleBlock?.line ?? null,
    frontMatterAttendees: frontMatterPeople(fm),
    nextMeetingDate: findNextMeetingDate(blocks, date),
  };
}

/** Front matter `attendees`, `members`, `other_attendees`, `present` (lists or comma strings), as one list. */
function frontMatterPeople(fm: Record<string, unknown>): unknown[] | null {
  const out: unknown[] = [];
  for (const key of ['attendees', 'members', 'other_attendees', 'other-attendees', 'present', 'participants']) {
    const v = fm[key];
    if (Array.isArray(v)) out.push(...v);
    else if (typeof v === 'string' || (v && typeof v === 'object')) out.push(v);
  }
  return out.length ? out : null;
}

function readFrontMatter(frontMatter: FrontMatter | null): Record<string, unknown> {
  if (!frontMatter) return {};
  try {
    const v: unknown = yamlPackage().parse(frontMatter.text, { maxAliasCount: 50 });
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {}; // broken YAML is the note-taker's problem; the body still parses
  }
}

/** The first heading if it opens the document (within the first few blocks), else a short first line. */
function findTitleBlock(blocks: Block[]): Block | null {
  for (let i = 0; i < Math.min(blocks.length, 12); i++) {
    const b = blocks[i];
    if (b.kind === 'heading' && (b.depth === 1 || i < 3)) return b;
  }
  const first = blocks[0];
  if (first && first.kind === 'paragraph' && !first.role) {
    const line = first.lines[0]?.text ?? '';
    if (line.length > 0 && line.length <= 100 && !/[.!?]$/.test(line)) return { ...first, text: line };
  }
  return null;
}

const EMAIL_HEADER = /^(?:from|to|cc|subject|date|sent|reply-to|message-id)\s*:/i;

/**
 * A labelled date ("**Date:** Thursday, 16th May 2019") first, else the first date near the
 * top. An email's `Date:` header says when it was sent: it counts only when the body gives no
 * date. In plain text, indented lines at the top (a centred title) are text, not code.
 */
function firstLinesDate(blocks: Block[], plain: boolean): FoundDate | null {
  let firstAny: FoundDate | null = null;
  let sent: FoundDate | null = null;
  for (let i = 0, seen = 0; i < blocks.length && seen < 15; i++) {
    const b = blocks[i];
    if ((b.kind === 'code' && !(plain && b.line <= 12)) || b.quoted || b.line > 80) continue;
    seen++;
    const email = b.lines.filter((l) => EMAIL_HEADER.test(l.text)).length >= 2;
    const lines = b.kind === 'code' ? b.text.split('\n').map((text) => ({ text })) : b.lines;
    for (const l of lines) {
      const found = findDate(l.text);
      if (!found) continue;
      if (email && EMAIL_HEADER.test(l.text) && !/^subject\s*:/i.test(l.text)) {
        if (/^(?:date|sent)\s*:/i.test(l.text)) sent ??= found;
        continue;
      }
      if (DATE_LABEL.test(l.text)) return found;
      if (!firstAny || (firstAny.precision === 'month' && found.precision === 'day')) firstAny = found;
    }
  }
  return firstAny ?? sent;
}

const MEETBOT_STARTED = /\bMeeting started\b[^\n]{0,80}/;
const MEETBOT_STARTED_DATE = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})\\s+[\\d:]+\\s+(\\d{4})\\b`, 'i');
const MEETBOT_LOG = /\.(\d{4})-(\d{2})-(\d{2})-\d{2}\.\d{2}\.(?:log\.)?(?:html|txt)\b/;

/**
 * The date of a MeetBot meeting: from its "Meeting started Tue May 8 14:00:15 2012 UTC" line,
 * or, when that line gives only a time ("Meeting started by X at 14:00:15 UTC"), from the log
 * link (`team.2019-01-11-14.00.log.html`). Null unless the text holds a "Meeting started" line.
 */
function meetbotDate(text: string): FoundDate | null {
  const started = MEETBOT_STARTED.exec(text);
  if (!started) return null;
  const m = MEETBOT_STARTED_DATE.exec(started[0]);
  const value = m ? isoDate(+m[3], monthOf(m[1]), +m[2]) : findDate(started[0])?.value;
  if (value) return { value, precision: 'day', index: started.index, length: started[0].length };
  const log = MEETBOT_LOG.exec(text);
  const fromLog = log ? isoDate(+log[1], +log[2], +log[3]) : null;
  return fromLog ? { value: fromLog, precision: 'day', index: log!.index, length: log![0].length } : null;
}

function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop() ?? filename;
}

/**
 * "Next meeting: 2017-04-06", "**Date for Next Meeting**: Friday 27 Dec 2019", "Next meeting
 * is on Aug 3rd" or a "Next meeting" heading followed by a date: that date, if after the
 * meeting.
 */
export function findNextMeetingDate(blocks: Block[], meetingDate: string | null): string | null {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.kind === 'code') continue;
    for (const l of b.lines) {
      const m = NEXT_MEETING.exec(l.text);
      if (!m) continue;
      let rest = l.text.slice(m.index);
      if (b.kind === 'heading' && i + 1 < blocks.length) rest += ' ' + blocks[i + 1].text.split('\n')[0];
      const found = findDate(rest) ?? findDayMonth(rest, meetingDate);
      if (found && found.precision === 'day' && (!meetingDate || found.value > meetingDate)) return found.value;
    }
  }
  return null;
}
