import Database from 'better-sqlite3';
import { runMigrations } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database with the pragmas the project relies on, and
 * brings its schema up to date. Every CLI command and the server go through here.
 */
export function openDatabase(file: string, { migrate = true }: { migrate?: boolean } = {}): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  if (migrate) runMigrations(db);
  return db;
}
