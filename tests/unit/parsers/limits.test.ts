/**
 * Size limits: over MAX_INPUT_BYTES is refused with a message saying so; the largest
 * accepted pathological inputs (2 MB of deeply nested lists, 100k short lines) still parse.
 * Timing is not asserted here: `npm run bench -- parse` measures it against the 2 s target.
 */
import { describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES, ParseInputError, parseMinutes } from '../../../parsers/index.js';
import { nestedLists, shortLines } from '../../helpers/parser-inputs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../helpers/env.js';
import { LARGE_INPUT_CHARS } from '../../../parsers/line-blocks.js';

describe('input limits', () => {
  it('refuses input over the limit with a clear message', () => {
    const big = 'a'.repeat(MAX_INPUT_BYTES + 1);
    expect(() => parseMinutes(big)).toThrow(ParseInputError);
    expect(() => parseMinutes(big)).toThrow(/input is 2\.0 MB; the limit is 2\.0 MB/);
    try {
      parseMinutes(Buffer.from(big));
    } catch (err) {
      expect((err as ParseInputError).code).toBe('input-too-large');
    }
  });

  it('counts bytes, not characters', () => {
    const multiByte = 'é'.repeat(MAX_INPUT_BYTES / 2 + 1); // 2 bytes each in UTF-8
    expect(() => parseMinutes(multiByte)).toThrow(/limit is 2\.0 MB/);
  });

  it('refuses binary and empty input', () => {
    expect(() => parseMinutes(Buffer.from([0x23, 0x20, 0x00, 0x01]))).toThrow(/binary/);
    expect(() => parseMinutes(Buffer.from([0x23, 0x20, 0xc3, 0x28]))).toThrow(/not valid UTF-8/);
    expect(() => parseMinutes('   \n\n')).toThrow(/input is empty/);
  });

  it('parses 2 MB of deeply nested lists', () => {
    const text = nestedLists(MAX_INPUT_BYTES - 1024);
    const r = parseMinutes(text);
    expect(r.date).toBe('2024-03-07');
    expect(r.title).toBe('Nested 2024-03-07');
  }, 300_000); // no time assertion here (shared CI machines); the bench checks the 2 s target

  it('parses 100k short lines', () => {
    const text = shortLines(100_000);
    const r = parseMinutes(text);
    expect(r.date).toBe('2024-03-07');
    expect(r.topics).toEqual([]);
  }, 300_000);

  it('reads very large minutes line by line with the same meeting, attendees and topics', () => {
    for (const f of ['openxt-2016-12-15.md', 'openxt-2016-12-15.raw.txt', 'openxt-2017-09.md']) {
      const text = readFileSync(join(sharedDir, 'examples', f), 'utf8');
      const filler = '\n\n' + Array.from({ length: 6000 }, (_, i) => `Filler paragraph number ${i}, with some text to pad it out.`).join('\n\n');
      const big = text + filler;
      expect(big.length).toBeGreaterThan(LARGE_INPUT_CHARS);
      const small = parseMinutes(text);
      const large = parseMinutes(big);
      expect({ title: large.title, date: large.date, attendees: large.attendees, absent: large.absent, topics: large.topics }, f).toEqual({
        title: small.title, date: small.date, attendees: small.attendees, absent: small.absent, topics: small.topics,
      });
      expect(large.actions.map((a) => [a.owners, a.line]), f).toEqual(small.actions.map((a) => [a.owners, a.line]));
    }
  });
});
