import type { Db } from '../connection.js';

/** A series as the agenda needs it. */
export interface AgendaSeries {
  id: number;
  slug: string;
  name: string;
  cadence: string | null;
  timezone: string;
  /** `HH:MM` wall-clock time of the calls, or null. */
  timeOfDay: string | null;
  chairName: string | null;
  listEmail: string | null;
  standingItems: string[];
}

export interface MeetingRef {
  id: number;
  date: string;
  title: string | null;
}

export interface OpenActionRow {
  id: number;
  text: string;
  due: string | null;
  carriedCount: number;
  snoozedUntil: string | null;
  line: number | null;
  topic: string | null;
  origin: MeetingRef;
  owners: OwnerRow[];
}

export interface OwnerRow {
  personId: number | null;
  name: string;
  email: string | null;
  kind: 'person' | 'group' | null;
}

export interface ClosedActionRow {
  id: number;
  text: string;
  status: 'done' | 'dropped';
  origin: MeetingRef;
  owners: OwnerRow[];
  closedAt: string;
  closedBy: string | null;
  closedByPersonId: number | null;
  source: string;
  note: string | null;
  closedInMeeting: MeetingRef | null;
}

export interface DecisionRow {
  id: number;
  text: string;
  topic: string | null;
  line: number;
  superseded: boolean;
  meeting: MeetingRef;
}

export interface DeferredTopicRow {
  id: number;
  title: string;
  line: number;
  deferredTo: string;
  meeting: MeetingRef;
}

export interface AgendaItemRow {
  id: number;
  seriesId: number;
  meetingDate: string;
  text: string;
  proposedBy: string | null;
  proposedByPersonId: number | null;
  createdAt: string;
}

export interface AttendeeRow {
  name: string;
  org: string | null;
  role: string | null;
}

export interface AgendaSendRow {
  id: number;
  seriesId: number;
  meetingDate: string;
  outboxId: number | null;
  toAddress: string;
  createdAt: string;
}

type Row = Record<string, unknown>;

const meetingRef = (r: Row, p = 'm_'): MeetingRef => ({
  id: r[`${p}id`] as number,
  date: r[`${p}date`] as string,
  title: (r[`${p}title`] as string | null) ?? null,
});

const ownerOf = (r: Row): OwnerRow => ({
  personId: (r.person_id as number | null) ?? null,
  name: (r.person_name as string | null) ?? (r.owner_name as string),
  email: (r.email as string | null) ?? null,
  kind: (r.kind as 'person' | 'group' | null) ?? null,
});

/**
 * Every read the agenda needs, plus agenda items and sent-agenda records. Statements are
 * prepared once; each query is bounded by one series so the agenda stays fast on big ones.
 */
export function createAgendaRepository(db: Db) {
  const st = {
    series: db.prepare(
      `SELECT s.id, s.slug, s.name, s.cadence, s.timezone, s.time_of_day, s.list_email, s.standing_items, p.name AS chair_name
         FROM series s LEFT JOIN people p ON p.id = s.chair_person_id WHERE s.slug = ?`,
    ),
    lastMeetingBefore: db.prepare(
      `SELECT id AS m_id, date AS m_date, title AS m_title FROM meetings
        WHERE series_id = ? AND date < ? ORDER BY date DESC LIMIT 1`,
    ),
    latestMeeting: db.prepare(
      `SELECT id AS m_id, date AS m_date, title AS m_title FROM meetings
        WHERE series_id = ? ORDER BY date DESC LIMIT 1`,
    ),
    // Open actions first raised before the agenda date, with their owners in written order.
    openActions: db.prepare(
      `SELECT a.id, a.text, a.due, a.carried_count, a.snoozed_until, a.line, a.topic,
              m.id AS m_id, m.date AS m_date, m.title AS m_title,
              o.person_id, o.name AS owner_name, p.name AS person_name, p.email, p.kind
         FROM meetings m
         JOIN actions a ON a.origin_meeting_id = m.id AND a.status = 'open'
         LEFT JOIN action_owners o ON o.action_id = a.id
         LEFT JOIN people p ON p.id = o.person_id
        WHERE m.series_id = ? AND m.date < ?
        ORDER BY m.date, a.id, o.position`,
    ).raw(true),
    // Closed or dropped actions whose latest closing event falls between the last meeting and
    // the agenda date. An event recorded by an import counts at its meeting's date, so closing
    // by importing old minutes lands on the right agenda.
    closedActions: db.prepare(
      `SELECT a.id, a.text, a.status,
              m.id AS m_id, m.date AS m_date, m.title AS m_title,
              e.created_at AS closed_at, e.actor, e.actor_person_id, ap.name AS actor_name,
              e.source, e.note, em.id AS em_id, em.date AS em_date, em.title AS em_title,
              o.person_id, o.name AS owner_name, p.name AS person_name, p.email, p.kind
         FROM meetings m
         JOIN actions a ON a.origin_meeting_id = m.id AND a.status IN ('done', 'dropped')
         JOIN action_events e ON e.id = (
              SELECT MAX(x.id) FROM action_events x WHERE x.action_id = a.id AND x.kind IN ('closed', 'dropped'))
         LEFT JOIN meetings em ON em.id = e.meeting_id
         LEFT JOIN people ap ON ap.id = e.actor_person_id
         LEFT JOIN action_owners o ON o.action_id = a.id
         LEFT JOIN people p ON p.id = o.person_id
        WHERE m.series_id = ? AND m.date < ?
          AND COALESCE(em.date, substr(e.created_at, 1, 10)) >= ?
          AND COALESCE(em.date, substr(e.created_at, 1, 10)) <= ?
        ORDER BY e.created_at, a.id, o.position`,
    ),
    decisions: db.prepare(
      `SELECT d.id, d.text, d.topic, d.line, d.superseded_by_id,
              m.id AS m_id, m.date AS m_date, m.title AS m_title
         FROM meetings m JOIN decisions d ON d.meeting_id = m.id AND d.removed_at IS NULL
        WHERE m.series_id = ? AND m.date >= ? AND m.date < ?
        ORDER BY m.date, d.line`,
    ),
    // See deferredTopics() for the rules; the parameters are named to keep them readable.
    deferred: db.prepare(
      `SELECT t.id, t.title, t.line, t.deferred_to, m.id AS m_id, m.date AS m_date, m.title AS m_title
         FROM meetings m JOIN topics t ON t.meeting_id = m.id AND t.deferred_to IS NOT NULL
        WHERE m.series_id = @seriesId AND m.date < @date
          AND (
               (length(t.deferred_to) = 10 AND t.deferred_to <= @date AND t.deferred_to > @lastDate)
            OR (length(t.deferred_to) = 7 AND t.deferred_to <= substr(@date, 1, 7)
                AND t.deferred_to > substr(@lastDate, 1, 7))
            OR (t.deferred_to = 'next' AND m.id = @lastMeetingId)
          )
        ORDER BY m.date, t.line`,
    ),
    items: db.prepare(
      `SELECT id, series_id, meeting_date, text, proposed_by, proposed_by_person_id, created_at
         FROM agenda_items WHERE series_id = ? AND meeting_date = ? ORDER BY id`,
    ),
    insertItem: db.prepare(
      `INSERT INTO agenda_items (series_id, meeting_date, text, proposed_by, proposed_by_person_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    itemById: db.prepare(
      `SELECT id, series_id, meeting_date, text, proposed_by, proposed_by_person_id, created_at
         FROM agenda_items WHERE id = ?`,
    ),
    attendees: db.prepare(
      `SELECT COALESCE(p.name, a.name) AS name, COALESCE(a.org, p.org) AS org, a.role
         FROM attendance a LEFT JOIN people p ON p.id = a.person_id
        WHERE a.meeting_id = ? AND a.status = 'present' ORDER BY a.id`,
    ),
    sendFor: db.prepare(
      `SELECT id, series_id, meeting_date, outbox_id, to_address, created_at
         FROM agenda_sends WHERE series_id = ? AND meeting_date = ?`,
    ),
    insertSend: db.prepare(
      `INSERT INTO agenda_sends (series_id, meeting_date, outbox_id, to_address, created_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    minutesText: db.prepare(
      `SELECT r.text FROM meetings m JOIN minutes_revisions r ON r.id = m.current_revision_id WHERE m.id = ?`,
    ),
    listSeries: db.prepare(
      `SELECT s.slug, s.name, s.cadence, s.timezone, MAX(m.date) AS last_date, COUNT(m.id) AS meetings
         FROM series s LEFT JOIN meetings m ON m.series_id = s.id GROUP BY s.id ORDER BY s.name`,
    ),
  };

  const itemRow = (r: Row): AgendaItemRow => ({
    id: r.id as number,
    seriesId: r.series_id as number,
    meetingDate: r.meeting_date as string,
    text: r.text as string,
    proposedBy: (r.proposed_by as string | null) ?? null,
    proposedByPersonId: (r.proposed_by_person_id as number | null) ?? null,
    createdAt: r.created_at as string,
  });

  const sendRow = (r: Row): AgendaSendRow => ({
    id: r.id as number,
    seriesId: r.series_id as number,
    meetingDate: r.meeting_date as string,
    outboxId: (r.outbox_id as number | null) ?? null,
    toAddress: r.to_address as string,
    createdAt: r.created_at as string,
  });

  return {
    /** Every series with its latest meeting date and meeting count (the agenda index page). */
    async listSeries(): Promise<{ slug: string; name: string; cadence: string | null; timezone: string; lastDate: string | null; meetings: number }[]> {
      return (await st.listSeries.all() as Row[]).map((r) => ({
        slug: r.slug as string,
        name: r.name as string,
        cadence: (r.cadence as string | null) || null,
        timezone: r.timezone as string,
        lastDate: (r.last_date as string | null) ?? null,
        meetings: r.meetings as number,
      }));
    },

    /** The series with slug `slug`, or null. */
    async seriesBySlug(slug: string): Promise<AgendaSeries | null> {
      const r = await st.series.get(slug) as Row | undefined;
      if (!r) return null;
      let standing: unknown = [];
      try {
        standing = JSON.parse((r.standing_items as string) || '[]');
      } catch {
        standing = [];
      }
      return {
        id: r.id as number,
        slug: r.slug as string,
        name: r.name as string,
        cadence: (r.cadence as string | null) || null,
        timezone: (r.timezone as string) || 'UTC',
        timeOfDay: (r.time_of_day as string | null) ?? null,
        chairName: (r.chair_name as string | null) ?? null,
        listEmail: (r.list_email as string | null) || null,
        standingItems: Array.isArray(standing) ? standing.map(String).filter((s) => s.trim() !== '') : [],
      };
    },

    /** The latest meeting of the series strictly before `date`. */
    async lastMeetingBefore(seriesId: number, date: string): Promise<MeetingRef | null> {
      const r = await st.lastMeetingBefore.get(seriesId, date) as Row | undefined;
      return r ? meetingRef(r) : null;
    },

    /** The latest meeting of the series, whatever its date. */
    async latestMeeting(seriesId: number): Promise<MeetingRef | null> {
      const r = await st.latestMeeting.get(seriesId) as Row | undefined;
      return r ? meetingRef(r) : null;
    },

    /** Open actions of the series raised before `date`, oldest meeting first. */
    async openActions(seriesId: number, date: string): Promise<OpenActionRow[]> {
      // Raw rows (arrays): this is the agenda's one big read, and skipping a keyed object per
      // row roughly halves its cost on a series with thousands of actions.
      const out: OpenActionRow[] = [];
      let cur: OpenActionRow | null = null;
      for (const r of await st.openActions.all(seriesId, date) as unknown[][]) {
        const id = r[0] as number;
        if (!cur || cur.id !== id) {
          cur = {
            id,
            text: r[1] as string,
            due: r[2] as string | null,
            carriedCount: r[3] as number,
            snoozedUntil: r[4] as string | null,
            line: r[5] as number | null,
            topic: r[6] as string | null,
            origin: { id: r[7] as number, date: r[8] as string, title: r[9] as string | null },
            owners: [],
          };
          out.push(cur);
        }
        if (r[11] !== null) {
          cur.owners.push({
            personId: r[10] as number | null,
            name: (r[12] as string | null) ?? (r[11] as string),
            email: r[13] as string | null,
            kind: r[14] as 'person' | 'group' | null,
          });
        }
      }
      return out;
    },

    /** Actions closed or dropped between `from` and `to` (dates, inclusive). */
    async closedActions(seriesId: number, from: string, to: string): Promise<ClosedActionRow[]> {
      const out: ClosedActionRow[] = [];
      let cur: ClosedActionRow | null = null;
      for (const r of (await st.closedActions.all(seriesId, to, from, to)) as Row[]) {
        if (!cur || cur.id !== r.id) {
          cur = {
            id: r.id as number,
            text: r.text as string,
            status: r.status as 'done' | 'dropped',
            origin: meetingRef(r),
            owners: [],
            closedAt: r.closed_at as string,
            closedBy: (r.actor_name as string | null) ?? (r.actor as string | null) ?? null,
            closedByPersonId: (r.actor_person_id as number | null) ?? null,
            source: r.source as string,
            note: (r.note as string | null) ?? null,
            closedInMeeting: r.em_id === null ? null : meetingRef(r, 'em_'),
          };
          out.push(cur);
        }
        if (r.owner_name !== null) cur.owners.push(ownerOf(r));
      }
      return out;
    },

    /** Decisions (not removed) of the series' meetings in [from, to). */
    async decisions(seriesId: number, from: string, to: string): Promise<DecisionRow[]> {
      return (await st.decisions.all(seriesId, from, to) as Row[]).map((r) => ({
        id: r.id as number,
        text: r.text as string,
        topic: (r.topic as string | null) ?? null,
        line: r.line as number,
        superseded: r.superseded_by_id !== null,
        meeting: meetingRef(r),
      }));
    },

    /**
     * Topics deferred to the meeting on `date`: to a day after the last meeting and up to
     * `date`; to a month after the last meeting's month and up to `date`'s month (so a topic
     * deferred to a month without a call rolls on to the next one); or to "next" from the
     * last meeting itself.
     */
    async deferredTopics(seriesId: number, date: string, last: MeetingRef | null): Promise<DeferredTopicRow[]> {
      const rows = await st.deferred.all({
        seriesId,
        date,
        lastDate: last?.date ?? '0000-00-00',
        lastMeetingId: last?.id ?? -1,
      }) as Row[];
      return rows.map((r) => ({
        id: r.id as number,
        title: r.title as string,
        line: r.line as number,
        deferredTo: r.deferred_to as string,
        meeting: meetingRef(r),
      }));
    },

    /** The text of the meeting's current minutes revision, or null. */
    async minutesText(meetingId: number): Promise<string | null> {
      const r = await st.minutesText.get(meetingId) as Row | undefined;
      return r ? (r.text as string) : null;
    },

    /** Items proposed for the meeting on `date`. */
    async agendaItems(seriesId: number, date: string): Promise<AgendaItemRow[]> {
      return (await st.items.all(seriesId, date) as Row[]).map(itemRow);
    },

    /** Stores a proposed item and returns it. */
    async insertAgendaItem(item: {
      seriesId: number;
      meetingDate: string;
      text: string;
      proposedBy: string | null;
      proposedByPersonId: number | null;
      createdAt: string;
    }): Promise<AgendaItemRow> {
      const info = (await st.insertItem.get(
        item.seriesId,
        item.meetingDate,
        item.text,
        item.proposedBy,
        item.proposedByPersonId,
        item.createdAt,
      )) as { id: number };
      return itemRow((await st.itemById.get(info.id)) as Row);
    },

    /** Who was present at a meeting, in the order the minutes list them. */
    async attendees(meetingId: number): Promise<AttendeeRow[]> {
      return (await st.attendees.all(meetingId) as Row[]).map((r) => ({
        name: r.name as string,
        org: (r.org as string | null) ?? null,
        role: (r.role as string | null) ?? null,
      }));
    },

    /** The record of the agenda sent for that meeting, if any. */
    async sendFor(seriesId: number, date: string): Promise<AgendaSendRow | null> {
      const r = await st.sendFor.get(seriesId, date) as Row | undefined;
      return r ? sendRow(r) : null;
    },

    /** Records that the agenda for that meeting went to `toAddress` through outbox row `outboxId`. */
    async insertSend(seriesId: number, date: string, outboxId: number | null, toAddress: string, createdAt: string): Promise<void> {
      await st.insertSend.run(seriesId, date, outboxId, toAddress, createdAt);
    },
  };
}

export type AgendaRepository = ReturnType<typeof createAgendaRepository>;
