import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';

/** A forward-only migration: applied once, in its own transaction, recorded by id. */
export interface Migration {
  /** `NNNN-verb-noun`, the file name without extension. */
  id: string;
  up(db: Database.Database): void;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, in id order. Safe when two
 * processes start at once: each migration runs in an IMMEDIATE transaction that re-checks
 * whether it was applied meanwhile.
 */
export function runMigrations(db: Database.Database, list: readonly Migration[] = migrations): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
  )`);
  const applied: string[] = [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  const record = db.prepare('INSERT INTO schema_migrations (id) VALUES (?)');
  for (const m of [...list].sort((a, b) => a.id.localeCompare(b.id))) {
    if (isApplied.get(m.id)) continue;
    db.transaction(() => {
      if (isApplied.get(m.id)) return;
      m.up(db);
      record.run(m.id);
      applied.push(m.id);
    }).immediate();
  }
  return applied;
}
