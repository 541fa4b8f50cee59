import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { loadConfig, type Config } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/connection.js';
import { createServices, type Services } from '../../server/container.js';
import type { Clock } from '../../server/clock.js';
import { DeferredDatabase } from './deferred-database.js';
import { readModelDrift } from './read-model.js';
import type { SqliteDatabase } from '../../server/db/sqlite-database.js';
import { freshPostgres } from './postgres-cluster.js';
import { connectPostgres, type PostgresDatabase } from '../../server/db/postgres-database.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
/** `../shared` beside the repository: examples and corpus, read at run time only. */
export const sharedDir = resolve(repoRoot, '..', 'shared');

/** A fresh data folder in the system temp dir; removed by `cleanup()`. */
export function tempDataDir(prefix = 'minutes-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated SQLite database in a fresh temp folder; closing it removes the folder. */
export function tempSqlite(prefix = 'minutes-db-'): ReturnType<typeof openDatabase> {
  const { dir, cleanup } = tempDataDir(prefix);
  const db = openDatabase(join(dir, 'minutes.db'));
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    cleanup();
  };
  return db;
}

export { freePort } from './postgres-cluster.js';

export interface TestWorld {
  dir: string;
  config: Config;
  db: Db;
  services: Services;
  close(): void;
}

/**
 * The database the repository and integration suites run on: SQLite, or PostgreSQL when the
 * vitest project sets MINUTES_TEST_DATABASE=postgres (see vitest.config.ts).
 */
export const testDialect: 'sqlite' | 'postgres' = process.env.MINUTES_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** On PostgreSQL: the database URL of each data folder, so a spawned CLI opens the same database. */
const postgresOfDataDir = new Map<string, Promise<string>>();

/** The URL of the PostgreSQL database of a data folder, made (empty, migrated) on first use. */
export function postgresFor(dataDir: string): Promise<string> {
  const key = resolve(dataDir);
  let url = postgresOfDataDir.get(key);
  if (!url) {
    url = freshPostgres().then(async (db) => {
      const u = db.url!;
      // Kept for the spawned CLI (only this pool is closed); the throw-away cluster goes at the end of the run.
      await db.pool.end();
      return u;
    });
    postgresOfDataDir.set(key, url);
  }
  return url;
}

/** Config + a real database (SQLite file, or PostgreSQL in that suite) + services in a temporary folder. */
export function openWorld(opts: { clock?: Clock; env?: Record<string, string> } = {}): TestWorld {
  const { dir, cleanup } = tempDataDir();
  const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', ...opts.env });
  const db: Db =
    testDialect === 'postgres'
      ? new DeferredDatabase(
          'postgres',
          freshPostgres().then((pgDb) => {
            postgresOfDataDir.set(resolve(dir), Promise.resolve(pgDb.url!));
            return pgDb;
          }),
        )
      : openDatabase(config.dbFile);
  const services = createServices({ db, config, clock: opts.clock });
  return {
    dir,
    config,
    db,
    services,
    async close() {
      try {
        await expectReadModelInStep(db, services);
      } finally {
        await db.close();
        cleanup();
      }
    },
  };
}

/**
 * Every test world, when it closes, checks that the triggers kept the action lists' read model
 * (SQLite's migration 0130, PostgreSQL's 0003) in step with what the test wrote: so each test of
 * a write path is also a test of those triggers. A SQLite database the test closed is not checked.
 */
async function expectReadModelInStep(db: Db, services: Services): Promise<void> {
  if (testDialect === 'sqlite' && !(db as SqliteDatabase).handle.open) return;
  const drift = await readModelDrift(db, services);
  if (drift.length > 0) throw new Error(`the action lists' read model is out of step with the tables:\n${drift.slice(0, 10).join('\n')}`);
}

/**
 * Another instance's own connection to a world's database (the same SQLite file, or the same
 * PostgreSQL database); closing it leaves the world's database in place.
 */
export function openSecondConnection(world: Pick<TestWorld, 'db' | 'config'>): Db {
  if (testDialect === 'sqlite') return openDatabase(world.config.dbFile);
  const ready = (world.db as DeferredDatabase).ready.then((db) => connectPostgres((db as PostgresDatabase).url!, { migrate: false }));
  return new DeferredDatabase('postgres', ready);
}

/**
 * The environment that points the server (`loadConfig`) at a data folder's database: its own
 * PostgreSQL database in that suite (the one `runCli` gives the CLI), nothing for SQLite.
 */
export async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  return testDialect === 'postgres' ? { DATABASE_URL: await postgresFor(dataDir) } : {};
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`bin/minutes.js`, built by `npm test`'s pretest) as a child process. */
export async function runCli(
  args: string[],
  opts: { dataDir?: string; input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const fullArgs = [join(repoRoot, 'bin/minutes.js'), ...(opts.dataDir ? ['--data-dir', opts.dataDir] : []), ...args];
  // On PostgreSQL each data folder has its own database, which the CLI finds by DATABASE_URL.
  const database = testDialect === 'postgres' && opts.dataDir && !opts.env?.DATABASE_URL ? { DATABASE_URL: await postgresFor(opts.dataDir) } : {};
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, fullArgs, {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', ...database, ...opts.env },
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
