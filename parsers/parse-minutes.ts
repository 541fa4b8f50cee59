/**
 * The parser's entry point: minutes text in, ParsedMinutes out. Pure: no I/O, no clock, no
 * database. One remark parse, then linear passes over the blocks.
 */
import type { ParsedMinutes, ParsedWarning, ParseOptions } from './types.js';
import { buildBlocks } from './blocks.js';
import { extractMeeting } from './meeting-extractor.js';
import { extractAttendees } from './attendee-extractor.js';
import { extractTopics } from './topic-extractor.js';
import { extractItems } from './items.js';
import { findDue } from './due-dates.js';
import { ISO_DAY } from '../domain/dates.js';

/** Inputs larger than this are refused (2 MiB): minutes are never that long, parsing stays bounded. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export type ParseInputErrorCode = 'input-too-large' | 'input-binary' | 'input-empty';

/** Input the parser refuses: over the size limit, binary, or empty. */
export class ParseInputError extends Error {
  constructor(
    /** kebab-case, stable. */
    public readonly code: ParseInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParseInputError';
  }
}

/**
 * Checks and decodes parser input. Bytes must be UTF-8 without NUL bytes; text must be at most
 * MAX_INPUT_BYTES (as UTF-8) and not blank. Throws ParseInputError otherwise. Returns the text
 * without a BOM and with LF line ends.
 */
export function decodeInput(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > MAX_INPUT_BYTES || Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) throw tooLarge(Buffer.byteLength(input, 'utf8'));
    text = input;
  } else {
    if (input.byteLength > MAX_INPUT_BYTES) throw tooLarge(input.byteLength);
    if (input.includes(0)) throw new ParseInputError('input-binary', 'input looks binary (it contains NUL bytes); expected UTF-8 Markdown or text');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new ParseInputError('input-binary', 'input is not valid UTF-8; expected UTF-8 Markdown or text');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // One text whatever the line ends: a browser sends a form's text with CRLF, so the same file
  // uploaded on the page and imported by the CLI would otherwise hash apart (a spurious revision).
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!text.trim()) throw new ParseInputError('input-empty', 'input is empty; expected minutes in Markdown or text');
  return text;
}

function tooLarge(bytes: number): ParseInputError {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  return new ParseInputError('input-too-large', `input is ${mb(bytes)} MB; the limit is ${mb(MAX_INPUT_BYTES)} MB`);
}

/**
 * Parses one meeting's minutes. `opts.meetingDate` (`YYYY-MM-DD`) is used when the text gives
 * no full date; `opts.filename` is the last resort for the date. Throws ParseInputError for
 * refused input (see decodeInput); never throws otherwise.
 */
export function parseMinutes(input: string | Uint8Array, opts: ParseOptions = {}): ParsedMinutes {
  const text = decodeInput(input);
  const meetingDate = opts.meetingDate && ISO_DAY.test(opts.meetingDate) ? opts.meetingDate : undefined;
  const doc = buildBlocks(text);
  const meeting = extractMeeting(doc.blocks, doc.frontMatter, { meetingDate, filename: opts.filename, plain: doc.plain, text });
  const { attendees, absent } = extractAttendees(doc.blocks, meeting.frontMatterAttendees);
  const topics = extractTopics(doc.blocks, { titleLine: meeting.titleLine, meetingDate: meeting.date, nextMeetingDate: meeting.nextMeetingDate });
  const warnings: ParsedWarning[] = [];
  if (!meeting.date) warnings.push({ line: 1, message: 'no meeting date: put it in the title, the front matter or the file name, or pass --date' });

  // Attendance blocks (roll-call checkboxes, `Name; Org` lines) are never items.
  const itemBlocks = doc.blocks.filter((b) => b.role !== 'attendance');
  // extractItems never throws: a fault in it keeps what was found and adds a warning.
  const items = extractItems(itemBlocks, { meetingDate: meeting.date, attendees, nextMeetingDate: meeting.nextMeetingDate });
  const seen = new Set(warnings.map((w) => `${w.line}\u0000${w.message}`));
  for (const w of items.warnings) {
    const key = `${w.line}\u0000${w.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      warnings.push(w);
    }
  }
  warnings.sort((a, b) => a.line - b.line);
  // A commitment offered as a suggestion keeps the date it names, for when it is promoted.
  for (const s of items.suggestions) {
    if (s.kind !== 'action' || s.due) continue;
    const due = findDue(s.text, meeting.date, meeting.nextMeetingDate)?.due;
    if (due) s.due = due;
  }
  return {
    title: meeting.title,
    date: meeting.date,
    attendees,
    absent,
    decisions: items.decisions,
    actions: items.actions,
    topics,
    suggestions: items.suggestions,
    warnings,
    series: meeting.series,
  };
}
