/**
 * Decisions written as prose: a sentence whose verb is the group's decision ("we agreed to",
 * "the board voted to", "it was agreed that", "Resolved to", "Approved", "the above resolution
 * passed", "It passed unanimously", "Consensus was that", "X was appointed"). Only the group's
 * own decisions: another body's ("Google decided"), a proposal, a question or a negation are
 * not. Sentences are cut by the NLP library (`nlp.ts`) only when a cheap hint says the text
 * can hold one.
 */
import { DECISION_PASSIVES, DECISION_VERBS, GROUP_SUBJECTS, NOT_DECIDED, alternation } from './vocabulary.js';
import { sentencesOf } from './nlp.js';

/** Cheap pre-test: only text holding one of these words can state a decision in prose. */
export const DECISION_SENTENCE_HINT = /agree|decide|decision|vote|resolv|resolution|approv|accept|adopt|appoint|elect|passed|carried|consensus|tabled|chose|select|ratif/i;

const VERBS = alternation(DECISION_VERBS);
const SUBJECT = alternation(GROUP_SUBJECTS);
const LEAD = `(?:^|[,;:(]\\s*|\\b(?:and|so|then|finally|also|but)\\s+)`;
const ADVERBS = `(?:(?:has|have|had|then|also|all|unanimously|finally|eventually|collectively|generally|was|were)\\s+){0,2}`;
/** "we agreed", "the board unanimously voted", "PAB decided", "it was agreed", "we have decided". */
const GROUP_VERB = new RegExp(`${LEAD}${SUBJECT}\\s+${ADVERBS}${VERBS}\\b(?!\\s+(?:with|by)\\b)`, 'i');
/** A governing body written as an acronym ending in Board, Committee, Council or Group: "PAB decided", "the TSC voted". */
const ACRONYM_VERB = new RegExp(`${LEAD}(?:[Tt]he\\s+)?[A-Z]{1,4}[BCG]\\s+${ADVERBS}${VERBS}\\b(?!\\s+(?:with|by)\\b)`, 'u');
/** "it was agreed", "this has been decided"; in the present only as a formula ("it is agreed that"): "important this is resolved" is a wish. */
const IT_WAS = new RegExp(`\\b(?:it|this)\\s+(?:(?:was|has\\s+been)\\s+(?:(?:unanimously|generally|then|also|finally)\\s+)?(?:agreed|decided|resolved)\\b|is\\s+(?:(?:unanimously|generally|hereby)\\s+)?(?:agreed|decided|resolved)\\s+(?:that|to)\\b)`, 'i');
/** "Discussed the docs; decided it's fine to ...": a subjectless decision opening a clause of notes. */
const CLAUSE_VERB = /(?:^|;\s*)(?:decided|agreed)\s+(?:to|that|on|it|it['’]s|we|not\s+to)\b/i;
/** "Resolved to ...", "Agreed that ...", "Decided: ...", "Approved.", "Accepted" opening the sentence. */
const OPENING = new RegExp(`^(?:(?:resolved|agreed|decided)\\s+(?:to|that|on|upon|not\\s+to)\\b|${alternation(DECISION_PASSIVES)}(?:\\s+(?:by|unanimously|with)\\b|\\s*[.!:,]?\\s*$))`, 'i');
/** "the above resolution passed", "this resolution was tabled", "It passed unanimously", "motion carried". */
const PASSED = new RegExp(`\\b(?:resolution|motion|proposal|it|vote)\\s+(?:was\\s+|has\\s+been\\s+)?(?:unanimously\\s+)?(?:${alternation(DECISION_PASSIVES)}|tabled|rejected|defeated)\\b|\\bpassed\\s+(?:by\\s+(?:a\\s+)?(?:voice\\s+)?vote|unanimously)\\b`, 'i');
/** "Consensus was that", "general consensus is to", "consensus on". */
const CONSENSUS = /(?<!\b(?:no|not|any|if|whether)\s+)\bconsensus\s+(?:was\s+(?:that|to|reached|clear)\b|is\s+(?:that|to)\b|on\b|that\b|to\b|reached\b)|\b(?:general|rough|broad|lazy)\s+consensus\s+(?:is|was)\b/i;
/** "Mary was appointed as chair", "Bob has been elected". */
const APPOINTED = /\b(?:was|were|has\s+been|have\s+been)\s+(?:unanimously\s+)?(?:appointed|elected|approved|ratified)\b/i;

const NEGATED = /\b(?:not|n't|never|yet to|no one|nobody|didn’t|hasn’t|haven’t)\b[^.;]{0,20}\b(?:agreed?|decided?|vote[ds]?|approved|accepted)\b|\bwhether\b|\bif\s+(?:we|the)\b/i;
const PROPOSED = new RegExp(`${alternation(NOT_DECIDED.filter((w) => w.includes(' ')))}|\\b(?:propose[sd]?|suggest(?:s|ed)?)\\s+(?:to|that)\\b`, 'i');

/** True when one sentence states a decision of the meeting's own group. */
export function isDecisionSentence(s: string): boolean {
  const t = s.trim().replace(/^[*_•\s-]+/u, '');
  if (t.length < 6 || t.length > 600 || /\?\s*$/u.test(t)) return false;
  if (!DECISION_SENTENCE_HINT.test(t)) return false;
  if (NEGATED.test(t) || PROPOSED.test(t)) return false;
  return GROUP_VERB.test(t) || CLAUSE_VERB.test(t) || ACRONYM_VERB.test(t) || IT_WAS.test(t) || OPENING.test(t) || PASSED.test(t) || CONSENSUS.test(t) || APPOINTED.test(t);
}

/** A resolution that did not pass ("this resolution was tabled", "the motion failed"). */
export const NOT_PASSED = /\b(?:resolution|motion|proposal)\b.{0,40}\b(?:was\s+|were\s+|has\s+been\s+)?(?:tabled|failed|withdrawn|defeated|rejected)\b/i;
/** The announcement of a resolution whose RESOLVED lines follow ("The following resolution was proposed:"). */
export const RESOLUTION_PROPOSED = /\bresolution\s+(?:was\s+|is\s+)?(?:proposed|moved|presented|introduced)\b/i;

/** The sentences of a prose segment that state decisions, and the others. */
export function splitDecisionSentences(text: string, cutAnyway = false): { decisions: string[]; rest: string[] } {
  if (!DECISION_SENTENCE_HINT.test(text)) return { decisions: [], rest: cutAnyway ? sentencesOf(text) : [text] };
  const decisions: string[] = [];
  const rest: string[] = [];
  for (const s of sentencesOf(text)) (isDecisionSentence(s) ? decisions : rest).push(s);
  return { decisions, rest };
}
