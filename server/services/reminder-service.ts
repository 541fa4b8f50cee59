import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { ReminderCandidate, ReminderMeeting, ReminderRepository, OwnerWithoutEmail } from '../db/repositories/reminder-repository.js';
import type { OutboxService, FlushResult } from './outbox-service.js';
import type { EmailTemplateService } from './email-template-service.js';
import type { LinkTokenService } from './link-token-service.js';
import { mailDomain } from '../mail/mailer.js';

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
  /** Owners with open actions who cannot be reminded: no address, or unresolved names. */
  withoutEmail: OwnerWithoutEmail[];
}

export interface ReminderRunResult extends ReminderPlan {
  dryRun: boolean;
  /** Digests and escalations actually written to the outbox (0 on a dry run). */
  enqueued: number;
  delivery: FlushResult | null;
}

const DAY = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The reminder policy of DESIGN.md (Reminders). A pass plans, then in ONE transaction records
 * each digest (person + period), its items and the outbox row; the outbox sends after commit.
 * The transaction is IMMEDIATE, so the scheduler and a `minutes remind` run at the same time
 * cannot both decide a digest for the same person.
 */
export function createReminderService(deps: {
  db: Db;
  repo: ReminderRepository;
  outbox: OutboxService;
  templates: EmailTemplateService;
  tokens: LinkTokenService;
  config: Pick<Config, 'baseUrl' | 'mailFrom' | 'remindAfterDays' | 'remindEveryDays' | 'escalateAfter' | 'inboundSmtpPort'>;
  clock: Clock;
}) {
  const { db, repo, outbox, templates, tokens, config, clock } = deps;

  function plan(): ReminderPlan {
    const now = clock.now();
    const today = isoDate(now);
    const rows = repo.candidates({
      today,
      meetingOnOrBefore: isoDate(new Date(now.getTime() - config.remindAfterDays * DAY)),
      // A digest on day D blocks the person until day D + REMIND_EVERY_DAYS (whole days, so
      // a pass at 09:00:01 is not skipped because last week's ran at 09:00:05).
      recentSince: new Date(Date.parse(today) - (config.remindEveryDays - 1) * DAY).toISOString(),
    });
    const people = repo.people();
    const meetings = repo.meetings();
    const byPerson = new Map<number, PlannedDigest>();
    for (const r of rows) {
      const person = people.get(r.personId);
      const meeting = meetings.get(r.meetingId);
      // No usable address: listed in withoutEmail instead (one bad address must not abort the pass).
      if (!person?.email?.includes('@') || !meeting) continue;
      let d = byPerson.get(r.personId);
      if (!d) {
        d = { personId: person.id, name: person.name, kind: person.kind, to: person.email, periodKey: today, actions: [], overdueCount: 0 };
        byPerson.set(r.personId, d);
      }
      const a = toPlanned(r, meeting, today);
      if (a.overdue) d.overdueCount++;
      d.actions.push(a);
    }
    const digests = [...byPerson.values()].sort((x, y) => x.personId - y.personId);
    for (const d of digests) d.actions.sort(digestOrder);
    return { now: now.toISOString(), today, digests, escalations: planEscalations(digests), withoutEmail: repo.ownersWithoutEmail() };
  }

  /** Actions whose overdue-digest count reaches ESCALATE_AFTER with this pass, grouped by chair. */
  function planEscalations(digests: PlannedDigest[]): PlannedEscalation[] {
    if (config.escalateAfter <= 0) return [];
    const counts = repo.overdueCounts();
    const best = new Map<number, { a: PlannedAction; n: number }>();
    for (const d of digests) {
      for (const a of d.actions) {
        if (!a.overdue) continue;
        const n = (counts.get(a.id) ?? 0) + 1;
        if (n >= config.escalateAfter && (best.get(a.id)?.n ?? 0) < n) best.set(a.id, { a, n });
      }
    }
    if (best.size === 0) return [];
    const chairs = repo.chairs();
    const owners = repo.ownerNames([...best.keys()]);
    const bySeries = new Map<number, PlannedEscalation>();
    for (const { a, n } of best.values()) {
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
        id: a.id, text: a.text, due: a.due, owners: (owners.get(a.id) ?? []).join(', '), overdueDigests: n,
        meeting: { date: a.meeting.date, title: a.meeting.title },
      });
    }
    return [...bySeries.values()];
  }

  /** The line of the minutes an action came from, read once per meeting. */
  function lineQuoter() {
    const cache = new Map<number, string[] | null>();
    return (meetingId: number, line: number | null): string | null => {
      if (!line) return null;
      if (!cache.has(meetingId)) cache.set(meetingId, repo.minutesText(meetingId)?.split(/\r?\n/) ?? null);
      const text = cache.get(meetingId)?.[line - 1]?.replace(/^[\s>*+-]*(\[[ xX]\]\s*)?/, '').trim();
      if (!text) return null;
      return text.length > 160 ? text.slice(0, 157) + '...' : text;
    };
  }

  function enqueueAll(p: ReminderPlan): number {
    const quote = lineQuoter();
    const domain = mailDomain(config.mailFrom);
    let enqueued = 0;
    for (const d of p.digests) {
      const digestId = repo.insertDigest({ personId: d.personId, periodKey: d.periodKey, toAddress: d.to, hadOverdue: d.overdueCount > 0, now: p.now });
      if (digestId === null) continue; // someone else decided it this period
      d.actions.forEach((a, i) => {
        repo.insertItem(digestId, i + 1, a.id, a.overdue);
        repo.insertRemindedEvent(a.id, digestId, p.now);
      });
      const email = templates.render('digest', digestData(d, quote));
      // Auto-Submitted (RFC 3834) keeps vacation responders from answering to the reply address.
      const headers: Record<string, string> = { 'X-Minutes-Kind': 'digest', 'Auto-Submitted': 'auto-generated' };
      if (config.inboundSmtpPort !== undefined) headers['Reply-To'] = `reply+${tokens.signReply(digestId)}@${domain}`;
      const { id } = outbox.enqueue({ dedupeKey: `digest:${d.personId}:${d.periodKey}`, kind: 'digest', to: d.to, ...email, headers });
      repo.setDigestOutbox(digestId, id);
      enqueued++;
    }
    for (const e of p.escalations) {
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
      const { id, created } = outbox.enqueue({
        dedupeKey: key, kind: 'escalation', to: e.chair.email, ...email,
        headers: { 'X-Minutes-Kind': 'escalation', 'Auto-Submitted': 'auto-generated' },
      });
      for (const a of e.actions) repo.insertEscalation({ actionId: a.id, chairPersonId: e.chair.personId, seriesId: e.seriesId, outboxId: id, now: p.now });
      if (created) enqueued++;
    }
    return enqueued;
  }

  function digestData(d: PlannedDigest, quote: (meetingId: number, line: number | null) => string | null) {
    return {
      name: d.name,
      isGroup: d.kind === 'group',
      overdueCount: d.overdueCount,
      everyDays: config.remindEveryDays,
      replyEnabled: config.inboundSmtpPort !== undefined,
      allUrl: `${config.baseUrl}/actions?owner=${encodeURIComponent(d.name)}`,
      actions: d.actions.map((a, i) => {
        const token = tokens.signAction(a.id, d.personId);
        return {
          n: i + 1, id: a.id, text: a.text, overdue: a.overdue, due: a.due, carriedCount: a.carriedCount,
          meetingTitle: a.meeting.title, meetingDate: a.meeting.date, line: a.line, lineText: quote(a.meeting.id, a.line),
          doneUrl: `${config.baseUrl}/act/${token}?do=done`,
          snoozeUrl: `${config.baseUrl}/act/${token}?do=snooze`,
        };
      }),
    };
  }

  return {
    /** Who would get what now; reads only. */
    plan,

    /**
     * One reminder pass: plans and enqueues in one IMMEDIATE transaction, then (unless
     * `flush: false`) sends. `dryRun` only plans.
     */
    async run(opts: { dryRun?: boolean; flush?: boolean } = {}): Promise<ReminderRunResult> {
      if (opts.dryRun) return { ...plan(), dryRun: true, enqueued: 0, delivery: null };
      const { p, enqueued } = db.transaction(() => {
        const p = plan();
        return { p, enqueued: enqueueAll(p) };
      }).immediate();
      const delivery = opts.flush === false ? null : await outbox.flush();
      return { ...p, dryRun: false, enqueued, delivery };
    },

    /** Owners with open actions and no address (dashboard, agenda, `minutes remind`). */
    ownersWithoutEmail(): OwnerWithoutEmail[] {
      return repo.ownersWithoutEmail();
    },
  };
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
