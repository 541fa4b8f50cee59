/**
 * The shared state of item extraction: what the meeting gives (`ItemContext`), the items found
 * so far with their dedupe keys (`ItemCollector`), and the section kinds that headings, labels
 * and parent bullets announce. Read by the block walker (`items.ts`) and the line, table and
 * code readers; imports no reader, so the item modules form no cycle.
 */
import type { ParsedAction, ParsedAttendee, ParsedDecision, ParsedSuggestion, ParsedWarning } from './types.js';
import { ACTION_SECTION, DECISION_SECTION, MEETBOT_SUFFIX, MIXED_SECTION } from './markers.js';

/** What `extractItems` needs to know about the meeting. */
export interface ItemContext {
  meetingDate: string | null;
  attendees: ParsedAttendee[];
  nextMeetingDate: string | null;
}

/** What `extractItems` finds. */
export interface ExtractedItems {
  actions: ParsedAction[];
  decisions: ParsedDecision[];
  suggestions: ParsedSuggestion[];
  warnings: ParsedWarning[];
}

/** "Decision on video conferencing tool:", "decision for our working group:": a label whose items are the decision. */
const DECISION_ABOUT = /^decisions?\s+(?:on|for|about|regarding|of)\s+[^:：]{1,50}[:：]$/i;

export type SectionKind = 'action' | 'decision' | 'mixed' | null;

/** Characters of one line or bullet that are read; the rest of an absurdly long line is ignored. */
export const MAX_SEGMENT = 4000;

/** Cuts inline Markdown that a plain-text line may still hold. */
export function plain(s: string): string {
  // Block text is usually plain already: run each (costly) replace only when it can match.
  let t = s;
  if (t.includes('](')) t = t.replace(/\[([^\][]{0,200})\]\([^()\s]{0,600}\)/gu, '$1');
  if (/[*_~`]/.test(t)) t = t.replace(/\*\*|__|~~|`/g, '');
  if (/\s\s|[\n\t\r]/.test(t)) t = t.replace(/\s+/g, ' ');
  return t.trim();
}

/** A cheap comparison key (dedupe): lower case, letters and digits only. */
function key(s: string): string {
  return s.toLowerCase().replace(/[\s.,;:!?'"’“”()[\]{}*_~`<>|\\/#+&-]+/g, ' ').trim();
}

const sectionCache = new Map<string, SectionKind>();

/** The kind of list a heading, label or parent bullet announces. */
export function sectionKind(title: string | null | undefined): SectionKind {
  if (!title || title.length > 90) return null;
  const cached = sectionCache.get(title);
  if (cached !== undefined) return cached;
  const kind = sectionKindOf(title);
  if (sectionCache.size > 5000) sectionCache.clear();
  sectionCache.set(title, kind);
  return kind;
}

function sectionKindOf(title: string): SectionKind {
  let t = plain(title).replace(/^[=#*_\s]+|[*_\s]+$/gu, '').replace(MEETBOT_SUFFIX, '');
  // "Below are the raw notes. General agreements seem to be:": the label is the last sentence,
  // its verb tail dropped; "Decision on video conferencing tool:" names the decision's subject.
  if (/[:：]$/u.test(t)) {
    t = t.split(/(?<=[.!?])\s+/u).pop()!.replace(/^(?:the\s+)?(?:general|main|key|overall)\s+/iu, '').replace(/\s+(?:seems?\s+to\s+be|are|were|is|was|include|so\s+far)\s*(?=[:：]$)/iu, '');
    if (DECISION_ABOUT.test(t)) return 'decision';
  }
  if (t.length > 60) return null;
  if (MIXED_SECTION.test(t)) return 'mixed';
  if (ACTION_SECTION.test(t)) return 'action';
  if (DECISION_SECTION.test(t)) return 'decision';
  return null;
}

/** Items gathered so far, with the keys that tell a repeated action from a new one. */
export class ItemCollector {
  readonly actions: ParsedAction[] = [];
  readonly decisions: ParsedDecision[] = [];
  readonly suggestions: ParsedSuggestion[] = [];
  readonly warnings: ParsedWarning[] = [];
  private readonly actionKeys = new Map<string, ParsedAction>();
  private readonly taskKeys = new Map<string, ParsedAction>();
  private readonly decisionKeys = new Set<string>();
  private readonly suggestionKeys = new Set<string>();

  constructor(readonly ctx: ItemContext) {}

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  /** Records an action unless the same one was listed earlier (then the earlier one stays). */
  addAction(a: ParsedAction, bodyKey: string, warnings: string[]): void {
    const k1 = `b:${key(bodyKey)}`;
    const k2 = `o:${a.owners.map(key).sort().join('|')}:${key(a.text)}`;
    const earlier = this.actionKeys.get(k1) ?? this.actionKeys.get(k2);
    if (earlier) {
      if (earlier.due === null && a.due !== null) earlier.due = a.due;
      return;
    }
    const textKey = key(a.text);
    if (textKey === '' && a.owners.length === 0) return;
    this.actions.push(a);
    this.actionKeys.set(k1, a);
    this.actionKeys.set(k2, a);
    this.taskKeys.set(textKey, a);
    for (const w of warnings) this.warn(a.line, w);
  }

  /** Drops the "empty action item" warning of a label a few lines above `line`. */
  dropEmptyLabelWarning(line: number): void {
    for (let i = this.warnings.length - 1; i >= 0; i--) {
      const w = this.warnings[i]!;
      if (w.line < line - 8) return;
      if (w.line < line && w.message.startsWith('empty action item')) {
        this.warnings.splice(i, 1);
        return;
      }
    }
  }

  /** The earlier action whose task reads the same, for bot lines that repeat it. */
  findByTask(text: string): ParsedAction | undefined {
    return this.taskKeys.get(key(text));
  }

  /** Where formal resolutions were proposed, passed or not passed (tabled, failed), by line. */
  readonly resolutionMarks: { line: number; kind: 'proposed' | 'passed' | 'not-passed' }[] = [];

  /**
   * Withdraws the decisions read inside a resolution that did not pass: between its
   * "resolution was proposed" line and its "was tabled" line. Blocks are not always read in
   * line order (nested indented text), so this runs once at the end.
   */
  finishResolutions(): void {
    const marks = [...this.resolutionMarks].sort((a, b) => a.line - b.line);
    for (let i = 0; i < marks.length; i++) {
      if (marks[i]!.kind !== 'not-passed') continue;
      let j = i - 1;
      while (j >= 0 && marks[j]!.kind !== 'proposed' && marks[j]!.kind !== 'passed') j--;
      if (j < 0 || marks[j]!.kind !== 'proposed') continue;
      const from = marks[j]!.line;
      const to = marks[i]!.line;
      for (let k = this.decisions.length - 1; k >= 0; k--) {
        const d = this.decisions[k]!;
        if (d.line > from && d.line < to) {
          this.decisions.splice(k, 1);
          this.decisionKeys.delete(key(d.text));
        }
      }
    }
  }

  addDecision(d: ParsedDecision): void {
    const k = key(d.text);
    if (k === '' || this.decisionKeys.has(k)) return;
    this.decisionKeys.add(k);
    this.decisions.push(d);
  }

  addSuggestion(s: ParsedSuggestion): void {
    // A short verdict ("matz: accepted.") said of two topics is two suggestions.
    const k = `${s.kind}:${key(s.text)}${s.text.length < 40 ? `:${s.line}` : ''}`;
    if (this.suggestionKeys.has(k)) return;
    this.suggestionKeys.add(k);
    this.suggestions.push(s);
  }
}
