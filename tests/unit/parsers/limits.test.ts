/**
 * Size limits: over MAX_INPUT_BYTES is refused with a message saying so; the largest
 * accepted pathological inputs (2 MB of deeply nested lists, 100k short lines) still parse.
 * Timing is not asserted here: `npm run bench -- parse` measures it against the 2 s target.
 */
import { describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES, ParseInputError, parseMinutes } from '../../../parsers/index.js';
import { nestedLists, shortLines } from '../../helpers/parser-inputs.js';

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
});
