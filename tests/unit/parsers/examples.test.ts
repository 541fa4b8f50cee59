/**
 * The first users' examples (`../shared/examples/`): each `.md` and `.raw.txt` against its
 * `*.expected.json`, with the README's semantics — owners exactly equal after resolution,
 * text contains `contains` (case-insensitive), `due` equal, and nothing extra extracted.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMinutes } from '../../../parsers/parse-minutes.js';
import type { ParsedMinutes } from '../../../parsers/types.js';
import { sharedDir } from '../../helpers/env.js';

interface ExpectedItem { owners?: string[]; contains: string; due?: string; kind?: 'action' | 'decision'; deferredTo?: string }
interface Expected {
  date: string;
  attendees: string[];
  decisions: ExpectedItem[];
  actions: ExpectedItem[];
  suggestions?: ExpectedItem[];
  topics_deferred?: ExpectedItem[];
}

const dir = join(sharedDir, 'examples');
const inputs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md' || f.endsWith('.raw.txt')).sort() : [];

function expectedFor(input: string): Expected {
  const base = input.endsWith('.raw.txt') ? input.replace(/\.raw\.txt$/, '.raw') : input.replace(/\.md$/, '');
  const file = existsSync(join(dir, `${base}.expected.json`)) ? `${base}.expected.json` : `${base.replace(/\.raw$/, '')}.expected.json`;
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Expected;
}

const has = (text: string, part: string): boolean => text.toLowerCase().includes(part.toLowerCase());
/** Letters and digits only, lower-case: compares text across wrapping and punctuation. */
const squash = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Every expected item is found once, in order of listing, and nothing else is. */
function matchAll<T extends { text: string }>(what: string, found: T[], expected: ExpectedItem[], same: (f: T, e: ExpectedItem) => boolean, exact: boolean): void {
  const left = [...found];
  for (const e of expected) {
    const i = left.findIndex((f) => has(f.text, e.contains) && same(f, e));
    expect(i, `${what}: nothing matches ${JSON.stringify(e)}; found ${JSON.stringify(found, null, 1)}`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
  if (exact) expect(left, `${what}: extracted but not expected`).toEqual([]);
}

describe('shared examples', () => {
  it('finds the examples', () => {
    expect(inputs.length).toBe(4);
  });
  for (const input of inputs) {
    describe(input, () => {
      const expected = expectedFor(input);
      const text = readFileSync(join(dir, input), 'utf8');
      const parsed: ParsedMinutes = parseMinutes(text, { filename: input });

      it('has the meeting date and attendees', () => {
        expect(parsed.date).toBe(expected.date);
        expect(parsed.attendees.map((a) => a.name).sort()).toEqual([...expected.attendees].sort());
      });

      it('extracts exactly the expected actions', () => {
        matchAll('actions', parsed.actions, expected.actions, (f, e) =>
          JSON.stringify(f.owners) === JSON.stringify(e.owners ?? []) && (e.due === undefined || f.due === e.due), true);
        for (const a of parsed.actions) if (!expected.actions.some((e) => e.due !== undefined && has(a.text, e.contains))) expect(a.due).toBeNull();
      });

      it('extracts exactly the expected decisions', () => {
        matchAll('decisions', parsed.decisions, expected.decisions, () => true, true);
      });

      it('puts implicit finds in suggestions, each shown with its reason at its own line', () => {
        // The expected suggestions (when listed) are found; every suggestion, listed or not, is
        // what the note-taker sees: a kind, a reason, and text that is on the line it points to
        // (or wrapped onto the next ones), never a copy of an extracted action.
        matchAll('suggestions', parsed.suggestions, expected.suggestions ?? [], (f, e) =>
          f.kind === e.kind && (e.owners === undefined || JSON.stringify(f.owners) === JSON.stringify(e.owners)), false);
        const lines = text.split('\n');
        for (const s of parsed.suggestions) {
          expect(['action', 'decision'], `suggestion at line ${s.line}: kind`).toContain(s.kind);
          expect(s.reason.length, `suggestion at line ${s.line}: reason`).toBeGreaterThan(0);
          expect(s.line, `suggestion "${s.text}": line within the file`).toBeGreaterThanOrEqual(1);
          expect(s.line).toBeLessThanOrEqual(lines.length);
          const around = squash(lines.slice(s.line - 1, s.line + 3).join(' '));
          expect(around, `suggestion "${s.text}": its start is on line ${s.line}`).toContain(squash(s.text).slice(0, 20));
          expect(parsed.actions.some((a) => a.line === s.line && s.kind === 'action'), `suggestion at line ${s.line} repeats an action`).toBe(false);
        }
      });

      it('marks exactly the expected topics deferred (none when the file lists none)', () => {
        const deferred = parsed.topics.filter((t) => t.deferredTo !== null).map((t) => ({ text: t.title, deferredTo: t.deferredTo }));
        matchAll('deferred topics', deferred, expected.topics_deferred ?? [], (f, e) => f.deferredTo === e.deferredTo, true);
      });
    });
  }
});
