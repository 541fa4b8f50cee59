/**
 * The marker grammar of minutes, in one place: how communities label actions, decisions,
 * completion and the sections that hold them. Every pattern is anchored and free of nested
 * quantifiers so that matching stays linear on any input (the parser sees random strings).
 */

import { ACTION_SECTIONS, ACTION_SECTION_QUALIFIERS, DECISION_LABELS, DECISION_SECTIONS, DONE_WORDS, HASH_DECISION_WORDS, alternation } from './vocabulary.js';

/**
 * Decision labels at the start of a line: `DECISION:`, `DECISIONS 77.1:`, `RESOLUTION:`,
 * `RESOLVED:`, `Resolution #1:`, `AGREED:`/`Agreed,`, `Conclusion:`, `OUTCOME:`,
 * `Outcome (part2):`. "Proposed resolution" does not start with a label and so is not a
 * decision. The body follows the match.
 */
export const DECISION_MARKER = new RegExp(
  `^${alternation(DECISION_LABELS)}(?:\\s*\\(part\\s?\\d{1,2}\\))?(?:\\s*#?\\d{1,4}(?:\\.\\d{1,4}){0,3})?\\s*(?::|,\\s|\\s[-–—]\\s)\\s*`, 'iu');

/** `decision for our working group: Stay with ...`, `Decision on the tool: reuse ...`: a decision about a named subject. */
export const DECISION_ABOUT_MARKER = /^decisions?\s+(?:on|for|about|regarding)\s+[^:：]{1,50}[:：]\s*(?=\S)/i;

/** `Consensus:` / `SIG consensus:` (one qualifying word allowed). */
export const CONSENSUS_MARKER = /^(?:[\p{L}-]{1,20}\s)?consensus\s*:\s*/iu;

/** `#agreed text` / `#decided text` (MeetBot, IRC). */
export const HASH_DECISION = new RegExp(`^#${alternation(HASH_DECISION_WORDS)}\\b\\s*:?\\s*`, 'i');

/** `Decision to go through the board` (a decision phrased as a noun + infinitive). */
export const DECISION_TO = /^decision\s+to\s+(?=\p{Ll})/iu;

/** The label of an explicit action (case-insensitive; `AI` is checked for capitals after). */
const ACTION_LABEL = /^(?:-?\s{0,2}\[?done\]?\s*[:-]?\s*)?((?:next\s+)?action[\s-]+items?|(?:next\s+)?actions?|todos?|to-do|ai)(?![\p{L}\p{N}])/iu;
/** `ACTION [Name]:`, `ACTION: [Name]:`, `ACTION [A/B] — task`, `ACTION [ali]:- task`: the owner in brackets. */
const LABEL_BRACKET_OWNER = /^\s*(?:[:：]\s*)?\[([^\][]{1,80})\]\s*(?:[:：]\s*(?:-\s*)?|[-–—]\s+)?(?=\S)/u;
const LABEL_NUMBER = /^\s*#?\d{1,4}(?:\.\d{1,4}){0,3}/u;
const LABEL_PAREN_OWNER = /^\s*\(([^()]{1,80})\)/u;
const LABEL_COMMA_OWNER = /^\s*,\s*([\p{L}@][\p{L}\p{N} .'’_-]{0,40}?)\s*[:：]\s*/u;
const LABEL_SPACE_OWNER = /^\s+(@?\p{Lu}[\p{L}.'’-]{0,20}(?:\s\p{Lu}[\p{L}.'’-]{0,20}){0,2})\s*[:：]\s*/u;
const LABEL_COLON = /^\s*[:：]\s*/u;
const LABEL_DASH = /^\s+[-–—]\s+/u;

/** An explicit action label found at the start of a line. */
export interface ActionMarkerMatch {
  /** The owner written in the label itself (`Action (owner):`, `ACTION, Name:`), or null. */
  owner: string | null;
  /** The text after the label. */
  body: string;
  /** True when the line opened with DONE. */
  done: boolean;
}

/**
 * Reads an explicit action label at the start of `text`: `ACTION:` `ACTION ITEM:` `AI:`
 * `TODO:` `Action #1:` `ACTION 77.1:` `Action (owner):` `AI(@handle):` `TODO(name):`
 * `ACTION, Name:` `ACTION Name:` `TODO - task`. `AI` counts only in capitals so that
 * "Ai" in prose is not taken. Null when the line has no such label.
 */
export function matchActionMarker(text: string): ActionMarkerMatch | null {
  const m = ACTION_LABEL.exec(text);
  if (!m) return null;
  const label = m[1]!;
  if (label.toLowerCase() === 'ai' && label !== 'AI') return null;
  let rest = text.slice(m[0].length);
  const done = /^-?\s{0,2}\[?done/i.test(text);
  const num = LABEL_NUMBER.exec(rest);
  if (num) rest = rest.slice(num[0].length);
  let owner: string | null = null;
  const bracket = LABEL_BRACKET_OWNER.exec(rest);
  if (bracket && bracket[1]!.trim() !== '' && !/^[xX ]$/u.test(bracket[1]!)) {
    return { owner: bracket[1]!.trim(), body: rest.slice(bracket[0].length), done };
  }
  const paren = LABEL_PAREN_OWNER.exec(rest);
  if (paren) {
    owner = paren[1]!.trim();
    rest = rest.slice(paren[0].length);
  }
  if (owner === null && label.toLowerCase() !== 'actions') {
    const comma = LABEL_COMMA_OWNER.exec(rest) ?? LABEL_SPACE_OWNER.exec(rest);
    if (comma) return { owner: comma[1]!.trim(), body: rest.slice(comma[0].length), done };
  }
  const colon = LABEL_COLON.exec(rest);
  if (colon) return { owner, body: rest.slice(colon[0].length), done };
  // "AI move to work queue": a label in capitals, then a lowercase verb ("TODO list" is a noun).
  if (/^(?:AI|ACTION)$/u.test(label) && /^\s+\p{Ll}{2,}\s+\S/u.test(rest)) return { owner, body: rest.trim(), done };
  if (/^(?:todo|to-do|action items?)$/i.test(label)) {
    const dash = LABEL_DASH.exec(rest);
    if (dash) return { owner, body: rest.slice(dash[0].length), done };
  }
  return null;
}

/** `Action on Brad to announce` / `Action on Celeste: ...`: the owner follows "on". */
export const ACTION_ON = /^(?:ACTION|[Aa]ction)\s+on\s+(@?[\p{L}][\p{L}\p{N}_.'-]{0,30}(?:\s\p{Lu}[\p{L}'-]{0,20})?)\s*:?\s*/u;

/** `#action text` (MeetBot). */
export const HASH_ACTION = /^#action\b\s*:?\s*/i;

/** `(AI: Chris, Paris reach out to OSMI ) Offer counseling.`: group 1 the inside, the rest follows. */
export const PAREN_ACTION = /^\(\s*(?:AI|ACTION|action item|todo)\s*:\s*([^()]{1,200})\)\s*/i;

/**
 * An uppercase action label inside a line ("... today. AI: Jim", "Brendan AI: Create ...",
 * "[Jim] AI: talk ..."): group 1 is where the label starts.
 */
export const INLINE_ACTION = /(?:^|[\s.?!;:)\]*])((?:ACTION ITEM|ACTION|AI|TODO)\s*[:：])/u;

/** Words that may open a line before the label and name the owner ("Brendan AI:", "[Jim] AI:"). */
export const OWNER_BEFORE_LABEL = /^\[?(@?[\p{L}][\p{L}\p{N}_.'-]{0,30}(?:\s\p{Lu}[\p{L}'-]{0,20})?)\]?\s*$/u;

/** A speaker tag opening a line: `[Dims]`, `[lilic]`. */
export const SPEAKER_TAG = /^\[([^\][]{1,40})\]\s*/u;

/** Headings, labels and parent items whose content is a list of actions. */
export const ACTION_SECTION = new RegExp(
  `^(?:\\d{1,3}[.)]\\s*)?(?:${alternation(ACTION_SECTION_QUALIFIERS)}\\s+)?(?:(?:open|new)\\s+)?${alternation(ACTION_SECTIONS)}(?:,? by person| from (?:the )?(?:last|previous) (?:week|meeting|call))?\\s*[:.]?$`, 'iu');

/** Headings, labels and parent items whose content is a list of decisions. */
export const DECISION_SECTION = new RegExp(`^(?:\\d{1,3}[.)]\\s*)?${alternation(DECISION_SECTIONS)}\\s*[:.]?$`, 'i');

/** A section that mixes both ("Decisions/Action Items"): each row is classified on its own. */
export const MIXED_SECTION = /^(?:\d{1,3}[.)]\s*)?decisions?\s*(?:\/|&|and)\s*action(?: items?)?\s*:?$/i;

/** An inline "Next step(s):" label: the owner-to-verb clauses after it are actions. */
export const NEXT_STEPS_INLINE = /^next steps?\s*[:：]\s*/i;

/** A singular label ("Action Item:", "TODO:") announces one item, not the list after it. */
export const SINGULAR_LABEL = /^(?:action(?: item)?|ai|todo|to-do)\s*:?$/i;

/** Apache-style assignee suffix on an agenda bullet: "... (to Andrew)". Group 1 the owner. */
export const TO_OWNER_SUFFIX = /\(\s*to\s+(@?\p{Lu}[\p{L}'’.-]{0,30}(?:\s(?:and\s)?\p{Lu}[\p{L}'’.-]{0,30}){0,3})\s*\)\s*$/u;

/** An "action" that states a fact is a decision labelled as an action ("X is now a member"). */
export const STATEMENT = /\b(?:is|are) now\b|\b(?:has|have) been (?:approved|accepted|added|elected|appointed)\b|\b(?:is|are|was|were) (?:approved|accepted|elected|appointed)\b/i;

/** A MeetBot-style trailing attribution: `(FranciscoD, 14:35:34)`. */
export const MEETBOT_SUFFIX = /\s{0,4}\(\s{0,2}[\w.|-]{1,40},\s{0,2}\d{1,2}:\d{2}(?::\d{2})?\s{0,2}\)\s{0,4}$/u;

/** A restated action still open: "NOT DONE: ...", "... - NOT DONE", "(not done yet)", "- in progress", "carried over". */
export const NOT_DONE_PREFIX = /^(?:\[\s*not\s+done\s*\]|not\s+done|in\s+progress|carried\s+over)\s*[:\-–]\s*/i;
export const NOT_DONE_SUFFIX = /(?:[\s,;:–—-]{1,4}|\s?\(\s{0,2})(?:not\s+(?:yet\s+)?done(?:\s+yet)?|in\s+progress|ongoing|carried\s+over)\s{0,2}[)\]]?[\s.]{0,3}$/i;

/** Completion written in the text: leading or trailing DONE, "(done)", "[done]", "already completed". */
export const DONE_PREFIX = /^(?:\[\s*done\s*\]|done)\s*[:\-–]\s*/i;
export const DONE_SUFFIX = /(?:[\s,;:–—-]{0,4}(?:\(\s{0,2}done\s{0,2}\)|\(\s{0,2}now here\s{0,2}\)|\[\s{0,2}done\s{0,2}\]|\bDONE|\(\s{0,2}completed?\s{0,2}\))|\s{1,3}[-–—]\s{1,3}already (?:completed|done)[^.]{0,40})[\s.]{0,3}$/u;

/** Leading list decorations left in plain text (pasted wiki bullets, numbering). */
export const LEADING_BULLET = /^(?:[•◦▪‣∙·*+-]|-{1,2}>|\.{1,2}(?=\s+(?!_|[\w-]+::))|\d{1,3}[.)]|[a-z][.)](?=\s))\s+/u;

/** An AsciiDoc section title in plain text ("== Actions"). Group 1 the title. */
export const ASCIIDOC_TITLE = /^={1,6}\s+(\S.{0,80})$/u;

/** A W3C summary numbering in front of a scribejs action/resolution inside a quote. */
export const W3C_NUMBERED = /^(?:action|resolution)\s*#\d{1,4}\s*:/i;

/** ghurlbot creating an issue for an action: the text, the assignee and the due date. */
export const GHURLBOT_ACTION =
  /^ghurlbot:?\s.{0,300}?->\s*action\s+\d{1,6}\s+(.{1,300}?)\s*(?:\[\d{1,3}\]\s*)?\(on\s*([^()]{0,80})\)\s*(?:due\s+(.{1,40}?))?\.?\s*$/iu;

/**
 * Cheap pre-test for a block: only text holding one of these substrings can carry an
 * explicit marker. Run before the many anchored patterns above.
 */
export const EXPLICIT_HINT = /action|next step|\bAI\b|todo|to-do|decision|decided|resolution|resolved|agreed|conclusion|outcome|consensus|#|done|ghurlbot/i;

/** Cheap pre-test for implicit finds (suggestions). */
export const SUGGESTION_HINT = /\s(?:to|will|volunteer(?:s|ed)?|from|objections?|consensus|decided|agreed|action)\s|objections?\b|'ll\s|agreement|conclusion|considered|approv|consent|=>|accept|reject|lgtm|\+1|good to go|opposed|\bI\s?['’]ll\b|\bI will\b|happy to|needs to|going to|committed to|requested to|volunteer|on it/i;

/** A bullet under an action that only says it is finished ("Done", "Completed (see #12)"). */
export const DONE_NOTE = new RegExp(`^${alternation(DONE_WORDS)}\\b[\\s.!:,-]*(?:\\(.*\\))?$`, 'i');
