/**
 * Implicit finds in prose, kept apart from actions and decisions because they are guesses:
 * "starting point would be for Chris Rogers to create a wiki page", "Eric will post ...",
 * "need input from Rich Turner", "no objections", "Consensus is yes", "Rich Persaud
 * volunteered to be release manager". The note-taker promotes them; they never become
 * actions on their own.
 */
import type { ParsedAttendee, ParsedSuggestion } from './types.js';
import { SUGGESTION_HINT } from './markers.js';
import { COMMON_VERBS, NOT_NAMES } from './vocabulary.js';
import { isNickLike, isOwnerGroup, matchAttendees, resolveOwners, splitOwners } from './owners.js';

const NO_OBJECTIONS = /\bno (?:objections?|one opposed|opposition)\b/i;
/**
 * Outcomes stated without a decision word: "general agreement", "basic conclusion is that",
 * "considered final", "The Board stated approval", "=> Postponed", "good to go".
 */
const OUTCOME = /\b(?:general|broad|rough) agreement\b|\bconclusion (?:is|was) that\b|\bconsidered (?:final|approved|accepted|closed|settled)\b|\b(?:stated|expressed|gave|granted) (?:its |their )?(?:approval|consent)\b|=>\s*(?:postponed|deferred|cancell?ed|approved|accepted|rejected|agreed)\b|\bgood to go\b|\bsounds like (?:a )?consensus\b/i;
/** A decision-maker's verdict: "matz: accepted.", "Dani, Nick: approves", "matz rejected it because ...". */
const VERDICT = /^(?:[\p{L}@][\p{L}\p{N}_.@-]{0,30}(?:,\s*(?:and\s+)?[\p{L}@][\p{L}\p{N}_.@-]{0,30}){0,6}\s*:\s*(?:accepted|rejected|approved?|approves|accepts?|lgtm|\+1)\b[.!]?\s*$|[\p{L}@][\p{L}\p{N}_.@-]{0,30}\s+(?:accepted|rejected|approved)\s+(?:it|this|the (?:proposal|change|request|feature|patch))\b)/iu;
const CONSENSUS = /(?<!\bno |\bnot |\bany )\b(?:consensus (?:is|was) (?:yes|no|to|that|reached|clear)\b|(?:reached|there is|there was|rough|lazy|general) consensus (?:to|on|that|for)\b|by consensus\b|(?:it was|we|was|were|group|committee|council|everyone) (?:decided|agreed)\b|generally agreed\b|unanimously (?:approved|agreed|accepted)\b|motion (?:carried|passed)\b|(?:was|were) approved\b)/i;
const VOLUNTEERED_ROLE = /^(.{2,60}?)\s+(?:volunteered|volunteers|agreed|was nominated|was elected|was appointed)\s+(?:to be|as)\s+/u;
const NEEDS_FROM = /\bneeds?\s+(?:input|feedback|review|approval|help|an answer|a decision|confirmation|sign-off)\s+from\s+(@?\p{Lu}[\p{L}'’-]{0,30}(?:\s\p{Lu}[\p{L}'’-]{0,30}){0,2}|@[\w.-]{1,39})/u;
const TAKES_ACTION = /^(.{1,60}?)\s+(?:is\s+|has\s+|have\s+)?(?:taking|taken|took|will take|takes)\s+(?:this\s+|it\s+|that\s+)?(?:as\s+|on\s+)?(?:an?\s+|the\s+)?action(?:\s+items?)?\b/i;
/** A speaker taking a task: "mk: ok, will merge PR", "Jack: I'll update the doc". */
const SPEAKER_WILL = /^(@?[\p{L}][\p{L}\p{N}_.-]{0,30}(?:\s\p{Lu}[\p{L}.-]{0,20})?)\s?:\s+(?:(?:ok|okay|sure|yes|yeah|fine)[,.!]?\s+(?=will\s)|(?=i\s?'ll|i’ll|i will|i'm|i’m|i am|i can))((?:i\s?'ll|i’ll|i will|will|i'm happy to|i’m happy to|i am happy to|i can)\s+(\p{Ll}[\p{L}-]{1,30}).*)$/iu;
/** What a speaker says of themself in a later sentence: "I'll inform the council", "Will work with you". */
const SELF_COMMITMENT = /^(?:(?:ok|okay|sure|yes|yeah|fine|so)[,.!]?\s+)?(?:i\s?'ll|i’ll|i will|i'm happy to|i’m happy to|i am happy to|i can|will)\s+(\p{Ll}[\p{L}-]{1,30})/iu;
/** A speaker's one-word commitment: "Gershom: volunteered". */
const SPEAKER_VOLUNTEERED = /^(@?[\p{L}][\p{L}\p{N}_.-]{0,30}(?:\s\p{Lu}[\p{L}.-]{0,20})?)\s?:\s+(volunteer(?:ed|s)?|i volunteer|i['’]ll do it|i['’]ll take it|on it)[.!]?$/iu;
const CONNECTOR = /(?:^|\s)(to|will|'ll|would|needs to|is going to|are going to|committed to|is planning(?: to)?|are planning(?: to)?)\s+(?:also\s+)?(\p{Ll}[\p{L}-]{1,30}|"[^"]{2,40}")/gu;
const NOT_VERBS = new Set(['be', 'not', 'have', 'been', 'the', 'a', 'an', 'this', 'that', 'their', 'his', 'her', 'its', 'our', 'my', 'your', 'and', 'or', 'do', 'all', 'some', 'which', 'what', 'how', 'whom', 'get', 'like', 'love', 'prefer', 'rather', 'need', 'want', 'probably', 'likely']);
/** "will be the bridge", "will be reviewing PRs": "be" as a commitment, not a state ("will be out"). */
const BE_COMMITMENT = /^be\s+(?:the|a|an|\p{Ll}+ing)\b/u;
/** "Grease Pencil branch to be sent for review", "Issue to be looked at by Kepler team": a task without an owner. */
const PASSIVE_TASK = /^(?:the\s+)?\p{Lu}[\p{L}\p{N}'’ -]{2,60}?\s+to\s+be\s+\p{Ll}+(?:ed|en|wn|ne|t|looked|done)\b/u;
/** "The UI team is kindly requested to join forces": the subject is asked to act. */
const REQUESTED = /^(?:the\s+)?(.{2,40}?)\s+(?:is|are)\s+(?:kindly\s+|hereby\s+)?(?:requested|asked|invited)\s+to\s+\p{Ll}/iu;
const HONORIFIC = /^(?:mr|mrs|ms|dr|prof)\.?$/i;

function isPersonWord(w: string): boolean {
  // "Synchronising to avoid ...": a gerund opening a sentence is not a name.
  return /^\p{Lu}[\p{Ll}'’-]{1,30}$/u.test(w) && !NOT_NAMES.has(w.toLowerCase()) && !COMMON_VERBS.has(w.toLowerCase()) && !/(?:is|iz|at|ect|ish)ing$/u.test(w);
}

/**
 * True when `phrase` surely names people: @handles, attendees, "First Last" names, or a
 * lone capitalised first name when the minutes list no attendees to check it against.
 */
function isStrongOwner(phrase: string, attendees: ParsedAttendee[]): boolean {
  const parts = splitOwners(phrase);
  if (parts.length === 0 || parts.length > 4) return false;
  return parts.every((p) => {
    if (/^@[\w.-]{1,39}$/u.test(p) || /^\p{Lu}{2,4}$/u.test(p)) return true;
    const words = p.split(/\s+/);
    if (words.length > 3) return false;
    if (attendees.length > 0 && matchAttendees(p, attendees).length > 0) return true;
    const ws = HONORIFIC.test(words[0]!) ? words.slice(1) : words;
    if (ws.length === 0) return false;
    if (ws.length === 1) {
      if (HONORIFIC.test(words[0]!)) return /^\p{Lu}/u.test(ws[0]!);
      return attendees.length === 0 && isPersonWord(ws[0]!) && !isNickLike(ws[0]!);
    }
    return ws.every((w) => isPersonWord(w) || /^\p{Lu}\.?$/u.test(w));
  });
}

/** The owner phrase just before a connector at `index`: up to 4 words, or "A and B" lists. */
function ownerBefore(text: string, index: number, attendees: ParsedAttendee[]): string | null {
  const before = text.slice(Math.max(0, index - 80), index);
  if (/[:]\s*$/u.test(before)) return null;
  const tail = before.split(/(?<!\b(?:Mr|Mrs|Ms|Dr|Prof))[.;!?(,]\s+|\s[-–—]\s|:\s+|\s+(?:for|and then|then|but|so|that|if|when|need|needs|asked|asks|ask|want|wants|wanted|and\s+(?=\p{Lu}\p{Ll}+\s+(?:would|will)\b))\s+|[()]/u).pop() ?? '';
  const words = tail.trim().split(/\s+/).filter((w) => w !== '');
  // The name must open its clause ("..., Max will", "for Chris Rogers to"): a name in object
  // position ("failing to get Colloquy to connect") is not the subject.
  if (words.length === 0 || words.length > 7) return null;
  const candidate = words.join(' ');
  // "Now the development team will ...": a group as subject.
  const group = candidate.replace(/^(?:(?:now|so|then|also)\s+)?the\s+/iu, '');
  if (group !== candidate && group.split(' ').length <= 3 && isOwnerGroup(group.replace(/^\p{Ll}/u, (c) => c.toUpperCase()))) return group;
  if (/^\p{Ll}/u.test(candidate) && !candidate.startsWith('@')) return null;
  return isStrongOwner(candidate, attendees) ? candidate : null;
}

function sentenceFrom(text: string, start: number): string {
  const rest = text.slice(start);
  const end = rest.search(/[.;!?](?:\s|$)/u);
  const s = (end >= 0 ? rest.slice(0, end) : rest).trim();
  // "(Rod to make an issue for this)": drop the parenthesis the sentence started inside.
  return (s.split('(').length < s.split(')').length ? s.slice(0, s.lastIndexOf(')')) : s).trim();
}

function resolvedOwners(phrase: string, attendees: ParsedAttendee[]): string[] {
  return resolveOwners(splitOwners(phrase), attendees).owners;
}

/**
 * The suggestion a line of prose holds, if any (without its line number). Questions are
 * not suggestions.
 */
export function findSuggestion(text: string, attendees: ParsedAttendee[], speaker: string | null = null): Omit<ParsedSuggestion, 'line'> | null {
  const t = text.length > 1000 ? text.slice(0, 1000) : text;
  if (speaker !== null && !/\?\s*$/u.test(t)) {
    // A later sentence of the same speaker, or a bullet under "Name:": "I'll inform the council", "will review ...".
    const self = SELF_COMMITMENT.exec(t) ?? /(?:^|,\s*(?:but|and)\s+|\bbut\s+)(will\s+(\p{Ll}[\p{L}-]{1,30}))/u.exec(t);
    const verb = self ? (self[2] ?? self[1])!.split(' ').pop()! : '';
    if (self && (!NOT_VERBS.has(verb) || BE_COMMITMENT.test(t.slice(self.index + self[0].length - verb.length)))) {
      return { kind: 'action', owners: resolvedOwners(speaker, attendees), text: sentenceFrom(t, self[0].startsWith(',') || self[0].startsWith(' ') ? t.indexOf(self[1]!) : self.index), reason: "a speaker saying 'I will <verb>'" };
    }
  }
  if (!SUGGESTION_HINT.test(` ${t} `)) return null;
  const volunteered = SPEAKER_VOLUNTEERED.exec(t);
  if (volunteered) {
    return { kind: 'action', owners: resolvedOwners(volunteered[1]!, attendees), text: volunteered[2]!, reason: 'a speaker volunteering' };
  }
  const passive = PASSIVE_TASK.exec(t);
  if (passive && !/\?\s*$/u.test(t)) {
    const by = /\bby\s+((?:the\s+)?\p{Lu}[\p{L}-]{1,30}(?:\s+(?:team|group|wg|sig))?)\b/u.exec(t.slice(passive[0].length));
    return { kind: 'action', owners: by ? resolvedOwners(by[1]!.replace(/^the\s+/u, ''), attendees) : [], text: sentenceFrom(t, 0), reason: "'X to be done' without a marker" };
  }
  const requested = REQUESTED.exec(t);
  if (requested && (isStrongOwner(requested[1]!, attendees) || /\b(?:team|group|wg|sig|members|committee)$/i.test(requested[1]!))) {
    return { kind: 'action', owners: resolvedOwners(requested[1]!.replace(/^the\s+/iu, ''), attendees), text: sentenceFrom(t, 0), reason: "'X is requested to <verb>' without a marker" };
  }
  const question = /\?\s*$/u.test(t);
  const role = VOLUNTEERED_ROLE.exec(t);
  if (role && isStrongOwner(role[1]!, attendees)) {
    return { kind: 'decision', owners: [], text: sentenceFrom(t, 0).replace(/,\s*will\s.*$/u, ''), reason: 'a volunteer or nomination for a role' };
  }
  if (NO_OBJECTIONS.test(t) && !question && !/\bif (?:there are )?no objections?\b/iu.test(t)) {
    return { kind: 'decision', owners: [], text: t, reason: "'no objections'" };
  }
  if (CONSENSUS.test(t) && !question) {
    return { kind: 'decision', owners: [], text: t, reason: 'consensus or agreement in prose' };
  }
  if (!question && OUTCOME.test(t)) {
    return { kind: 'decision', owners: [], text: t, reason: 'an outcome stated without a decision word' };
  }
  if (!question && VERDICT.test(t)) {
    return { kind: 'decision', owners: [], text: t, reason: "a decision-maker's verdict" };
  }
  const needs = NEEDS_FROM.exec(t);
  if (needs) {
    return { kind: 'action', owners: resolvedOwners(needs[1]!, attendees), text: t, reason: "'need input from X' without a marker" };
  }
  const takes = TAKES_ACTION.exec(t);
  if (takes) {
    const who = takes[1]!.replace(/^.*[:,.;]\s+/u, '');
    const owners = isStrongOwner(who, attendees) ? resolvedOwners(who, attendees) : [];
    return { kind: 'action', owners, text: t, reason: "'taking it as an action' in prose" };
  }
  if (question) return null;
  const speakerWill = SPEAKER_WILL.exec(t);
  if (speakerWill && !NOT_VERBS.has(speakerWill[3]!.toLowerCase())) {
    return { kind: 'action', owners: resolvedOwners(speakerWill[1]!, attendees), text: sentenceFrom(speakerWill[2]!, 0), reason: "a speaker saying 'I will <verb>'" };
  }
  CONNECTOR.lastIndex = 0;
  let count = 0;
  for (let m = CONNECTOR.exec(t); m && count < 8; m = CONNECTOR.exec(t), count++) {
    const verb = m[2]!;
    if (NOT_VERBS.has(verb) && !(verb === 'be' && m[1] !== 'to' && BE_COMMITMENT.test(t.slice(m.index + m[0].length - verb.length)))) continue;
    const at = m.index + (m[0].length - m[0].trimStart().length);
    const owner = ownerBefore(t, at, attendees);
    if (owner === null) continue;
    // "Christian will send out another Doodle" -> "will send out another Doodle": the commitment
    // keeps its modal; "for Chris to create a page" -> "create a page".
    const from = m[1] === 'to' ? m.index + m[0].length - verb.length : m.index + (m[0].length - m[0].trimStart().length);
    const task = sentenceFrom(t, from);
    const word = m[1] === 'to' ? 'to' : m[1] === "'ll" ? 'will' : m[1]!;
    return { kind: 'action', owners: resolvedOwners(owner, attendees), text: task, reason: `'X ${word} <verb>' without a marker` };
  }
  return null;
}
