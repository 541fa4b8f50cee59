import type { Db } from '../connection.js';
import { inJsonList } from '../sql-lists.js';
import type { Dialect, Statement } from '../database.js';

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

interface ActionRow {
  id: number;
  text: string;
  due: string | null;
  status: ActionStatus;
  origin_meeting_id: number;
  last_meeting_id: number;
  topic: string | null;
  line: number | null;
  carried_count: number;
  snoozed_until: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  origin_date: string;
  origin_title: string | null;
  series_id: number;
  series_slug: string;
  last_meeting_date: string;
}

const toAction = (r: ActionRow): ActionRecord => ({
  id: r.id,
  text: r.text,
  due: r.due,
  status: r.status,
  originMeetingId: r.origin_meeting_id,
  lastMeetingId: r.last_meeting_id,
  topic: r.topic,
  line: r.line,
  carriedCount: r.carried_count,
  snoozedUntil: r.snoozed_until,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  originDate: r.origin_date,
  originTitle: r.origin_title,
  seriesId: r.series_id,
  seriesSlug: r.series_slug,
  lastMeetingDate: r.last_meeting_date,
});

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

const SELECT_COLUMNS = `SELECT a.*, m.date AS origin_date, m.title AS origin_title, m.series_id AS series_id,
    s.slug AS series_slug, lm.date AS last_meeting_date`;
const SELECT_FROM = `
  FROM actions a
  JOIN meetings m ON m.id = a.origin_meeting_id
  JOIN series s ON s.id = m.series_id
  JOIN meetings lm ON lm.id = a.last_meeting_id`;
const SELECT = `${SELECT_COLUMNS}${SELECT_FROM}`;
/**
 * `SELECT` with each action's owners as one more column (PostgreSQL): a JSON array of
 * `[position, person_id, written name, directory name, email]` in written order, which pg
 * parses. One statement instead of the listing and then `owners`: a round trip less per list.
 */
const SELECT_WITH_OWNERS = `${SELECT_COLUMNS},
    (SELECT json_agg(json_build_array(o.position, o.person_id, o.name, p.name, p.email) ORDER BY o.position)
       FROM action_owners o LEFT JOIN people p ON p.id = o.person_id WHERE o.action_id = a.id) AS owners_json${SELECT_FROM}`;

/** The WHERE terms and parameters of a listing (shared by `list` and `listJson`). */
function listFilter(dialect: Dialect, q: ActionQuery): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit ?? 500, offset: q.offset ?? 0 };
  if (q.status) {
    where.push('a.status = @status');
    params.status = q.status;
  }
  if (q.overdueBefore) {
    where.push(`a.status = 'open' AND a.due IS NOT NULL AND a.due < @overdueBefore`);
    params.overdueBefore = q.overdueBefore;
  }
  // The owner filter: owning person ids, or an unresolved written name.
  const owner: string[] = [];
  if (q.ownerIds && q.ownerIds.length > 0) {
    owner.push(`SELECT action_id FROM action_owners WHERE ${inJsonList(dialect, 'person_id', '@ownerIds', 'id')}`);
    params.ownerIds = JSON.stringify(q.ownerIds);
  }
  if (q.ownerName) {
    // Each database's own case-insensitive form, matching its index: SQLite's action_owners_unresolved
    // is on `name COLLATE NOCASE`, PostgreSQL's on `lower(name)` (both fold ASCII letters alike).
    const same = dialect === 'sqlite' ? 'name = @ownerName COLLATE NOCASE' : 'lower(name) = lower(@ownerName)';
    owner.push(`SELECT action_id FROM action_owners WHERE person_id IS NULL AND ${same}`);
    params.ownerName = q.ownerName;
  }
  if (owner.length === 0 && (q.ownerIds || q.ownerName)) where.push('1 = 0');
  // SQLite answers an OR of two IN lists from the indexes. PostgreSQL would check every action
  // against both lists (an OR of subplans cannot be a join), and even one IN is planned as a
  // scan of all open actions (it cannot know how few ids the list holds), so there the owner's
  // action ids are computed first and looked up by primary key: `a.id = ANY(ARRAY(...))`.
  else if (owner.length > 0 && dialect === 'sqlite') where.push(`(${owner.map((o) => `a.id IN (${o})`).join(' OR ')})`);
  else if (owner.length > 0) where.push(`a.id = ANY(ARRAY(${owner.join(' UNION ALL ')}))`);
  if (q.seriesId != null) {
    where.push('m.series_id = @seriesId');
    params.seriesId = q.seriesId;
  }
  if (q.after) {
    // Keyset: strictly after the last row of the previous page, in ORDER's terms.
    where.push(`(a.status <> 'open', a.due IS NULL, coalesce(a.due, ''), a.id) > (@k0, @k1, @k2, @k3)`);
    [params.k0, params.k1, params.k2, params.k3] = q.after;
  }
  return { where, params };
}

/** The keyset sort key of an action row, as `ActionQuery.after` takes it (see ORDER). */
export function actionSortKey(a: { status: string; due: string | null; id: number }): ActionSortKey {
  return [a.status !== 'open' ? 1 : 0, a.due === null ? 1 : 0, a.due ?? '', a.id];
}

/** `[not open, no due date, due date or '', id]`: the listing order as values. */
export type ActionSortKey = [number, number, string, number];

/** Open first, then by due date (unknown last) and id. */
const ORDER = `ORDER BY a.status <> 'open', a.due IS NULL, a.due, a.id`;

/**
 * `SELECT` of one JSON text per action, shaped as `ActionView` (action-service.ts) key for key:
 * owners in written order, a directory name (and email) over the name as written.
 */
const SELECT_VIEW_JSON = `SELECT json_object(
    'id', a.id, 'text', a.text, 'due', a.due, 'status', a.status,
    'owners', json((SELECT json_group_array(json_object('personId', o.person_id, 'name', coalesce(p.name, o.name), 'email', p.email) ORDER BY o.position)
      FROM action_owners o LEFT JOIN people p ON p.id = o.person_id WHERE o.action_id = a.id)),
    'originMeeting', json_object('id', a.origin_meeting_id, 'date', m.date, 'title', m.title, 'seriesSlug', s.slug),
    'lastMeeting', json_object('id', a.last_meeting_id, 'date', lm.date),
    'carriedCount', a.carried_count, 'snoozedUntil', a.snoozed_until, 'line', a.line, 'topic', a.topic,
    'createdAt', a.created_at, 'updatedAt', a.updated_at, 'closedAt', a.closed_at,
    'overdue', json(CASE WHEN a.status = 'open' AND a.due IS NOT NULL AND a.due < @today THEN 'true' ELSE 'false' END)
  )
  FROM actions a
  JOIN meetings m ON m.id = a.origin_meeting_id
  JOIN series s ON s.id = m.series_id
  JOIN meetings lm ON lm.id = a.last_meeting_id`;

/** One owner in `SELECT_WITH_OWNERS`'s `owners_json`: position, person id, written name, directory name, email. */
type OwnerTuple = [number, number | null, string, string | null, string | null];

/** The few columns carry-over matching needs (many candidates, so kept light). */
export interface CandidateRow {
  id: number;
  text: string;
  status: ActionStatus;
  line: number | null;
}

export interface ActionQuery {
  status?: ActionStatus | null;
  /** Actions owned by any of these people (uses the action_owners_person index). */
  ownerIds?: number[] | null;
  /** Or owned under this unresolved name (as written, case-insensitive). */
  ownerName?: string | null;
  seriesId?: number | null;
  /** Open actions with a due date before this date. */
  overdueBefore?: string | null;
  limit?: number;
  offset?: number;
  /** Only actions after this sort key (keyset pagination; see `actionSortKey`). */
  after?: ActionSortKey | null;
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

/** All SQL over `actions`, `action_owners` and `action_events`. */
export class ActionRepository {
  private readonly s;
  /** Listing statements, one per combination of filters, prepared on first use. */
  private readonly listCache = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[number], ActionRow>(`${SELECT} WHERE a.id = ?`),
      openCounts: db.prepare<[], { person_id: number; n: number }>(
        `SELECT o.person_id, count(DISTINCT o.action_id) AS n FROM action_owners o JOIN actions a ON a.id = o.action_id
         WHERE a.status = 'open' AND o.person_id IS NOT NULL GROUP BY o.person_id`,
      ),
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

  /** Filtered listing; open first, then by due date (unknown last) and id. */
  async list(q: ActionQuery = {}): Promise<ActionRecord[]> {
    const { where, params } = listFilter(this.db.dialect, q);
    return (await this.listStatement(SELECT, where).all(params) as ActionRow[]).map(toAction);
  }

  /**
   * `list(q)` and `owners` of its rows. On PostgreSQL in one statement (`SELECT_WITH_OWNERS`),
   * a round trip less than the two calls, which SQLite makes in-process.
   */
  async listWithOwners(q: ActionQuery = {}): Promise<{ rows: ActionRecord[]; owners: Map<number, OwnerRecord[]> }> {
    if (this.db.dialect === 'sqlite') {
      const rows = await this.list(q);
      return { rows, owners: await this.owners(rows.map((r) => r.id)) };
    }
    const { where, params } = listFilter(this.db.dialect, q);
    const found = (await this.listStatement(SELECT_WITH_OWNERS, where).all(params)) as Array<ActionRow & { owners_json: OwnerTuple[] | null }>;
    const owners = new Map<number, OwnerRecord[]>();
    for (const r of found) {
      owners.set(
        r.id,
        (r.owners_json ?? []).map(([position, personId, writtenName, personName, email]) => ({
          actionId: r.id,
          position,
          personId,
          name: personName ?? writtenName,
          writtenName,
          email,
        })),
      );
    }
    return { rows: found.map(toAction), owners };
  }

  /**
   * The same listing as `list`, each action already serialised by SQLite as the JSON of its
   * `ActionView` (owners included, `overdue` against `today`): the API list sends these bytes
   * without building a JS object per row and per owner and serialising them again. Key order
   * and escaping are those of `JSON.stringify` over `ActionService.views` (pinned by a test).
   */
  async listJson(q: ActionQuery, today: string): Promise<string[]> {
    if (this.db.dialect !== 'sqlite') return await this.listJsonInJs(q, today);
    const { where, params } = listFilter(this.db.dialect, q);
    // The page of ids first (sorted and cut on the narrow rows), then the JSON of those rows
    // only: a sort keeps whole result rows, so shaping before the LIMIT would build the JSON
    // (and read the owners) of every match, e.g. all 3,000 open actions of a series for 100.
    const page = `SELECT a.id, a.status, a.due FROM actions a${q.seriesId != null ? ' JOIN meetings m ON m.id = a.origin_meeting_id' : ''}
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${ORDER} LIMIT @limit OFFSET @offset`;
    return await this.prepared(`${SELECT_VIEW_JSON} JOIN (${page}) page ON page.id = a.id ORDER BY page.status <> 'open', page.due IS NULL, page.due, page.id`)
      .pluck()
      .all({ ...params, today }) as string[];
  }

  /**
   * `listJson` where the database cannot write those bytes: PostgreSQL's `json_build_object`
   * puts spaces around the colons, so the rows and owners are read as in `list` and `owners`
   * and serialised here, key for key as `SELECT_VIEW_JSON` (and `JSON.stringify` of the view).
   */
  private async listJsonInJs(q: ActionQuery, today: string): Promise<string[]> {
    const { rows, owners } = await this.listWithOwners(q);
    return rows.map((a) =>
      JSON.stringify({
        id: a.id,
        text: a.text,
        due: a.due,
        status: a.status,
        owners: (owners.get(a.id) ?? []).map((o) => ({ personId: o.personId, name: o.name, email: o.email })),
        originMeeting: { id: a.originMeetingId, date: a.originDate, title: a.originTitle, seriesSlug: a.seriesSlug },
        lastMeeting: { id: a.lastMeetingId, date: a.lastMeetingDate },
        carriedCount: a.carriedCount,
        snoozedUntil: a.snoozedUntil,
        line: a.line,
        topic: a.topic,
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
        closedAt: a.closedAt,
        overdue: a.status === 'open' && a.due !== null && a.due < today,
      }),
    );
  }

  /** How many actions match `q` (its limit, offset and cursor aside). */
  async count(q: ActionQuery): Promise<number> {
    const { where, params } = listFilter(this.db.dialect, { ...q, after: null });
    const sql = `SELECT count(*) FROM actions a${q.seriesId != null ? ' JOIN meetings m ON m.id = a.origin_meeting_id' : ''}
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    delete params.limit;
    delete params.offset;
    return await this.prepared(sql).pluck().get(params) as number;
  }

  /** Listing statements, one per combination of filters, prepared on first use. */
  private listStatement(select: string, where: string[]): Statement {
    return this.prepared(`${select} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${ORDER} LIMIT @limit OFFSET @offset`);
  }

  private prepared(sql: string): Statement {
    let stmt = this.listCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.listCache.set(sql, stmt);
    }
    return stmt;
  }

  /** Owners of the given actions, grouped by action id, in the order written. */
  /** Open actions per owning person id (people without open actions are absent). */
  async openCountsByPerson(): Promise<Map<number, number>> {
    return new Map((await this.s.openCounts.all()).map((r) => [r.person_id, r.n]));
  }

  async owners(actionIds: number[]): Promise<Map<number, OwnerRecord[]>> {
    const map = new Map<number, OwnerRecord[]>();
    if (actionIds.length === 0) return map;
    for (const r of await this.s.owners.all(JSON.stringify(actionIds))) {
      const list = map.get(r.action_id) ?? [];
      list.push({
        actionId: r.action_id,
        position: r.position,
        personId: r.person_id,
        name: r.person_name ?? r.name,
        writtenName: r.name,
        email: r.email,
      });
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

  /** Actions by id, in the order given (ids not found are left out). */
  async byIds(ids: number[]): Promise<ActionRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.prepared(`${SELECT} WHERE ${inJsonList(this.db.dialect, 'a.id', '?', 'id')}`).all(JSON.stringify(ids)) as ActionRow[];
    const byId = new Map(rows.map((r) => [r.id, toAction(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Open actions counted per owner without reading them (the dashboard): per resolved person
   * (with the person's name and email), per written name not tied to a person (one row per
   * name and action, to be grouped by the caller's key), and those without any owner.
   */
  async openOwnerCounts(today: string): Promise<{
    people: { personId: number; name: string; email: string | null; open: number; overdue: number }[];
    names: { name: string; actionId: number; overdue: number }[];
    none: { open: number; overdue: number };
    total: { open: number; overdue: number };
  }> {
    const OVERDUE = `a.due IS NOT NULL AND a.due < @today`;
    return {
      people: await this.prepared(
        `SELECT p.id AS personId, p.name AS name, p.email AS email, count(DISTINCT a.id) AS open,
           count(DISTINCT CASE WHEN ${OVERDUE} THEN a.id END) AS overdue
         FROM action_owners o JOIN actions a ON a.id = o.action_id JOIN people p ON p.id = o.person_id
         WHERE a.status = 'open' AND o.person_id IS NOT NULL GROUP BY p.id ORDER BY p.id`,
      ).all({ today }) as { personId: number; name: string; email: string | null; open: number; overdue: number }[],
      names: await this.prepared(
        `SELECT o.name AS name, a.id AS actionId, CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END AS overdue
         FROM action_owners o JOIN actions a ON a.id = o.action_id
         WHERE a.status = 'open' AND o.person_id IS NULL ORDER BY a.id, o.position`,
      ).all({ today }) as { name: string; actionId: number; overdue: number }[],
      none: await this.prepared(
        `SELECT count(*) AS open, count(CASE WHEN ${OVERDUE} THEN 1 END) AS overdue FROM actions a
         WHERE a.status = 'open' AND NOT EXISTS (SELECT 1 FROM action_owners o WHERE o.action_id = a.id)`,
      ).get({ today }) as { open: number; overdue: number },
      total: await this.prepared(`SELECT count(*) AS open, count(CASE WHEN ${OVERDUE} THEN 1 END) AS overdue FROM actions a WHERE a.status = 'open'`).get({ today }) as {
        open: number;
        overdue: number;
      },
    };
  }

  /**
   * Ids of the most urgent open actions of one owner: a person, written names not tied to a
   * person, or nobody (`owner` null). Overdue first, then by due date (none last), then oldest.
   */
  async mostUrgentOpen(owner: { personId: number } | { names: string[] } | null, today: string, limit: number): Promise<number[]> {
    const who =
      owner === null
        ? `NOT EXISTS (SELECT 1 FROM action_owners o WHERE o.action_id = a.id)`
        : 'personId' in owner
          ? `a.id IN (SELECT action_id FROM action_owners WHERE person_id = @personId)`
          : `a.id IN (SELECT action_id FROM action_owners WHERE person_id IS NULL AND ${inJsonList(this.db.dialect, 'name', '@names', 'text')})`;
    return await this.prepared(
      `SELECT a.id FROM actions a WHERE a.status = 'open' AND ${who}
       ORDER BY (a.due IS NOT NULL AND a.due < @today) DESC, a.due IS NULL, a.due, a.id LIMIT @limit`,
    )
      .pluck()
      .all({
        today,
        limit,
        personId: owner && 'personId' in owner ? owner.personId : null,
        names: owner && 'names' in owner ? JSON.stringify(owner.names) : null,
      }) as number[];
  }
}
