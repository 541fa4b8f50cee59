/**
 * Running-notes documents hold many meetings, one heading (or bold date line) per meeting:
 * "## Dec 13, 2022", "## Triage (2021-12-30)", "January 14, 2020:\n-----", "**12/15/2020**".
 * `splitArchive` cuts them into one text per meeting, keeping where each starts.
 */
import { buildBlocks } from './blocks.js';
import { splitLines } from './block-document.js';
import type { Block } from './block-types.js';
import { extractMeeting, findDate, findDayMonth } from './meeting-extractor.js';

export interface ArchivePart {
  /** `YYYY-MM-DD` of the meeting (or what the file gives for a single meeting; '' when nothing). */
  date: string;
  /** The delimiting heading's text, or the file's title for a single meeting. */
  title: string | null;
  /** 1-based line of the original file where this part starts: part line L = file line L + startLine - 1. */
  startLine: number;
  text: string;
}

interface Candidate {
  line: number;
  group: string;
  title: string | null;
  date: string | null;
  /** Day and month of a date written without a year ("Sep 10 (?)"), resolved from neighbours. */
  yearless: { month: number; day: number } | null;
}

/**
 * Splits a text into meetings. A normal file (fewer than two dated delimiters of one kind)
 * gives one part: the whole text with its own date. Never throws on parseable input.
 */
export function splitArchive(text: string): ArchivePart[] {
  const doc = buildBlocks(text);
  const candidates = doc.blocks.map(candidateOf).filter((c): c is Candidate => c !== null);
  const counts = new Map<string, number>();
  for (const c of candidates) if (c.date) counts.set(c.group, (counts.get(c.group) ?? 0) + 1);
  let group: string | null = null;
  for (const [g, n] of counts) if (n >= 2 && (!group || n > counts.get(group)!)) group = g;
  const lines = splitLines(text);
  if (!group) {
    const m = extractMeeting(doc.blocks, doc.frontMatter, {});
    return [{ date: m.date ?? '', title: m.title, startLine: 1, text }];
  }
  const chosen = candidates.filter((c) => c.group === group);
  resolveYears(chosen);
  const parts: ArchivePart[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i];
    if (!c.date) continue;
    const end = i + 1 < chosen.length ? chosen[i + 1].line - 1 : lines.length;
    const prev = parts[parts.length - 1];
    if (prev && prev.date === c.date && prev.startLine + splitLines(prev.text).length === c.line) {
      // Same meeting in two sections ("Agenda" and "Triage" of one day): keep it one part.
      prev.text = lines.slice(prev.startLine - 1, end).join('\n');
      continue;
    }
    parts.push({ date: c.date, title: c.title, startLine: c.line, text: lines.slice(c.line - 1, end).join('\n') });
  }
  return parts;
}

function candidateOf(b: Block): Candidate | null {
  let group: string;
  let title: string | null;
  let text: string;
  if (b.kind === 'heading' && !b.quoted) {
    group = `h${b.depth}`;
    title = b.text;
    text = b.text;
  } else if (b.kind === 'paragraph' && !b.quoted && b.lines.length === 1 && /^\s*(\*\*|__)[^*_]+\1\s*:?\s*$/.test(b.raw)) {
    group = 'bold';
    title = null;
    text = b.text;
  } else return null;
  const found = findDate(text);
  let date: string | null = null;
  let yearless: Candidate['yearless'] = null;
  let rest: string;
  if (found && found.precision === 'day') {
    date = found.value;
    rest = text.slice(0, found.index) + text.slice(found.index + found.length);
  } else {
    const dm = findDayMonth(text, '2000-01-01');
    if (!dm) return null;
    yearless = { month: +dm.value.slice(5, 7), day: +dm.value.slice(8, 10) };
    rest = text.slice(0, dm.index) + text.slice(dm.index + dm.length);
  }
  const words = rest.replace(/\[[^\]]*\]|\([^)]*\)/g, ' ').replace(/[^\p{L}\s]/gu, ' ').split(/\s+/).filter(Boolean);
  if (words.length > 5) return null;
  return { line: b.line, group, title, date, yearless };
}

/** A yearless delimiter takes the year of its nearest dated neighbour. */
function resolveYears(cs: Candidate[]): void {
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c.date || !c.yearless) continue;
    let near: Candidate | undefined;
    for (let d = 1; d < cs.length && !near; d++) near = [cs[i - d], cs[i + d]].find((x) => x?.date);
    if (!near?.date) continue;
    const y = near.date.slice(0, 4);
    const mm = String(c.yearless.month).padStart(2, '0');
    const dd = String(c.yearless.day).padStart(2, '0');
    c.date = `${y}-${mm}-${dd}`;
  }
}
