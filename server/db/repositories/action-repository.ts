import type { Db } from '../connection.js';
import { inJsonList } from '../sql-lists.js';
import { SELECT, toAction, toOwner, type ActionRow } from './action-rows.js';

export type ActionStatus = 'open' | 'done' | 'dropped';
export type ActionEventKind =
  | 'created' | 'edited' | 'carried' | 'reminded' | 'snoozed' | 'closed' | 'reopened' | 'commented' | 'dropped';

export interface NewAction {
  text: string;
  due: string | null;
  status: ActionStatus;
  originMeetingId: number;
  lastMeetingId: number;
  topic: string | null;
  line: number | null;
  closedAt: string | null;
}

export interface ActionRecord extends NewAction {
  id: number;
  carriedCount: number;
  snoozedUntil: string | null;
  createdAt: string;
  updatedAt: string;
  /** Joined from the origin meeting and its series. */
  originDate: string;
  originTitle: string | null;
  seriesId: number;
  seriesSlug: string;
  lastMeetingDate: string;
}

export interface OwnerRecord {
  actionId: number;
  position: number;
  personId: number | null;
  /** The directory name when resolved, else the name as written. */
  name: string;
  /** The name as written in the minutes. */
  writtenName: string;
  email: string | null;
}

export interface EventRecord {
  id: number;
  actionId: number;
  kind: ActionEventKind;
  actorPersonId: number | null;
  actor: string | null;
  source: string;
  meetingId: number | null;
  note: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

interface EventRow {
  id: number;
  action_id: number;
  kind: ActionEventKind;
  actor_person_id: number | null;
  actor: string | null;
  source: string;
  meeting_id: number | null;
  note: string | null;
  data: string | null;
  created_at: string;
}

const toEvent = (r: EventRow): EventRecord => ({
  id: r.id,
  actionId: r.action_id,
  kind: r.kind,
  actorPersonId: r.actor_person_id,
  actor: r.actor,
  source: r.source,
  meetingId: r.meeting_id,
  note: r.note,
  data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  createdAt: r.created_at,
});

/** The few columns carry-over matching needs (many candidates, so kept light). */
export interface CandidateRow {
  id: number;
  text: string;
  status: ActionStatus;
  line: number | null;
}

export interface NewEvent {
  actionId: number;
  kind: ActionEventKind;
  actorPersonId: number | null;
  actor: string | null;
  source: string;
  meetingId?: number | null;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

/**
 * SQL over `actions`, `action_owners` and `action_events`: one action, its owners, writes,
 * history, and the candidates carry-over matching compares. Listings (filtered, paged, per
 * owner) are `ActionListRepository`'s.
 */
export class ActionRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[number], ActionRow>(`${SELECT} WHERE a.id = ?`),
      getMany: db.prepare<[string], ActionRow>(`${SELECT} WHERE ${inJsonList(db.dialect, 'a.id', '?', 'id')}`),
      insert: db.prepare(
        `INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, topic, line, closed_at, created_at, updated_at)
         VALUES (@text, @due, @status, @originMeetingId, @lastMeetingId, @topic, @line, @closedAt, @now, @now) RETURNING id`,
      ),
      update: db.prepare(
        `UPDATE actions SET text = @text, due = @due, topic = @topic, line = @line, updated_at = @now WHERE id = @id`,
      ),
      setStatus: db.prepare(
        'UPDATE actions SET status = @status, closed_at = @closedAt, updated_at = @now WHERE id = @id',
      ),
      carry: db.prepare(
        `UPDATE actions SET carried_count = carried_count + @delta, last_meeting_id = @meetingId, updated_at = @now
         WHERE id = @id`,
      ),
      snooze: db.prepare('UPDATE actions SET snoozed_until = ?, updated_at = ? WHERE id = ?'),
      touch: db.prepare('UPDATE actions SET updated_at = ? WHERE id = ?'),
      owners: db.prepare<[string], { action_id: number; position: number; person_id: number | null; name: string; person_name: string | null; email: string | null }>(
        `SELECT o.*, p.name AS person_name, p.email AS email FROM action_owners o
         LEFT JOIN people p ON p.id = o.person_id
         WHERE ${inJsonList(db.dialect, 'o.action_id', '?', 'id')} ORDER BY o.action_id, o.position`,
      ),
      deleteOwners: db.prepare('DELETE FROM action_owners WHERE action_id = ?'),
      insertOwner: db.prepare('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)'),
      insertEvent: db.prepare(
        `INSERT INTO action_events (action_id, kind, actor_person_id, actor, source, meeting_id, note, data, created_at)
         VALUES (@actionId, @kind, @actorPersonId, @actor, @source, @meetingId, @note, @data, @now) RETURNING id`,
      ),
      events: db.prepare<[number], EventRow>('SELECT * FROM action_events WHERE action_id = ? ORDER BY id'),
      importEventsAt: db.prepare<[number], EventRow>(
        `SELECT * FROM action_events WHERE meeting_id = ? AND source = 'import' ORDER BY id`,
      ),
      // `(a.status || '')`, an expression: drive by actions_last, not by every open action. The
      // ORDER BY is the order SQLite's plan gives anyway (no sort), written out so PostgreSQL gives
      // it too: the candidates' order breaks ties when minutes are matched to stored actions.
      inRecentMeetings: db.prepare<{ seriesId: number; date: string; n: number; status: string }, CandidateRow>(
        `SELECT a.id, a.text, a.status, a.line FROM actions a WHERE a.last_meeting_id IN (
            SELECT id FROM meetings WHERE series_id = @seriesId AND date < @date ORDER BY date DESC LIMIT @n)
          AND (a.status || '') = @status
         ORDER BY a.last_meeting_id, a.id`,
      ),
      // One row per event, in event order per meeting; `statedInLaterMeetings` keeps each action's first.
      statedLater: db.prepare<{ seriesId: number; date: string; n: number }, CandidateRow>(
        `SELECT a.id, a.text, a.status, a.line FROM action_events e JOIN actions a ON a.id = e.action_id
         WHERE e.meeting_id IN (SELECT id FROM meetings WHERE series_id = @seriesId AND date > @date ORDER BY date LIMIT @n)
           AND e.source = 'import' AND a.status <> 'dropped'
         ORDER BY e.meeting_id, e.id`,
      ),
      setOrigin: db.prepare(
        'UPDATE actions SET origin_meeting_id = @meetingId, carried_count = carried_count + @delta, updated_at = @now WHERE id = @id',
      ),
      retypeEvent: db.prepare('UPDATE action_events SET kind = @kind, data = @data WHERE id = @id'),
      deleteEvent: db.prepare('DELETE FROM action_events WHERE id = ?'),
      firstEventAfter: db.prepare<[number, string], { id: number }>(
        `SELECT MIN(e.id) AS id FROM action_events e JOIN meetings m ON m.id = e.meeting_id WHERE e.action_id = ? AND m.date > ?`,
      ),
      // Moves events [from, to) of one action behind the newest one, keeping their order and times.
      copyEvents: db.prepare(
        `INSERT INTO action_events (action_id, kind, actor_person_id, actor, source, meeting_id, note, data, created_at)
         SELECT action_id, kind, actor_person_id, actor, source, meeting_id, note, data, created_at FROM action_events
         WHERE action_id = @actionId AND id >= @from AND id < @to ORDER BY id`,
      ),
      deleteEvents: db.prepare('DELETE FROM action_events WHERE action_id = @actionId AND id >= @from AND id < @to'),
    };
  }

  async get(id: number): Promise<ActionRecord | undefined> {
    const r = await this.s.get.get(id);
    return r && toAction(r);
  }

  /** The actions of `ids` that exist, in the order of `ids`: one read for many. */
  async getMany(ids: number[]): Promise<ActionRecord[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.s.getMany.all(JSON.stringify(ids))).map((r) => [r.id, toAction(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Owners of the given actions, grouped by action id, in the order written. */
  async owners(actionIds: number[]): Promise<Map<number, OwnerRecord[]>> {
    const map = new Map<number, OwnerRecord[]>();
    if (actionIds.length === 0) return map;
    for (const r of await this.s.owners.all(JSON.stringify(actionIds))) {
      const list = map.get(r.action_id) ?? [];
      list.push(toOwner(r.action_id, r.position, r.person_id, r.name, r.person_name, r.email));
      map.set(r.action_id, list);
    }
    return map;
  }

  async insert(a: NewAction, now: string): Promise<number> {
    return ((await this.s.insert.get({ ...a, now })) as { id: number }).id;
  }

  async update(id: number, f: { text: string; due: string | null; topic: string | null; line: number | null }, now: string): Promise<void> {
    await this.s.update.run({ id, ...f, now });
  }

  async setStatus(id: number, status: ActionStatus, closedAt: string | null, now: string): Promise<void> {
    await this.s.setStatus.run({ id, status, closedAt, now });
  }

  /** Moves the action's last meeting; `delta` +1 for a carry-over, -1 to undo one, 0 to just move. */
  async carry(id: number, meetingId: number, delta: number, now: string): Promise<void> {
    await this.s.carry.run({ id, meetingId, delta, now });
  }

  async snooze(id: number, until: string | null, now: string): Promise<void> {
    await this.s.snooze.run(until, now, id);
  }

  async setOwners(actionId: number, owners: { personId: number | null; name: string }[]): Promise<void> {
    await this.s.deleteOwners.run(actionId);
    for (const [i, o] of owners.entries()) await this.s.insertOwner.run(actionId, i, o.personId, o.name);
  }

  /** Marks the action updated (its owners changed from the directory), so caches and lists see it. */
  async touch(id: number, now: string): Promise<void> {
    await this.s.touch.run(now, id);
  }

  /**
   * Records one `action_events` row. This repository is the one writer of that table: imports,
   * the action service, the directory (owner links) and reminders all come here.
   */
  async addEvent(e: NewEvent, now: string): Promise<number> {
    return (
      (await this.s.insertEvent.get({
        actionId: e.actionId,
        kind: e.kind,
        actorPersonId: e.actorPersonId,
        actor: e.actor,
        source: e.source,
        meetingId: e.meetingId ?? null,
        note: e.note ?? null,
        data: e.data ? JSON.stringify(e.data) : null,
        now,
      })) as { id: number }
    ).id;
  }

  async events(actionId: number): Promise<EventRecord[]> {
    return (await this.s.events.all(actionId)).map(toEvent);
  }

  /** Events written by imports of one meeting, oldest first (tells which actions it states). */
  async importEventsAt(meetingId: number): Promise<EventRecord[]> {
    return (await this.s.importEventsAt.all(meetingId)).map(toEvent);
  }

  /**
   * Actions (open or done) stated by imports of one of the `n` meetings of the series after
   * `date`: what minutes imported out of date order may restate.
   */
  async statedInLaterMeetings(seriesId: number, date: string, n: number): Promise<CandidateRow[]> {
    // DISTINCT in JS, keeping first occurrences: the order SQLite's DISTINCT gave, on both databases.
    const seen = new Set<number>();
    return (await this.s.statedLater.all({ seriesId, date, n })).filter((r) => !seen.has(r.id) && seen.add(r.id));
  }

  /** Moves the action's origin meeting (an earlier statement found); `delta` adjusts the carry count. */
  async setOrigin(id: number, meetingId: number, delta: number, now: string): Promise<void> {
    await this.s.setOrigin.run({ id, meetingId, delta, now });
  }

  /** Rewrites one event's kind and data (history re-read after an out-of-order import). */
  async retypeEvent(id: number, kind: ActionEventKind, data: Record<string, unknown> | null): Promise<void> {
    await this.s.retypeEvent.run({ id, kind, data: data ? JSON.stringify(data) : null });
  }

  async deleteEvent(id: number): Promise<void> {
    await this.s.deleteEvent.run(id);
  }

  /**
   * Adds an event for a meeting dated `date` in meeting order: before the action's first event
   * tied to a later meeting (those are re-inserted after it, same order and times), so a
   * history listed by id reads in meeting order. Returns the new event's id.
   */
  async addEventInOrder(e: NewEvent, date: string, now: string): Promise<number> {
    const from = (await this.s.firstEventAfter.get(e.actionId, date))?.id;
    const id = await this.addEvent(e, now);
    if (from == null) return id;
    await this.s.copyEvents.run({ actionId: e.actionId, from, to: id });
    await this.s.deleteEvents.run({ actionId: e.actionId, from, to: id });
    return id;
  }

  /** Open actions last stated in one of the `n` meetings of the series before `date`. */
  async openInRecentMeetings(seriesId: number, date: string, n: number): Promise<CandidateRow[]> {
    return await this.s.inRecentMeetings.all({ seriesId, date, n, status: 'open' });
  }

  /** Done actions last stated in one of the `n` meetings of the series before `date`. */
  async doneInRecentMeetings(seriesId: number, date: string, n: number): Promise<CandidateRow[]> {
    return await this.s.inRecentMeetings.all({ seriesId, date, n, status: 'done' });
  }


}
