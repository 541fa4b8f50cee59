/**
 * The editable upload preview (templates/pages/upload-preview.eta): reading its fields into
 * `Corrections`, laying the extracted items out as rows with the note-taker's edits on top, and
 * saying what a save changed in words. Pure: no services, no request.
 *
 * Fields, `N` a row index (rows are named by their line and extracted text, never by `N`):
 * - actions `a.N.line`, `a.N.was` (extracted text), `a.N.owners0` (extracted owners, JSON),
 *   `a.N.due0` (extracted due date), `a.N.from` (`suggestion` for a promoted suggestion's row);
 *   edited `a.N.owners` (comma-separated), `a.N.due`, `a.N.text`, `a.N.op` (`keep` | `drop`);
 * - decisions `d.N.line`, `d.N.was`, `d.N.op` (`keep` | `drop`);
 * - suggestions `s.N.line`, `s.N.was`, `s.N.op` (`keep` | `drop` | `promote`).
 */
import { isCalendarDay, ISO_DAY } from '../../domain/dates.js';
import { foldName } from '../../domain/names.js';
import type { ActionCorrection, Corrections, DecisionCorrection, SuggestionCorrection } from '../services/meetings/import-overrides.js';
import { plural } from '../../domain/wording.js';

/** One action of the preview: as extracted, and as the note-taker left it. */
export interface ActionEdit {
  line: number;
  /** The text the parser extracted (the correction's `was`). */
  was: string;
  owners0: string[];
  due0: string | null;
  owners: string[];
  due: string | null;
  text: string;
  drop: boolean;
  /** A promoted action suggestion's row: it exists only while the suggestion is promoted. */
  fromSuggestion: boolean;
  /** What is wrong with this row's input (shown next to the field; nothing is saved). */
  problem?: { field: 'due' | 'text' | 'owners'; message: string };
}

export interface ItemEdit<Op extends string> {
  line: number;
  was: string;
  op: Op;
}

export interface PreviewEdits {
  actions: ActionEdit[];
  decisions: ItemEdit<'keep' | 'drop'>[];
  suggestions: ItemEdit<'keep' | 'drop' | 'promote'>[];
}

const MAX_ROWS = 2000;
const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[v.length - 1] === 'string' ? (v[v.length - 1] as string) : '');
const lineOf = (v: unknown) => {
  const n = Number(str(v));
  return Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : null;
};

/** Owners as typed: comma- or semicolon-separated names, blanks left out. */
export const splitOwners = (v: string): string[] =>
  v
    .split(/[,;]/)
    .map((x) => x.trim().replace(/\s+/g, ' ').slice(0, 200))
    .filter(Boolean)
    .slice(0, 20);

function ownersJson(v: string): string[] {
  try {
    const x: unknown = JSON.parse(v);
    return Array.isArray(x) ? x.filter((n): n is string => typeof n === 'string').slice(0, 20) : [];
  } catch {
    return [];
  }
}

/** Same item text, case, spacing and accents set aside (as `applyCorrections` compares `was`). */
export const sameText = (a: string, b: string) => foldName(a) === foldName(b);

/** Reads the preview form's rows (see the fields above); malformed rows are skipped. */
export function readPreviewEdits(body: Record<string, unknown>): PreviewEdits {
  const indexes = (prefix: string) =>
    [...new Set(Object.keys(body).map((k) => new RegExp(`^${prefix}\\.(\\d{1,4})\\.line$`).exec(k)?.[1]).filter((x): x is string => !!x))].slice(0, MAX_ROWS);
  const actions: ActionEdit[] = [];
  for (const i of indexes('a')) {
    const f = (k: string) => body[`a.${i}.${k}`];
    const line = lineOf(f('line'));
    if (line === null) continue;
    const was = str(f('was')).slice(0, 2000);
    const due0 = ISO_DAY.test(str(f('due0'))) ? str(f('due0')) : null;
    const row: ActionEdit = {
      line,
      was,
      owners0: ownersJson(str(f('owners0'))),
      due0,
      owners: splitOwners(str(f('owners'))),
      due: due0,
      text: str(f('text')).trim().replace(/\s+/g, ' '),
      drop: str(f('op')) === 'drop',
      fromSuggestion: str(f('from')) === 'suggestion',
    };
    const due = str(f('due')).trim();
    if (due === '') row.due = null;
    else if (ISO_DAY.test(due) && isCalendarDay(due)) row.due = due;
    else row.problem = { field: 'due', message: `Due date: "${due.slice(0, 40)}" is not a day of the calendar (YYYY-MM-DD).` };
    if (!row.drop && !row.problem) {
      if (row.text === '') row.problem = { field: 'text', message: 'The action text is empty: write what is to be done, or choose Drop.' };
      else if (row.text.length > 1000) row.problem = { field: 'text', message: 'The action text is too long (at most 1,000 characters).' };
    }
    if (row.text === '' || row.text.length > 1000) row.text = row.problem ? row.text.slice(0, 1000) : was;
    actions.push(row);
  }
  const items = <Op extends string>(prefix: string, ops: readonly Op[]): ItemEdit<Op>[] => {
    const out: ItemEdit<Op>[] = [];
    for (const i of indexes(prefix)) {
      const line = lineOf(body[`${prefix}.${i}.line`]);
      const op = str(body[`${prefix}.${i}.op`]) as Op;
      if (line === null) continue;
      out.push({ line, was: str(body[`${prefix}.${i}.was`]).slice(0, 2000), op: ops.includes(op) ? op : ops[0] });
    }
    return out;
  };
  return { actions, decisions: items('d', ['keep', 'drop'] as const), suggestions: items('s', ['keep', 'drop', 'promote'] as const) };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => sameText(x, b[i]));

/**
 * The corrections of the edits: only what differs from what was extracted, each with `was`.
 * A field with a problem is left out (the preview shows it refused; a save is refused before
 * this); a promoted suggestion's row counts only while the suggestion is promoted.
 */
export function correctionsOf(edits: PreviewEdits): Corrections {
  const promoted = new Set(edits.suggestions.filter((s) => s.op === 'promote').map((s) => s.line));
  const actions: ActionCorrection[] = [];
  for (const e of edits.actions) {
    if (e.fromSuggestion && !promoted.has(e.line)) continue;
    const c: ActionCorrection = { line: e.line, was: e.was };
    if (e.drop) c.drop = true;
    else {
      // A field with a problem is left as extracted; the row's other edits still count.
      if (!sameList(e.owners, e.owners0)) c.owners = e.owners;
      if (e.due !== e.due0 && e.problem?.field !== 'due') c.due = e.due;
      if (e.text !== e.was.trim().replace(/\s+/g, ' ') && e.problem?.field !== 'text') c.text = e.text;
    }
    if (Object.keys(c).length > 2) actions.push(c);
  }
  const decisions: DecisionCorrection[] = edits.decisions.filter((d) => d.op === 'drop').map((d) => ({ line: d.line, was: d.was, drop: true }));
  const suggestions: SuggestionCorrection[] = edits.suggestions.filter((s) => s.op !== 'keep').map((s) => ({ line: s.line, was: s.was, op: s.op as 'promote' | 'drop' }));
  const out: Corrections = {};
  if (actions.length) out.actions = actions;
  if (decisions.length) out.decisions = decisions;
  if (suggestions.length) out.suggestions = suggestions;
  return out;
}

/** What the preview's rows are built from: a dry run without the form's corrections. */
export interface Extracted {
  actions: { text: string; line: number; due: string | null; owners: { name: string }[] }[];
  decisions: { text: string; line: number }[];
  suggestions: { kind: 'action' | 'decision'; text: string; line: number; owners: string[]; due?: string }[];
}

/**
 * The rows of the preview: each extracted item with the edit the form made to it (matched by
 * line and extracted text), plus a row for each promoted action suggestion. `stale` counts the
 * edits that matched nothing (the minutes text was changed since): they are left out.
 */
export function previewRows(extracted: Extracted, edits: PreviewEdits): PreviewEdits & { stale: number } {
  let used = 0;
  const find = <T extends { line: number; was: string }>(list: T[], line: number, text: string, extra: (x: T) => boolean = () => true) => {
    const hit = list.find((x) => x.line === line && sameText(x.was, text) && extra(x));
    if (hit) used++;
    return hit;
  };
  // A suggestion accepted before (review queue, an earlier save) is already an action or a
  // decision of the dry run: it is that item's row, not a choice again.
  const stored = (s: { line: number; text: string }) => [...extracted.actions, ...extracted.decisions].some((x) => x.line === s.line && sameText(x.text, s.text));
  const suggestions = extracted.suggestions
    .filter((s) => !stored(s))
    .map((s) => ({ line: s.line, was: s.text, op: find(edits.suggestions, s.line, s.text)?.op ?? ('keep' as const) }));
  const decisions = extracted.decisions.map((d) => ({ line: d.line, was: d.text, op: find(edits.decisions, d.line, d.text)?.op ?? ('keep' as const) }));
  const row = (line: number, text: string, owners: string[], due: string | null, fromSuggestion: boolean): ActionEdit => {
    const e = find(edits.actions, line, text, (x) => x.fromSuggestion === fromSuggestion);
    const base: ActionEdit = { line, was: text, owners0: owners, due0: due, owners, due, text, drop: false, fromSuggestion };
    return e ? { ...e, was: text, owners0: owners, due0: due } : base;
  };
  const actions = extracted.actions.map((a) => row(a.line, a.text, a.owners.map((o) => o.name), a.due, false));
  for (const s of extracted.suggestions) {
    if (s.kind !== 'action' || suggestions.find((x) => x.line === s.line && x.was === s.text)?.op !== 'promote') continue;
    actions.push(row(s.line, s.text, s.owners, s.due ?? null, true));
  }
  actions.sort((a, b) => a.line - b.line);
  // Promoted rows whose suggestion is no longer promoted were not looked for: not stale.
  const promoted = new Set(suggestions.filter((s) => s.op === 'promote').map((s) => s.line));
  const expected = edits.actions.filter((e) => !e.fromSuggestion || promoted.has(e.line)).length + edits.decisions.length + edits.suggestions.length;
  return { actions, decisions, suggestions, stale: Math.max(0, expected - used) };
}

/** The import result's parts `describeChanges` reads; `corrections` arrives with the corrections model. */
export interface ChangesLike {
  status: 'new' | 'revised' | 'unchanged';
  meeting: { revision: number };
  actions: unknown[];
  decisions: unknown[];
  changes: {
    added: unknown[];
    changed: unknown[];
    removed: unknown[];
    carried: unknown[];
    closed: unknown[];
    decisionsAdded?: unknown[];
    decisionsRemoved?: unknown[];
    corrections?: { kept?: unknown[]; overridden?: unknown[] };
  };
}


/**
 * A save in words, for the flash: every part of the revision diff that is not empty (actions
 * added, changed, removed, closed, carried over; decisions added, removed; corrections kept,
 * overridden by the new text).
 */
export function describeChanges(r: ChangesLike): string {
  const c = r.changes;
  if (r.status === 'unchanged') return 'Nothing changed: this revision is already stored.';
  if (r.status === 'new') {
    return `Saved new meeting: ${plural(r.actions.length, 'action')} and ${plural(r.decisions.length, 'decision')}.`;
  }
  const acts = [
    c.added.length && `${plural(c.added.length, 'action')} added`,
    c.changed.length && `${c.changed.length} changed`,
    c.removed.length && `${c.removed.length} removed`,
    c.closed.length && `${c.closed.length} closed`,
    c.carried.length && `${c.carried.length} carried over`,
  ].filter(Boolean) as string[];
  if (acts.length && !c.added.length) acts[0] = acts[0].replace(/^(\d+) /, (_, n) => `${plural(Number(n), 'action')} `);
  const dAdded = c.decisionsAdded?.length ?? 0;
  const dRemoved = c.decisionsRemoved?.length ?? 0;
  const decs = [dAdded && `${plural(dAdded, 'decision')} added`, dRemoved && (dAdded ? `${dRemoved} removed` : `${plural(dRemoved, 'decision')} removed`)].filter(Boolean) as string[];
  const kept = c.corrections?.kept?.length ?? 0;
  const overridden = c.corrections?.overridden?.length ?? 0;
  const corr = [kept && `${plural(kept, 'earlier correction')} kept`, overridden && `${plural(overridden, 'correction')} overridden by the new text`].filter(Boolean) as string[];
  const parts = [acts.join(', '), decs.join(', '), corr.join(', ')].filter(Boolean);
  return `Saved revision ${r.meeting.revision}: ${parts.length ? parts.join('; ') : 'no action or decision changed'}.`;
}
