import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorld } from '../helpers/env.js';
import { writeGeneratedMinutes } from '../helpers/generate-minutes.js';

// A bulk import hands the parser threads file paths (they read the files): the results still
// come in path order, and a file that cannot be read is one failed file, not a failed import.
describe('bulk import through parser threads', () => {
  it('reads the files in the threads, writes in path order, and reports an unreadable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minutes-pool-'));
    const w = openWorld();
    try {
      const made = writeGeneratedMinutes(dir, 10, 2);
      const files = made.map((m) => join(dir, m.file)).sort();
      // Linux: a file statSync accepts and reading fails on (EIO), even for root.
      const unreadable = '/proc/self/mem';
      const paths = existsSync(unreadable) ? [...files.slice(0, 5), unreadable, ...files.slice(5)] : files;
      const out = await w.services.imports.importPaths(paths, { threads: 2, source: 'cli' });
      expect(out.files.map((f) => f.file)).toEqual(paths);
      expect(out.summary.meetings.new).toBe(10);
      expect(out.summary.actions).toBe(made.length * 5);
      if (paths.length > files.length) {
        expect(out.summary.failedFiles).toBe(1);
        expect(out.files[5]).toMatchObject({ file: unreadable, ok: false, errors: [{ code: 'unreadable-file' }] });
      }
    } finally {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
