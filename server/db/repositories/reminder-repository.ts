import { inJsonList } from '../sql-lists.js';
import type { Db } from '../connection.js';
import { readPlannedForValues } from '../database.js';
import { isDeliverableAddress } from '../../../domain/email-address.js';

/**
 * One (owner, action) pair that may go into a digest, as the planner reads it: only ids and
 * the action's own fields; people, meetings and series come from small lookup maps, so the
 * 100,000-row pass builds narrow rows.
 */
export interface ReminderCandidate {
  personId: number;
  actionId: number;
  text: string;
  due: string | null;
  carriedCount: number;
  line: number | null;
  meetingId: number;
}

export interface ReminderPerson {
  id: number;
  name: string;
  email: string | null;
  kind: 'person' | 'group';
}

export interface ReminderMeeting {
  id: number;
  date: string;
  title: string | null;
  seriesId: number;
  seriesSlug: string;
  seriesName: string;
}

export interface OwnerWithoutEmail {
  /** null when the owner is a name the minutes gave that matches no one in the directory. */
  personId: number | null;
  name: string;
  kind: 'person' | 'group' | 'unresolved';
  /** Why nobody can be reminded: no address, an address we cannot send to, or a name only. */
  reason: 'no address' | 'invalid address' | 'not in directory';
  /** The stored address when it is invalid (to show what to fix), else null. */
  email: string | null;
  openActions: number;
}

/** An open, overdue action that may go into a chair's summary, with what the summary shows. */
export interface EscalationAction {
  id: number;
  text: string;
  due: string | null;
  meeting: { date: string; title: string };
  series: { id: number; name: string };
}

export interface ChairRecord {
  seriesId: number;
  seriesName: string;
  chairPersonId: number;
  chairName: string;
  chairEmail: string | null;
}

export interface DigestRecord {
  id: number;
  personId: number;
  periodKey: string;
  toAddress: string;
  hadOverdue: boolean;
  outboxId: number | null;
  createdAt: string;
}

/** All SQL of reminder planning and bookkeeping. */
export function createReminderRepository(db: Db) {
  // The pass's big reads are planned for the dates and id ranges given (`readPlannedForValues`:
  // with PostgreSQL's generic plan, kept for the app's lookups, a dry run over 100,000 actions
  // took twice as long). Inside the pass's own transaction, which asks for custom plans itself,
  // they simply run in it.
  // One pass over open actions whose owner can be reminded now: people with a recent digest,
  // paused reminders or merged away are left out here; ordering happens per person in JS.
  // The person-id range lets the pass decide a batch of people per transaction; the
  // recent-digest test then runs inside that transaction (the concurrency re-check).
  const candidates = db.prepare(`
SELECT o.person_id, a.id, a.text, a.due, a.carried_count, a.line, a.origin_meeting_id
FROM actions a
JOIN action_owners o ON o.action_id = a.id
JOIN people p ON p.id = o.person_id
JOIN meetings lm ON lm.id = a.last_meeting_id
WHERE a.status = 'open'
  AND (a.snoozed_until IS NULL OR a.snoozed_until <= @today)
  AND lm.date <= @meetingOnOrBefore
  AND p.merged_into_id IS NULL
  AND (p.reminders_paused_until IS NULL OR p.reminders_paused_until < @today)
  AND o.person_id BETWEEN @fromPersonId AND @toPersonId
  AND NOT EXISTS (SELECT 1 FROM reminder_digests d WHERE d.person_id = o.person_id AND d.created_at >= @recentSince)`).raw();
  const personIds = db.prepare(`SELECT id FROM people WHERE merged_into_id IS NULL ORDER BY id`).pluck();
  const allPeople = db.prepare(`SELECT id, name, email, kind FROM people WHERE merged_into_id IS NULL`);
  const allMeetings = db.prepare(`
SELECT m.id, m.date, m.title, s.id AS seriesId, s.slug AS seriesSlug, s.name AS seriesName
FROM meetings m JOIN series s ON s.id = m.series_id`);

  // Owners nobody can reach: people without a usable address, plus owner names the directory
  // does not know. The address rule lives in JS (zod), so it is applied there to the live
  // people's addresses (narrow rows), and the open actions are counted for those people only
  // (@ids) and per unresolved name: the list and the pass that skips them use one definition.
  const liveAddresses = db.prepare('SELECT id, email FROM people WHERE merged_into_id IS NULL').raw();
  const ownersWithAddress = db.prepare(`
SELECT personId, name, kind, email, openActions FROM (
  SELECT p.id AS personId, p.name AS name, p.kind AS kind, NULLIF(p.email, '') AS email, count(DISTINCT a.id) AS openActions
  FROM people p
  JOIN action_owners o ON o.person_id = p.id
  JOIN actions a ON a.id = o.action_id AND a.status = 'open'
  WHERE p.merged_into_id IS NULL AND ${inJsonList(db.dialect, 'p.id', '@ids', 'id')}
  GROUP BY p.id, p.name, p.kind, p.email
  UNION ALL
  SELECT NULL, o.name, 'unresolved', NULL, count(DISTINCT a.id)
  FROM action_owners o
  JOIN actions a ON a.id = o.action_id AND a.status = 'open'
  WHERE o.person_id IS NULL
  GROUP BY o.name) owners
ORDER BY openActions DESC, name`);

  // Per open action, the most digests any one owner got listing it while overdue.
  const overdueCounts = db.prepare(`
SELECT action_id AS actionId, max(n) AS n FROM (
  SELECT i.action_id, d.person_id, count(*) AS n
  FROM reminder_digest_items i
  JOIN reminder_digests d ON d.id = i.digest_id
  JOIN actions a ON a.id = i.action_id AND a.status = 'open'
  WHERE i.overdue = 1 AND i.action_id BETWEEN @fromActionId AND @toActionId
    AND NOT EXISTS (SELECT 1 FROM reminder_escalations e WHERE e.action_id = i.action_id)
  GROUP BY i.action_id, d.person_id) AS per_owner
GROUP BY action_id`);

  // The ids come as one JSON array (one statement for any number of them).
  const escalationActions = db.prepare(`
SELECT a.id, a.text, a.due, m.date AS meetingDate, coalesce(m.title, s.name) AS meetingTitle, s.id AS seriesId, s.name AS seriesName
FROM actions a
JOIN meetings m ON m.id = a.origin_meeting_id
JOIN series s ON s.id = m.series_id
WHERE ${inJsonList(db.dialect, 'a.id', '@ids', 'id')} AND a.status = 'open' AND a.due < @today
  AND NOT EXISTS (SELECT 1 FROM reminder_escalations e WHERE e.action_id = a.id)
ORDER BY s.id, a.due, a.id`);

  const maxActionId = db.prepare('SELECT coalesce(max(id), 0) FROM actions').pluck();

  const chairs = db.prepare(`
SELECT s.id AS seriesId, s.name AS seriesName, c.id AS chairPersonId, c.name AS chairName, c.email AS chairEmail
FROM series s JOIN people c ON c.id = s.chair_person_id`);

  const actionOwners = db.prepare(`SELECT action_id AS actionId, name FROM action_owners ORDER BY action_id, position`);
  const ownersOf = db.prepare(`SELECT name FROM action_owners WHERE action_id = ? ORDER BY position`);

  const minutesText = db.prepare(`
SELECT r.text FROM meetings m JOIN minutes_revisions r ON r.id = m.current_revision_id WHERE m.id = ?`);

  // No row back when this person already has a digest for the period.
  const insertDigest = db.prepare(`INSERT INTO reminder_digests
    (person_id, period_key, to_address, had_overdue, created_at) VALUES (@personId, @periodKey, @toAddress, @hadOverdue, @now)
    ON CONFLICT (person_id, period_key) DO NOTHING RETURNING id`);
  const setDigestOutbox = db.prepare('UPDATE reminder_digests SET outbox_id = ? WHERE id = ?');
  const insertItem = db.prepare(`INSERT INTO reminder_digest_items (digest_id, position, action_id, overdue)
    VALUES (?, ?, ?, ?)`);
  const insertEscalation = db.prepare(`INSERT INTO reminder_escalations
    (action_id, chair_person_id, series_id, outbox_id, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (action_id) DO NOTHING`);
  const digestById = db.prepare('SELECT * FROM reminder_digests WHERE id = ?');
  const digestItems = db.prepare('SELECT action_id AS actionId FROM reminder_digest_items WHERE digest_id = ? ORDER BY position');

  const toDigest = (r: Record<string, unknown>): DigestRecord => ({
    id: r.id as number,
    personId: r.person_id as number,
    periodKey: r.period_key as string,
    toAddress: r.to_address as string,
    hadOverdue: r.had_overdue === 1,
    outboxId: (r.outbox_id as number | null) ?? null,
    createdAt: r.created_at as string,
  });

  return {
    /** Open (owner, action) pairs to remind now, for owners with ids in [fromPersonId, toPersonId]. */
    async candidates(p: { today: string; meetingOnOrBefore: string; recentSince: string; fromPersonId: number; toPersonId: number }): Promise<ReminderCandidate[]> {
      return (await readPlannedForValues(db, () => candidates.all(p)) as [number, number, string, string | null, number, number | null, number][]).map((r) => ({
        personId: r[0], actionId: r[1], text: r[2], due: r[3], carriedCount: r[4], line: r[5], meetingId: r[6],
      }));
    },
    /** Ids of everyone in the directory (not merged away), ascending: the pass's batches. */
    async personIds(): Promise<number[]> {
      return await personIds.all() as number[];
    },
    async people(): Promise<Map<number, ReminderPerson>> {
      return new Map((await allPeople.all() as ReminderPerson[]).map((p) => [p.id, p]));
    },
    async meetings(): Promise<Map<number, ReminderMeeting>> {
      return new Map((await allMeetings.all() as ReminderMeeting[]).map((m) => [m.id, m]));
    },
    async ownersWithoutEmail(): Promise<OwnerWithoutEmail[]> {
      // Counting every owner's open actions took 140 ms on 100,000 actions (a dashboard load,
      // and one block of the server on SQLite); the people who cannot be mailed are few.
      const ids = ((await liveAddresses.all()) as [number, string | null][]).filter(([, email]) => !email || !isDeliverableAddress(email)).map(([id]) => id);
      const rows = (await ownersWithAddress.all({ ids: JSON.stringify(ids) })) as Omit<OwnerWithoutEmail, 'reason'>[];
      const out: OwnerWithoutEmail[] = [];
      for (const r of rows) {
        if (r.personId === null) out.push({ ...r, reason: 'not in directory' } as OwnerWithoutEmail);
        else if (r.email === null) out.push({ ...r, reason: 'no address' } as OwnerWithoutEmail);
        else if (!isDeliverableAddress(r.email)) out.push({ ...r, reason: 'invalid address' } as OwnerWithoutEmail);
      }
      return out;
    },
    /**
     * Open action id -> overdue digests so far (the most any one owner got), for actions not
     * yet escalated, with ids in [fromActionId, toActionId] (all by default).
     */
    async overdueCounts(fromActionId = 0, toActionId = Number.MAX_SAFE_INTEGER): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      for (const r of await readPlannedForValues(db, () => overdueCounts.all({ fromActionId, toActionId })) as { actionId: number; n: number }[]) out.set(r.actionId, r.n);
      return out;
    },
    async maxActionId(): Promise<number> {
      return await maxActionId.get() as number;
    },
    /** Of these actions, the ones still open, overdue on `today` and not escalated, with series and meeting. */
    async escalationActions(ids: number[], today: string): Promise<EscalationAction[]> {
      const rows = await escalationActions.all({ ids: JSON.stringify(ids), today }) as {
        id: number; text: string; due: string | null; meetingDate: string; meetingTitle: string; seriesId: number; seriesName: string;
      }[];
      return rows.map((r) => ({
        id: r.id, text: r.text, due: r.due,
        meeting: { date: r.meetingDate, title: r.meetingTitle },
        series: { id: r.seriesId, name: r.seriesName },
      }));
    },
    async chairs(): Promise<Map<number, ChairRecord>> {
      return new Map((await chairs.all() as ChairRecord[]).map((c) => [c.seriesId, c]));
    },
    /** Owner names (as written) of every action, for escalation summaries. */
    async ownerNames(actionIds?: number[]): Promise<Map<number, string[]>> {
      const out = new Map<number, string[]>();
      if (actionIds) {
        for (const id of actionIds) out.set(id, (await ownersOf.all(id) as { name: string }[]).map((r) => r.name));
        return out;
      }
      for (const r of await actionOwners.all() as { actionId: number; name: string }[]) {
        const list = out.get(r.actionId) ?? [];
        list.push(r.name);
        out.set(r.actionId, list);
      }
      return out;
    },
    /** The current minutes text of a meeting (to quote the line an action came from). */
    async minutesText(meetingId: number): Promise<string | null> {
      const r = await minutesText.get(meetingId) as { text: string } | undefined;
      return r?.text ?? null;
    },
    /** Records a digest; null when this person already has one for this period. */
    async insertDigest(d: { personId: number; periodKey: string; toAddress: string; hadOverdue: boolean; now: string }): Promise<number | null> {
      const info = (await insertDigest.get({ ...d, hadOverdue: d.hadOverdue ? 1 : 0 })) as { id: number } | undefined;
      return info ? info.id : null;
    },
    async setDigestOutbox(digestId: number, outboxId: number): Promise<void> {
      await setDigestOutbox.run(outboxId, digestId);
    },
    async insertItem(digestId: number, position: number, actionId: number, overdue: boolean): Promise<void> {
      await insertItem.run(digestId, position, actionId, overdue ? 1 : 0);
    },
    async insertEscalation(e: { actionId: number; chairPersonId: number; seriesId: number; outboxId: number; now: string }): Promise<void> {
      await insertEscalation.run(e.actionId, e.chairPersonId, e.seriesId, e.outboxId, e.now);
    },
    async getDigest(id: number): Promise<DigestRecord | undefined> {
      const r = await digestById.get(id) as Record<string, unknown> | undefined;
      return r && toDigest(r);
    },
    /** Action ids of a digest, in the order listed (position 1 first). */
    async digestActionIds(digestId: number): Promise<number[]> {
      return (await digestItems.all(digestId) as { actionId: number }[]).map((r) => r.actionId);
    },
  };
}

export type ReminderRepository = ReturnType<typeof createReminderRepository>;
