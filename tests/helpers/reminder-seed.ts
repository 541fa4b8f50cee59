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
    async person(name: string, opts: { email?: string | null; kind?: 'person' | 'group'; pausedUntil?: string } = {}): Promise<number> {
      return Number(
        ((await db.prepare(`INSERT INTO people (name, name_key, email, kind, reminders_paused_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`).get(name, fold(name), opts.email ?? null, opts.kind ?? 'person', opts.pausedUntil ?? null, T, T)) as { id: number }).id,
      );
    },
    async series(slug: string, name: string, chairPersonId: number | null = null): Promise<number> {
      return Number(
        ((await db.prepare(`INSERT INTO series (slug, name, chair_person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`).get(slug, name, chairPersonId, T, T)) as { id: number }).id,
      );
    },
    async meeting(seriesId: number, date: string, text?: string, title?: string): Promise<number> {
      const id = Number(
        ((await db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`).get(seriesId, date, title ?? `Community Call ${date}`, T, T)) as { id: number }).id,
      );
      if (text !== undefined) {
        const rev = ((await db.prepare(`INSERT INTO minutes_revisions (meeting_id, revision, text, hash, source, created_at)
          VALUES (?, 1, ?, 'h', 'cli', ?) RETURNING id`).get(id, text, T)) as { id: number }).id;
        await db.prepare('UPDATE meetings SET current_revision_id = ? WHERE id = ?').run(rev, id);
      }
      return id;
    },
    async action(a: {
      meetingId: number;
      text: string;
      owners: (number | string)[];
      due?: string | null;
      status?: 'open' | 'done' | 'dropped';
      snoozedUntil?: string | null;
      line?: number | null;
      carried?: number;
      lastMeetingId?: number;
    }): Promise<number> {
      const id = Number(
        ((await db.prepare(`INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, line, carried_count, snoozed_until, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`).get(a.text, a.due ?? null, a.status ?? 'open', a.meetingId, a.lastMeetingId ?? a.meetingId, a.line ?? null, a.carried ?? 0, a.snoozedUntil ?? null, T, T)) as { id: number }).id,
      );
      for (const [i, o] of a.owners.entries()) {
        if (typeof o === 'number') {
          const name = (await db.prepare('SELECT name FROM people WHERE id = ?').get(o) as { name: string }).name;
          await db.prepare('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)').run(id, i, o, name);
        } else {
          await db.prepare('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, NULL, ?)').run(id, i, o);
        }
      }
      return id;
    },
    async close(actionId: number): Promise<void> {
      await db.prepare(`UPDATE actions SET status = 'done', closed_at = ? WHERE id = ?`).run(T, actionId);
    },
  };
}

/** A clock the test moves: `set` to a date-time (weeks of simulated passes). */
export function movableClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return { now: () => new Date(t), set: (s) => (t = new Date(s)) };
}
