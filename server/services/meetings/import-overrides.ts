import type { ParsedAction, ParsedDecision, ParsedMinutes, ParsedSuggestion } from '../../../parsers/types.js';
import { foldName } from '../../../domain/names.js';

/**
 * What a note-taker changed of what the parser extracted (the upload preview, the API's
 * `corrections`, the CLI's `import --corrections FILE.json`). Each correction names its item by
 * the 1-based `line` of the submitted text where the parser found it, and optionally by `was`,
 * the text the parser extracted there: a correction whose `was` does not match the item at
 * its line (the text changed between preview and save) is not applied, and is reported.
 */
export interface Corrections {
  actions?: ActionCorrection[];
  decisions?: DecisionCorrection[];
  suggestions?: SuggestionCorrection[];
}

export interface ActionCorrection {
  line: number;
  was?: string;
  /** Replaces the owners: people, aliases, group names or new names; `[]` = nobody. */
  owners?: string[];
  /** `YYYY-MM-DD`, or null to clear the due date. */
  due?: string | null;
  text?: string;
  /** Not an action after all: not stored. */
  drop?: boolean;
}

export interface DecisionCorrection {
  line: number;
  was?: string;
  drop: true;
}

export interface SuggestionCorrection {
  line: number;
  was?: string;
  /** `promote`: store it as the action or decision it suggests; `drop`: not worth a review. */
  op: 'promote' | 'drop';
}

/** Corrections that found no item (line and `was` do not match what the text gives now). */
export interface UnmatchedCorrection {
  kind: 'action' | 'decision' | 'suggestion';
  line: number;
  was?: string;
}

export interface CorrectedMinutes {
  parsed: ParsedMinutes;
  /** The corrections that found their item (an archive's meetings each find their own). */
  applied: Set<ActionCorrection | DecisionCorrection | SuggestionCorrection>;
}

export const isEmptyCorrections = (c: Corrections | undefined | null): boolean =>
  !c || ((c.actions?.length ?? 0) === 0 && (c.decisions?.length ?? 0) === 0 && (c.suggestions?.length ?? 0) === 0);

/**
 * Returns `parsed` with corrections applied: suggestions promoted (into actions or decisions)
 * or dropped first, then decisions dropped, then action fixes (so a promoted action suggestion
 * can get its owners and due date from an action correction on its line). Lines are those of
 * the submitted text (an archive's meetings carry their lines in it).
 */
export function applyCorrections(parsed: ParsedMinutes, corrections: Corrections | undefined | null): CorrectedMinutes {
  const applied: CorrectedMinutes['applied'] = new Set();
  if (isEmptyCorrections(corrections)) return { parsed, applied };
  const c = corrections!;
  const actions: ParsedAction[] = [...parsed.actions];
  const decisions: ParsedDecision[] = [...parsed.decisions];
  let suggestions: ParsedSuggestion[] = [...parsed.suggestions];

  for (const s of c.suggestions ?? []) {
    const i = suggestions.findIndex((x) => x.line === s.line && sameText(x.text, s.was));
    if (i < 0) continue;
    applied.add(s);
    const x = suggestions[i];
    suggestions = suggestions.filter((_, j) => j !== i);
    if (s.op === 'drop') continue;
    if (x.kind === 'action') {
      actions.push({ owners: x.owners, text: x.text, due: x.due ?? null, done: false, line: x.line, topic: topicAt(parsed, x.line) });
    } else {
      decisions.push({ text: x.text, line: x.line, topic: topicAt(parsed, x.line) });
    }
  }
  for (const d of c.decisions ?? []) {
    const i = decisions.findIndex((x) => x.line === d.line && sameText(x.text, d.was));
    if (i < 0) continue;
    applied.add(d);
    if (d.drop) decisions.splice(i, 1);
  }
  for (const a of c.actions ?? []) {
    const i = actions.findIndex((x) => x.line === a.line && sameText(x.text, a.was));
    if (i < 0) continue;
    applied.add(a);
    if (a.drop) {
      actions.splice(i, 1);
      continue;
    }
    const x = actions[i];
    actions[i] = {
      ...x,
      owners: a.owners ? a.owners.map((o) => o.trim()).filter(Boolean) : x.owners,
      due: a.due !== undefined ? a.due : x.due,
      text: a.text?.trim() ? a.text.trim() : x.text,
    };
  }
  actions.sort((a, b) => a.line - b.line);
  decisions.sort((a, b) => a.line - b.line);
  return { parsed: { ...parsed, actions, decisions, suggestions }, applied };
}

/** The corrections none of `results` applied (their item is not where they say). */
export function unmatchedCorrections(c: Corrections | undefined | null, results: CorrectedMinutes[]): UnmatchedCorrection[] {
  if (!c) return [];
  const hit = (x: object) => results.some((r) => r.applied.has(x as ActionCorrection));
  return [
    ...(c.actions ?? []).filter((x) => !hit(x)).map((x) => ({ kind: 'action' as const, line: x.line, was: x.was })),
    ...(c.decisions ?? []).filter((x) => !hit(x)).map((x) => ({ kind: 'decision' as const, line: x.line, was: x.was })),
    ...(c.suggestions ?? []).filter((x) => !hit(x)).map((x) => ({ kind: 'suggestion' as const, line: x.line, was: x.was })),
  ];
}

/** `was` absent, or the same text once case, spacing and accents are set aside. */
function sameText(text: string, was: string | undefined): boolean {
  return was === undefined || foldName(text) === foldName(was);
}

/** The topic a line falls under: the last topic heading at or before it. */
function topicAt(parsed: ParsedMinutes, line: number): string | null {
  let title: string | null = null;
  for (const t of parsed.topics) if (t.line <= line) title = t.title;
  return title;
}
