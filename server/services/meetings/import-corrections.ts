/**
 * The corrections side of an import: which stored corrections a revision keeps and stores
 * again, which sent ones found no item, and the diff's notes about them.
 */
import type { ParsedAction, ParsedMinutes, ParsedSuggestion } from '../../../parsers/types.js';
import { foldName } from '../../../domain/names.js';
import type { CorrectionRepository, StoredCorrectionValues } from '../../db/repositories/correction-repository.js';
import { applyCorrections, isEmptyCorrections, unmatchedCorrections, type CorrectedMinutes, type Corrections, type SuggestionCorrection, type UnmatchedCorrection } from './import-overrides.js';
import type { CorrectionNote, ImportOptions, WriteResult } from './import-result.js';
import { correctedFields, describe, storedValues, target, type planKept } from './correction-keeping.js';
import { similarity, tokens } from './action-matching.js';
import { suggestionKey } from './review-service.js';

/**
 * Stores what this import leaves of the meeting's corrections (inside its transaction): the
 * ones sent with it (merged over the kept ones of the same item), the kept ones (with their
 * action), none of the overridden or gone ones. Returns the diff's `kept` and `overridden`.
 */
export async function keepCorrections(
  repo: CorrectionRepository | null,
  w: WriteResult,
  parsed: ParsedMinutes,
  applied: CorrectedMinutes['applied'],
  plan: ReturnType<typeof planKept>,
  droppedIds: Map<number, number | null>,
  sent: Corrections | undefined,
  opts: ImportOptions,
  now: string,
): Promise<WriteResult['changes']['corrections'] & { applied: CorrectionNote[] }> {
  const notes = { kept: [...plan.notes.kept], overridden: [...plan.notes.overridden], applied: [] as CorrectionNote[] };
  const actionAt = (line: number) => (droppedIds.has(line) ? droppedIds.get(line)! : (w.actions.find((a) => a.line === line)?.id ?? null));
  for (const s of plan.forget) await repo?.remove(s.id);
  const keptByKey = new Map(plan.kept.map((k) => [`${k.stored.kind}:${k.stored.key}`, k]));
  const who = { createdBy: opts.uploadedBy ?? null, source: opts.source ?? 'cli' };
  const sentAll = [
    ...(sent?.actions ?? []).map((c) => ({ c, kind: 'action' as const })),
    ...(sent?.decisions ?? []).map((c) => ({ c, kind: 'decision' as const })),
  ];
  for (const { c, kind } of sentAll) {
    if (!applied.has(c)) continue;
    const items: { line: number; text: string }[] = kind === 'action' ? parsed.actions : parsed.decisions;
    const item = target(items, c);
    if (!item) continue;
    const key = foldName(item.text);
    const k = keptByKey.get(`${kind}:${key}`);
    keptByKey.delete(`${kind}:${key}`);
    const a = kind === 'action' ? (item as ParsedAction) : null;
    notes.applied.push(...noteFor(kind, item.text, storedValues(c, undefined)));
    if (!repo) continue;
    await repo.save(
      {
        meetingId: w.meeting.id,
        kind,
        key,
        itemText: item.text,
        extracted: a ? { owners: a.owners, due: a.due ?? null } : {},
        correction: storedValues(c, k?.values),
        actionId: kind === 'action' ? actionAt(item.line) : null,
        ...who,
      },
      now,
    );
  }
  for (const k of keptByKey.values()) {
    if (!repo) break;
    const a = k.stored.kind === 'action' ? (k.item as ParsedAction) : null;
    await repo.save(
      {
        meetingId: w.meeting.id,
        kind: k.stored.kind,
        key: k.stored.key,
        itemText: k.item.text,
        extracted: a ? { owners: a.owners, due: a.due ?? null } : {},
        correction: k.values,
        actionId: k.stored.kind === 'action' ? (actionAt(k.item.line) ?? k.stored.actionId) : null,
        createdBy: k.stored.createdBy,
        source: k.stored.source,
      },
      now,
    );
  }
  return notes;
}

/** The actions the applied corrections drop (as `parsed` gave them). */
export function droppedItems(parsed: ParsedMinutes, applied: CorrectedMinutes['applied']): ParsedAction[] {
  const out: ParsedAction[] = [];
  for (const c of applied) {
    if (!('drop' in c) || !c.drop || 'op' in c) continue;
    const x = parsed.actions.find((a) => a.line === c.line && (c.was === undefined || foldName(a.text) === foldName(c.was)) && !out.includes(a));
    if (x) out.push(x);
  }
  return out;
}

/**
 * Corrections naming no item of any meeting of a text. Suggestions a person accepted before
 * are promoted again at import, so an action correction may name one: counted as matched.
 */
export function unmatchedIn(parts: ParsedMinutes[], c: Corrections | undefined): UnmatchedCorrection[] {
  if (isEmptyCorrections(c)) return [];
  const results = parts.map((parsed) => {
    const sentLines = new Set((c!.suggestions ?? []).map((x) => x.line));
    const all = parsed.suggestions.filter((x) => !sentLines.has(x.line)).map((x) => ({ line: x.line, op: 'promote' as const }));
    return applyCorrections(parsed, { ...c, suggestions: [...(c!.suggestions ?? []), ...all] });
  });
  return unmatchedCorrections(c, results);
}

/** "the action correction at line 12 ("Fix the docs") names no action there; ..." */
export function unmatchedMessage(u: UnmatchedCorrection[]): string {
  const one = (x: UnmatchedCorrection) => `the ${x.kind} correction for line ${x.line}${x.was ? ` ("${x.was.slice(0, 60)}")` : ''} names no ${x.kind} there`;
  return `${one(u[0])}${u.length > 1 ? ` (and ${u.length - 1} more)` : ''}; nothing was stored: check the line numbers against the text`;
}

/** The diff's notes for suggestions: a promotion or a drop kept, or overridden by a changed text. */
export function suggestionNotes(
  now: ParsedSuggestion[],
  accepted: Set<string>,
  dismissed: Set<string>,
  decided: Map<number, SuggestionCorrection['op']>,
): { kept: WriteResult['changes']['corrections']['kept']; overridden: WriteResult['changes']['corrections']['overridden'] } {
  const kept: WriteResult['changes']['corrections']['kept'] = [];
  const overridden: WriteResult['changes']['corrections']['overridden'] = [];
  const present = new Set(now.map((x) => suggestionKey(x)));
  for (const x of now) {
    if (decided.has(x.line) && !accepted.has(suggestionKey(x))) continue; // this import's own decision
    if (accepted.has(suggestionKey(x))) kept.push({ kind: 'suggestion', text: x.text, what: 'promote' });
    else if (dismissed.has(suggestionKey(x))) kept.push({ kind: 'suggestion', text: x.text, what: 'drop' });
  }
  // A promoted or dropped suggestion whose text changed (a similar one is there): the person's decision does not apply to it.
  const fresh = now.filter((x) => !accepted.has(suggestionKey(x)) && !dismissed.has(suggestionKey(x)) && !decided.has(x.line));
  for (const [keys, what] of [[accepted, 'promote'], [dismissed, 'drop']] as const) {
    for (const key of keys) {
      if (present.has(key)) continue;
      const text = key.slice(key.indexOf(':') + 1);
      const t = tokens(text);
      const similar = fresh.find((x) => key.startsWith(x.kind + ':') && similarity(t, tokens(x.text)) >= 0.5);
      if (similar) overridden.push({ kind: 'suggestion', text: similar.text, what, detail: `the minutes changed it (was "${text}")` });
    }
  }
  return { kept, overridden };
}

/** One note per corrected field. */
export function noteFor(kind: 'action' | 'decision', text: string, v: StoredCorrectionValues): CorrectionNote[] {
  return correctedFields(v).map((what) => ({ kind, text, what, detail: describe(what, v) }));
}

/** Notes for the suggestions this import's corrections promoted or dropped. */
export function appliedSuggestionNotes(parsed: ParsedMinutes, applied: CorrectedMinutes['applied']): CorrectionNote[] {
  const out: CorrectionNote[] = [];
  for (const c of applied) {
    if (!('op' in c)) continue;
    const x = target(parsed.suggestions, c);
    if (x) out.push({ kind: 'suggestion', text: x.text, what: c.op });
  }
  return out;
}

/** The action and decision corrections without their `was` (suggestions keep theirs): for a check by line alone. */
export function withoutWas(c: Corrections | undefined): Corrections | undefined {
  if (!c) return c;
  const strip = <T extends { was?: string }>(x: T): T => ({ ...x, was: undefined });
  return { ...c, actions: c.actions?.map(strip), decisions: c.decisions?.map(strip) };
}
