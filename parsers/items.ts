/**
 * Actions, decisions and suggestions from the blocks of one meeting. Walks the blocks once in
 * document order, keeping the section each block sits in (an "Action items" heading, a
 * "**Next steps**" label, a "TODO:" parent bullet, a decision table), and reads each line
 * with the marker grammar of `markers.ts`. Pure, deterministic, never throws.
 */
import type { Block } from './block-types.js';
import type { ParsedAction, ParsedAttendee, ParsedDecision, ParsedSuggestion, ParsedWarning } from './types.js';
import { extractOwner, resolveOwners, splitOwners } from './owners.js';
import { findDue } from './due-dates.js';
import {
  ACTION_ON, ACTION_SECTION, CONSENSUS_MARKER, DECISION_MARKER, DECISION_SECTION, DECISION_TO, DONE_PREFIX,
  DONE_SUFFIX, EXPLICIT_HINT, GHURLBOT_ACTION, HASH_ACTION, HASH_DECISION, INLINE_ACTION, LEADING_BULLET,
  MEETBOT_SUFFIX, MIXED_SECTION, NEXT_STEPS_INLINE, OWNER_BEFORE_LABEL, PAREN_ACTION, SINGULAR_LABEL, SPEAKER_TAG, STATEMENT,
  TO_OWNER_SUFFIX, W3C_NUMBERED, matchActionMarker,
} from './markers.js';
import { findSuggestion } from './suggestions.js';
import { readTableRow } from './item-tables.js';
import { codeBlocks } from './item-code.js';

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

export type SectionKind = 'action' | 'decision' | 'mixed' | null;

/** Characters of one line or bullet that are read; the rest of an absurdly long line is ignored. */
const MAX_SEGMENT = 4000;

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
  const t = plain(title).replace(/^[#*_\s]+|[*_\s]+$/gu, '').replace(MEETBOT_SUFFIX, '');
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

  addDecision(d: ParsedDecision): void {
    const k = key(d.text);
    if (k === '' || this.decisionKeys.has(k)) return;
    this.decisionKeys.add(k);
    this.decisions.push(d);
  }

  addSuggestion(s: ParsedSuggestion): void {
    const k = `${s.kind}:${key(s.text)}`;
    if (this.suggestionKeys.has(k)) return;
    this.suggestionKeys.add(k);
    this.suggestions.push(s);
  }
}

/** Where a piece of text sits, as far as reading it goes. */
export interface SegmentContext {
  kind: SectionKind;
  topic: string | null;
  done: boolean;
  /** Inside a quote or an indented code block: explicit markers only. */
  explicitOnly: boolean;
  /** A list item (a whole bullet) rather than one line of a paragraph. */
  isItem: boolean;
  /** Inside a blockquote: quoted old minutes, except the W3C scribe's numbered items. */
  quoted?: boolean;
  /** The Markdown source, to read owners written as links. */
  raw?: string;
}

function cleanLine(text: string): string {
  return plain(text).replace(LEADING_BULLET, '').trim();
}

/**
 * Builds an action from the text after its marker. Returns false when there is no task at
 * all (an empty `Action Item:`), so that the caller can warn.
 */
export function emitAction(
  out: ItemCollector, body: string, line: number, sc: SegmentContext,
  opts: { owner?: string | null; meetbot?: boolean; done?: boolean; explicit?: boolean; nameVerb?: boolean },
): boolean {
  let text = body.replace(MEETBOT_SUFFIX, '').trim();
  const bodyKey = text;
  let done = sc.done || opts.done === true;
  const prefix = DONE_PREFIX.exec(text);
  if (prefix) { done = true; text = text.slice(prefix[0].length); }
  const suffix = DONE_SUFFIX.exec(text);
  if (suffix && suffix.index > 0) { done = true; text = text.slice(0, suffix.index).trim(); }
  if (text.replace(/[\s.:*_-]+/gu, '') === '') return false;
  let ownerPhrase = opts.owner ?? null;
  let task = text;
  if (ownerPhrase === null || ownerPhrase.trim() === '') {
    const split = extractOwner(text, {
      attendees: out.ctx.attendees, explicit: opts.explicit !== false, meetbot: opts.meetbot === true,
      nameVerb: opts.nameVerb !== false, ...(sc.raw !== undefined ? { raw: sc.raw } : {}),
    });
    ownerPhrase = split.owner;
    if (split.owner !== null) task = split.task;
  }
  task = task.replace(/^(?:to|will)\s+(?=\p{Ll})/u, '').replace(/^[\s:–—-]+|[\s,;]+$/gu, '').replace(/\.{2,}$/u, '.');
  if (task === '') return false;
  if ((ownerPhrase === null || ownerPhrase.trim() === '') && STATEMENT.test(task)) {
    emitDecision(out, task, line, sc.topic);
    return true;
  }
  const warnings: string[] = [];
  let owners: string[] = [];
  if (ownerPhrase !== null && ownerPhrase.trim() !== '') {
    const resolved = resolveOwners(splitOwners(ownerPhrase), out.ctx.attendees);
    owners = resolved.owners;
    warnings.push(...resolved.warnings);
  }
  if (owners.length === 0) warnings.push(`action has no owner: '${task.slice(0, 60)}'`);
  let due: string | null = null;
  const found = findDue(task, out.ctx.meetingDate, out.ctx.nextMeetingDate);
  if (found?.unreadable) warnings.push(`cannot read the due date '${found.phrase}'`);
  else if (found) due = found.due;
  out.addAction({ owners, text: task, due, done, line, topic: sc.topic }, bodyKey, warnings);
  return true;
}

function emitDecision(out: ItemCollector, text: string, line: number, topic: string | null): void {
  const t = text.replace(MEETBOT_SUFFIX, '').replace(/^[\s:–—-]+/u, '').replace(/\.{2,}$/u, '.').trim();
  if (t.replace(/[\s.:*_-]+/gu, '') === '') return;
  out.addDecision({ text: t, line, topic });
}

/** A ghurlbot "Created ... -> action N text (on owner) due D" line: the due date of an earlier action. */
function readGhurlbot(out: ItemCollector, text: string, line: number, sc: SegmentContext): boolean {
  const m = GHURLBOT_ACTION.exec(text);
  if (!m) return /^ghurlbot:?\s/iu.test(text);
  const earlier = out.findByTask(m[1]!.replace(/\.+$/u, ''));
  const dueText = m[3] ?? '';
  if (earlier) {
    if (earlier.due === null && dueText !== '') earlier.due = findDue(`due ${dueText}`, out.ctx.meetingDate, null)?.due ?? null;
    return true;
  }
  const owner = m[2]!.trim();
  emitAction(out, `${m[1]!}${dueText ? ` due ${dueText}` : ''}`, line, sc, { owner: owner === '' ? null : owner, explicit: false });
  return true;
}

/**
 * Reads one line or bullet. Explicit markers first (decision, action, `(AI: ...)`, an
 * uppercase label inside the line), then the section the text sits in, then — outside
 * quotes and code — the implicit finds that become suggestions.
 */
export function readSegment(out: ItemCollector, rawText: string, line: number, sc: SegmentContext): void {
  // No real minutes line is this long; capping keeps every pattern below cheap on hostile input.
  let text = cleanLine(rawText.length > MAX_SEGMENT ? rawText.slice(0, MAX_SEGMENT) : rawText);
  if (sc.raw !== undefined && sc.raw.length > MAX_SEGMENT) sc = { ...sc, raw: sc.raw.slice(0, MAX_SEGMENT) };
  if (text === '') return;
  let done = sc.done;
  const donePrefix = DONE_PREFIX.exec(text);
  if (donePrefix) { done = true; text = text.slice(donePrefix[0].length); }
  const ctx: SegmentContext = { ...sc, done };
  if (sc.explicitOnly && sc.kind === null && !EXPLICIT_HINT.test(text)) return;
  if (EXPLICIT_HINT.test(text) && readExplicit(out, text, line, ctx)) return;
  if (sc.quoted === true) return;
  if (sc.kind === 'action' || sc.kind === 'mixed') {
    if (readInSection(out, text, line, ctx)) return;
  }
  if (sc.kind === 'decision') {
    if (text.split(' ').length >= 2 && (sc.isItem || text.split(' ').length >= 3)) emitDecision(out, text, line, sc.topic);
    return;
  }
  if (sc.explicitOnly || sc.kind !== null) return;
  const s = findSuggestion(text, out.ctx.attendees);
  if (s) out.addSuggestion({ ...s, line });
}

function readExplicit(out: ItemCollector, text: string, line: number, sc: SegmentContext): boolean {
  if (/^ghurlbot\b/iu.test(text)) return readGhurlbot(out, text, line, sc);
  if (sc.quoted === true && !W3C_NUMBERED.test(text)) {
    return true; // quoted old minutes: only the W3C scribe's numbered items count
  }
  const meetbot = MEETBOT_SUFFIX.test(text);
  let owner: string | null = null;
  let t = text;
  const tag = SPEAKER_TAG.exec(t);
  if (tag && matchActionMarker(t.slice(tag[0].length))) {
    owner = tag[1]!;
    t = t.slice(tag[0].length);
  }
  const hashDecision = HASH_DECISION.exec(t);
  const decision = hashDecision ?? DECISION_MARKER.exec(t) ?? CONSENSUS_MARKER.exec(t);
  if (decision) {
    const body = t.slice(decision[0].length);
    const inline = INLINE_ACTION.exec(body);
    if (inline && inline.index > 0) {
      emitDecision(out, body.slice(0, inline.index + (inline[0].length - inline[1]!.length)), line, sc.topic);
      readInline(out, body, inline, line, sc);
    } else if (body.trim() === '') {
      return false;
    } else {
      emitDecision(out, body, line, sc.topic);
      embeddedAction(out, body, line, sc);
    }
    return true;
  }
  if (DECISION_TO.test(t)) {
    emitDecision(out, t, line, sc.topic);
    return true;
  }
  const marker = matchActionMarker(t);
  if (marker) {
    const hadOwner = marker.owner ?? owner;
    if (!emitAction(out, marker.body, line, sc, { owner: hadOwner, meetbot, done: marker.done })) {
      if (sc.isItem && sc.kind === 'action') return true;
      out.warn(line, `empty action item: '${t.slice(0, 40).trim()}' has no text`);
    }
    return true;
  }
  const on = ACTION_ON.exec(t) ?? null;
  if (on) return emitAction(out, t.slice(on[0].length), line, sc, { owner: on[1]! }) || true;
  const hash = HASH_ACTION.exec(t);
  if (hash) return emitAction(out, t.slice(hash[0].length), line, sc, { meetbot }) || true;
  const paren = PAREN_ACTION.exec(t);
  if (paren) {
    const inside = paren[1]!.trim();
    const rest = t.slice(paren[0].length).trim();
    const split = extractOwner(inside, { attendees: out.ctx.attendees, explicit: true });
    if (split.owner !== null && split.task.trim() !== '' && split.task !== inside) {
      emitAction(out, split.task, line, sc, { owner: split.owner });
    } else {
      emitAction(out, rest === '' ? inside : rest, line, sc, { owner: rest === '' ? null : inside });
    }
    return true;
  }
  const inline = INLINE_ACTION.exec(t);
  if (inline) return readInline(out, t, inline, line, sc);
  const next = NEXT_STEPS_INLINE.exec(t);
  if (next) {
    // "Next step: meeting to develop spec; Sara to send out doodle": each clause with an owner.
    let found = false;
    for (const clause of t.slice(next[0].length).split(/;\s+|(?<=\.)\s+/u).slice(0, 6)) {
      const split = extractOwner(clause, { attendees: out.ctx.attendees, explicit: false, nameVerb: false });
      if (split.owner !== null && /^\p{Ll}/u.test(split.task)) found = emitAction(out, split.task, line, sc, { owner: split.owner }) || found;
    }
    return found;
  }
  return false;
}

/**
 * A decision that assigns work ("Conclusion: Mara to propose ...", "..., Mark to send out
 * invites") also yields that action: the clause opens the decision or follows a comma.
 */
function embeddedAction(out: ItemCollector, body: string, line: number, sc: SegmentContext): void {
  const clauses = body.split(/(?<=[,;.])\s+/u).slice(0, 6);
  for (const clause of clauses) {
    if (!/^(?:@|\p{Lu})/u.test(clause)) continue;
    const split = extractOwner(clause, { attendees: out.ctx.attendees, explicit: false, nameVerb: false });
    if (split.owner !== null && /^\s*\p{Ll}/u.test(split.task) && split.owner.split(/\s+/).length <= 4) {
      emitAction(out, split.task, line, sc, { owner: split.owner });
      return;
    }
  }
}

/** An uppercase label inside a line: "Brendan AI: Create ...", "... today. AI: Jim". */
function readInline(out: ItemCollector, t: string, inline: RegExpExecArray, line: number, sc: SegmentContext): boolean {
  const labelStart = inline.index + inline[0].length - inline[1]!.length;
  const before = t.slice(0, labelStart).trim();
  const after = t.slice(inline.index + inline[0].length).trim();
  const ownerBefore = OWNER_BEFORE_LABEL.exec(before);
  const split = extractOwner(after, { attendees: out.ctx.attendees, explicit: true });
  if (split.owner !== null && split.task.trim() === '' || (after.split(/\s+/).length <= 3 && before.length > 10 && split.owner === null && /^\p{Lu}|^@/u.test(after))) {
    // "Outcome: open issue to clean up AI: Jim": the label names the owner of what precedes it.
    emitAction(out, before.replace(/^[^:]{0,40}:\s*/u, ''), line, sc, { owner: split.owner ?? after });
    return true;
  }
  emitAction(out, after, line, sc, { owner: ownerBefore ? ownerBefore[1]! : null });
  return true;
}

/** Text in an "Action items"/"Next steps" section: bullets are actions, paragraph lines need an owner form. */
function readInSection(out: ItemCollector, text: string, line: number, sc: SegmentContext): boolean {
  const words = text.split(' ');
  if (words.length < 2 || /^\(?unassigned\)?$/iu.test(text)) return sc.isItem;
  if (/^(?:document generated by|created by|see (?:also|above|below))\b/iu.test(text) || text.endsWith('?')) return sc.isItem;
  const nameVerb = sc.isItem;
  const split = extractOwner(text, { attendees: out.ctx.attendees, explicit: true, nameVerb, ...(sc.raw !== undefined ? { raw: sc.raw } : {}) });
  if (sc.kind === 'mixed') {
    if (split.owner !== null) emitAction(out, text, line, sc, { nameVerb });
    else emitDecision(out, text, line, sc.topic);
    return true;
  }
  if (!sc.isItem && (split.owner === null || CHATTER.test(split.task))) return false;
  emitAction(out, text, line, sc, { nameVerb });
  return true;
}

function segmentsOf(block: Block, splitEveryLine: boolean): { text: string; line: number; raw: string }[] {
  const lines = block.lines && block.lines.length > 0 ? block.lines : [{ line: block.line, text: block.text, raw: block.raw }];
  if (lines.length === 1) return [{ text: block.text || lines[0]!.text, line: block.line, raw: block.raw }];
  const out: { text: string; line: number; raw: string }[] = [];
  for (const l of lines) {
    const t = cleanLine(l.text);
    const startsNew = splitEveryLine || out.length === 0 || startsWithMarker(t);
    if (startsNew) out.push({ text: l.text, line: l.line, raw: l.raw });
    else {
      const last = out[out.length - 1]!;
      if (last.text.length > MAX_SEGMENT) continue;
      last.text = `${last.text} ${l.text}`;
      last.raw = `${last.raw}\n${l.raw}`;
    }
  }
  return out;
}

function startsWithMarker(t: string): boolean {
  if (!EXPLICIT_HINT.test(t.slice(0, 40))) return false;
  return matchActionMarker(t) !== null || DECISION_MARKER.test(t) || HASH_ACTION.test(t) || HASH_DECISION.test(t) || PAREN_ACTION.test(t) || /^ghurlbot\b/iu.test(t);
}

/** A transcript line under an actions heading ("Hudson: Hello everyone ...") is not a task. */
const CHATTER = /^(?:hello|hi|hey|yeah|yes|no|so|i|i'm|i’m|we|okay|ok|thanks|thank|well|um|uh|right|sure|and|but|it|that|this|there|just|good|great|cool|sounds)\b|\?\s*$/iu;

interface StackEntry { depth: number; kind: SectionKind }

/** An agenda bullet that links an issue or PR ("ELI5: project charters [#207](...)"). */
const AGENDA_ITEM = /\[#\d{1,6}\]\(|#\d{1,6}\]?\)?\s*$/u;

function singularLabel(label: string | null): boolean {
  return label !== null && SINGULAR_LABEL.test(plain(label).replace(/^[*_\s]+|[*_\s]+$/gu, ''));
}

/** The kind a paragraph label gives the list after it; a singular "Action Item:" gives none. */
function labelKind(label: string | null): SectionKind {
  if (label === null || SINGULAR_LABEL.test(plain(label).replace(/^[*_\s]+|[*_\s]+$/gu, ''))) return null;
  return sectionKind(label);
}

/**
 * Finds the actions, decisions and suggestions of one meeting in its blocks. Attendance
 * blocks and fenced code are skipped; quotes and indented code are read for explicit
 * markers only; the same action listed twice is kept once (the first listing).
 */
export function extractItems(blocks: Block[], ctx: ItemContext): ExtractedItems {
  const out = new ItemCollector(ctx);
  try {
    walk(blocks, out, false);
  } catch {
    // Never throw on any input: what was found before the fault is still returned.
  }
  return { actions: out.actions, decisions: out.decisions, suggestions: out.suggestions, warnings: out.warnings };
}

/** Walks blocks in order; `inCode` marks pseudo-blocks made from an indented code block. */
export function walk(blocks: Block[], out: ItemCollector, inCode: boolean): void {
  let stack: StackEntry[] = [];
  for (let bi = 0; bi < blocks.length; bi++) {
    let block = blocks[bi]!;
    if (block.role === 'attendance') continue;
    if (block.kind === 'heading') { stack = []; continue; }
    if (block.kind === 'code') {
      if (!inCode) walk(codeBlocks(block), out, true);
      continue;
    }
    const headingKind = sectionKind(block.headings[block.headings.length - 1]);
    if (block.kind === 'tableRow') {
      readTableRow(out, block, headingKind);
      continue;
    }
    // Pandoc wraps a long bullet with "> " continuation lines, which parse as a quote inside
    // the item: read them as the rest of the bullet, not as quoted old minutes.
    const next = blocks[bi + 1];
    if (block.kind === 'listItem' && !block.quoted && next && next.quoted && next.kind === 'paragraph' && next.line === block.endLine + 1 && next.parentText === block.text) {
      block = { ...block, text: `${block.text} ${next.text}`, raw: `${block.raw}\n${next.raw}`, endLine: next.endLine, lines: [{ line: block.line, text: `${block.text} ${next.text}`, raw: block.raw }] };
      bi++;
    }
    let kind: SectionKind = null;
    if (block.kind === 'listItem') {
      stack = stack.filter((e) => e.depth < block.depth);
      let labelDepth = -1;
      for (let i = stack.length - 1; i >= 0 && kind === null; i--) {
        kind = stack[i]!.kind;
        labelDepth = stack[i]!.depth;
      }
      // Under "OUTCOME:" / "Action items:", the direct children are the items; deeper bullets
      // are their details (checkbox sub-tasks excepted).
      if (kind !== null && block.depth - labelDepth > 1 && block.checked === null) {
        stack.push({ depth: block.depth, kind: null });
        continue;
      }
      if (kind === null) kind = labelKind(block.listLabel) ?? sectionKind(block.parentText);
      if (kind === null && block.depth === 0 && singularLabel(block.listLabel) && !AGENDA_ITEM.test(block.raw)) {
        // "AI:" over a list: the list holds the action, so the label was not empty after all.
        kind = 'action';
        out.dropEmptyLabelWarning(block.line);
      }
      const own = sectionKind(block.text);
      stack.push({ depth: block.depth, kind: own });
      if (own !== null) continue;
    } else {
      kind = labelKind(block.listLabel);
    }
    if (kind === null) kind = headingKind;
    if (block.kind === 'listItem' && block.checked === false && kind === null && !/^@/u.test(block.text.trim())) continue;
    const sc: SegmentContext = {
      kind, topic: block.topic, done: block.struck || block.checked === true,
      explicitOnly: block.quoted || inCode, quoted: block.quoted, isItem: block.kind === 'listItem', raw: block.raw,
    };
    if (block.kind === 'listItem' && block.checked !== null && /^@/u.test(block.text.trim()) && kind === null) {
      emitAction(out, block.text, block.line, sc, {});
      continue;
    }
    const toOwner = block.kind === 'listItem' && kind === null && block.text.length < 1000 ? TO_OWNER_SUFFIX.exec(plain(block.text)) : null;
    if (toOwner) {
      const t = plain(block.text);
      emitAction(out, t.slice(0, toOwner.index).trim(), block.line, sc, { owner: toOwner[1]! });
      continue;
    }
    const splitEvery = kind !== null && block.kind === 'paragraph';
    for (const seg of segmentsOf(block, splitEvery)) {
      readSegment(out, seg.text, seg.line, { ...sc, raw: seg.raw });
    }
  }
}
