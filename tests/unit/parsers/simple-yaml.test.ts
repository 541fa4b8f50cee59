import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readSimpleYaml } from '../../../parsers/simple-yaml.js';
import { repoRoot, sharedDir } from '../../helpers/env.js';

/** Every `.md` / `.txt` file below `dir` (missing folders give none). */
function texts(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names.filter((n) => /\.(md|txt)$/.test(n)).map((n) => readFileSync(join(dir, n), 'utf8'));
}

describe('front matter read without yaml', () => {
  it('reads key: word lines exactly as yaml does', () => {
    for (const text of [
      'series: openxt',
      'series: openxt\ndate: 2024-03-07\n',
      'title: Weekly call - 7 March 2024\n\nchair: Ann Lee',
      'a: b/c.d_e-f',
      'a: NaN',
      'a: no',
      'a: On',
      '',
    ]) {
      const fast = readSimpleYaml(text);
      expect(fast, text).not.toBeNull();
      expect(fast, text).toEqual(parseYaml(text) ?? {});
    }
  });

  it('leaves to yaml whatever yaml reads differently or more richly', () => {
    for (const text of [
      'a: 1',
      'a: 2024-3-7x',
      'a: 1.0',
      'a: 0x1F',
      'a: 2024',
      'a: true',
      'a: Null',
      'a: "quoted"',
      'a: x # comment',
      'a: 12:30',
      'a: foo  bar',
      'a: one, two',
      'a: [x, y]',
      'a:\n  - x',
      'a: x\na: y',
      '# comment\na: x',
      'a: x\r',
      '__proto__: x',
      'a: x ',
    ]) {
      expect(readSimpleYaml(text), text).toBeNull();
    }
  });

  it('agrees with yaml on the front matter of every example, fixture and corpus file', () => {
    let read = 0;
    for (const dir of [join(repoRoot, 'tests', 'fixtures'), join(sharedDir, 'examples'), join(sharedDir, 'corpus'), join(sharedDir, 'dev-set')]) {
      for (const text of texts(dir)) {
        const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
        if (!m) continue;
        // The whole front matter, and each of its lines alone (most whole ones hold a list).
        for (const doc of [m[1]!, ...m[1]!.split(/\r?\n/)]) {
          const fast = readSimpleYaml(doc);
          if (fast === null) continue;
          read++;
          expect(fast, doc).toEqual(parseYaml(doc) ?? {});
        }
      }
    }
    expect(read).toBeGreaterThan(10);
  });
});
