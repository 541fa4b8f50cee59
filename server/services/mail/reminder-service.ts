import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../../db/connection.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../clock.js';
import { addDays, isoDay } from '../../../domain/dates.js';
import type { ReminderCandidate, ReminderMeeting, ReminderPerson, ReminderRepository, OwnerWithoutEmail } from '../../db/repositories/reminder-repository.js';
import type { ActionRepository } from '../../db/repositories/action-repository.js';
import type { OutboxService, FlushResult } from './outbox-service.js';
import type { EmailTemplateService } from './email-template-service.js';
import type { LinkTokenService } from './link-token-service.js';
import { mailDomain } from '../../adapters/mailer.js';
import { isDeliverableAddress } from '../../../domain/email-address.js';

export interface PlannedAction {
  id: number;
  text: string;
  due: string | null;
  overdue: boolean;
  carriedCount: number;
  line: number | null;
  meeting: { id: number; date: string; title: string };
  series: { id: number; slug: string; name: string };
}

/** One digest the pass decides to send. */
export interface PlannedDigest {
  personId: number;
  name: string;
  kind: 'person' | 'group';
  to: string;
  periodKey: string;
  actions: PlannedAction[];
  overdueCount: number;
}

/** One summary to a series chair about actions that stayed overdue through ESCALATE_AFTER digests. */
export interface PlannedEscalation {
  seriesId: number;
  seriesName: string;
  chair: { personId: number; name: string; email: string | null };
  actions: { id: number; text: string; due: string | null; owners: string; overdueDigests: number; meeting: { date: string; title: string } }[];
}

export interface ReminderPlan {
  now: string;
  today: string;
  digests: PlannedDigest[];
  escalations: PlannedEscalation[];
  /** Owners with open actions who cannot be reminded: no or invalid address, or unresolved names. */
  withoutEmail: OwnerWithoutEmail[];
}

export interface ReminderRunResult extends ReminderPlan {
  dryRun: boolean;
  /** Digests and escalations actually written to the outbox (0 on a dry run). */
  enqueued: number;
  delivery: FlushResult | null;
  /** Why this pass did nothing: another instance (or run) holds the reminder pass. */
  skipped?: string;
}

/** The lock name one reminder pass holds (`Database.exclusive`): one pass at a time, on every instance. */
export const REMINDER_PASS_LOCK = 'reminder-pass';
export const REMINDER_PASS_BUSY = 'another instance is running the reminder pass';

/** People read per transaction (~10 actions each at bench scale). */
export const REMINDER_BATCH_PEOPLE = 200;
/**
 * Work per transaction before it commits and the event loop gets a turn, whatever the batch
 * size: keeps the longest block near this on a slower machine or with long digests.
 */
export const REMINDER_BATCH_BUDGET_MS = 50;
/** Action ids per read of the overdue counts (escalation). */
const COUNT_SLICE_ACTIONS = 20_000;

/** What one pass fixes once, before its batches: the time, the window, the lookup maps. */
interface PassContext {
  now: string;
  today: string;
  window: { today: string; meetingOnOrBefore: string; recentSince: string };
  people: Map<number, ReminderPerson>;
  meetings: Map<number, ReminderMeeting>;
  quote: (meetingId: number, line: number | null) => Promise<string | null>;
}

/**
 * The reminder policy of DESIGN.md (Reminders). A pass plans once (the people, the time
 * window), then decides people in batches: each batch is one IMMEDIATE transaction that reads
 * the batch's candidates (leaving out anyone whose digest another pass recorded meanwhile),
 * records each digest (person + period), its items and its outbox row. Between batches the
 * pass yields to the event loop, so the server it runs in keeps answering. A crash between
 * batches leaves whole batches decided and enqueued; the next pass decides the rest. The
 * escalations come last, from what is recorded, so they survive such a crash too.
 */
export function createReminderService(deps: {
  db: Db;
  repo: ReminderRepository;
  /** The owner of `action_events`: `reminded` events are recorded through it. */
  actions: Pick<ActionRepository, 'addEvent'>;
  outbox: OutboxService;
  templates: EmailTemplateService;
  tokens: LinkTokenService;
  config: Pick<Config, 'baseUrl' | 'mailFrom' | 'remindAfterDays' | 'remindEveryDays' | 'escalateAfter' | 'inboundSmtpPort'>;
  clock: Clock;
}) {
  const { db, repo, outbox, templates, tokens, config, clock } = deps;
  const domain = mailDomain(config.mailFrom);

  async function context(): Promise<PassContext> {
    const now = clock.now();
    const today = isoDay(now);
    return {
      now: now.toISOString(),
      today,
      window: {
        today,
        meetingOnOrBefore: addDays(today, -config.remindAfterDays),
        // A digest on day D blocks the person until day D + REMIND_EVERY_DAYS (whole days, so
        // a pass at 09:00:01 is not skipped because last week's ran at 09:00:05).
        recentSince: `${addDays(today, -(config.remindEveryDays - 1))}T00:00:00.000Z`,
      },
      people: await repo.people(),
      meetings: await repo.meetings(),
      quote: lineQuoter(),
    };
  }

  /** The digests due now for people with ids in [from, to], each sorted overdue first. */
  async function planDigests(ctx: PassContext, from: number, to: number): Promise<PlannedDigest[]> {
    const rows = await repo.candidates({ ...ctx.window, fromPersonId: from, toPersonId: to });
    const byPerson = new Map<number, PlannedDigest>();
    for (const r of rows) {
      const person = ctx.people.get(r.personId);
      const meeting = ctx.meetings.get(r.meetingId);
      // No usable address: listed in withoutEmail instead (one bad address must not abort the pass).
      if (!person || !isDeliverableAddress(person.email) || !meeting) continue;
      let d = byPerson.get(r.personId);
      if (!d) {
        d = { personId: person.id, name: person.name, kind: person.kind, to: person.email, periodKey: ctx.today, actions: [], overdueCount: 0 };
        byPerson.set(r.personId, d);
      }
      const a = toPlanned(r, meeting, ctx.today);
      if (a.overdue) d.overdueCount++;
      d.actions.push(a);
    }
    const digests = [...byPerson.values()].sort((x, y) => x.personId - y.personId);
    for (const d of digests) d.actions.sort(digestOrder);
    return digests;
  }

  /**
   * Chair summaries due now: open overdue actions whose overdue-digest count (recorded, plus
   * one for each `pending` digest not yet recorded, as in a dry run) reaches ESCALATE_AFTER
   * and that no chair was told about yet. Reading the recorded counts (not only this pass's
   * digests) means digests recorded by a pass that crashed still escalate on the next pass.
   */
  async function planEscalations(today: string, pending: PlannedDigest[], known?: Map<number, number>): Promise<PlannedEscalation[]> {
    if (config.escalateAfter <= 0) return [];
    const counts = known ?? (await repo.overdueCounts());
    const inPending = new Set(pending.flatMap((d) => d.actions.filter((a) => a.overdue).map((a) => a.id)));
    for (const id of inPending) counts.set(id, (counts.get(id) ?? 0) + 1);
    const due = [...counts].filter(([, n]) => n >= config.escalateAfter).map(([id]) => id);
    if (due.length === 0) return [];
    const chairs = await repo.chairs();
    const actions = await repo.escalationActions(due, today);
    const owners = await repo.ownerNames(actions.map((a) => a.id));
    const bySeries = new Map<number, PlannedEscalation>();
    for (const a of actions) {
      const chair = chairs.get(a.series.id);
      if (!chair) continue; // no chair: nobody to tell; escalates once a chair is set
      let e = bySeries.get(a.series.id);
      if (!e) {
        e = {
          seriesId: a.series.id,
          seriesName: a.series.name,
          chair: { personId: chair.chairPersonId, name: chair.chairName, email: chair.chairEmail },
          actions: [],
        };
        bySeries.set(a.series.id, e);
      }
      e.actions.push({
        id: a.id, text: a.text, due: a.due, owners: (owners.get(a.id) ?? []).join(', '), overdueDigests: counts.get(a.id) ?? 0, meeting: a.meeting,
      });
    }
    return [...bySeries.values()];
  }

  /**
   * The overdue-digest counts, read in slices of action ids with a turn of the event loop
   * between them: the items table grows with every pass, so one read would block longer
   * each month. Read outside any transaction; the deciding one re-checks what matters
   * (still open, overdue, not escalated).
   */
  async function overdueCountsInSlices(): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (config.escalateAfter <= 0) return counts;
    const max = await repo.maxActionId();
    for (let from = 0; from <= max; from += COUNT_SLICE_ACTIONS) {
      for (const [id, n] of await repo.overdueCounts(from, from + COUNT_SLICE_ACTIONS - 1)) counts.set(id, n);
      await nextTurn();
    }
    return counts;
  }

  /** The line of the minutes an action came from, read once per meeting. */
  function lineQuoter() {
    const cache = new Map<number, string[] | null>();
    return async (meetingId: number, line: number | null): Promise<string | null> => {
      if (!line) return null;
      if (!cache.has(meetingId)) cache.set(meetingId, (await repo.minutesText(meetingId))?.split(/\r?\n/) ?? null);
      const text = cache.get(meetingId)?.[line - 1]?.replace(/^[\s>*+-]*(\[[ xX]\]\s*)?/, '').trim();
      if (!text) return null;
      return text.length > 160 ? text.slice(0, 157) + '...' : text;
    };
  }

  /**
   * Records and enqueues planned digests (inside the caller's transaction) until `deadline`
   * (performance.now()) passes; returns those decided here and the last person handled, or
   * null when all were.
   */
  async function recordDigests(ctx: PassContext, digests: PlannedDigest[], deadline = Infinity): Promise<{ decided: PlannedDigest[]; stoppedAt: number | null }> {
    const decided: PlannedDigest[] = [];
    for (const d of digests) {
      if (performance.now() > deadline && d !== digests[0]) {
        return { decided, stoppedAt: decided.length ? decided[decided.length - 1].personId : d.personId - 1 };
      }
      const digestId = await repo.insertDigest({ personId: d.personId, periodKey: d.periodKey, toAddress: d.to, hadOverdue: d.overdueCount > 0, now: ctx.now });
      if (digestId === null) continue; // someone else decided it this period
      for (const [i, a] of d.actions.entries()) {
        await repo.insertItem(digestId, i + 1, a.id, a.overdue);
        await deps.actions.addEvent({ actionId: a.id, kind: 'reminded', actorPersonId: null, actor: 'system', source: 'system', data: { digestId } }, ctx.now);
      }
      const email = templates.render('digest', await digestData(d, ctx.quote));
      // Auto-Submitted (RFC 3834) keeps vacation responders from answering to the reply address.
      const headers: Record<string, string> = { 'X-Minutes-Kind': 'digest', 'Auto-Submitted': 'auto-generated' };
      if (config.inboundSmtpPort !== undefined) headers['Reply-To'] = `reply+${tokens.signReply(digestId)}@${domain}`;
      const { id } = await outbox.enqueue({ dedupeKey: `digest:${d.personId}:${d.periodKey}`, kind: 'digest', to: d.to, ...email, headers });
      await repo.setDigestOutbox(digestId, id);
      decided.push(d);
    }
    return { decided, stoppedAt: null };
  }

  /** Enqueues chair summaries and records them (inside the caller's transaction); returns how many are new. */
  async function recordEscalations(ctx: PassContext, escalations: PlannedEscalation[]): Promise<number> {
    let enqueued = 0;
    for (const e of escalations) {
      if (!e.chair.email) continue;
      const ids = e.actions.map((a) => a.id).sort((x, y) => x - y);
      const key = `escalation:${e.seriesId}:${e.chair.personId}:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16)}`;
      const email = templates.render('escalation', {
        chairName: e.chair.name,
        seriesName: e.seriesName,
        escalateAfter: config.escalateAfter,
        actions: e.actions.map((a, i) => ({
          n: i + 1, id: a.id, owners: a.owners, text: a.text, due: a.due, overdueDigests: a.overdueDigests,
          meetingTitle: a.meeting.title, meetingDate: a.meeting.date, url: `${config.baseUrl}/actions/${a.id}`,
        })),
      });
      const { id, created } = await outbox.enqueue({
        dedupeKey: key, kind: 'escalation', to: e.chair.email, ...email,
        headers: { 'X-Minutes-Kind': 'escalation', 'Auto-Submitted': 'auto-generated' },
      });
      for (const a of e.actions) await repo.insertEscalation({ actionId: a.id, chairPersonId: e.chair.personId, seriesId: e.seriesId, outboxId: id, now: ctx.now });
      if (created) enqueued++;
    }
    return enqueued;
  }

  async function digestData(d: PlannedDigest, quote: (meetingId: number, line: number | null) => Promise<string | null>) {
    const actions = [];
    for (const [i, a] of d.actions.entries()) {
      const token = tokens.signAction(a.id, d.personId);
      actions.push({
        n: i + 1, id: a.id, text: a.text, overdue: a.overdue, due: a.due, carriedCount: a.carriedCount,
        meetingTitle: a.meeting.title, meetingDate: a.meeting.date, line: a.line, lineText: await quote(a.meeting.id, a.line),
        doneUrl: `${config.baseUrl}/act/${token}?do=done`,
        snoozeUrl: `${config.baseUrl}/act/${token}?do=snooze`,
      });
    }
    return {
      name: d.name,
      isGroup: d.kind === 'group',
      overdueCount: d.overdueCount,
      everyDays: config.remindEveryDays,
      replyEnabled: config.inboundSmtpPort !== undefined,
      allUrl: `${config.baseUrl}/actions?owner=${encodeURIComponent(d.name)}`,
      actions,
    };
  }

  /** Who would get what now; reads only (one query for everyone: the CLI's dry run). */
  async function plan(): Promise<ReminderPlan> {
    const ctx = await context();
    const digests = await planDigests(ctx, 0, Number.MAX_SAFE_INTEGER);
    return { now: ctx.now, today: ctx.today, digests, escalations: await planEscalations(ctx.today, digests), withoutEmail: await repo.ownersWithoutEmail() };
  }

  return {
    plan,

    /**
     * One reminder pass: decides and enqueues up to `batchSize` people (or `budgetMs` of
     * work) per IMMEDIATE transaction, yielding to the event loop between batches, then the
     * chair summaries; then (unless `flush: false`) sends. `dryRun` only plans. The result
     * lists what THIS pass decided. (Tests and the bench pass the batch knobs.)
     */
    async run(opts: { dryRun?: boolean; flush?: boolean; batchSize?: number; budgetMs?: number } = {}): Promise<ReminderRunResult> {
      if (opts.dryRun) return { ...await plan(), dryRun: true, enqueued: 0, delivery: null };
      // One pass at a time across instances: a second one would only find every digest of the
      // period already recorded (the per-period dedupe stays the guarantee), after reading it all.
      const held = await db.exclusive(REMINDER_PASS_LOCK, () => pass(opts));
      if (held) return held.value;
      const now = clock.now();
      return {
        now: now.toISOString(), today: isoDay(now), digests: [], escalations: [], withoutEmail: [],
        dryRun: false, enqueued: 0, delivery: null, skipped: REMINDER_PASS_BUSY,
      };
    },

    /** Owners with open actions and no usable address (dashboard, agenda, `minutes remind`). */
    async ownersWithoutEmail(): Promise<OwnerWithoutEmail[]> {
      return await repo.ownersWithoutEmail();
    },
  };

  async function pass(opts: { flush?: boolean; batchSize?: number; budgetMs?: number }): Promise<ReminderRunResult> {
    const batchSize = Math.max(1, opts.batchSize ?? REMINDER_BATCH_PEOPLE);
    const budgetMs = opts.budgetMs ?? REMINDER_BATCH_BUDGET_MS;
    const ctx = await context();
    const ids = await repo.personIds();
    const digests: PlannedDigest[] = [];
    await nextTurn();
    let i = 0;
    while (i < ids.length) {
      const from = ids[i];
      const to = ids[Math.min(i + batchSize, ids.length) - 1];
      const deadline = performance.now() + budgetMs;
      const { decided, stoppedAt } = await db.transaction(async () => recordDigests(ctx, await planDigests(ctx, from, to), deadline), { customPlans: true });
      digests.push(...decided);
      // Out of time: the next transaction starts after the last person decided (and reads
      // the rest of this range again, fresh).
      const last = stoppedAt ?? to;
      while (i < ids.length && ids[i] <= last) i++;
      await nextTurn();
    }
    const counts = await overdueCountsInSlices();
    const { escalations, escalated } = await db.transaction(async () => {
      const escalations = await planEscalations(ctx.today, [], counts);
      return { escalations, escalated: await recordEscalations(ctx, escalations) };
    }, { customPlans: true });
    await nextTurn();
    const withoutEmail = await repo.ownersWithoutEmail();
    const delivery = opts.flush === false ? null : await outbox.flush();
    return { now: ctx.now, today: ctx.today, digests, escalations, withoutEmail, dryRun: false, enqueued: digests.length + escalated, delivery };
  }
}

function toPlanned(r: ReminderCandidate, m: ReminderMeeting, today: string): PlannedAction {
  return {
    id: r.actionId,
    text: r.text,
    due: r.due,
    overdue: r.due !== null && r.due < today,
    carriedCount: r.carriedCount,
    line: r.line,
    meeting: { id: m.id, date: m.date, title: m.title ?? m.seriesName },
    series: { id: m.seriesId, slug: m.seriesSlug, name: m.seriesName },
  };
}

/** Overdue first (oldest due first), then by due date, undated last; ties by meeting date, id. */
function digestOrder(x: PlannedAction, y: PlannedAction): number {
  if (x.overdue !== y.overdue) return x.overdue ? -1 : 1;
  if (x.due !== y.due) {
    if (x.due === null) return 1;
    if (y.due === null) return -1;
    return x.due < y.due ? -1 : 1;
  }
  if (x.meeting.date !== y.meeting.date) return x.meeting.date < y.meeting.date ? -1 : 1;
  return x.id - y.id;
}

export type ReminderService = ReturnType<typeof createReminderService>;
