/**
 * Any string parses without throwing (blank input is refused with ParseInputError), the same
 * input always gives the same output, and every line number lies inside the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMinutes, ParseInputError, splitArchive } from '../../../parsers/index.js';
import type { ParsedMinutes } from '../../../parsers/index.js';
import { buildBlocksByLines } from '../../../parsers/line-blocks.js';
import { buildBlocks } from '../../../parsers/blocks.js';

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function allLines(r: ParsedMinutes): number[] {
  return [
    ...r.decisions.map((d) => d.line),
    ...r.actions.map((a) => a.line),
    ...r.topics.map((t) => t.line),
    ...r.suggestions.map((s) => s.line),
    ...r.warnings.map((w) => w.line),
  ];
}

/** Fragments of real minutes syntax, so random documents reach the interesting paths. */
const fragment = fc.constantFrom(
  '# ', '## ', '### ', '- ', '* ', '  - ', '    ', '- [ ] ', '- [x] ', '1. ', '> ', '```\n', '---\n', '| a | b |\n|---|---|\n| ',
  'ACTION: ', 'ACTION Ross: ', 'AI(@bob): ', 'TODO(ann): ', 'DECISION: ', 'RESOLVED: ', '#agreed ', '#topic ', 'Topic: ',
  '**Action:** ', '~~', '**', '_', '`', '[x](http://e.org)', '<b>', 'Attendees', 'Present:', 'Regrets:', 'Chair: ',
  'Christopher Clark, Rich Persaud; BAE', 'Jim and R2', 'Name (Org)', '@handle', ' (TSC)', ' - present',
  '15th December 2016', '2024-03-07', 'September 2017', '12/15/2020', 'Defer to Oct call.', 'Next meeting: 2024-04-04',
  'Ross and James to write a doc', ' by January', ' next week', '(done)', 'DONE ', '•', '\t', '\r\n', '\n', '\n\n', ':', ';', ',',
);
const minutesLike = fc.array(fc.oneof(fragment, fc.string({ maxLength: 12 })), { maxLength: 60 }).map((xs) => xs.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }), minutesLike);

function parseOrRefuse(text: string): ParsedMinutes | 'refused' {
  try {
    return parseMinutes(text);
  } catch (err) {
    if (err instanceof ParseInputError && err.code === 'input-empty' && !text.replace(/^\uFEFF/, '').trim()) return 'refused';
    throw err;
  }
}

describe('parseMinutes on arbitrary text', () => {
  it('never throws (blank input is refused with input-empty) and is deterministic', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = parseOrRefuse(text);
        const b = parseOrRefuse(text);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 400 },
    );
  });

  it('gives line numbers inside the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseOrRefuse(text);
        if (r === 'refused') return;
        const n = lineCount(text);
        for (const line of allLines(r)) {
          expect(Number.isInteger(line)).toBe(true);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(n);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('splits any text into parts that start inside it', () => {
    fc.assert(
      fc.property(minutesLike, (text) => {
        const parts = splitArchive(text);
        expect(parts.length).toBeGreaterThanOrEqual(1);
        for (const p of parts) {
          expect(p.startLine).toBeGreaterThanOrEqual(1);
          expect(p.startLine).toBeLessThanOrEqual(lineCount(text));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads any text with both block readers, lines inside the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const n = lineCount(text);
        for (const doc of [buildBlocks(text), buildBlocksByLines(text)]) {
          expect(doc.lineCount).toBe(n);
          for (const b of doc.blocks) {
            expect(b.line).toBeGreaterThanOrEqual(1);
            expect(b.endLine).toBeGreaterThanOrEqual(b.line);
            expect(b.endLine).toBeLessThanOrEqual(n);
            for (const l of b.lines) expect(l.line >= 1 && l.line <= n).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
