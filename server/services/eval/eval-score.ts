/**
 * Pure scoring of one ParsedMinutes against one gold file (the format of
 * `../shared/dev-set/README.md`). No I/O: `eval-service.ts` reads folders and aggregates.
 *
 * Matching rules:
 * - An extracted item matches a gold item when its `text` contains the gold `contains`
 *   case-insensitively, ignoring accents, punctuation and whitespace (both sides are reduced to
 *   their letters and digits before the test).
 * - One-to-one greedy matching, in this order: required explicit gold items, required
 *   implicit ones, then optional ones; each takes the first unused extracted item (for actions,
 *   the first with the same owners when there is one). `implicit` gold items may instead take a
 *   suggestion of the same kind (extracted items are tried first).
 * - `optional` gold items never count as misses; an extracted item that matches any optional
 *   gold item (used or not) is neither a true nor a false positive.
 * - `allow_duplicate`: further extracted items matching such a gold item count once (they are
 *   neither true nor false positives).
 * - Attendees are compared by `foldName`, without a handle's leading "@". A parsed name matches
 *   a gold name when the folded names are equal; in a second pass, a parsed one-word name (a first name or nick) also
 *   matches the one remaining gold name whose first word it is, when exactly one does. A
 *   one-word name the gold lists as written (a nick, a first name) matches by the first rule.
 * - Owners (for matched actions that have a gold `owners`): equal as sets of folded names
 *   (without a handle's "@", as for attendees).
 * - Due: every gold action with `due`/`due_range` that is required, or optional and matched,
 *   counts; it is right when the matched action's (or suggestion's) `due` is that date or
 *   within the range. Done: likewise for gold actions with `done`; a matched
 *   suggestion counts as not done.
 */
export interface GoldItem {
  contains: string;
  owners?: string[];
  optional?: boolean;
  implicit?: boolean;
  allow_duplicate?: boolean;
  due?: string;
  due_range?: [string, string];
  done?: boolean;
}

export interface GoldFile {
  date: string | null;
  attendees: string[];
  decisions: GoldItem[];
  actions: GoldItem[];
}

/** The parts of ParsedMinutes the scorer reads (structurally compatible with it). */
export interface ScoredMinutes {
  date: string | null;
  attendees: { name: string }[];
  decisions: { text: string; line: number }[];
  actions: { text: string; line: number; owners: string[]; due: string | null; done: boolean }[];
  suggestions: { kind: 'action' | 'decision'; text: string; line: number; owners: string[]; due?: string }[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Share {
  right: number;
  total: number;
}

export type Category = 'actions' | 'decisions' | 'attendees';

export interface Finding {
  category: Category | 'owners' | 'due' | 'done' | 'date';
  kind: 'miss' | 'extra' | 'wrong';
  /** 1-based line of the extracted item, when there is one. */
  line: number | null;
  text: string;
}

export interface FileScore {
  actions: Counts;
  decisions: Counts;
  attendees: Counts;
  owners: Share;
  due: Share;
  done: Share;
  date: Share;
  findings: Finding[];
}

/** Letters and digits only, lower-case, without accents: the form `contains` is tested in. */
export function squash(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

interface Candidate {
  text: string;
  squashed: string;
  line: number;
  owners: string[];
  due: string | null;
  done: boolean;
  suggestion: boolean;
}

const emptyCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

/** A folded name without a handle's "@": "@kjin" and "kjin" are one person. */
const personKey = (fold: (s: string) => string, n: string): string => fold(n).replace(/(^|\s)@/g, '$1');

const sameOwners = (fold: (s: string) => string, a: string[], b: string[]): boolean => {
  const x = [...new Set(a.map((n) => personKey(fold, n)))].sort();
  const y = [...new Set(b.map((n) => personKey(fold, n)))].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

const clip = (s: string, n = 100): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
};

function inDue(item: GoldItem, due: string | null): boolean {
  if (!due) return false;
  if (item.due !== undefined) return due === item.due;
  if (item.due_range) return due >= item.due_range[0] && due <= item.due_range[1];
  return true;
}

function scoreItems(
  kind: 'action' | 'decision',
  gold: GoldItem[],
  parsed: ScoredMinutes,
  fold: (s: string) => string,
  out: FileScore,
): void {
  const category: Category = kind === 'action' ? 'actions' : 'decisions';
  const counts = out[category];
  const extracted: Candidate[] =
    kind === 'action'
      ? parsed.actions.map((a) => ({ text: a.text, squashed: squash(a.text), line: a.line, owners: a.owners, due: a.due, done: a.done, suggestion: false }))
      : parsed.decisions.map((d) => ({ text: d.text, squashed: squash(d.text), line: d.line, owners: [], due: null, done: false, suggestion: false }));
  const suggested: Candidate[] = parsed.suggestions
    .filter((s) => s.kind === kind)
    .map((s) => ({ text: s.text, squashed: squash(s.text), line: s.line, owners: s.owners, due: s.due ?? null, done: false, suggestion: true }));
  const keys = gold.map((g) => squash(g.contains));
  const usedExtracted = new Set<number>();
  const usedSuggested = new Set<number>();
  const matchOf = new Map<number, Candidate>();

  const pick = (pool: Candidate[], used: Set<number>, g: GoldItem, key: string): number => {
    let first = -1;
    for (let i = 0; i < pool.length; i++) {
      if (used.has(i) || !pool[i].squashed.includes(key)) continue;
      if (kind !== 'action' || !g.owners || sameOwners(fold, g.owners, pool[i].owners)) return i;
      if (first < 0) first = i;
    }
    return first;
  };

  const order = gold
    .map((g, i) => ({ g, i, rank: g.optional ? 2 : g.implicit ? 1 : 0 }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { g, i } of order) {
    const key = keys[i];
    if (!key) continue;
    const e = pick(extracted, usedExtracted, g, key);
    if (e >= 0) {
      usedExtracted.add(e);
      matchOf.set(i, extracted[e]);
      continue;
    }
    if (!g.implicit) continue;
    const s = pick(suggested, usedSuggested, g, key);
    if (s >= 0) {
      usedSuggested.add(s);
      matchOf.set(i, suggested[s]);
    }
  }

  gold.forEach((g, i) => {
    const m = matchOf.get(i);
    if (!g.optional) {
      if (m) counts.tp++;
      else {
        counts.fn++;
        out.findings.push({ category, kind: 'miss', line: null, text: `${g.implicit ? '(implicit) ' : ''}"${g.contains}"${g.owners ? ` [${g.owners.join(', ')}]` : ''}` });
      }
    }
    if (kind !== 'action' || !m) {
      if (kind === 'action' && !g.optional && (g.due !== undefined || g.due_range)) {
        out.due.total++;
        out.findings.push({ category: 'due', kind: 'wrong', line: null, text: `"${g.contains}": expected ${g.due ?? g.due_range!.join('..')}, action not found` });
      }
      if (kind === 'action' && !g.optional && g.done !== undefined) {
        out.done.total++;
        out.findings.push({ category: 'done', kind: 'wrong', line: null, text: `"${g.contains}": expected done=${g.done}, action not found` });
      }
      return;
    }
    if (g.owners && !g.optional) {
      out.owners.total++;
      if (sameOwners(fold, g.owners, m.owners)) out.owners.right++;
      else out.findings.push({ category: 'owners', kind: 'wrong', line: m.line, text: `"${g.contains}": expected [${g.owners.join(', ')}], got [${m.owners.join(', ')}]` });
    }
    if (g.due !== undefined || g.due_range) {
      out.due.total++;
      if (inDue(g, m.due)) out.due.right++;
      else out.findings.push({ category: 'due', kind: 'wrong', line: m.line, text: `"${g.contains}": expected ${g.due ?? g.due_range!.join('..')}, got ${m.due ?? 'none'}${m.suggestion ? ' (a suggestion)' : ''}` });
    }
    if (g.done !== undefined) {
      out.done.total++;
      if (m.done === g.done) out.done.right++;
      else out.findings.push({ category: 'done', kind: 'wrong', line: m.line, text: `"${g.contains}": expected done=${g.done}, got ${m.done}` });
    }
  });

  const absorbing = gold.map((g, i) => ({ g, key: keys[i], matched: matchOf.has(i) })).filter((x) => x.key && (x.g.optional || (x.g.allow_duplicate && x.matched)));
  extracted.forEach((c, i) => {
    if (usedExtracted.has(i)) return;
    if (absorbing.some((x) => c.squashed.includes(x.key))) return;
    counts.fp++;
    out.findings.push({ category, kind: 'extra', line: c.line, text: clip(c.text) });
  });
}

function scoreAttendees(gold: string[], parsed: ScoredMinutes, fold: (s: string) => string, out: FileScore): void {
  const key = (n: string): string => personKey(fold, n);
  const g = gold.map((n) => ({ name: n, folded: key(n), used: false }));
  const p = parsed.attendees.map((a) => ({ name: a.name, folded: key(a.name), used: false }));
  for (const x of p) {
    const y = g.find((k) => !k.used && k.folded === x.folded);
    if (y) {
      x.used = true;
      y.used = true;
    }
  }
  for (const x of p) {
    if (x.used || !x.folded || x.folded.includes(' ')) continue;
    const ys = g.filter((k) => !k.used && k.folded.split(' ')[0] === x.folded);
    if (ys.length === 1) {
      x.used = true;
      ys[0].used = true;
    }
  }
  for (const y of g) {
    if (y.used) out.attendees.tp++;
    else {
      out.attendees.fn++;
      out.findings.push({ category: 'attendees', kind: 'miss', line: null, text: y.name });
    }
  }
  for (const x of p) {
    if (x.used) continue;
    out.attendees.fp++;
    out.findings.push({ category: 'attendees', kind: 'extra', line: null, text: x.name });
  }
}

/** Scores one file. `fold` is the parser's `foldName` (passed in so this module stays free of it). */
export function scoreFile(parsed: ScoredMinutes, gold: GoldFile, fold: (s: string) => string): FileScore {
  const out: FileScore = {
    actions: emptyCounts(),
    decisions: emptyCounts(),
    attendees: emptyCounts(),
    owners: { right: 0, total: 0 },
    due: { right: 0, total: 0 },
    done: { right: 0, total: 0 },
    date: { right: parsed.date === (gold.date ?? null) ? 1 : 0, total: 1 },
    findings: [],
  };
  if (!out.date.right) out.findings.push({ category: 'date', kind: 'wrong', line: null, text: `expected ${gold.date ?? 'none'}, got ${parsed.date ?? 'none'}` });
  scoreAttendees(gold.attendees ?? [], parsed, fold, out);
  scoreItems('decision', gold.decisions ?? [], parsed, fold, out);
  scoreItems('action', gold.actions ?? [], parsed, fold, out);
  return out;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of summed counts; an empty category (nothing to find, nothing found) scores 1. */
export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export const shareOf = (s: Share): number => (s.total === 0 ? 1 : s.right / s.total);

export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

export function addShare(a: Share, b: Share): Share {
  return { right: a.right + b.right, total: a.total + b.total };
}
