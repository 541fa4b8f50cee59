import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { runMigrations } from './migrate.js';
import type { Database as AsyncDatabase } from './database.js';
import { SqliteDatabase } from './sqlite-database.js';

/** The database the repositories and services use: SQLite or PostgreSQL, through one interface. */
export type Db = AsyncDatabase;
type Handle = Database.Database;

const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) the SQLite database with the pragmas the project relies on, and
 * brings its schema up to date. Every CLI command and the server go through here.
 */
export function openDatabase(file: string, { migrate = true }: { migrate?: boolean } = {}): SqliteDatabase {
  if (file !== ':memory:') ownerOnly(file);
  const db: Handle = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enableWal(db);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Deleted and overwritten content is zeroed, not left in free pages (old outbox bodies).
  db.pragma('secure_delete = ON');
  if (migrate) runMigrations(db);
  return new SqliteDatabase(db);
}

/**
 * Switches to WAL. When two processes open a brand-new file at once (two `minutes import`
 * runs), SQLite answers the switch with SQLITE_BUSY at once instead of waiting on the busy
 * handler, so the switch is retried here until the busy timeout.
 */
function enableWal(db: Handle): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}

/**
 * The database holds names, addresses and the outbox: owner-only (0600). A new file is
 * created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the mode of
 * the database file; files left 0644 by an older version are tightened.
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      // -wal / -shm absent, or a file we do not own: SQLite reports real problems on open.
    }
  }
}
