import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { runMigrations } from '../../../../server/db/migrate.js';
import { migrations } from '../../../../server/db/migrations/index.js';

describe('migrations', () => {
  it('apply once on an empty database and record each id', () => {
    const db = new Database(':memory:');
    const applied = runMigrations(db);
    expect(applied).toEqual(migrations.map((m) => m.id).sort());
    expect(runMigrations(db)).toEqual([]);
    const recorded = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(recorded).toEqual(applied);
  });

  it('keep search in step with actions through triggers', () => {
    const db = new Database(':memory:');
    runMigrations(db);
    const t = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO series (slug, name, created_at, updated_at) VALUES ('s', 'S', ?, ?)").run(t, t);
    db.prepare("INSERT INTO meetings (series_id, date, created_at, updated_at) VALUES (1, '2026-01-01', ?, ?)").run(t, t);
    db.prepare(
      "INSERT INTO actions (text, origin_meeting_id, last_meeting_id, created_at, updated_at) VALUES ('write the tboot RFC', 1, 1, ?, ?)",
    ).run(t, t);
    const hits = () => db.prepare("SELECT ref_id FROM search_fts WHERE search_fts MATCH 'tboot'").pluck().all();
    expect(hits()).toEqual([1]);
    db.prepare("UPDATE actions SET text = 'write the UEFI RFC' WHERE id = 1").run();
    expect(hits()).toEqual([]);
  });

  it('roll back a failing migration whole', () => {
    const db = new Database(':memory:');
    const bad = { id: '9999-break-things', up: (d: Database.Database) => { d.exec('CREATE TABLE t (x)'); throw new Error('boom'); } };
    expect(() => runMigrations(db, [bad])).toThrow('boom');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
  });
});
