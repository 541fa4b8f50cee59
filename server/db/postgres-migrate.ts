import type { Database } from './database.js';
import { postgresMigrations } from './postgres-migrations/index.js';

/**
 * A forward-only PostgreSQL migration: applied once, in its own transaction, recorded by id in
 * `schema_migrations` (the same table and ids scheme as the SQLite list in `migrate.ts`; the two
 * lists are separate, and each dialect's ids say what exists in it).
 */
export type PostgresMigration = { id: string; sql: string } | { id: string; up(db: Database): Promise<void> };

/**
 * Applies every migration not yet recorded, in id order, each in a write transaction: the
 * writers' advisory lock (see postgres-database.ts) makes two instances starting at once take
 * turns, and the second finds the migration recorded. DDL is transactional on PostgreSQL, so a
 * migration that fails leaves nothing behind.
 */
export async function runPostgresMigrations(db: Database, list: readonly PostgresMigration[] = postgresMigrations): Promise<string[]> {
  const applied: string[] = [];
  for (const m of [...list].sort((a, b) => a.id.localeCompare(b.id))) {
    await db.transaction(async () => {
      await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id TEXT PRIMARY KEY,
        applied_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      )`);
      if (await db.get('SELECT 1 FROM schema_migrations WHERE id = ?', m.id)) return;
      if ('sql' in m) await db.exec(m.sql);
      else await m.up(db);
      await db.run('INSERT INTO schema_migrations (id) VALUES (?)', m.id);
      applied.push(m.id);
    });
  }
  return applied;
}
