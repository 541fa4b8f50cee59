/**
 * Sentence boundaries and parts of speech from wink-nlp with its small English model
 * (`wink-eng-lite-web-model`, shipped as an npm package: nothing is downloaded at run time).
 * Loaded lazily, on the first candidate sentence that needs it, so that parsing minutes with
 * no prose to judge never pays for it; pure otherwise (the model is a JS module).
 */
import { createRequire } from 'node:module';

interface WinkDoc {
  sentences(): { out(): string[] };
  tokens(): { out(f?: unknown): string[] };
}
interface Wink {
  readDoc(text: string): WinkDoc;
  its: { pos: unknown; value: unknown };
}

let wink: Wink | null = null;
let failed = false;

function load(): Wink | null {
  if (wink !== null || failed) return wink;
  try {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as (model: unknown, pipe?: string[]) => Wink;
    const model = require('wink-eng-lite-web-model') as unknown;
    wink = winkNLP(model, ['sbd', 'pos']);
  } catch {
    failed = true; // without the library the parser falls back to its own sentence cut
  }
  return wink;
}

/** Characters of text handed to the library at most (one paragraph of minutes is far less). */
const MAX_NLP_CHARS = 3000;

/** Where a rule cannot tell a sentence end: "e.g. Foo", "Dr. Smith", "J. Smith", "etc. The" (a stop the rule would cut at). */
const HARD_STOP = /(?:^|[\s(])(?:\p{Lu}|e\.g|i\.e|etc|vs|cf|approx|[Dd]r|[Mm]rs?|[Mm]s|[Pp]rof|[Ss]t|[Nn]o|[Ff]ig|[Ii]nc|[Ll]td|[Jj]r|[Ss]r)\.\s+\p{Lu}/u;

/** Cuts prose into sentences; text without an inner full stop, `;`, `!` or `?` is one sentence. */
export function sentencesOf(text: string): string[] {
  const t = text.trim();
  if (t === '') return [];
  if (!/[.!?;](?:\s|$)[\s\S]*\S/u.test(t)) return [t];
  // Plain prose (every full stop ends a sentence) is cut by rule; the library is asked where a
  // rule would guess: abbreviations, initials, numbers, quotes and brackets around a stop.
  if (!HARD_STOP.test(t)) return t.split(/(?<=[.!?;])\s+(?=[\p{Lu}\d"“'‘(@*])/u).map((x) => x.trim()).filter((x) => x !== '');
  const nlp = t.length <= MAX_NLP_CHARS ? load() : null;
  if (nlp === null) return t.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  const out: string[] = [];
  for (const s of nlp.readDoc(t).sentences().out()) {
    // wink cuts "v1.2" and "e.g. on"; a piece that starts lowercase or with a digit joins the one before.
    if (out.length > 0 && /^[\p{Ll}\d]/u.test(s)) out[out.length - 1] = `${out[out.length - 1]} ${s}`;
    else out.push(s.trim());
  }
  return out;
}

/** Parts of speech (Universal POS tags: PROPN, NOUN, PRON, VERB, AUX, ...) of each word of a short text. */
export function posTags(text: string): { word: string; pos: string }[] {
  const nlp = text.length <= MAX_NLP_CHARS ? load() : null;
  if (nlp === null) return [];
  const doc = nlp.readDoc(text);
  const words = doc.tokens().out();
  const tags = doc.tokens().out(nlp.its.pos);
  return words.map((word, i) => ({ word, pos: tags[i] ?? 'X' }));
}
