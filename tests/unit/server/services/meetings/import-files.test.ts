import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collectFiles } from '../../../../../server/services/meetings/import-files.js';

describe('the files an import takes from folders', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'minutes-files-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const rel = (files: string[]) => files.map((f) => relative(root, f));

  it('takes minutes files in path order, skipping hidden entries, other extensions and README-style files', () => {
    mkdirSync(join(root, 'a/2020'), { recursive: true });
    mkdirSync(join(root, 'a/.git'));
    for (const f of ['a/2020/2020-02-01.md', 'a/2020/2020-01-01.txt', 'a/notes.markdown', 'a/README.md', 'a/data.json', 'a/.git/x.md', 'a/.hidden.md']) writeFileSync(join(root, f), '# x\n');
    expect(rel(collectFiles([join(root, 'a')]))).toEqual(['a/2020/2020-01-01.txt', 'a/2020/2020-02-01.md', 'a/notes.markdown']);
  });

  it('follows links to files and folders, takes a file reached twice once, and ends on a link loop or a dangling link', () => {
    mkdirSync(join(root, 'elsewhere/2021'), { recursive: true });
    writeFileSync(join(root, 'elsewhere/2021/2021-03-04.md'), '# x\n');
    writeFileSync(join(root, 'elsewhere/2019-05-06.md'), '# x\n');
    mkdirSync(join(root, 'archive'));
    writeFileSync(join(root, 'archive/2020-01-01.md'), '# x\n');
    symlinkSync(join(root, 'elsewhere/2021'), join(root, 'archive/2021')); // a folder link
    symlinkSync(join(root, 'elsewhere/2019-05-06.md'), join(root, 'archive/2019-05-06.md')); // a file link
    symlinkSync(join(root, 'archive/2020-01-01.md'), join(root, 'archive/copy-of-2020.md')); // the same file again
    symlinkSync(root, join(root, 'archive/loop')); // back up to the root, which holds archive/ again
    symlinkSync(join(root, 'gone.md'), join(root, 'archive/dangling.md'));
    // The loop leads back to the root: elsewhere/ is walked through it, but its files were
    // already reached through their own links, and archive/ is not walked again.
    expect(rel(collectFiles([join(root, 'archive')]))).toEqual(['archive/2019-05-06.md', 'archive/2020-01-01.md', 'archive/2021/2021-03-04.md']);
    // Named twice (a folder and a file in it): each file once.
    expect(rel(collectFiles([join(root, 'archive'), join(root, 'archive/2020-01-01.md')]))).toEqual(['archive/2019-05-06.md', 'archive/2020-01-01.md', 'archive/2021/2021-03-04.md']);
  });
});
