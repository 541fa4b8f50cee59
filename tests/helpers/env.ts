import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { loadConfig, type Config } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/connection.js';
import { createServices, type Services } from '../../server/container.js';
import type { Clock } from '../../server/clock.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
/** `../shared` beside the repository: examples and corpus, read at run time only. */
export const sharedDir = resolve(repoRoot, '..', 'shared');

/** A fresh data folder in the system temp dir; removed by `cleanup()`. */
export function tempDataDir(prefix = 'minutes-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A TCP port free on 127.0.0.1 at the time of asking (for a listener given a fixed port). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface TestWorld {
  dir: string;
  config: Config;
  db: Db;
  services: Services;
  close(): void;
}

/** Config + real SQLite file + services in a temporary folder. */
export function openWorld(opts: { clock?: Clock; env?: Record<string, string> } = {}): TestWorld {
  const { dir, cleanup } = tempDataDir();
  const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', ...opts.env });
  const db = openDatabase(config.dbFile);
  const services = createServices({ db, config, clock: opts.clock });
  return {
    dir,
    config,
    db,
    services,
    async close() {
      await db.close();
      cleanup();
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`bin/minutes.js`, built by `npm test`'s pretest) as a child process. */
export function runCli(
  args: string[],
  opts: { dataDir?: string; input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const fullArgs = [join(repoRoot, 'bin/minutes.js'), ...(opts.dataDir ? ['--data-dir', opts.dataDir] : []), ...args];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, fullArgs, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
