import type { Db } from '../../server/db/connection.js';
import type { Clock } from '../../server/clock.js';

const T = '2026-01-01T00:00:00.000Z';

/** The calendar day (UTC, YYYY-MM-DD) `n` days before now. */
export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Writes people, series, meetings and actions straight into the schema of 0001, for the
 * reminder tests (which need exact states: snoozed, paused, carried, closed...).
 */
export function seeder(db: Db) {
  const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return {
    person(name: string, opts: { email?: string | null; kind?: 'person' | 'group'; pausedUntil?: string } = {}): number {
      return Number(
        db.prepare(`INSERT INTO people (name, name_key, email, kind, reminders_paused_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)`).run(name, fold(name), opts.email ?? null, opts.kind ?? 'person', opts.pausedUntil ?? null, T, T)
          .lastInsertRowid,
      );
    },
    series(slug: string, name: string, chairPersonId: number | null = null): number {
      return Number(
        db.prepare(`INSERT INTO series (slug, name, chair_person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`)
          .run(slug, name, chairPersonId, T, T).lastInsertRowid,
      );
    },
    meeting(seriesId: number, date: string, text?: string, title?: string): number {
      const id = Number(
        db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`)
          .run(seriesId, date, title ?? `Community Call ${date}`, T, T).lastInsertRowid,
      );
      if (text !== undefined) {
        const rev = db.prepare(`INSERT INTO minutes_revisions (meeting_id, revision, text, hash, source, created_at)
          VALUES (?, 1, ?, 'h', 'cli', ?)`).run(id, text, T).lastInsertRowid;
        db.prepare('UPDATE meetings SET current_revision_id = ? WHERE id = ?').run(rev, id);
      }
      return id;
    },
    action(a: {
      meetingId: number;
      text: string;
      owners: (number | string)[];
      due?: string | null;
      status?: 'open' | 'done' | 'dropped';
      snoozedUntil?: string | null;
      line?: number | null;
      carried?: number;
      lastMeetingId?: number;
    }): number {
      const id = Number(
        db.prepare(`INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, line, carried_count, snoozed_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(a.text, a.due ?? null, a.status ?? 'open', a.meetingId, a.lastMeetingId ?? a.meetingId, a.line ?? null, a.carried ?? 0, a.snoozedUntil ?? null, T, T)
          .lastInsertRowid,
      );
      a.owners.forEach((o, i) => {
        if (typeof o === 'number') {
          const name = (db.prepare('SELECT name FROM people WHERE id = ?').get(o) as { name: string }).name;
          db.prepare('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)').run(id, i, o, name);
        } else {
          db.prepare('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, NULL, ?)').run(id, i, o);
        }
      });
      return id;
    },
    close(actionId: number): void {
      db.prepare(`UPDATE actions SET status = 'done', closed_at = ? WHERE id = ?`).run(T, actionId);
    },
  };
}

/** A clock the test moves: `set` to a date-time (weeks of simulated passes). */
export function movableClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return { now: () => new Date(t), set: (s) => (t = new Date(s)) };
}
