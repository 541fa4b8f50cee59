import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runMigrations } from '../../../../server/db/migrate.js';
import { migrations } from '../../../../server/db/migrations/index.js';

describe('0020-create-reminder-tables', () => {
  it('applies on an in-memory database and keeps one digest per person and period', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    runMigrations(db, migrations);
    const T = '2026-11-23T09:00:00.000Z';
    db.prepare(`INSERT INTO people (id, name, name_key, email, created_at, updated_at) VALUES (1, 'Ross', 'ross', 'r@x.org', ?, ?)`).run(T, T);
    const insert = db.prepare(`INSERT OR IGNORE INTO reminder_digests (person_id, period_key, to_address, created_at) VALUES (1, ?, 'r@x.org', ?)`);
    expect(insert.run('2026-11-23', T).changes).toBe(1);
    expect(insert.run('2026-11-23', T).changes).toBe(0);
    expect(insert.run('2026-11-30', T).changes).toBe(1);
    expect(() => db.prepare(`INSERT INTO reminder_digest_items (digest_id, position, action_id) VALUES (1, 1, 999)`).run()).toThrow(/FOREIGN KEY/);
    expect(runMigrations(db, migrations)).toEqual([]);
    db.close();
  });
});
