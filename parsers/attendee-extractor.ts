/**
 * Who was there: attendance sections and labels, one entry per name, names cleaned of
 * handles, organisations, role markers and status suffixes. Marks every block it reads as
 * `role: 'attendance'` so the item extractor never takes a roll-call checkbox for an action.
 */
import type { Block } from './block-types.js';
import type { ParsedAbsentee, ParsedAttendee } from './types.js';
import { foldName } from '../domain/names.js';
import { ABSENT_MARKS, EXTRA_ROLE_LABELS, FRAME_HEADING_WORDS, MEETING_DETAIL_LABELS, MEMBER_LINE_LABELS, ORG_WORDS as ORG_WORD_LIST, PRESENT_MARKS, alternation } from './vocabulary.js';

type Kind = 'present' | 'absent';

interface Entry extends ParsedAttendee {
  kind: Kind | 'unknown';
}

/** Up to three words before a label ("TSC Attendees", "Directors Present"), never a preposition ("From attendees"). */
const PREFIX = "(?:(?!(?:from|by|for|to|of|with|about|non|the)\\b)[\\p{L}'’]+\\s+){0,3}";
const PRESENT_WORDS = '(?:attendees|attendance|present|participants|observers|guests|roll[ -]?call|people present|members present|in attendance|attending|who(?:\'|’)?s here)';
const ABSENT_WORDS = '(?:regrets|apologies|absent|absentees|not present|unable to attend|excused)';
const ROLE_WORDS = `(?:${alternation(EXTRA_ROLE_LABELS)}|chairs?|co-?chairs?|scribes?|scribe\\(s\\)|facilitators?|moderators?|note[- ]?takers?|minute[- ]?takers?|hosts?|minutes by|notes by|minutes taken by)`;
/** Labels of meeting details that end a run of attendance lines ("Language: ...", "Time: ..."). */
const DETAIL_LABEL = new RegExp(`^${alternation(MEETING_DETAIL_LABELS)}\\s*:`, 'i');
/** Presence marks in an attendance table's cell ("Y", "x", "present"); "X" counts only where no "Y" is used. */
const PRESENT_MARK_SET = new Set<string>(PRESENT_MARKS);
const ABSENT_MARK_SET = new Set<string>(ABSENT_MARKS);
const isPresentCell = (v: string): boolean => PRESENT_MARK_SET.has(v.toLowerCase());
const isXCell = (v: string): boolean => v.toLowerCase() === 'x';
/** Other marks of a presence column: absence, delegation, a dash. */
const isOtherMark = (v: string): boolean => ABSENT_MARK_SET.has(v.toLowerCase()) || /^(?:d|delegated|-|0|false|\[ \])$/i.test(v);
const ORG_WORDS = new RegExp(`\\b${alternation(ORG_WORD_LIST)}\\b\\.?`);
/** Little words that never sit inside a person's name ("Code of Conduct"). */
const FUNCTION_WORD = /^(?:of|the|for|to|in|on|with|at|by|from|into|about|is|are|was|were|be|a|an|or|not|this|that|our|we|you|it|its)$/;

/** `Label` alone, `Label:` + value, or `Label (lines said):` + value. */
function labelRe(words: string): RegExp {
  return new RegExp(`^${PREFIX}${words}\\b\\s*(?:\\([^)]*\\)|\\[[^\\]]*\\])?\\s*(?:[:：]\\s*(.*)|-\\s+(.*)|$)`, 'iu');
}
const PRESENT_LABEL = labelRe(PRESENT_WORDS);
/** "Members: a, b", "Team members: ...", "Others: ...": attendance only as a line with names, never as a heading. */
const MEMBERS_LABEL = new RegExp(`^${alternation(MEMBER_LINE_LABELS)}\\s*[:：]\\s*(\\S.*)$`, 'i');
const ABSENT_LABEL = labelRe(ABSENT_WORDS);
const ROLE_LABEL = new RegExp(`^${ROLE_WORDS}\\s*(?::\\s*|\\s+(?=\\p{Lu}))(.*)$`, 'iu');
const ROLE_ALONE = new RegExp(`^${ROLE_WORDS}\\s*:?\\s*$`, 'i');
/** Every label readLabelled knows starts with (or has within its first words) one of these stems. */
const LABEL_HINT = /attend|present|particip|observ|guest|roll|people|member|who|regret|apolog|absent|excused|unable|chair|scribe|facilit|moderat|note|minute|host|other/i;
const JOIN_HINT = /join|arriv/i;
/** "Jane Doe joins", "Bob Smith has joined the call": someone noted as joining. */
const JOINS = /^\W*(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’.-]*){0,3})\s+(?:has\s+|have\s+)?(?:joins|joined|arrives|arrived)\b(?!\s+(?:the\s+)?(?:project|team|company|foundation|committee|board|group|org)|\s*\(~)/u;
const SIGNATURE = /^(?:--|—|–)\s*(\p{Lu}[\p{L}.' -]*(?:,\s*\p{Lu}[\p{L}.' -]*)+)$/u;
const MARKER = /^\W*(?:action|ai|todo|decision|agreed|resolved|resolution)\b/i;
const ATTENDANCE_PARENT = /\b(attendance|attendees|roll call|present)\b/i;

const PAREN_ROLE = /^(?:chair|co-?chair|vice[- ]chair|scribe|note[- ]?taker|facilitator|moderator|host|guest|observer|lead|emeritus|invited expert|staff|secretary|maintainer|member|liaison|board|TSC|TC|CTC|CPC|TOC|TAC|PMC|SC)\b/i;
const TEMPLATE_WORDS = new Set(['name', 'names', 'your', 'here', 'attendees', 'attendee', 'people', 'person', 'organization', 'organisation', 'institution', 'github', 'handle', 'email', 'e', 'mail', 'company', 'affiliation', 'org', 'first', 'last', 'full']);
const NOT_NAMES = new Set(['who', 'todo', 'tbc', 'none', 'n a', 'na', 'tbd', 'tba', 'nobody', 'no one', 'everyone', 'all', 'others', 'other', 'attended', 'present', 'absent', 'yes', 'no', 'regrets', 'apologies', 'excused', 'delegated', 'inactive']);

export interface AttendeeResult {
  attendees: ParsedAttendee[];
  absent: ParsedAbsentee[];
}

/**
 * Finds attendees, absentees and roles. Blocks it reads get `role = 'attendance'`.
 * `frontMatterAttendees` is the front matter `attendees` value (list or comma string).
 */
export function extractAttendees(blocks: Block[], frontMatterAttendees: unknown): AttendeeResult {
  const entries: Entry[] = [];
  if (Array.isArray(frontMatterAttendees)) {
    for (const a of frontMatterAttendees) {
      if (typeof a === 'string') entries.push(...parseEntries(a, 'present'));
      else if (a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string') {
        const o = a as { name: string; org?: unknown; handle?: unknown; role?: unknown };
        for (const e of parseEntries(o.name, 'present')) {
          entries.push({ ...e, org: typeof o.org === 'string' ? o.org : e.org, handle: typeof o.handle === 'string' ? o.handle.replace(/^@/, '') : e.handle, role: typeof o.role === 'string' ? o.role : e.role });
        }
      }
    }
  } else if (typeof frontMatterAttendees === 'string') entries.push(...parseEntries(frontMatterAttendees, 'present'));

  let section: { kind: Kind; depth: number } | null = null;
  // A roll-call section that a sibling heading interrupted ("## Non Voting Projects" between
  // "## Voting member attendance" and "## Other Attendees"): it goes on if checkboxes follow.
  let paused: { kind: Kind; heading: Block } | null = null;
  let sawCheckbox = false;
  // A list that turned from names to other things ("- Leo", "- Code of Conduct", "- Welcome any
  // new members ..."): the rest of that list is not attendance.
  let endedList: string | null = null;
  let namedList: string | null = null;
  const tables = new Map<string, TableShape | null>();
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.kind === 'code') {
      // Indented names under "Attendees" or "Directors Present:" (plain text and old Markdown).
      const kind = section?.kind ?? labelBefore(blocks, i);
      const found = kind ? namesOnLines(b.text.split('\n'), kind, section ? 2 : 1) : null;
      if (found) {
        entries.push(...found);
        b.role = 'attendance';
      }
      continue;
    }
    if (b.kind === 'heading') {
      const kind = labelKind(b.text, true);
      paused = null;
      endedList = null;
      if (kind) section = { kind, depth: section && b.depth > section.depth ? section.depth : b.depth };
      else if (section && (b.depth <= section.depth || FRAME_HEADING.test(b.text))) {
        if (sawCheckbox) paused = { kind: section.kind, heading: b };
        section = null;
        sawCheckbox = false;
      }
      // Sub-headings of an attendance section ("### Premier member Representatives") are not topics.
      if (kind || section) b.role = 'attendance';
      continue;
    }
    if (paused) {
      if (b.kind === 'listItem' && b.checked != null) {
        section = { kind: paused.kind, depth: paused.heading.depth };
        paused.heading.role = 'attendance';
      }
      paused = null;
    }
    if (section && b.kind === 'listItem' && b.checked != null) sawCheckbox = true;
    if (b.kind === 'tableRow') {
      // An attendance table: under an attendance heading, or with a name/attendee column and a
      // presence column. The name column gives the person; "Y"/"present" cells say who came.
      const key = (b.header ?? []).join('\u0000') + '\u0001' + (section ? 's' : '');
      if (!tables.has(key)) tables.set(key, tableShape(blocks, i, !!section));
      const shape = tables.get(key);
      if (shape) {
        const e = tableEntry(b.cells ?? [], shape);
        if (e) entries.push(e);
        b.role = 'attendance';
      }
      continue;
    }
    if (b.kind === 'paragraph' && /<t[dr][\s>]/i.test(b.raw)) {
      const all = htmlRows(b.raw);
      // A header row (<th> cells) names the columns; without one the table must sit under an attendance label.
      const header = all[0]?.header ? all[0].cells : null;
      const rows = (header ? all.slice(1) : all).map((r) => r.cells);
      const labelled = !!section || ATTENDANCE_PARENT.test(b.text.slice(0, 200));
      const shape = rows.length && (labelled || header) ? shapeOf(rows, header, labelled) : null;
      if (shape) {
        for (const r of rows) {
          const e = tableEntry(r, shape);
          if (e) entries.push(e);
        }
        b.role = 'attendance';
        continue;
      }
    }

    if (b.role === 'attendance') {
      for (const l of b.lines) entries.push(...parseEntries(l.text, 'present'));
      continue;
    }
    const flat = b.kind === 'paragraph' && b.lines.length === 1 && b.text.length <= 40 && RUN_LABEL.test(b.text) ? flatTable(blocks, i) : null;
    if (flat) {
      entries.push(...flat.entries);
      for (let k = i; k <= flat.last; k++) blocks[k].role = 'attendance';
      i = flat.last;
      continue;
    }
    const labelled = readLabelled(b, i);
    if (labelled) {
      entries.push(...labelled);
      b.role = 'attendance';
      continue;
    }
    const joined = b.lines.length === 1 && JOIN_HINT.test(b.text) ? JOINS.exec(b.text) : null;
    if (joined) {
      const e = entryFrom(joined[1], 'present');
      if (e) entries.push(e);
    }
    const sig = b.kind === 'paragraph' && b.lines.length === 1 ? SIGNATURE.exec(b.text) : null;
    if (sig) {
      // "-- Barry, Brett, Carol, Guido, Nick": the council signing its own update.
      entries.push(...parseEntries(sig[1], 'present'));
      b.role = 'attendance';
      continue;
    }
    const inherited = b.kind === 'listItem' ? parentKind(b) : null;
    const kind = inherited ?? section?.kind ?? null;
    if (!kind) continue;
    if (b.kind === 'paragraph' && !section) continue;
    const own = b.checked === false ? 'absent' : b.checked === true ? 'present' : kind;
    const listKey = b.kind === 'listItem' ? `${b.listLabel ?? ''}\u0000${b.parentText ?? ''}\u0000${b.depth}` : null;
    if (listKey !== null && listKey === endedList && b.checked == null) continue;
    // One name per line ("Laurent", "@kjin"): every line a name, so single words count too.
    const perLine = b.kind === 'paragraph' && b.lines.length > 1 ? namesOnLines(b.lines.map((l) => l.text), own) : null;
    const lines = b.kind === 'paragraph' ? b.lines.filter((l) => /[,;&]|\sand\s|\S\s+\S/.test(l.text)) : b.lines;
    const hasChildren = b.kind === 'listItem' && blocks[i + 1]?.kind === 'listItem' && blocks[i + 1].depth > b.depth && !/:\s*$/.test(b.text);
    const found = perLine ?? (hasChildren ? [] : lines.flatMap((l) => parseEntries(l.text, own, b.kind === 'listItem')));
    if (listKey !== null && found.length) namedList = listKey;
    else if (listKey !== null && listKey === namedList && b.checked == null) endedList = listKey;
    // Only what reads as names is attendance: an "ACTION:" line under "Attendees" stays an item.
    if (found.length || (b.checked != null && !MARKER.test(b.text))) {
      b.role = 'attendance';
      entries.push(...found);
    }
  }
  return merge(entries);
}

/** A sub-heading that leaves the attendance section even when deeper ("# Attendees" then "## Agenda"). */
const FRAME_HEADING = new RegExp(`\\b${alternation(FRAME_HEADING_WORDS)}\\b`, 'i');

/**
 * The attendance kind of the label line right before block `i` (a code block of indented
 * names): the last line above it in the nearest block before, when that line is a label alone
 * ("Directors Present:", "Guests:").
 */
function labelBefore(blocks: Block[], i: number): Kind | null {
  const b = blocks[i];
  for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
    const p = blocks[j];
    if (p.kind === 'code') continue;
    const above = p.lines.filter((l) => l.line < b.line);
    const last = above[above.length - 1];
    if (!last || b.line - last.line > 3) return null;
    const t = cleanLabel(last.text);
    return t.length <= 60 ? labelKind(t, true) ?? labelEnding(t) : null;
  }
  return null;
}

/** A label over a table that lost its layout ("**TSC Members**" then Name / Org / "Yes" paragraphs). */
const RUN_LABEL = /^[\p{L} ]{0,25}\b(?:members|attendance|attendees|participants|roll call)\s*:?\s*$/iu;

/**
 * A table flattened into one short paragraph per cell (wiki exports): "Name", "Org", "Yes",
 * "Name", "Org", ... under the label at `i`. The row width is the smallest gap between two
 * presence marks; the name is that many cells before each mark. Null unless at least two
 * marks are found.
 */
function flatTable(blocks: Block[], i: number): { entries: Entry[]; last: number } | null {
  const cells: { text: string; at: number }[] = [];
  for (let j = i + 1; j < blocks.length && j <= i + 400; j++) {
    const p = blocks[j];
    if (p.kind !== 'paragraph' || p.lines.length !== 1 || p.text.length > 60 || /[:.!?]$/.test(p.text.trim())) break;
    cells.push({ text: p.text.trim(), at: j });
  }
  const marks = cells.map((c, k) => (isPresentCell(c.text) ? k : -1)).filter((k) => k >= 0);
  if (marks.length < 2) return null;
  let width = Infinity;
  for (let k = 1; k < marks.length; k++) width = Math.min(width, marks[k] - marks[k - 1]);
  if (width < 2 || width > 6) return null;
  const entries: Entry[] = [];
  for (const k of marks) {
    // A row is `width` cells ending with the mark; the name opens it.
    const nameCell = cells[k - (width - 1)];
    if (!nameCell) continue;
    const found = parseEntries(nameCell.text, 'present', true);
    if (found.length === 1 && !ORG_WORDS.test(nameCell.text)) entries.push(found[0]);
  }
  return entries.length >= 2 ? { entries, last: cells[cells.length - 1].at } : null;
}

/** Lines that each hold one name (a column of names): their entries, or null when any line is something else. */
function namesOnLines(lines: string[], kind: Kind, least = 2): Entry[] | null {
  const out: Entry[] = [];
  let n = 0;
  for (const raw of lines) {
    const l = raw.trim();
    if (!l) continue;
    n++;
    if (l.split(/\s+/).length > 6 || /[.!?]$/.test(l.replace(/\b\p{Lu}\.$/u, ''))) return null;
    const found = parseEntries(l, kind, true);
    if (found.length !== 1) return null;
    out.push(...found);
  }
  return n >= least ? out : null;
}

interface TableShape {
  name: number;
  /** Column of organisations (a Company/Organisation/Affiliation header), or -1. */
  org: number;
  /** Column of presence marks, or -1 when every row is someone present. */
  presence: number;
  /** True when the presence column uses "Y"/"yes": then "X" is some other mark ("not expected"). */
  yesUsed: boolean;
}

const NAME_HEADER = /\b(?:name|names|attendee|attendees|member|members|person|people|who|participants?|representatives?|rep)\b/i;
const PRESENCE_HEADER = /\b(?:present|presence|attended|attendance|here|roll ?call|y\/n|status)\b/i;

/** The shape of the table whose row is block `i`: null when it is not an attendance table. */
function tableShape(blocks: Block[], i: number, inSection: boolean): TableShape | null {
  const first = blocks[i];
  // Outside an attendance section only a table whose header speaks of presence is looked at.
  if (!inSection && !(first.header ?? []).some((h) => PRESENCE_HEADER.test(h))) return null;
  const rows: string[][] = [];
  for (let j = i; j < blocks.length && blocks[j].kind === 'tableRow' && (blocks[j].header ?? []).join('\u0000') === (first.header ?? []).join('\u0000'); j++) rows.push(blocks[j].cells ?? []);
  return shapeOf(rows, first.header ?? null, inSection);
}

function shapeOf(rows: string[][], header: string[] | null, inSection: boolean): TableShape | null {
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (!width || !rows.length) return null;
  const cell = (r: string[], c: number): string => (r[c] ?? '').replace(/[*_`]/g, '').trim();
  const col = (c: number): string[] => rows.map((r) => cell(r, c));
  const isMark = (v: string): boolean => isPresentCell(v) || isXCell(v) || isOtherMark(v) || !v;
  let presence = -1;
  for (let c = 0; c < width; c++) {
    const vals = col(c);
    const headerSays = header ? PRESENCE_HEADER.test(header[c] ?? '') : false;
    if (vals.every(isMark) && vals.some((v) => isPresentCell(v) || isXCell(v)) && (headerSays || vals.some((v) => v))) {
      presence = c;
      if (headerSays) break;
    }
  }
  let name = header ? header.findIndex((h) => NAME_HEADER.test(h) && !PRESENCE_HEADER.test(h)) : -1;
  if (name < 0) {
    // The column where most cells read as one person's name.
    let best = -1;
    let bestCount = 0;
    for (let c = 0; c < width; c++) {
      if (c === presence) continue;
      const count = col(c).filter((v) => v && !ORG_WORDS.test(v) && parseEntries(v, 'present', true).length === 1 && /^\p{Lu}\S*\s+\p{Lu}/u.test(v)).length;
      if (count > bestCount) [best, bestCount] = [c, count];
    }
    if (best >= 0 && bestCount * 2 >= rows.length * 0.6) name = best;
  }
  if (name < 0) return null;
  if (presence < 0 && !inSection) return null;
  const yesUsed = presence >= 0 && col(presence).some((v) => isPresentCell(v));
  const org = header ? header.findIndex((h, c) => c !== name && /\b(?:company|org|organi[sz]ation|affiliation|employer|institution)\b/i.test(h)) : -1;
  return { name, org, presence, yesUsed };
}

function tableEntry(cells: string[], shape: TableShape): Entry | null {
  const raw = (cells[shape.name] ?? '').trim();
  if (!raw) return null;
  let kind: Kind | 'skip' = 'present';
  if (shape.presence >= 0) {
    const v = (cells[shape.presence] ?? '').replace(/[*_`]/g, '').trim();
    if (isPresentCell(v) || (!shape.yesUsed && isXCell(v))) kind = 'present';
    else if (ABSENT_MARK_SET.has(v.toLowerCase())) kind = 'absent';
    else kind = 'skip';
  }
  if (kind === 'skip') return null;
  const found = parseEntries(raw, kind, true);
  if (found.length !== 1) return null;
  const org = shape.org >= 0 ? (cells[shape.org] ?? '').trim() : '';
  if (org) found[0].org ??= org;
  return found[0];
}

/** The innermost `<tr>` rows of an HTML table, as cell texts; `header` when the row holds only `<th>` cells. */
function htmlRows(html: string): { cells: string[]; header: boolean }[] {
  const rows: { cells: string[]; header: boolean }[] = [];
  const rowRe = /<tr\b[^>]*>((?:(?!<tr\b)[\s\S])*?)<\/tr>/gi;
  for (let m = rowRe.exec(html); m; m = rowRe.exec(html)) {
    const cells: string[] = [];
    const cellRe = /<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/gi;
    for (let c = cellRe.exec(m[1]); c; c = cellRe.exec(m[1])) {
      cells.push(c[1].replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim());
    }
    if (cells.length) rows.push({ cells, header: !/<td\b/i.test(m[1]) });
  }
  return rows;
}

/** The attendance kind of a label such as "Attendees", "**Regrets:**", "TOC Attendees:". */
function labelKind(text: string, alone: boolean): Kind | null {
  const t = cleanLabel(text);
  const a = ABSENT_LABEL.exec(t);
  if (a && (!alone || !(a[1] ?? a[2]))) return 'absent';
  const p = PRESENT_LABEL.exec(t);
  if (p && (!alone || !(p[1] ?? p[2]))) return 'present';
  return null;
}

function cleanLabel(text: string): string {
  return text.replace(/^[*_\s]+/, '').replace(/\*\*/g, '').trim();
}

/** A list item under a label item ("TOC Attendees:", "Record attendance in minutes", "Regrets"). */
function parentKind(b: Block): Kind | null {
  for (const label of [b.parentText, b.listLabel]) {
    if (!label) continue;
    const lastLine = label.split('\n').pop() ?? '';
    const k = labelEnding(lastLine) ?? (lastLine.length <= 80 ? labelKind(lastLine, true) : null);
    if (k) return k;
    if (label === b.parentText && label.length <= 80 && ATTENDANCE_PARENT.test(label)) return 'present';
  }
  return null;
}

/** "... sign in below so we know who was here. Roll call:" */
const PRESENT_ENDING = new RegExp(`${PRESENT_WORDS}\\s*:\\s*$`, 'i');
const ABSENT_ENDING = new RegExp(`${ABSENT_WORDS}\\s*:\\s*$`, 'i');

function labelEnding(text: string): Kind | null {
  if (!text.includes(':')) return null;
  if (PRESENT_ENDING.test(text)) return 'present';
  return ABSENT_ENDING.test(text) ? 'absent' : null;
}

/**
 * Lines that carry their own label: "**Present:** a, b", "Regrets: c", "Chair: d",
 * "Present" + names on the next lines, "Minutes by Christopher Clark."
 */
function readLabelled(b: Block, index: number): Entry[] | null {
  // Nearly every block is not a label: one cheap look at its first lines before the full patterns.
  // The first line, or the one after a leading "Meeting link: https://..." line.
  const first = b.lines[0]?.text.slice(0, 80) ?? '';
  if (!LABEL_HINT.test(first) && !(b.lines.length > 1 && /:/.test(first) && LABEL_HINT.test(b.lines[1].text.slice(0, 80)))) return null;
  let out: Entry[] | null = null;
  let mode: { kind: Kind; role: string | null } | null = null;
  // "Sessions Host: A. Scribing: B & C.": each labelled sentence is read as its own line.
  const texts = b.lines.flatMap((l) => cleanLabel(l.text).split(/(?<=[.;])\s+(?=\p{Lu}[\p{L} ]{1,30}:)/u));
  for (const t of texts) {
    const abs = ABSENT_LABEL.exec(t);
    const pres = abs ? null : PRESENT_LABEL.exec(t);
    const members = abs || pres ? null : MEMBERS_LABEL.exec(t);
    let roleM = abs || pres || members || index > 80 ? null : ROLE_LABEL.exec(t);
    // Without a colon the name must be capitalised ("Chair Jane Doe"); the `iu` flags make
    // \p{Lu} match any letter, so "Co-chair transition" is checked here.
    if (roleM && !/^[^:]*:/.test(t) && !/^\p{Lu}/u.test(roleM[1])) roleM = null;
    const roleAlone = abs || pres || members || roleM || index > 80 ? null : ROLE_ALONE.exec(t);
    if (abs || pres || members) {
      const group = /^(observer|guest)s?\b/i.exec(t);
      mode = { kind: abs ? 'absent' : 'present', role: group ? group[1].toLowerCase() : null };
      out ??= [];
      const value = members ? members[1] : ((abs ?? pres)![1] ?? (abs ?? pres)![2] ?? '');
      if (/^\d+\s*$/.test(value)) continue; // "Participants: 31"
      const r = mode.role;
      const found = parseEntries(value, mode.kind).map((e) => ({ ...e, role: e.role ?? r }));
      out.push(...found);
      // "Attendees: assuming active developers. Sign up is required.": prose, and the lines
      // after it are not a list of names either.
      if (value.trim() && !found.length) mode = null;
    } else if (roleM) {
      // "Note Taker: Josh Berkus/ Jason DeTiberus", "paris / tsc": two scribes, not a name and
      // an institution; "Thank you Paris" thanks the scribe.
      const value = roleM[1]
        .replace(/\.\s+.*$/, '')
        .replace(/^(?:thanks?(?:\s+you)?|thx)(?:\s+to)?[\s,!]+/i, '')
        .replace(/\s*\/\s*(?=[\p{L}[])/gu, (m, at: number, all: string) => (/https?:|\]\(/.test(all) ? m : ', '))
        .trim();
      const r = roleName(t);
      const found = roleEntries(value).map((e) => ({ ...e, role: e.role ?? r }));
      if (!found.length) {
        if (!out) return null;
        continue;
      }
      out ??= [];
      out.push(...found);
      mode = null;
    } else if (roleAlone && texts.length > 1) {
      mode = { kind: 'present', role: roleName(t) };
      out ??= [];
    } else if (mode && out && !DETAIL_LABEL.test(t)) {
      out.push(...parseEntries(t, mode.kind).map((e) => ({ ...e, role: e.role ?? mode!.role })));
    } else if (!out && /^[\p{L}][\p{L} ]{0,30}:/u.test(t) && (DETAIL_LABEL.test(t) || /https?:/.test(t))) {
      continue; // "**Meeting Link**: ..." above "**Attendees**: ...": another detail of the meeting
    } else return out;
  }
  return out;
}

/**
 * The value of a role line: "Jane Doe", "Jane Doe & Bob Stone", "Jane Doe, ACME" (a name and
 * her organisation: the organisation is not a person), "Jane Doe (ACME)".
 */
function roleEntries(value: string): Entry[] {
  const parts = splitOutsideParens(value, ',');
  if (parts.length === 2 && parts[0].split(' ').length >= 2 && !/\s(?:and|&)\s/.test(parts[0]) && looksLikeOrg(parts[1])) {
    const e = entryFrom(parts[0], 'present');
    if (!e) return [];
    e.org ??= parts[1].replace(/^\((.*)\)$/, '$1');
    return [e];
  }
  return parseEntries(value, 'present');
}

/** An organisation rather than a second person: one word, capitals ("IBM"), or an organisation word. */
function looksLikeOrg(s: string): boolean {
  const t = s.trim();
  return !t.includes(' ') || /^[\p{Lu}\d&.\- ]+$/u.test(t) || ORG_WORDS.test(t);
}

function roleName(label: string): string {
  const l = label.toLowerCase();
  if (/^(minutes|notes|minute|note)/.test(l) || l.startsWith('scribe')) return 'scribe';
  if (/^co-?chair/.test(l)) return 'co-chair';
  if (l.startsWith('chair')) return 'chair';
  if (l.startsWith('facilitator')) return 'facilitator';
  if (l.startsWith('moderator')) return 'moderator';
  if (/^(?:sessions?\s+|meeting\s+)?host/.test(l)) return 'host';
  return 'scribe';
}

/**
 * One attendance line -> entries. Handles `Name, Name; Org`, `Name (Org)`, `Name (@handle,
 * Org)`, `Name @handle (TSC)`, `Name / Institution / @handle`, `Name - Org`, `Name (chair)`,
 * `Name [CHAIR] - present`, comma lists, `Jim Rauscher and R2` (R2: an organisation),
 * `Ben_Francis`, MeetBot `nick (42)`; template rows give nothing.
 */
export function parseEntries(line: string, kind: Kind, onePerLine = false): Entry[] {
  let t = line
    .replace(/&lt;[^&]*&gt;/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\S+@\S+\.\w+/g, (m) => (m.startsWith('@') ? m : ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-*+•]\s+/, '')
    .replace(/^\[[ xX]\]\s*/, '')
    .replace(/\s*\[\s*\]\s*/g, ' ') // "Josh Berkus []": an empty slot of the template
    .trim();
  if (!t || t.length > 400 || /https?:/.test(t)) return [];
  if (isTemplate(t) || /^[^:]*:$/.test(t)) return [];
  // "Council: Mara, Eric Huss" / "Observers: TC, Urgau" inside an attendance list.
  let role: string | null = null;
  if (/^\[[^\]]+\]$/.test(t)) t = t.slice(1, -1); // "Note Taker: [Jeffrey Sica]"
  const group = /^([\p{L} ]{2,30}):\s+(.+)$/u.exec(t);
  if (group) {
    if (/^(observers?|guests?)\b/i.test(group[1])) role = group[1].toLowerCase().replace(/s$/, '');
    t = group[2];
  }

  let status: Kind | 'unknown' = kind;
  const st = /\s*[-–—]\s*(present|not present|absent|invisible attendee|regrets|apologies)?\s*$/i.exec(t);
  if (st && (st[1] || /[-–—]\s*$/.test(t))) {
    const word = (st[1] ?? '').toLowerCase();
    status = !word ? 'unknown' : word === 'present' || word === 'invisible attendee' ? kind : 'absent';
    t = t.slice(0, st.index).trim();
  }
  t = t.replace(/\s*\[([^\]]+)\]\s*/g, (_m, inner: string) => {
    if (PAREN_ROLE.test(inner)) role = normRole(inner);
    return ' ';
  }).trim();

  let org: string | null = null;
  const semi = t.lastIndexOf(';');
  if (semi >= 0) {
    org = t.slice(semi + 1).trim() || null;
    t = t.slice(0, semi).trim();
  }
  const firstParts = onePerLine ? splitOutsideParens(t, ',') : [];
  if (firstParts.length === 2 && firstParts[0].split(' ').length >= 2 && !/\s(?:and|&)\s/.test(firstParts[0]) && !/\s[-–—]\s/.test(t) && !/[-–—]\s/.test(firstParts[1]) && !firstParts[1].includes('(')) {
    // A list item holds one person: "Dede Kincaid, Digital Domain" is a name and an organisation.
    const e = entryFrom(firstParts[0], status);
    if (!e) return [];
    e.org ??= firstParts[1].replace(/^\((.*)\)$/, '$1');
    e.role ??= role;
    return [e];
  }
  if (t.includes(' / ')) {
    // "Murali / Capital One/": a row whose last column was left empty ends in its separator.
    const parts = t.split(' / ').map((p) => p.trim().replace(/\s*\/+$/, '')).filter(Boolean);
    const e = entryFrom(parts[0], status);
    if (!e) return [];
    for (const p of parts.slice(1)) {
      if (/^@[\w-]+$/.test(p)) e.handle ??= p.slice(1);
      else e.org ??= p;
    }
    e.org ??= org;
    e.role ??= role;
    return [e];
  }
  // "Joe Beda- VMware" too: a dash followed by a space never joins a name.
  const dash = /\s*[-–—]\s+/.exec(t);
  if (dash && !org) {
    const left = t.slice(0, dash.index);
    const right = t.slice(dash.index + dash[0].length).replace(/^\((.*)\)$/, '$1').trim();
    // "Phillip Wittrock, Brian Grant - Google": everyone on the left is of that organisation.
    const out: Entry[] = [];
    for (const part of splitOutsideParens(left, ',')) {
      const e = entryFrom(part, status);
      if (!e) continue;
      if (right) e.org ??= right;
      e.role ??= role;
      out.push(e);
    }
    return out;
  }
  const out: Entry[] = [];
  const commaParts = splitOutsideParens(t, ',');
  // "Joe, Tim (VMware)": a trailing organisation in parentheses covers the whole list.
  const trailing = commaParts.length > 1 && commaParts.slice(0, -1).every((p) => !p.includes('(')) ? /\(([^()]+)\)\s*$/.exec(commaParts[commaParts.length - 1]) : null;
  const listOrg = trailing && /^[\p{Lu}\d]/u.test(trailing[1]) && !PAREN_ROLE.test(trailing[1]) && !trailing[1].startsWith('@') ? trailing[1].trim() : null;
  for (const part of commaParts) {
    const ands = part.split(/\s+(?:and|&)\s+/);
    let partOrg = org;
    if (ands.length > 1 && !looksLikePerson(ands[ands.length - 1])) partOrg ??= ands.pop()!.trim();
    for (const a of ands) {
      const e = entryFrom(a, status);
      if (!e) continue;
      e.org ??= partOrg ?? listOrg;
      e.role ??= role;
      out.push(e);
    }
  }
  return out;
}

function isTemplate(t: string): boolean {
  const words = foldName(t).split(' ').filter(Boolean);
  return words.length > 0 && words.every((w) => TEMPLATE_WORDS.has(w));
}

function looksLikePerson(s: string): boolean {
  const t = s.trim();
  return !/\d/.test(t) && !/^[\p{Lu}]{2,}$/u.test(t) && /^[@\p{L}]/u.test(t);
}

function splitOutsideParens(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** "CHAIR" -> "chair"; group markers ("TSC") and compound roles ("observer/NF") stay as written. */
function normRole(r: string): string {
  const t = r.trim();
  if (/^(?:chair|co-?chair|vice[- ]chair|scribe|note[- ]?taker|facilitator|moderator|host|guest|observer|lead|emeritus|invited expert|staff|secretary|maintainer|member|liaison|board)$/i.test(t)) return t.toLowerCase();
  return t;
}

/** One name with its parentheses and handles -> an entry, or null when it is not a name. */
function entryFrom(raw: string, given: Kind | 'unknown'): Entry | null {
  let kind = given;
  let t = raw.trim();
  let org: string | null = null;
  let handle: string | null = null;
  let role: string | null = null;
  // "Eclipse Project PMC (Dani Megert)", "IBM (Thomas Watson)": an organisation's seat with the
  // person holding it in parentheses.
  const seat = t.endsWith(')') ? /^([^()]+?)\s*\((\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’.-]*){1,3})\)$/u.exec(t) : null;
  if (seat && (ORG_WORDS.test(seat[1]) || /^[\p{Lu}\d&.\- ]+$/u.test(seat[1].trim())) && !ORG_WORDS.test(seat[2])) {
    t = seat[2];
    org = seat[1].trim();
  }
  t = t.replace(/\(([^()]*)\)/g, (_m, inner: string) => {
    for (const piece of inner.split(',').map((x) => x.trim()).filter(Boolean)) {
      if (/^\d+$/.test(piece)) continue; // MeetBot "(lines said)"
      if (/^(?:deactivated|present)$/i.test(piece)) continue;
      if (/^(?:absent|not present|regrets?|apologies|excused)$/i.test(piece)) {
        kind = 'absent';
        continue;
      }
      if (/^@[\w.-]+$/.test(piece)) handle ??= piece.slice(1);
      else if (PAREN_ROLE.test(piece)) role ??= normRole(piece);
      else if (/^[a-z0-9_.-]+$/.test(piece)) handle ??= piece; // "(axic)": a nick
      else if (/^\p{Ll}/u.test(piece)) continue; // "(on separate notepad)": a remark
      else org ??= piece;
    }
    return ' ';
  });
  const at = /^([\p{L}][\p{L}'’. -]*?)\s+@\s+([\p{L}][\w .&-]*)$/u.exec(t.trim());
  if (at) {
    t = at[1]; // "Rai @ consensys": a person at an organisation
    org ??= at[2];
  }
  const mention = /^@(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)+)$/u.exec(t.trim());
  if (mention) t = mention[1]; // Confluence "@John Carpenter" is a name, not a handle
  const handles = t.match(/(?:^|\s)@[\w.-]+/g);
  if (handles) {
    const words = t.replace(/(?:^|\s)@[\w.-]+/g, ' ').trim();
    if (words) {
      handle ??= handles[0].trim().slice(1);
      t = words;
    } else if (handles.length === 1) {
      t = handles[0].trim().slice(1);
      handle ??= t;
    }
  }
  t = t
    .replace(/^@(?=\p{Lu})/u, '') // Confluence mention "@John Carpenter"
    .replace(/[*_`~]+/g, (m, at: number, all: string) => (m === '_' && /\w_\w/.test(all) && !/\p{Lu}/u.test(all) ? m : m.includes('_') && /\w_\w/.test(all) ? ' ' : ''))
    .replace(/(?<=\p{L})_(?=\p{L})/gu, (m, at: number, all: string) => (/\p{Lu}/u.test(all) ? ' ' : m)) // "Ben_Francis", but the nick "bob_smith" stays
    .replace(/^[\s:;,.-]+|[\s:;,.+-]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!isName(t)) return null;
  return { name: t, org, handle, role, kind };
}

function isName(t: string): boolean {
  if (t.length < 2 || t.length > 50) return false;
  if (!/^[\p{L}]/u.test(t) || /[:?!=<>{}|#]/.test(t) || /\d{2,}/.test(t)) return false;
  const words = t.split(' ');
  if (words.length > 5) return false;
  if (NOT_NAMES.has(foldName(t))) return false;
  if (/^[a-z]*bot$/i.test(t)) return false; // MeetBot/zodbot count their own lines
  if (isTemplate(t)) return false;
  // Sentences are not names: more than one lower-case word that is not a particle.
  const lower = words.filter((w) => /^\p{Ll}/u.test(w) && !/^(van|von|de|der|den|da|di|du|la|le|bin|al|del|dos|das)$/.test(w));
  if (words.length > 1 && lower.length > 1) return false;
  // "Code of Conduct": a phrase with a little word is not a name.
  if (words.length > 1 && words.some((w) => FUNCTION_WORD.test(w))) return false;
  return true;
}

/** One entry per person (folded name): present wins over absent; first org/handle/role kept. */
function merge(entries: Entry[]): AttendeeResult {
  const present = new Map<string, ParsedAttendee>();
  const absent = new Map<string, ParsedAbsentee>();
  for (const e of entries) {
    if (e.kind !== 'present') continue;
    const key = foldName(e.name);
    const had = present.get(key);
    if (had) {
      had.org ??= e.org;
      had.handle ??= e.handle;
      had.role ??= e.role;
    } else present.set(key, { name: e.name, org: e.org, handle: e.handle, role: e.role });
  }
  // "Scribe: Koster" and "Michael Koster" in the list, "Saiyam" in the list and "Host: Saiyam
  // Pathak": a one-word entry that is the first or last name of exactly one other entry is
  // that person.
  const keys = [...present.keys()];
  for (const key of keys) {
    if (key.includes(' ')) continue;
    const whole = keys.filter((k) => k !== key && present.has(k) && k.includes(' ') && (k.startsWith(key + ' ') || k.endsWith(' ' + key)));
    if (whole.length !== 1) continue;
    const short = present.get(key)!;
    const full = present.get(whole[0])!;
    full.org ??= short.org;
    full.handle ??= short.handle;
    full.role ??= short.role;
    present.delete(key);
  }
  for (const e of entries) {
    if (e.kind !== 'absent') continue;
    const key = foldName(e.name);
    if (!present.has(key) && !absent.has(key)) absent.set(key, { name: e.name });
  }
  return { attendees: [...present.values()], absent: [...absent.values()] };
}
