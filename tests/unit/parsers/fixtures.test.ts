/**
 * One loop over `tests/fixtures/parser/<case>/`: `input.md` or `input.txt`, optional
 * `options.json` ({ meetingDate, filename }), `expected.json` (the whole ParsedMinutes).
 * `UPDATE=1 npx vitest run tests/unit/parsers/fixtures.test.ts` (re)writes the expectations; without
 * it, a missing `expected.json` fails.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMinutes } from '../../../parsers/index.js';
import type { ParseOptions } from '../../../parsers/index.js';

const root = resolve(import.meta.dirname, '../../fixtures/parser');
const update = process.env.UPDATE === '1';
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('parser fixtures', () => {
  it('has fixture folders', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const input = ['input.md', 'input.txt'].map((f) => join(dir, f)).find((f) => existsSync(f));
      if (!input) throw new Error(`fixture ${name}: expected input.md or input.txt in ${dir}, found neither`);
      const optionsFile = join(dir, 'options.json');
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as ParseOptions) : {};
      const actual = parseMinutes(readFileSync(input, 'utf8'), options);
      const expectedFile = join(dir, 'expected.json');
      if (update) {
        writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
        return;
      }
      if (!existsSync(expectedFile)) {
        throw new Error(`fixture ${name}: no expected.json in ${dir}; write it with UPDATE=1 npx vitest run tests/unit/parsers/fixtures.test.ts and check it by eye`);
      }
      const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
      // Round-trip through JSON so `undefined` fields compare as the CLI would print them.
      expect(
        JSON.parse(JSON.stringify(actual)),
        `fixture ${name}: parseMinutes(${input.split('/').pop()}) differs from expected.json ` +
          `(- expected, + received). If the new output is right: UPDATE=1 npx vitest run tests/unit/parsers/fixtures.test.ts`,
      ).toEqual(expected);
    });
  }
});
