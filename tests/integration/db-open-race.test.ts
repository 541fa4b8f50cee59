import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { repoRoot, tempDataDir } from '../helpers/env.js';

const connection = pathToFileURL(join(repoRoot, 'dist/server/db/connection.js')).href;

/**
 * Opens (and migrates) `file` in a separate process at time `at` (ms since the epoch, so
 * several children start together); resolves with its exit code and stderr.
 */
function openInChild(file: string, at: number): Promise<{ code: number; stderr: string }> {
  const script =
    `import(${JSON.stringify(connection)}).then((m) => { while (Date.now() < ${at}); ` +
    `m.openDatabase(${JSON.stringify(file)}).close(); })`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('opening the database', () => {
  it('succeeds when several processes create the same new file at once', async () => {
    const tmp = tempDataDir('minutes-open-race-');
    try {
      // SQLite answers a concurrent switch to WAL on a new file with SQLITE_BUSY at once;
      // without the retry about one round in three failed with "database is locked".
      for (let round = 0; round < 10; round++) {
        const file = join(tmp.dir, `race-${round}.db`);
        const at = Date.now() + 1500;
        const results = await Promise.all([0, 1, 2].map(() => openInChild(file, at)));
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        const db = new Database(file, { readonly: true });
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toMatchObject({ n: expect.any(Number) });
        db.close();
      }
    } finally {
      tmp.cleanup();
    }
  }, 120_000);
});
