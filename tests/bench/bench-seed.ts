import type { Db } from '../../server/db/connection.js';
import { foldName } from '../../domain/names.js';

/** The shape of the benches' big database: 100,000 actions by default. */
export const BENCH_SHAPE = { actions: 100_000, people: 1_000, meetings: 1_000, series: 10 };

/**
 * Fills an empty database with fast direct inserts (one transaction): `series` series, `people`
 * people (`Person 0001`, `p1@example.org`), `meetings` weekly meetings, and `actions` actions
 * (30% open per owner, 10% dropped, the rest done; a due date on every fourth), each with an
 * owner and every fifth with a co-owner. Used by the HTTP and migration benches.
 */
export async function seedActions(db: Db, shape = BENCH_SHAPE): Promise<void> {
  const { actions: ACTIONS, people: PEOPLE, meetings: MEETINGS, series: SERIES } = shape;
  // A fixed time, so two databases seeded apart (SQLite, then PostgreSQL) answer byte for byte the same.
  const now = '2026-01-05T09:00:00.000Z';
  await db.transaction(async () => {
    const series = db.prepare(`INSERT INTO series (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)`);
    for (let i = 1; i <= SERIES; i++) await series.run(`s${i}`, `Bench call ${i}`, now, now);
    const person = db.prepare(`INSERT INTO people (name, name_key, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
    for (let i = 1; i <= PEOPLE; i++) {
      const name = `Person ${String(i).padStart(4, '0')}`;
      await person.run(name, foldName(name), `p${i}@example.org`, now, now);
    }
    const meeting = db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
    const day0 = Date.UTC(2000, 0, 6);
    for (let i = 0; i < MEETINGS; i++) {
      const date = new Date(day0 + i * 7 * 86_400_000).toISOString().slice(0, 10);
      await meeting.run(1 + (i % SERIES), date, `Bench call ${date}`, now, now);
    }
    const action = db.prepare(`INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, topic, line, closed_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'Topic', ?, ?, ?, ?) RETURNING id`);
    const owner = db.prepare(`INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)`);
    for (let i = 1; i <= ACTIONS; i++) {
      const m = 1 + (i % MEETINGS);
      const band = Math.floor(i / PEOPLE) % 10; // 30% open (per owner too), 10% dropped, the rest done
      const status = band < 3 ? 'open' : band === 3 ? 'dropped' : 'done';
      const due = i % 4 === 0 ? new Date(day0 + (m * 7 + 14) * 86_400_000).toISOString().slice(0, 10) : null;
      const id = ((await action.get(`Follow up on item ${i} with the upstream maintainers`, due, status, m, m, 10 + (i % 90), status === 'open' ? null : now, now, now)) as { id: number }).id;
      const p = 1 + (i % PEOPLE);
      await owner.run(id, 0, p, `Person ${String(p).padStart(4, '0')}`);
      if (i % 5 === 0) await owner.run(id, 1, 1 + ((i * 7) % PEOPLE), 'Co Owner');
    }
  });
}
