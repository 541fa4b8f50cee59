/**
 * Actions, decisions and suggestions from the blocks of one meeting. Walks the blocks once in
 * document order, keeping the section each block sits in (an "Action items" heading, a
 * "**Next steps**" label, a "TODO:" parent bullet, a decision table), and reads each line
 * with the marker grammar of `markers.ts`. Pure, deterministic, never throws.
 */
import type { Block } from './block-types.js';
import {
  ASCIIDOC_TITLE, DECISION_MARKER, DONE_NOTE, EXPLICIT_HINT, LEADING_BULLET, HASH_ACTION, HASH_DECISION, PAREN_ACTION, SINGULAR_LABEL, TO_OWNER_SUFFIX, matchActionMarker,
} from './markers.js';
import { type ExtractedItems, type ItemContext, type SectionKind, ItemCollector, MAX_SEGMENT, plain, sectionKind } from './item-collector.js';
import { type SegmentContext, cleanLine, emitAction, emitDecision, readSegment } from './item-readers.js';
import { readTableRow } from './item-tables.js';
import { codeBlocks } from './item-code.js';

interface Segment { text: string; line: number; raw: string; lines: { line: number; text: string }[] }

function segmentsOf(block: Block, splitEveryLine: boolean): Segment[] {
  const lines = block.lines && block.lines.length > 0 ? block.lines : [{ line: block.line, text: block.text, raw: block.raw }];
  if (lines.length === 1) return [{ text: block.text || lines[0]!.text, line: block.line, raw: block.raw, lines: [] }];
  const out: Segment[] = [];
  for (const l of lines) {
    const t = cleanLine(l.text);
    const startsNew = splitEveryLine || out.length === 0 || startsWithMarker(t);
    if (startsNew) out.push({ text: l.text, line: l.line, raw: l.raw, lines: [{ line: l.line, text: l.text }] });
    else {
      const last = out[out.length - 1]!;
      if (last.text.length > MAX_SEGMENT) continue;
      last.text = `${last.text} ${l.text}`;
      last.raw = `${last.raw}\n${l.raw}`;
      last.lines.push({ line: l.line, text: l.text });
    }
  }
  return out;
}

function startsWithMarker(t: string): boolean {
  if (!EXPLICIT_HINT.test(t.slice(0, 40))) return false;
  return matchActionMarker(t) !== null || DECISION_MARKER.test(t) || HASH_ACTION.test(t) || HASH_DECISION.test(t) || PAREN_ACTION.test(t) || /^ghurlbot\b/i.test(t);
}


interface StackEntry { depth: number; kind: SectionKind; isAction?: boolean; singular?: boolean; taken?: boolean }

/** "Decision on the tool:" announces one decision (its first bullet); what follows is discussion. */
const SINGULAR_DECISION = /^\W{0,4}decision\b(?!s)/i;

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
    out.finishResolutions();
  } catch (err) {
    // Never throw on any input: what was found before the fault is still returned, and the
    // note-taker is told that the rest could not be read.
    out.warn(1, `items could not be extracted: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { actions: out.actions, decisions: out.decisions, suggestions: out.suggestions, warnings: out.warnings };
}

/** Walks blocks in order; `inCode` marks pseudo-blocks made from an indented code block. */
export function walk(blocks: Block[], out: ItemCollector, inCode: boolean): void {
  let stack: StackEntry[] = [];
  // A section opened by plain text: an AsciiDoc title ("== Actions"), or in indented text a
  // label line ("Summary of action items:"); it holds the bullet-like lines after it.
  let plainSection: SectionKind = null;
  for (let bi = 0; bi < blocks.length; bi++) {
    let block = blocks[bi]!;
    if (block.role === 'attendance') continue;
    if (block.kind === 'heading') { stack = []; plainSection = null; continue; }
    if (block.kind === 'paragraph' && block.text.length < 90) {
      const title = ASCIIDOC_TITLE.exec(block.text);
      if (title) { plainSection = sectionKind(title[1]!); continue; }
      if (inCode && /[:：]\s*$/u.test(block.text) && sectionKind(block.text) !== null) { plainSection = sectionKind(block.text); continue; }
    }
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
    let detail = false;
    if (block.kind === 'listItem') {
      stack = stack.filter((e) => e.depth < block.depth);
      let labelDepth = -1;
      let label: StackEntry | null = null;
      for (let i = stack.length - 1; i >= 0 && kind === null; i--) {
        kind = stack[i]!.kind;
        labelDepth = stack[i]!.depth;
        label = stack[i]!;
      }
      let discussion = false;
      if (kind === 'decision' && label?.singular === true && block.depth - labelDepth === 1) {
        if (label.taken === true) { kind = null; discussion = true; }
        label.taken = true;
      }
      // Under "OUTCOME:" / "Action items:", the direct children are the items; deeper bullets
      // are their details (checkbox sub-tasks excepted), read for explicit markers only
      // ("Recap of actions" > "Code signing certificate" > "Action: KK to ask Oleg ...").
      if (kind !== null && block.depth - labelDepth > 1 && block.checked === null) {
        stack.push({ depth: block.depth, kind: null });
        if (!startsWithMarker(plain(block.text))) continue;
        readSegment(out, block.text, block.line, {
          kind: null, topic: block.topic, done: block.struck, explicitOnly: true, quoted: block.quoted, isItem: true, raw: block.raw,
        });
        continue;
      }
      // A bullet in an action list whose own bullets are marked actions is their heading
      // ("Code signing certificate happened" over "Action: KK to ask ..."), not an action.
      if (kind === 'action' && block.depth - labelDepth === 1 && block.checked === null && !startsWithMarker(plain(block.text))) {
        const child = blocks[bi + 1];
        if (child && child.kind === 'listItem' && child.depth > block.depth && startsWithMarker(plain(child.text))) {
          stack.push({ depth: block.depth, kind: null });
          continue;
        }
      }
      if (kind === null && !discussion) kind = labelKind(block.listLabel) ?? sectionKind(block.parentText);
      if (kind === null && block.depth === 0 && singularLabel(block.listLabel) && !AGENDA_ITEM.test(block.raw)) {
        // "AI:" over a list: the list holds the action, so the label was not empty after all.
        kind = 'action';
        out.dropEmptyLabelWarning(block.line);
      }
      // A bullet under an action is its detail ("- Ross to test\n  - see #12"): explicit markers only.
      detail = stack.length > 0 && stack[stack.length - 1]!.isAction === true && block.checked === null;
      const own = sectionKind(block.text);
      stack.push({ depth: block.depth, kind: own, singular: own === 'decision' && SINGULAR_DECISION.test(block.text) });
      if (own !== null) {
        // "* TODO:" with no bullets under it is an empty action item.
        const after = blocks[bi + 1];
        const hasChildren = after !== undefined && after.kind === 'listItem' && after.depth > block.depth;
        if (own === 'action' && !hasChildren && singularLabel(block.text)) out.warn(block.line, `empty action item: '${plain(block.text)}' has no text`);
        continue;
      }
    } else {
      kind = labelKind(block.listLabel) ?? plainSection;
    }
    if (kind === null) kind = headingKind;
    if (detail) kind = null;
    const actionsBefore = out.actions.length;
    if (block.kind === 'listItem' && block.checked === false && kind === null && !/^@/u.test(block.text.trim())) continue;
    const sc: SegmentContext = {
      kind, topic: block.topic, done: block.struck || block.checked === true,
      explicitOnly: block.quoted || inCode || detail, quoted: block.quoted, isItem: block.kind === 'listItem', raw: block.raw,
    };
    const speaker = block.kind === 'listItem' ? speakerLabel(block.listLabel) ?? speakerLabel(block.parentText) : null;
    if (speaker !== null) sc.speaker = speaker;
    if (block.kind === 'listItem' && block.checked !== null && /^@/u.test(block.text.trim()) && kind === null) {
      emitAction(out, block.text, block.line, sc, {});
      markAction(stack, out.actions.length > actionsBefore);
      continue;
    }
    if (!inCode && !block.quoted && readVotedProposal(out, block, blocks[bi + 1])) {
      if (block.kind === 'listItem') markAction(stack, false);
      continue;
    }
    const toOwner = block.kind === 'listItem' && kind === null && block.text.length < 1000 ? TO_OWNER_SUFFIX.exec(plain(block.text)) : null;
    if (toOwner) {
      const t = plain(block.text);
      emitAction(out, t.slice(0, toOwner.index).trim(), block.line, sc, { owner: toOwner[1]! });
      markAction(stack, out.actions.length > actionsBefore);
      continue;
    }
    // "Summary of action items:" with the items on the lines under it, in one paragraph.
    if (kind === null && block.kind === 'paragraph' && block.lines.length > 1) {
      const first = cleanLine(block.lines[0]!.text);
      const own = /[:：]$/u.test(first) ? sectionKind(first) : null;
      if (own !== null) {
        kind = own;
        sc.kind = own;
        block = { ...block, line: block.lines[1]!.line, lines: block.lines.slice(1), text: block.lines.slice(1).map((l) => l.text).join('\n'), raw: block.lines.slice(1).map((l) => l.raw).join('\n') };
      }
    }
    const splitEvery = kind !== null && block.kind === 'paragraph';
    for (const seg of segmentsOf(block, splitEvery)) {
      // ". task" (AsciiDoc), "-> task", "* task" lines of a plain-text section are its items.
      const isItem = sc.isItem || (kind !== null && block.kind === 'paragraph' && LEADING_BULLET.test(seg.text.trimStart()));
      readSegment(out, seg.text, seg.line, { ...sc, isItem, raw: seg.raw, lines: seg.lines });
    }
    if (block.kind === 'listItem') {
      markAction(stack, out.actions.length > actionsBefore);
      // "AI: Brian will talk to Paris ..." with a "Done" bullet right under it.
      const child = blocks[bi + 1];
      if (out.actions.length === actionsBefore + 1 && child && child.kind === 'listItem' && child.depth > block.depth && DONE_NOTE.test(plain(child.text))) {
        out.actions[out.actions.length - 1]!.done = true;
      }
    }
  }
}

const PROPOSAL_HINT = /^\W{0,4}(?:propos|motion)/i;
const PROPOSAL = /^(?:proposed|proposal|motion)\s*:\s*(\S.{2,})$/i;
const VOTE_RECORD = /\b(?:motion(?:ed)?|seconded|nays?|ayes?|abstain(?:ing|ed)?|unanimous(?:ly)?|vote[ds]?)\b/i;
const VOTE_RESULT = /\b(approved|carried|passed|adopted|accepted|rejected|defeated)\b/i;

/**
 * "Proposed: Extend the TSC to 15" with "Motioned and seconded. 0 nays, approved." right
 * under it is a decision (a rejected proposal is recorded as such). A proposal alone is not.
 */
function readVotedProposal(out: ItemCollector, block: Block, next: Block | undefined): boolean {
  if (next === undefined || block.text.length > 600 || !PROPOSAL_HINT.test(block.text)) return false;
  const proposal = PROPOSAL.exec(plain(block.text));
  if (!proposal) return false;
  const underIt = block.kind === 'listItem' ? next.kind === 'listItem' && next.depth > block.depth : next.line <= block.endLine + 2;
  if (!underIt) return false;
  const result = plain(next.text);
  const verdict = VOTE_RESULT.exec(result);
  if (!verdict || !VOTE_RECORD.test(result)) return false;
  const rejected = /^(?:rejected|defeated)$/i.test(verdict[1]!);
  emitDecision(out, rejected ? `Rejected: ${proposal[1]!}` : proposal[1]!, block.line, block.topic);
  return true;
}

/** "Laura:" over a list: the bullets are what Laura said. */
function speakerLabel(label: string | null): string | null {
  if (label === null || label.length > 40) return null;
  const m = /^[*_\s]*(@?\p{Lu}[\p{L}.'’-]{1,20}(?:\s\p{Lu}[\p{L}.'’-]{1,20})?)\s?:[*_\s]*$/u.exec(label);
  return m && sectionKind(label) === null ? m[1]! : null;
}

function markAction(stack: StackEntry[], isAction: boolean): void {
  const top = stack[stack.length - 1];
  if (top) top.isAction = isAction;
}
