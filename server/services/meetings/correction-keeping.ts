/**
 * Corrections kept across revisions: what a person corrected of a meeting's actions and
 * decisions is stored with the item's identity (its extracted text, folded); a later revision
 * re-applies it to the item with that text wherever it now sits ("kept"), unless the new text
 * changed that item itself: a similar item with other words, or other values for the corrected
 * field (the minutes now state an owner or due date themselves) -> "overridden", forgotten. An
 * item gone from the text takes its correction with it. Pure: the import stores the outcome.
 */
import { foldName } from '../../../domain/names.js';
import type { ParsedAction, ParsedDecision, ParsedMinutes } from '../../../parsers/types.js';
import type { StoredCorrection, StoredCorrectionValues } from '../../db/repositories/correction-repository.js';
import { REVISION_RULES, numbersConflict, similarity, tokens } from './action-matching.js';
import type { ActionCorrection, Corrections, DecisionCorrection } from './import-overrides.js';
import type { CorrectionNote } from './import-result.js';

type Field = 'owners' | 'due' | 'text' | 'drop';
const FIELDS: Field[] = ['owners', 'due', 'text', 'drop'];

/** The fields a correction sets. */
export function correctedFields(c: StoredCorrectionValues): Field[] {
  return FIELDS.filter((f) => (f === 'drop' ? c.drop === true : c[f] !== undefined));
}

/** What one stored correction becomes in a new revision. */
export interface KeptCorrection {
  stored: StoredCorrection;
  /** The item it now applies to (its line in the new text). */
  item: ParsedAction | ParsedDecision;
  /** The fields still applied (the others were overridden). */
  values: StoredCorrectionValues;
  /** The correction sent with this import for the same item (its fields win). */
  supersededBy: ActionCorrection | DecisionCorrection | null;
}

export interface KeepPlan {
  kept: KeptCorrection[];
  /** Stored corrections none of whose fields apply any more (overridden or gone): to delete. */
  forget: StoredCorrection[];
  /** Corrections to apply, after those sent with the import: the kept fields the import did not set. */
  actions: ActionCorrection[];
  decisions: DecisionCorrection[];
  notes: { kept: CorrectionNote[]; overridden: CorrectionNote[] };
  /** Stored action id -> fields this text overrides (for the action's history). */
  overrides: Map<number, CorrectionNote['what'][]>;
}

const foldList = (xs: string[] | undefined) => JSON.stringify((xs ?? []).map((x) => foldName(x)).filter(Boolean));
/** How the diff describes a corrected field's value ("nobody", "no due date", the new text). */
export const describe = (f: Field, v: StoredCorrectionValues): string | undefined =>
  f === 'owners' ? (v.owners?.length ? v.owners.join(', ') : 'nobody') : f === 'due' ? (v.due ?? 'no due date') : f === 'text' ? v.text : undefined;

/** The item a correction sent with the import names (line, and `was` when given). */
export function target<T extends { line: number; text: string }>(items: T[], c: { line: number; was?: string }): T | undefined {
  return items.find((x) => x.line === c.line && (c.was === undefined || foldName(x.text) === foldName(c.was)));
}

/**
 * Plans the stored corrections of a meeting against a new revision's items (`parsed`, with
 * this import's suggestion promotions already applied) and the corrections sent with it.
 */
export function planKept(parsed: ParsedMinutes, sent: Corrections | undefined, stored: StoredCorrection[]): KeepPlan {
  const plan: KeepPlan = { kept: [], forget: [], actions: [], decisions: [], notes: { kept: [], overridden: [] }, overrides: new Map() };
  const sentFor = new Map<string, ActionCorrection | DecisionCorrection>();
  for (const c of sent?.actions ?? []) {
    const x = target(parsed.actions, c);
    if (x) sentFor.set(`action:${foldName(x.text)}`, c);
  }
  for (const c of sent?.decisions ?? []) {
    const x = target(parsed.decisions, c);
    if (x) sentFor.set(`decision:${foldName(x.text)}`, c);
  }
  const used = new Set<object>();
  const unmatched: StoredCorrection[] = [];
  for (const s of stored) {
    const items: (ParsedAction | ParsedDecision)[] = s.kind === 'action' ? parsed.actions : parsed.decisions;
    const item = items.find((x) => !used.has(x) && foldName(x.text) === s.key);
    if (!item) {
      unmatched.push(s);
      continue;
    }
    used.add(item);
    const superseded = sentFor.get(`${s.kind}:${s.key}`) ?? null;
    const values: StoredCorrectionValues = {};
    const overridden: Field[] = [];
    for (const f of correctedFields(s.correction)) {
      // The minutes now give this field another value than when it was corrected: they win.
      const a = item as ParsedAction;
      const changed =
        s.kind === 'action' &&
        ((f === 'owners' && foldList(a.owners) !== foldList(s.extracted.owners)) || (f === 'due' && (a.due ?? null) !== (s.extracted.due ?? null)));
      if (changed) {
        overridden.push(f);
        plan.notes.overridden.push({
          kind: s.kind,
          text: item.text,
          what: f,
          detail: f === 'owners' ? `the minutes now say ${a.owners.length ? a.owners.join(', ') : 'nobody'}` : `the minutes now say ${a.due ?? 'no due date'}`,
        });
        continue;
      }
      (values as Record<string, unknown>)[f] = s.correction[f];
      // A field sent again with this import is the import's correction, not a kept one.
      if (superseded && f in superseded && (superseded as unknown as Record<string, unknown>)[f] !== undefined) continue;
      plan.notes.kept.push({ kind: s.kind, text: item.text, what: f, detail: describe(f, s.correction) });
    }
    if (overridden.length > 0 && s.actionId != null) plan.overrides.set(s.actionId, overridden);
    if (Object.keys(values).length === 0) {
      plan.forget.push(s);
      continue;
    }
    plan.kept.push({ stored: s, item, values, supersededBy: superseded });
    // Applied after the sent corrections, by line only (a sent text correction changes the item's text).
    const rest = Object.fromEntries(
      Object.entries(values).filter(([k]) => !(superseded && (superseded as unknown as Record<string, unknown>)[k] !== undefined)),
    ) as StoredCorrectionValues;
    if (superseded && 'drop' in superseded && superseded.drop) continue;
    if (Object.keys(rest).length === 0) continue;
    if (s.kind === 'action') plan.actions.push({ line: item.line, was: superseded ? undefined : item.text, ...rest });
    else if (rest.drop) plan.decisions.push({ line: item.line, was: superseded ? undefined : item.text, drop: true });
  }
  // Not found by its text: the text changed that item (a similar one is there) or it is gone.
  for (const s of unmatched) {
    plan.forget.push(s);
    const items: (ParsedAction | ParsedDecision)[] = s.kind === 'action' ? parsed.actions : parsed.decisions;
    const t = tokens(s.itemText);
    let best: { x: ParsedAction | ParsedDecision; sim: number } | null = null;
    for (const x of items) {
      if (used.has(x)) continue;
      const tx = tokens(x.text);
      const sim = similarity(t, tx);
      if (sim >= REVISION_RULES.sameOwners && !numbersConflict(t, tx) && (!best || sim > best.sim)) best = { x, sim };
    }
    if (!best) continue;
    used.add(best.x);
    const fields = correctedFields(s.correction);
    if (s.actionId != null) plan.overrides.set(s.actionId, fields);
    for (const f of fields) plan.notes.overridden.push({ kind: s.kind, text: best.x.text, what: f, detail: `the minutes changed it (was "${s.itemText}")` });
  }
  return plan;
}

/** The stored form of a correction sent with an import, merged over the kept one of the same item. */
export function storedValues(c: ActionCorrection | DecisionCorrection, kept: StoredCorrectionValues | undefined): StoredCorrectionValues {
  const out: StoredCorrectionValues = { ...(kept ?? {}) };
  if ('owners' in c && c.owners !== undefined) out.owners = c.owners.map((o) => o.trim()).filter(Boolean);
  if ('due' in c && c.due !== undefined) out.due = c.due;
  if ('text' in c && c.text?.trim()) out.text = c.text.trim();
  if (c.drop) out.drop = true;
  return out;
}

/**
 * Sent corrections name an item by the text the person saw (`was`). On the preview of a
 * revision that is the text a kept correction gave the item, not the parser's: such a `was` is
 * set back to the extracted text (the item's identity), so the correction finds its item. Other
 * corrections are returned as they are (the same objects).
 */
export function alignSent(sent: Corrections | undefined, parsed: ParsedMinutes, stored: StoredCorrection[]): Corrections | undefined {
  if (!sent?.actions?.length || stored.length === 0) return sent;
  const actions = sent.actions.map((c) => {
    if (c.was === undefined) return c;
    const x = parsed.actions.find((a) => a.line === c.line);
    if (!x || foldName(x.text) === foldName(c.was)) return c;
    const shown = stored.find((s) => s.kind === 'action' && s.key === foldName(x.text) && s.correction.text !== undefined && foldName(s.correction.text) === foldName(c.was!));
    return shown ? { ...c, was: x.text } : c;
  });
  return { ...sent, actions };
}

/**
 * Sent action and decision corrections that name a line holding an item of this meeting but
 * were not applied: their `was` is neither the item's text nor the text a kept correction gave
 * it (the form was built from another text).
 */
export function staleIn(parsed: ParsedMinutes, sent: Corrections | undefined, applied: Set<object>): { kind: 'action' | 'decision'; line: number; was?: string }[] {
  const out: { kind: 'action' | 'decision'; line: number; was?: string }[] = [];
  for (const [kind, list, items] of [
    ['action', sent?.actions ?? [], parsed.actions],
    ['decision', sent?.decisions ?? [], parsed.decisions],
  ] as const) {
    for (const c of list) if (!applied.has(c) && (items as { line: number }[]).some((x) => x.line === c.line)) out.push({ kind, line: c.line, was: c.was });
  }
  return out;
}
