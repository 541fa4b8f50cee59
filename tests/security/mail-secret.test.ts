/**
 * Threat: the server secret signs sessions, sign-in links and email links and keys the
 * outbox encryption. Before the fix two processes starting on a fresh data folder could read
 * the secret file while it was still empty (1 run in 60), and an empty or short secret was
 * accepted, after which every page answered 500 or anyone could forge links.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, runCli, tempDataDir } from '../helpers/env.js';

const configModule = pathToFileURL(join(repoRoot, 'dist/server/config.js')).href;

/** Loads the configuration in a separate process at time `at`; prints the secret it got. */
function loadInChild(dir: string, at: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const script =
    `import(${JSON.stringify(configModule)}).then((m) => { while (Date.now() < ${at}); ` +
    `process.stdout.write(m.loadConfig({ MINUTES_DATA_DIR: ${JSON.stringify(dir)} }).secret); })`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the server secret', () => {
  it('is created once, whole and private, when several processes start on one fresh data folder', async () => {
    const tmp = tempDataDir('minutes-secret-race-');
    try {
      for (let round = 0; round < 8; round++) {
        const dir = join(tmp.dir, `data-${round}`);
        const at = Date.now() + 1200;
        const results = await Promise.all([0, 1, 2, 3].map(() => loadInChild(dir, at)));
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        const onDisk = readFileSync(join(dir, 'secret'), 'utf8').trim();
        expect(onDisk).toMatch(/^[0-9a-f]{64}$/);
        // Every process uses the one secret on disk: none read it empty or half-written.
        for (const r of results) expect(r.stdout).toBe(onDisk);
        expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        // No temporary files are left behind.
        expect(readdirSync(dir)).toEqual(['secret']);
      }
    } finally {
      tmp.cleanup();
    }
  }, 120_000);

  it('an empty secret file is refused with a message naming the file, never used', async () => {
    const tmp = tempDataDir();
    try {
      writeFileSync(join(tmp.dir, 'secret'), '', { mode: 0o600 });
      const r = await runCli(['people', 'list'], { dataDir: tmp.dir, env: { MINUTES_SECRET: '' } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('MINUTES_SECRET is set but empty');
      const r2 = await runCli(['people', 'list'], { dataDir: tmp.dir, env: { MINUTES_SECRET: undefined as unknown as string } });
      expect(r2.code).not.toBe(0);
      expect(r2.stderr).toMatch(/invalid secret file .*secret: it is empty/);
      expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  }, 30_000);

  it('a short MINUTES_SECRET stops `minutes serve` with a message naming the variable', async () => {
    const tmp = tempDataDir();
    try {
      const r = await runCli(['serve'], { dataDir: tmp.dir, env: { MINUTES_SECRET: 'short-secret-1234567890', PORT: '0' } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('MINUTES_SECRET must be at least 32 characters');
      expect(r.stdout).not.toContain('listening');
    } finally {
      tmp.cleanup();
    }
  }, 30_000);
});
