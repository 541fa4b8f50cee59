/**
 * The pure half of an import: text -> one parsed part per meeting (an archive is split into
 * its meetings). No database, so it runs in worker threads as well as in the main thread.
 */
import { parseMinutes, splitArchive, findDate, decodeInput, ParseInputError } from '../../../parsers/index.js';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ParsedMinutes } from '../../../parsers/types.js';
import { MONTH_DAY_IN_TEXT } from '../../../domain/dates.js';

export interface ParsedPart {
  /** The part's own text (the whole file for a single meeting): stored as the revision. */
  text: string;
  parsed: ParsedMinutes;
  /** `YYYY-MM-DD`, `YYYY-MM` (month only) or null: from `date`, the archive heading, or the text. */
  date: string | null;
  /** Added to parsed lines to get file lines (archives). */
  lineOffset: number;
}

export interface ParseJob {
  /** Text or raw bytes of a file (bytes are checked: UTF-8, no NUL, size, not blank). */
  input?: string | Uint8Array;
  /**
   * Or a file to read, when there is no `input`: a bulk import hands parser threads the path,
   * so the main thread (which writes every meeting) neither reads the file nor copies its bytes.
   */
  path?: string;
  filename?: string;
  /** `--date`: the meeting date for a single-meeting text. */
  date?: string;
}

export type ParseOutcome =
  | { ok: true; parts: ParsedPart[]; /** parse time */ ms: number }
  | { ok: false; code: string; message: string; ms?: number };


/**
 * Cheap test before the archive splitter (which costs a second Markdown parse): an archive has
 * at least two short lines (headings, bold dates) holding a day-precise date.
 */
export function mayBeArchive(text: string): boolean {
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.length > 120 || line.trim().split(/\s+/).length > 9) continue;
    if (!/\d/.test(line)) continue;
    const f = findDate(line);
    if ((f && f.precision === 'day') || MONTH_DAY_IN_TEXT.test(line)) {
      if (++n >= 2) return true;
    }
  }
  return false;
}

/** Parses a text into its meetings. Never throws: refused input comes back as `ok: false`. */
export function parseJob(job: ParseJob): ParseOutcome {
  const t0 = performance.now();
  const out = parseParts(job);
  if (out.ok) out.ms = performance.now() - t0;
  return out;
}

function parseParts(job: ParseJob): ParseOutcome {
  let input: string | Uint8Array;
  try {
    input = job.input ?? readFileSync(job.path ?? '');
  } catch (err) {
    return { ok: false, code: 'unreadable-file', message: (err as Error).message };
  }
  let text: string;
  try {
    text = decodeInput(input);
  } catch (err) {
    if (err instanceof ParseInputError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
  const parts = !job.date && mayBeArchive(text) ? splitArchive(text) : [];
  if (parts.length <= 1) {
    const parsed = parseMinutes(text, { meetingDate: job.date, filename: job.filename });
    return { ok: true, parts: [{ text, parsed, date: job.date ?? parsed.date, lineOffset: 0 }], ms: 0 };
  }
  const out: ParsedPart[] = [];
  let series: string | null = null;
  for (const p of parts) {
    const parsed = parseMinutes(p.text, { meetingDate: p.date || undefined, filename: job.filename });
    series ??= parsed.series ?? null;
    const off = p.startLine - 1;
    shiftLines(parsed, off);
    const date = p.date || parsed.date;
    // One date twice in an archive (agenda and notes far apart): one meeting, not a revision.
    const twin = date ? out.find((o) => o.date === date) : undefined;
    if (twin) mergeInto(twin, p.text, parsed);
    else out.push({ text: p.text, parsed, date, lineOffset: off });
  }
  // Front matter belongs to the file: every meeting of an archive is in its series.
  for (const o of out) o.parsed.series ??= series;
  return { ok: true, parts: out, ms: 0 };
}

/** Reparses one meeting once its date is known (month-only dates resolved by cadence). */
export function reparse(part: ParsedPart, date: string, filename?: string): ParsedPart {
  const parsed = parseMinutes(part.text, { meetingDate: date, filename });
  parsed.series ??= part.parsed.series ?? null;
  shiftLines(parsed, part.lineOffset);
  return { ...part, parsed, date };
}

function mergeInto(into: ParsedPart, text: string, p: ParsedMinutes) {
  into.text += '\n\n' + text;
  const q = into.parsed;
  const names = new Set(q.attendees.map((a) => a.name));
  q.attendees.push(...p.attendees.filter((a) => !names.has(a.name)));
  q.absent.push(...p.absent.filter((a) => !names.has(a.name)));
  q.decisions.push(...p.decisions);
  q.actions.push(...p.actions);
  q.topics.push(...p.topics);
  q.suggestions.push(...p.suggestions);
  q.warnings.push(...p.warnings);
}

function shiftLines(p: ParsedMinutes, off: number) {
  if (!off) return;
  for (const list of [p.decisions, p.actions, p.topics, p.suggestions, p.warnings] as { line: number }[][]) {
    for (const x of list) x.line += off;
  }
}
