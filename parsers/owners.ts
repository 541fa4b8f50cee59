/**
 * Owners of an action: split the owner phrase ("Ross and James", "Christopher + Eric",
 * "Chris, Paris") into names, tell a name from an ordinary word, and resolve each name
 * against the attendees of the same minutes (first name, handle, initials, ...).
 */
import { foldName } from '../domain/names.js';
import type { ParsedAttendee } from './types.js';
import { COMMON_VERBS, CONNECTORS_NEEDING_TO, FUNCTION_WORDS, GROUP_NOUNS, GROUP_WORDS, NOT_NAMES, OWNER_CONNECTORS, PLACEHOLDER_OWNERS } from './vocabulary.js';
import { posTags } from './nlp.js';

/** Separators between several owners: and, &, +, /, commas. */
const OWNER_SEPARATOR = /\s*(?:,|&|\+|\/|;|\band\b)\s*/i;

/**
 * Splits an owner phrase into the names it holds. Several @handles with no separator
 * ("@a @b") count as several owners; a single handle-less phrase stays whole.
 */
export function splitOwners(phrase: string): string[] {
  const cleaned = phrase.slice(0, 200).replace(/^[\s([]{1,10}/u, '').replace(/[\s)\]:.,]{1,10}$/u, '');
  if (cleaned === '') return [];
  const out: string[] = [];
  for (const part of cleaned.split(OWNER_SEPARATOR)) {
    const p = part.trim().replace(/^(?:cc|with)\s+/i, '');
    if (p === '') continue;
    if (p.includes('@') && /^(?:@[\w.-]+\s+)+@[\w.-]+$/.test(p)) out.push(...p.split(/\s+/));
    else out.push(p);
  }
  return out;
}

/** Options for `isOwnerPhrase`. */
export interface OwnerPhraseOptions {
  /** Accept lowercase IRC nicks ("ehashman", "renoirb"): only where a marker says an owner follows. */
  allowLowerNick?: boolean;
  /** Attendees of the same minutes: a word that names one of them is a name whatever its case. */
  attendees?: ParsedAttendee[];
}

const HONORIFIC = /^(?:mr|mrs|ms|dr|prof)\.?$/i;

/** True when the word looks like a handle or nick written as a name: @x, camelCase, CAPS, x2. */
export function isNickLike(word: string): boolean {
  if (/^@[\p{L}\p{N}_.-]+$/u.test(word)) return true;
  if (/^\p{Lu}{2,6}\p{Ll}{0,2}$/u.test(word)) return true; // KK, ECH, DLz, TDM
  if (/^\p{L}{2,}\p{Ll}\p{Lu}[\p{L}\p{N}]*$/u.test(word)) return true; // FranciscoD, PaulM (not PoC, IoT)
  return false;
}

function isGroupPart(words: string[]): boolean {
  const first = words[0]!.toLowerCase();
  const last = words[words.length - 1]!.toLowerCase();
  if (words.length === 1) return GROUP_WORDS.has(first);
  // "Work with Hyperledger Besu team" is a task, not a group: no verbs or function words inside.
  if (COMMON_VERBS.has(first) || words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()))) return false;
  // "Board follow up" is a note, not a group: lowercase words in a group's name are group words.
  if (words.some((w) => /^\p{Ll}/u.test(w) && !GROUP_WORDS.has(w) && !GROUP_NOUNS.has(w))) return false;
  // "Release team", "Kepler team": any leading words before a group noun, unless they read as ordinary words.
  if (GROUP_NOUNS.has(last) && words.length <= 3 && /^\p{Lu}/u.test(words[0]!)) return true;
  if (words.some((w) => NOT_NAMES.has(w.toLowerCase()) && !GROUP_WORDS.has(w.toLowerCase()))) return false;
  return GROUP_WORDS.has(first) || GROUP_NOUNS.has(last);
}

function knownName(word: string, attendees: ParsedAttendee[] | undefined): boolean {
  if (!attendees || attendees.length === 0) return false;
  return matchAttendees(word, attendees).length > 0;
}

/**
 * True when `phrase` can be the subject of an action: one or more names (1-4 words each,
 * capitalised or handles), groups ("ALL", "CPC members"), or nicks where allowed.
 * Ordinary words ("Update docs", "This", "We") are refused.
 */
export function isOwnerPhrase(phrase: string, opts: OwnerPhraseOptions = {}): boolean {
  if (phrase.length === 0 || phrase.length > 80) return false;
  const parts = splitOwners(phrase);
  if (parts.length === 0) return false;
  for (const part of parts) {
    const words = part.split(/\s+/).filter((w) => w !== '');
    if (words.length === 0 || words.length > 5) return false;
    if (isGroupPart(words)) continue;
    if (words.length === 1 && knownName(words[0]!, opts.attendees)) continue;
    if (words.length > 4) return false;
    let ok = true;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const lower = w.toLowerCase().replace(/[.:,]+$/, '');
      if (i > 0 && /^\p{Lu}\.?$/u.test(w)) continue; // initial: "Paul I", "Ned B."
      if (NOT_NAMES.has(lower)) { ok = false; break; }
      if (i === 0 && HONORIFIC.test(w)) continue;
      if (isNickLike(w)) continue;
      if (/^\p{Lu}[\p{L}'’.-]*$/u.test(w)) {
        // A capitalised verb at the start is an imperative task ("Update the docs"), not a name.
        if (i === 0 && words.length === 1 && COMMON_VERBS.has(lower)) { ok = false; break; }
        continue;
      }
      if (/^\p{Lu}\.?$/u.test(w)) continue; // initial: "Paul I", "Ned B."
      if (opts.allowLowerNick && words.length === 1 && /^[\p{Ll}][\p{L}\p{N}_-]{1,30}$/u.test(w) && !COMMON_VERBS.has(lower)) continue;
      if (knownName(w, opts.attendees)) continue;
      ok = false;
      break;
    }
    if (!ok) return false;
  }
  return true;
}

interface FoldedAttendee { name: string; handle: string | null; full: string; handleFolded: string | null; words: string[] }
const foldedAttendees = new WeakMap<ParsedAttendee, FoldedAttendee>();

/** An attendee's folded name, handle and name words, computed once per attendee object. */
function fa(a: ParsedAttendee): FoldedAttendee {
  let f = foldedAttendees.get(a);
  if (f === undefined || f.name !== a.name || f.handle !== a.handle) {
    const full = foldName(a.name);
    f = { name: a.name, handle: a.handle, full, handleFolded: a.handle === null ? null : foldName(a.handle).replace(/^@/, ''), words: full.split(' ').filter((w) => w !== '') };
    foldedAttendees.set(a, f);
  }
  return f;
}

/**
 * The attendees a written name can mean, most specific rule first: full name, handle,
 * first name, first name + initial of the last name, last name, initials ("KK", "DLz"), and
 * with `shortForms` a short form of a first name ("Jac" for Jacqueline).
 * Returns the candidates of the first rule that finds any.
 */
export function matchAttendees(name: string, attendees: ParsedAttendee[], shortForms = false): ParsedAttendee[] {
  const folded = foldName(name).replace(/^@/, '');
  if (folded === '') return [];
  const rules: ((a: ParsedAttendee) => boolean)[] = [
    (a) => fa(a).full === folded,
    (a) => fa(a).handleFolded === folded,
    (a) => fa(a).words[0] === folded,
    (a) => {
      const [first, initial] = folded.split(' ');
      const w = fa(a).words;
      return initial !== undefined && initial.length === 1 && w.length > 1 && w[0] === first && w[w.length - 1]!.startsWith(initial);
    },
    (a) => {
      const w = fa(a).words;
      return w.length > 1 && w[w.length - 1] === folded;
    },
    (a) => {
      // Initials as IRC scribes write them: "KK", "mk".
      if (!/^(?:\p{Lu}{2,4}|\p{Ll}{2,3})$/u.test(name)) return false;
      const w = fa(a).words;
      return w.length > 1 && w.map((x) => x[0]).join('') === folded;
    },
    (a) => {
      // Initials told apart by letters of the last name: "DLz"/"DLop" (Dan Lopez) vs "DLc"/"DLor" (Dan Lorenc).
      const m = /^(\p{Lu}{2,3})(\p{Ll}{1,3})$/u.exec(name);
      if (!m) return false;
      const w = fa(a).words;
      return w.length > 1 && w.map((x) => x[0]).join('') === m[1]!.toLowerCase() && w[w.length - 1]!.slice(1).includes(m[2]!);
    },
    (a) => {
      // A short form of a first name: "Jac" for Jacqueline, "Chris" for Christopher. Only when
      // resolving an owner already read as one: as a test of "is this a name" it would take
      // "Just" for Justin.
      if (!shortForms || folded.length < 3 || folded.includes(' ')) return false;
      const first = fa(a).words[0] ?? '';
      // "Josh" for "JoshG" too: a one-word nick that is the first name plus an initial.
      const nickInitial = fa(a).words.length === 1 && new RegExp(`^${folded}\\p{Lu}$`, 'iu').test(a.name) && /\p{Lu}$/u.test(a.name);
      // "Niko" for the one-word handle "nikomatsakis": a nick that starts with the short form.
      const nickStart = fa(a).words.length === 1 && folded.length >= 4 && (fa(a).handleFolded ?? first).startsWith(folded);
      return ((fa(a).words.length > 1 || nickInitial) && first.length > folded.length && first.startsWith(folded)) || nickStart;
    },
  ];
  for (const rule of rules) {
    const found = attendees.filter(rule);
    if (found.length > 0) return found;
  }
  return [];
}

/** "Ernest", "Mark Smith": one or two capitalised words that are not ordinary words. */
function nameShaped(p: string): boolean {
  const words = p.trim().split(/\s+/);
  return words.length <= 3 && words.every((w) => /^\p{Lu}[\p{Ll}'’-]+$/u.test(w) && !NOT_NAMES.has(w.toLowerCase()) && !COMMON_VERBS.has(w.toLowerCase()));
}

/** A part of an owner phrase that surely names someone: a handle, initials, a nick, or an attendee. */
export function strongName(part: string, attendees: ParsedAttendee[], shortForms = false): boolean {
  const p = part.trim();
  if (/^@[\w.-]{1,39}$/u.test(p) || /^\p{Lu}{2,4}$/u.test(p)) return true;
  if (GROUP_WORDS.has(p.toLowerCase())) return true;
  return attendees.length > 0 && matchAttendees(p, attendees, shortForms).length > 0;
}

/** True when the phrase names a group that can own an action ("Release team", "ALL", "CPC members"). */
export function isOwnerGroup(phrase: string): boolean {
  const words = phrase.trim().split(/\s+/).filter((w) => w !== '');
  return words.length > 0 && isGroupPart(words);
}

function isGroupName(name: string, attendees: ParsedAttendee[]): boolean {
  const w = name.split(/\s+/);
  if (isGroupPart(w)) return true;
  const folded = foldName(name);
  return attendees.some((a) => a.org !== null && foldName(a.org) === folded);
}

/**
 * Resolves each written owner to the one attendee it names. A name that matches several
 * attendees, or none while the minutes list attendees, stays as written with a warning;
 * groups and the organisations of attendees stay as written without one.
 */
export function resolveOwners(
  names: string[],
  attendees: ParsedAttendee[],
): { owners: string[]; warnings: string[] } {
  const owners: string[] = [];
  const warnings: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === '' || PLACEHOLDER_OWNERS.has(name.toLowerCase())) continue;
    let resolved = name;
    if (attendees.length > 0 && !isGroupName(name, attendees)) {
      const found = matchAttendees(name, attendees, true);
      const distinct = [...new Set(found.map((a) => a.name))];
      if (distinct.length === 1) resolved = distinct[0]!;
      else if (distinct.length > 1) {
        warnings.push(`owner '${name}' matches ${distinct.length} attendees: ${distinct.sort().join(', ')}`);
      } else {
        warnings.push(`owner '${name}' matches no attendee`);
      }
    }
    if (!owners.includes(resolved)) owners.push(resolved);
  }
  return { owners, warnings };
}

/** Options for `extractOwner`. */
export interface ExtractOwnerOptions {
  attendees: ParsedAttendee[];
  /** A marker or section says an owner may open the text: accept lowercase nicks and "Name verb". */
  explicit: boolean;
  /** Accept "Name verb ..." with no connector (explicit markers and bullets; not loose paragraph lines). */
  nameVerb?: boolean;
  /** MeetBot line ("... (nick, 14:35:34)"): its first word is the owner's nick. */
  meetbot?: boolean;
  /** The Markdown source of the text, to read owners written as links. */
  raw?: string;
}

/** The owner phrase found in an action text and the task that remains. */
export interface OwnerSplit {
  owner: string | null;
  task: string;
}

const CONNECTORS = OWNER_CONNECTORS;
const MODALS = new Set(['will', 'shall', 'should', 'must', 'can', "'ll"]);

/** Leading Markdown links naming the owners: "[A](u) [B](u) to ...", "[A](u) and [B](u) will ...". */
const LEADING_LINK = /^\s*\[([^\][]{1,60})\]\([^()\s]{0,600}\)\s*(?:,|and|&|\+)?\s*/u;
/** A trailing Markdown link naming the owner, optionally followed by a date (Confluence). */
const TRAILING_LINK = /\[([^\][]{1,60})\]\([^()\s]{0,600}\)(?:\s{1,3}\d{1,2}\s[A-Za-z]{3,9}\s\d{4})?[\s.]{0,4}$/u;

function stripNamesPrefix(text: string, names: string[]): string {
  let rest = text;
  for (const n of names) {
    const i = rest.indexOf(n);
    if (i < 0 || i > 8) return text;
    rest = rest.slice(i + n.length).replace(/^\s*(?:,|and|&|\+)?\s*/u, '');
  }
  return rest;
}

const ALL_GROUP = /^((?:all|every)\s+(?:[\p{L}-]+\s+){0,3}(?:members|folks|people|chairs|maintainers|reviewers|approvers|leads|owners|contributors|editors))\s+(?=\p{Ll})/iu;
const PASSIVE_SUBJECT = /^(?:@?[\p{Lu}\p{Ll}][\p{L}'’.-]*\s+){1,4}to\s+be\s+\p{Ll}+(?:ed|en|wn|ne|t)\b/u;

/** "to do X" / "will do X" -> "do X". */
function afterConnector(words: string[], k: number): string {
  const c = words[k]!.toLowerCase();
  let i = k + 1;
  if (CONNECTORS_NEEDING_TO.has(c) && words[i]?.toLowerCase() === 'to') i++;
  if (c === 'took' || c === 'takes' || c === 'taking') return words.slice(k).join(' ');
  return words.slice(i).join(' ');
}

/** "Ross and James to write ..." -> owner "Ross and James", task "write ...". */
function connectorForm(text: string, opts: OwnerPhraseOptions): OwnerSplit | null {
  const words = text.split(/\s+/).filter((w) => w !== '').slice(0, 60);
  for (let k = 1; k < Math.min(words.length, 9); k++) {
    let c = words[k]!.toLowerCase();
    let ownerEnd = k;
    if (c === '-' || c === '–' || c === '—') {
      c = (words[k + 1] ?? '').toLowerCase();
      k++;
    }
    if (c.endsWith("'ll") && k === ownerEnd) continue;
    if (!CONNECTORS.has(c)) continue;
    const next = (words[k + 1] ?? '').toLowerCase();
    if (CONNECTORS_NEEDING_TO.has(c) && next !== 'to') continue;
    if (MODALS.has(c) && /^(?:be|not|have|been)$/.test(next)) return null;
    if (next === '') return null;
    const candidate = words.slice(0, ownerEnd).join(' ').replace(/[,:]$/, '');
    // "Bumped to next teleconference": one word shaped like a verb (and no attendee) is not a subject.
    if (ownerEnd === 1 && /^\p{Lu}\p{Ll}{2,}(?:ed|ing)$/u.test(candidate) && !(opts.attendees && opts.attendees.length > 0 && matchAttendees(candidate, opts.attendees).length > 0)) return null;
    if (isOwnerPhrase(candidate, opts)) return { owner: candidate, task: afterConnector(words, k) };
    return null;
  }
  return null;
}

/** True when the tagger reads the first word as a proper noun and the second as a verb. */
function taggedAsNameVerb(text: string): boolean {
  const tags = posTags(text);
  return tags.length >= 2 && tags[0]!.pos === 'PROPN' && tags[1]!.pos === 'VERB';
}

/** "FranciscoD update docs", "Chris, Paris reach out": names followed by a lowercase verb. */
function nameVerbForm(text: string, opts: ExtractOwnerOptions): OwnerSplit | null {
  // "All steering committee members review ...": a group of people, then the verb.
  const group = ALL_GROUP.exec(text);
  if (group) return { owner: group[1]!, task: text.slice(group[1]!.length).trim() };
  const words = text.split(/\s+/).filter((w) => w !== '').slice(0, 40);
  let k = 0;
  while (k < words.length && k < 6 && !/^\p{Ll}/u.test(words[k]!.replace(/^[,&+/]$/u, 'X')) ) k++;
  // "shepazu send out a poll": a lowercase nick followed by a common verb.
  const w0 = words[0]!.toLowerCase();
  const nickish = !COMMON_VERBS.has(w0) && !NOT_NAMES.has(w0) && !/(?:ed|en|ing|ly|ion|al|ous|ive|ful|ble|ment)$/u.test(w0);
  if (k === 0 && (opts.meetbot || (COMMON_VERBS.has((words[1] ?? '').toLowerCase()) && nickish))) k = 1;
  if (k === 0 || k >= words.length || k > 5) return null;
  if (!/^\p{Ll}/u.test(words[k]!)) return null;
  const candidate = words.slice(0, k).join(' ').replace(/[,:]$/, '');
  const parts = splitOwners(candidate);
  if (parts.length === 0 || COMMON_VERBS.has(parts[0]!.split(' ')[0]!.toLowerCase())) return null;
  const strongEach = parts.every((p) =>
    isNickLike(p) || (opts.attendees.length > 0 && matchAttendees(p, opts.attendees).length > 0) || GROUP_WORDS.has(p.toLowerCase()));
  const lowerNick = k === 1 && /^\p{Ll}/u.test(words[0]!);
  // "Saad schedule a zoom call": one capitalised word, then a common verb.
  const verb = words[1]!.toLowerCase();
  const nameThenVerb = k === 1 && parts.length === 1 && (COMMON_VERBS.has(verb) || (/[^s]s$/u.test(verb) && COMMON_VERBS.has(verb.slice(0, -1)))) && /^\p{Lu}\p{Ll}+$/u.test(words[0]!)
    && !/(?:ed|ing|ly|ion|ment)$/u.test(w0);
  // "Chris H opens an issue": a capitalised full name (two or three words), then a lowercase word.
  const fullName = parts.length === 1 && k >= 2 && k <= 3 && words.slice(0, k).every((w) => /^\p{Lu}[\p{Ll}'’-]*\.?$/u.test(w));
  // "Wayne prune inactive members": a name, then a word the language model reads as a verb.
  const taggedVerb = k === 1 && parts.length === 1 && !nameThenVerb && /^\p{Lu}\p{Ll}+$/u.test(words[0]!) && !/(?:ed|ing|ly|ion|ment)$/u.test(w0)
    && !NOT_NAMES.has(w0) && taggedAsNameVerb(words.slice(0, 6).join(' '));
  const ok = opts.meetbot || lowerNick || nameThenVerb || taggedVerb || fullName || strongEach || (parts.length > 1 && isOwnerPhrase(candidate, { attendees: opts.attendees }));
  if (!ok || !isOwnerPhrase(candidate, { attendees: opts.attendees, allowLowerNick: true })) return null;
  return { owner: candidate, task: words.slice(k).join(' ') };
}

/**
 * Splits an action text into its owner phrase and its task. Tried in order: owners written
 * as leading links, "Owner: task", "Owners to/will <verb> ...", "[Owners] task", "Name verb ..."
 * (explicit contexts only), a trailing "(Owner)", a trailing link, and a later sentence
 * "X and Y volunteer to ...". Only the subject is taken: in "Ross and James to write a doc so
 * that Rich can start", Rich is not an owner.
 */
export function extractOwner(text: string, opts: ExtractOwnerOptions): OwnerSplit {
  const body = text.trim();
  const phraseOpts: OwnerPhraseOptions = { attendees: opts.attendees, allowLowerNick: opts.explicit };
  if (opts.raw !== undefined) {
    const names: string[] = [];
    let raw = opts.raw.replace(/^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?/u, '').replace(/^\*\*|^__/u, '');
    for (let m = LEADING_LINK.exec(raw); m && names.length < 6; m = LEADING_LINK.exec(raw)) {
      names.push(m[1]!.trim());
      raw = raw.slice(m[0].length);
    }
    if (names.length > 0 && names.every((n) => isOwnerPhrase(n, { attendees: opts.attendees }))) {
      const rest = stripNamesPrefix(body, names);
      if (rest !== body) {
        const words = rest.split(/\s+/);
        const first = (words[0] ?? '').toLowerCase();
        if (CONNECTORS.has(first)) return { owner: names.join(', '), task: afterConnector(words, 0) };
        if (/^\p{Ll}/u.test(rest) || first.startsWith('to')) return { owner: names.join(', '), task: rest.replace(/^to(?=\p{Ll})/u, '') };
      }
    }
  }
  const colon = /^([^:：]{1,60}?)\s*[:：]\s+(\S.*)$/su.exec(body);
  if (colon && colon[1]!.split(/\s+/).length <= 5 && isOwnerPhrase(colon[1]!, phraseOpts)) {
    return { owner: colon[1]!.trim(), task: colon[2]!.trim() };
  }
  // "@a, @b - get draft polished", "Ernest & Dustin - project end dates": owners, a dash, the task.
  const dash = /^(.{1,60}?)\s[-–—]\s+(\S.*)$/su.exec(body);
  if (dash && opts.explicit && dash[1]!.split(/\s+/).length <= 6 && isOwnerPhrase(dash[1]!, { attendees: opts.attendees })
    && splitOwners(dash[1]!).every((p) => strongName(p, opts.attendees) || (opts.attendees.length === 0 && nameShaped(p)))) {
    return { owner: dash[1]!.trim(), task: dash[2]!.trim().replace(/^(?:will|to)\s+(?=\p{Ll})/u, '') };
  }
  const bracket = /^\[([^\][]{1,60})\]\s*(\S.*)$/su.exec(body);
  if (bracket && isOwnerPhrase(bracket[1]!, phraseOpts)) return { owner: bracket[1]!, task: bracket[2]! };
  // "Eric to be contacted to add ...": Eric is the object of a passive; who acts is not written.
  if (PASSIVE_SUBJECT.test(body)) return { owner: null, task: body };
  const conn = connectorForm(body, phraseOpts);
  if (conn) return conn;
  if (opts.explicit) {
    const nv = opts.nameVerb === false ? null : nameVerbForm(body, opts);
    if (nv) return nv;
    // "task - Mark will grab from ...", "task - SH will do, coordinate with Ernest", "task — Name".
    const tail = /\s[-–—]\s+(@?[\p{L}][\p{L}\p{N}_.'’-]{0,30}(?:\s(?:and\s|&\s)?@?\p{Lu}[\p{L}'’.-]{0,30}){0,3})(?:\s+will\b.*|\s*[.,]?\s*)$/u.exec(body);
    if (tail && tail.index > 0 && splitOwners(tail[1]!).every((p) => strongName(p, opts.attendees) || /^\p{Lu}[\p{Ll}'’-]+(?:\s\p{Lu}[\p{Ll}'’-]+)?$/u.test(p))
      && isOwnerPhrase(tail[1]!, { attendees: opts.attendees })) {
      return { owner: tail[1]!, task: body.slice(0, tail.index).trim() };
    }
    const paren = /\(\s*(?:to\s+|owner:\s*|assignee:\s*|@)?([^()]{1,50})\)\s*\.?\s*(?::[a-z_+-]{1,30}:\s*){0,3}$/u.exec(body);
    if (paren && paren.index > 0) {
      const who = paren[1]!.trim();
      const lowerNick = /^\p{Ll}[\p{L}\p{N}_-]{1,30}$/u.test(who) && !NOT_NAMES.has(who) && !COMMON_VERBS.has(who);
      if (/^\p{Lu}|^@/u.test(who) || lowerNick || /^\(\s*to\s/u.test(paren[0]) || (opts.attendees.length > 0 && matchAttendees(who, opts.attendees).length > 0)) {
        if (isOwnerPhrase(who, { attendees: opts.attendees, allowLowerNick: true })) {
          return { owner: who, task: body.slice(0, paren.index).trim() };
        }
      }
    }
    if (opts.raw !== undefined) {
      const tl = TRAILING_LINK.exec(opts.raw);
      if (tl && isOwnerPhrase(tl[1]!, { attendees: opts.attendees })) {
        const name = tl[1]!.trim();
        const at = body.lastIndexOf(name);
        const task = at > 0 ? `${body.slice(0, at).trim()} ${body.slice(at + name.length).trim()}`.trim() : body;
        return { owner: name, task };
      }
    }
    // "Turn #9491 to checklist (Martha and Tony) so we can ...": a parenthesis of attendees or initials.
    const mid = /\(([^()]{1,50})\)/u.exec(body);
    if (mid && mid.index > 0 && splitOwners(mid[1]!).every((p) => strongName(p, opts.attendees))) {
      return { owner: mid[1]!.trim(), task: `${body.slice(0, mid.index).trim()} ${body.slice(mid.index + mid[0].length).trim()}`.trim() };
    }
    const sentences = body.split(/(?<=[.;!?])\s+/u).slice(1, 4);
    for (const s of sentences) {
      const later = connectorForm(s, { attendees: opts.attendees });
      if (later) return { owner: later.owner, task: body };
    }
  }
  return { owner: null, task: body };
}
