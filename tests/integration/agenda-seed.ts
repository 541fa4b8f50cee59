import type { Db } from '../../server/db/connection.js';

/**
 * Rows written straight into the schema, for agenda tests that must not depend on the
 * import pipeline (and for the bench). Mirrors what an import stores.
 */
export function createSeeder(db: Db, now = '2017-01-01T00:00:00.000Z') {
  const st = {
    series: db.prepare(
      `INSERT INTO series (slug, name, cadence, timezone, list_email, standing_items, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    meeting: db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
    person: db.prepare(
      `INSERT INTO people (name, name_key, email, kind, created_at, updated_at) VALUES (?, lower(?), ?, ?, ?, ?) RETURNING id`,
    ),
    action: db.prepare(
      `INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, line, carried_count, closed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    owner: db.prepare(`INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)`),
    event: db.prepare(
      `INSERT INTO action_events (action_id, kind, actor_person_id, actor, source, meeting_id, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    decision: db.prepare(`INSERT INTO decisions (meeting_id, text, topic, line, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
    topic: db.prepare(`INSERT INTO topics (meeting_id, title, line, deferred_to) VALUES (?, ?, ?, ?) RETURNING id`),
    attend: db.prepare(`INSERT INTO attendance (meeting_id, person_id, name, status, org) VALUES (?, ?, ?, 'present', ?)`),
  };
  const id = (r: unknown) => (r as { id: number }).id;
  return {
    async series(slug: string, o: { name?: string; cadence?: string | null; timezone?: string; listEmail?: string | null; standing?: string[] } = {}) {
      return id(
        await st.series.get(slug, o.name ?? slug, o.cadence ?? null, o.timezone ?? 'UTC', o.listEmail ?? null, JSON.stringify(o.standing ?? []), now, now),
      );
    },
    async meeting(seriesId: number, date: string, title: string | null = null) {
      return id(await st.meeting.get(seriesId, date, title, now, now));
    },
    async person(name: string, email: string | null = null, kind: 'person' | 'group' = 'person') {
      return id(await st.person.get(name, name, email, kind, now, now));
    },
    async action(
      meetingId: number,
      text: string,
      owners: { personId: number | null; name: string }[],
      o: { due?: string | null; status?: 'open' | 'done' | 'dropped'; carried?: number; line?: number; closedAt?: string | null } = {},
    ) {
      const aid = id(
        await st.action.get(text, o.due ?? null, o.status ?? 'open', meetingId, meetingId, o.line ?? 1, o.carried ?? 0, o.closedAt ?? null, now, now),
      );
      for (const [i, w] of owners.entries()) await st.owner.run(aid, i, w.personId, w.name);
      return aid;
    },
    async event(actionId: number, kind: string, o: { actor?: string; actorPersonId?: number | null; source?: string; meetingId?: number | null; note?: string | null; at: string }) {
      return id(await st.event.get(actionId, kind, o.actorPersonId ?? null, o.actor ?? null, o.source ?? 'cli', o.meetingId ?? null, o.note ?? null, o.at));
    },
    async decision(meetingId: number, text: string, line: number, topic: string | null = null) {
      return id(await st.decision.get(meetingId, text, topic, line, now));
    },
    async topic(meetingId: number, title: string, line: number, deferredTo: string | null) {
      return id(await st.topic.get(meetingId, title, line, deferredTo));
    },
    async attend(meetingId: number, name: string, personId: number | null = null, org: string | null = null) {
      await st.attend.run(meetingId, personId, name, org);
    },
  };
}
