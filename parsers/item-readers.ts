/**
 * Reading one line or bullet of minutes: explicit markers (decisions, actions, `(AI: ...)`,
 * uppercase labels inside a line, ghurlbot), the section the text sits in, and otherwise the
 * implicit finds that become suggestions. Called by the block walker in `items.ts`.
 */
import { extractOwner, isOwnerGroup, isOwnerPhrase, matchAttendees, resolveOwners, splitOwners, strongName } from './owners.js';
import { findDue } from './due-dates.js';
import {
  ACTION_ON, NOT_DONE_PREFIX, NOT_DONE_SUFFIX, CONSENSUS_MARKER, DECISION_ABOUT_MARKER, DECISION_MARKER, DONE_PREFIX, DONE_SUFFIX, EXPLICIT_HINT, GHURLBOT_ACTION, HASH_ACTION,
  HASH_DECISION, INLINE_ACTION, LEADING_BULLET, MEETBOT_SUFFIX, NEXT_STEPS_INLINE, OWNER_BEFORE_LABEL, PAREN_ACTION,
  SPEAKER_TAG, STATEMENT, SUGGESTION_HINT, W3C_NUMBERED, DECISION_TO, matchActionMarker,
} from './markers.js';
import { findSuggestion } from './suggestions.js';
import { posTags } from './nlp.js';
import { DECISION_SENTENCE_HINT, NOT_PASSED, RESOLUTION_PROPOSED, splitDecisionSentences } from './decision-sentences.js';
import { type ItemCollector, type SectionKind, MAX_SEGMENT, plain } from './item-collector.js';

/** A transcript line under an actions heading ("Hudson: Hello everyone ...") is not a task. */
const CHATTER = /^(?:hello|hi|hey|yeah|yes|no|so|i|i'm|i’m|we|okay|ok|thanks|thank|well|um|uh|right|sure|and|but|it|that|this|there|just|good|great|cool|sounds)\b|\?\s*$/i;

/** A labelled action that states a new state of affairs, with no one to do anything. */
const STATE_CHANGE = /^(?:@?\p{Lu}[\p{L}'’.-]*\s+){1,4}(?:is|are|has been|have been)\s+(?:now\s+)?(?:a|an|the)\s+(?:new\s+)?(?:member|maintainer|chair|co-?chair|lead|owner|collaborator|committer|approver|reviewer)s?\b/u;
const SPEAKER_TALK = /^(?:i|i'm|i’m|i'll|i’ll|we|we're|we’re|you|they|my|our|any|let me|it|this|that|there|yes|no|yeah|ok|okay|so|well)\b/i;

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
  /** The speaker whose words these are: a "Name:" label over the bullet. */
  speaker?: string;
  /** The source lines of a multi-line segment, to give each sentence its own line. */
  lines?: { line: number; text: string }[];
}

export function cleanLine(text: string): string {
  return plain(text).replace(LEADING_BULLET, '').trim();
}

/**
 * Builds an action from the text after its marker. Returns false when there is no task at
 * all (an empty `Action Item:`), so that the caller can warn.
 */
export function emitAction(
  out: ItemCollector, body: string, line: number, sc: SegmentContext,
  opts: { owner?: string | null; meetbot?: boolean; done?: boolean; explicit?: boolean; nameVerb?: boolean; keepTo?: boolean },
): boolean {
  let text = body.replace(MEETBOT_SUFFIX, '').trim();
  const bodyKey = text;
  let done = sc.done || opts.done === true;
  const prefix = DONE_PREFIX.exec(text);
  if (prefix) { done = true; text = text.slice(prefix[0].length); }
  const notDonePrefix = NOT_DONE_PREFIX.exec(text);
  if (notDonePrefix) { done = false; text = text.slice(notDonePrefix[0].length); }
  const notDone = NOT_DONE_SUFFIX.exec(text);
  if (notDone && notDone.index > 0) { done = false; text = text.slice(0, notDone.index).trim(); }
  const suffix = notDone ? null : DONE_SUFFIX.exec(text);
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
  task = (opts.keepTo === true ? task : task.replace(/^(?:to|will)\s+(?=\p{Ll})/u, '')).replace(/^[\s:–—-]+|[\s,;]+$/gu, '').replace(/\.{2,}$/u, '.');
  if (task === '') return false;
  if ((ownerPhrase === null || ownerPhrase.trim() === '') && STATEMENT.test(task)) {
    emitDecision(out, task, line, sc.topic);
    return true;
  }
  const warnings: string[] = [];
  let owners: string[] = [];
  if (ownerPhrase !== null && ownerPhrase.trim() !== '') {
    // "[PAB follow up, Kadir]": keep the parts shaped like names when some are and some are not.
    let parts = splitOwners(ownerPhrase);
    const named = parts.filter((p) => isOwnerPhrase(p, { attendees: out.ctx.attendees, allowLowerNick: true }));
    if (named.length > 0 && named.length < parts.length) parts = named;
    const resolved = resolveOwners(parts, out.ctx.attendees);
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

/** Records a decision (MeetBot suffixes and stray punctuation trimmed). */
export function emitDecision(out: ItemCollector, text: string, line: number, topic: string | null): void {
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
  if (NOT_DONE_PREFIX.test(text)) { text = text.replace(NOT_DONE_PREFIX, ''); done = false; }
  const donePrefix = DONE_PREFIX.exec(text);
  if (donePrefix) { done = true; text = text.slice(donePrefix[0].length); }
  const ctx: SegmentContext = { ...sc, done };
  if (sc.explicitOnly && sc.kind === null && !EXPLICIT_HINT.test(text) && !DECISION_SENTENCE_HINT.test(text)) return;
  // "[RESOLVED: MIX2 => FPWD]": a marker line wrapped in brackets.
  const wrapped = /^\[([^\][]{3,600})\]$/u.exec(text);
  if (wrapped && EXPLICIT_HINT.test(wrapped[1]!) && readExplicit(out, wrapped[1]!.trim(), line, ctx)) return;
  if (EXPLICIT_HINT.test(text) && readExplicit(out, text, line, ctx)) return;
  if (sc.quoted === true) return;
  if (sc.kind === 'action' || sc.kind === 'mixed') {
    if (readInSection(out, text, line, ctx)) return;
  }
  if (sc.kind === 'decision') {
    if (text.split(' ').length >= 2 && (sc.isItem || text.split(' ').length >= 3)) emitDecision(out, text, line, sc.topic);
    return;
  }
  if (sc.kind !== null) return;
  if (!sc.explicitOnly && readNameTo(out, text, line, sc)) return;
  readProse(out, text, line, sc);
}

/** A label before the clause that assigns the work: "Main TODO is - ", "Next step: ". */
const ACTION_LEAD = /^[^:–—]{0,30}\b(?:todo|action|next step)s?\b[^:–—]{0,12}(?:\s[-–—]\s|:\s)/i;
/** "to investigate this next week: Mishal, Philip, Anton": the task, then its owners. */
const TASK_THEN_OWNERS = /^(to\s+\p{Ll}[^:]{2,150}?)\s*:\s*([^:]{2,120})$/u;

/**
 * "Richard to capture a summary ...": a line or bullet of its own that assigns work to a
 * subject is an action wherever it stands, when the subject surely names someone (an
 * attendee, a handle, a group, or a name when the minutes list no attendees).
 */
function readNameTo(out: ItemCollector, text: string, line: number, sc: SegmentContext): boolean {
  if (!sc.isItem && sc.lines !== undefined && sc.lines.length > 1) return false;
  if (text.length > 400 || /\?\s*$/u.test(text)) return false;
  // "[Link to the charter being discussed](...)": a line that is one link is a reference.
  if (sc.raw !== undefined && /^\s*(?:[-*+]\s+)?\[[^\]]*\]\([^)]*\)[.\s]*$/u.test(sc.raw)) return false;
  const attendees = out.ctx.attendees;
  const reversed = TASK_THEN_OWNERS.exec(text);
  if (reversed) {
    const names = splitOwners(reversed[2]!);
    if (names.length > 0 && attendees.length > 0 && names.every((n) => strongName(n, attendees))) {
      return emitAction(out, reversed[1]!, line, sc, { owner: reversed[2]!, keepTo: true });
    }
    return false;
  }
  const lead = ACTION_LEAD.exec(text);
  const body = lead ? text.slice(lead[0].length) : text;
  if (!/\sto\s+\p{Ll}/u.test(body.slice(0, 90))) return false;
  // A subject opens with a capital or a handle, or is a lower-case nick of an attendee.
  if (!/^(?:@|\p{Lu})/u.test(body) && (attendees.length === 0 || matchAttendees(body.split(/[\s,]/u, 1)[0]!, attendees).length === 0)) return false;
  const split = extractOwner(body, { attendees, explicit: false, nameVerb: false });
  if (split.owner === null || !/^to\s/u.test(body.slice(split.owner.length).trimStart())) return false;
  const parts = splitOwners(split.owner);
  // Without attendees to check against, a name is two capitalised words, or one the tagger reads as a proper noun.
  const named = (p: string): boolean => isOwnerPhrase(p, { attendees }) && (/^\p{Lu}\p{Ll}+\s\p{Lu}\p{Ll}+$/u.test(p)
    || (/^\p{Lu}\p{Ll}+$/u.test(p) && !/\p{Ll}{3}(?:ing|ed|ion|ment|ness|s)$/u.test(p) && posTags(`${p} to ${body.slice(split.owner!.length).trim().split(/\s+/).slice(1, 4).join(' ')}`)[0]?.pos === 'PROPN'));
  const sure = parts.length > 0 && parts.every((p) => strongName(p, attendees) || isOwnerGroup(p) || (attendees.length === 0 && named(p)));
  if (!sure) return false;
  return emitAction(out, split.task, line, sc, { owner: split.owner });
}

/** The line a sentence of a multi-line segment starts on. */
function lineOf(sentence: string, line: number, sc: SegmentContext): number {
  if (sc.lines === undefined || sc.lines.length < 2) return line;
  const head = sentence.slice(0, 24);
  for (const l of sc.lines) if (l.text.includes(head)) return l.line;
  return line;
}

/**
 * Prose outside item sections: sentences that state the group's decision are decisions
 * (also in indented text); outside code, the other sentences may hold a suggestion.
 */
function readProse(out: ItemCollector, text: string, line: number, sc: SegmentContext): void {
  // Sentences are cut when one may hold a suggestion (a commitment, a speaker's "I'll").
  const { decisions, rest } = splitDecisionSentences(text, !sc.explicitOnly && SUGGESTION_HINT.test(` ${text} `));
  let resolution: 'not-passed' | null = null;
  if (/\b(?:resolution|motion)\b/iu.test(text)) {
    for (const s of [...decisions, ...rest]) resolution = resolutionState(out, s, lineOf(s, line, sc)) ?? resolution;
  }
  for (const d of decisions) emitDecision(out, d, lineOf(d, line, sc), sc.topic);
  if (resolution === 'not-passed') return;
  if (sc.explicitOnly) return;
  let count = 0;
  // "Nia: Congratulations. I'll inform the council": later sentences are still the speaker's.
  const opening = /^(@?[\p{L}][\p{L}\p{N}_.-]{0,30}(?:\s\p{Lu}[\p{L}.-]{0,20})?)\s?:\s+\S/u.exec(text);
  const speaker = sc.speaker ?? (opening && isOwnerPhrase(opening[1]!, { attendees: out.ctx.attendees, allowLowerNick: true }) ? opening[1]! : null);
  for (const s of rest) {
    if (count++ >= 8) break;
    const found = findSuggestion(s, out.ctx.attendees, s === rest[0] && sc.speaker === undefined ? null : speaker);
    if (found) out.addSuggestion({ kind: found.kind, owners: found.owners, text: found.text, line: lineOf(found.text, lineOf(s, line, sc), sc), reason: found.reason });
  }
}

/**
 * A formal resolution: its RESOLVED lines are decisions only if it passed. "The following
 * resolution was proposed" opens one; "this resolution was tabled" closes it unpassed, and
 * `finishResolutions` then withdraws what was read in between (the tabling itself stays).
 */
function resolutionState(out: ItemCollector, text: string, line: number): 'not-passed' | null {
  if (RESOLUTION_PROPOSED.test(text)) out.resolutionMarks.push({ line, kind: 'proposed' });
  else if (NOT_PASSED.test(text)) {
    out.resolutionMarks.push({ line, kind: 'not-passed' });
    return 'not-passed';
  } else if (/\b(?:resolution|motion)\b/iu.test(text) && PASSED_WORD.test(text)) out.resolutionMarks.push({ line, kind: 'passed' });
  return null;
}

const PASSED_WORD = /\b(?:passed|carried|adopted|approved)\b/i;

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
  // "Gershom: Action items: Laurent updates the draft": a speaker announcing an action label.
  const speaker = /^[\p{Lu}@][\p{L}\p{N}_.'’ -]{0,30}:\s+/u.exec(t);
  if (owner === null && speaker && /^(?:action items?|actions|next steps?)\s*:/i.test(t.slice(speaker[0].length))) {
    t = t.slice(speaker[0].length).replace(/^(?:action items?|actions|next steps?)\s*:\s*/iu, 'ACTION: ');
  }
  const hashDecision = HASH_DECISION.exec(t);
  const decision = hashDecision ?? DECISION_MARKER.exec(t) ?? CONSENSUS_MARKER.exec(t) ?? DECISION_ABOUT_MARKER.exec(t);
  if (decision) {
    const body = t.slice(decision[0].length);
    const inline = INLINE_ACTION.exec(body);
    if (inline && inline.index > 0) {
      // "Outcome: open issue to clean up AI: Jim": the label only names who does what precedes
      // it, so the outcome is that action, not also a decision.
      const after = body.slice(inline.index + inline[0].length).trim();
      const ownerOnly = after !== '' && after.split(/\s+/).length <= 3 && /^(?:\p{Lu}|@)/u.test(after) && !/\s\p{Ll}/u.test(after);
      if (!ownerOnly) emitDecision(out, body.slice(0, inline.index + (inline[0].length - inline[1]!.length)), line, sc.topic);
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
  if (marker && !marker.owner && !owner && STATE_CHANGE.test(marker.body)) {
    // "**Action: Jeremiah Senkpiel is now a member of the TC**" records what was decided.
    emitDecision(out, marker.body, line, sc.topic);
    return true;
  }
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
  // "(CD summit NA meeting space): Jac to ping Emily": the parenthesis names the subject, not an owner.
  text = text.replace(/^\([^()]{1,80}\):\s+(?=\S)/u, '');
  const words = text.split(' ');
  if (words.length < 2 || /^\(?unassigned\)?$/i.test(text)) return sc.isItem;
  if (/^\(?(?:document generated by|created by|see (?:also|above|below)|see \d+ action)\b/iu.test(text) || text.endsWith('?')) return sc.isItem;
  const nameVerb = sc.isItem;
  const split = extractOwner(text, { attendees: out.ctx.attendees, explicit: true, nameVerb, ...(sc.raw !== undefined ? { raw: sc.raw } : {}) });
  if (sc.kind === 'mixed') {
    if (split.owner !== null) emitAction(out, text, line, sc, { nameVerb });
    else emitDecision(out, text, line, sc.topic);
    return true;
  }
  if (!sc.isItem && (split.owner === null || CHATTER.test(split.task))) return false;
  // "CA: we are looking to hire ..." in an "ACTIONS" list is a speaker talking, not "Owner: task".
  if (split.owner !== null && /^[^:]{1,40}:\s/u.test(text) && SPEAKER_TALK.test(split.task)) return false;
  emitAction(out, text, line, sc, { nameVerb });
  return true;
}

