import type { Db } from '../../db/connection.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type {
  AgendaRepository,
  AgendaSeries,
  MeetingRef,
  OwnerRow,
} from '../../db/repositories/agenda-repository.js';
import { assertDate, daysBetween, nextOccurrence, parseCadence, todayIn } from './cadence-service.js';
import { longDate, markdownToHtml, type AgendaRenderer } from './agenda-renderer.js';
import { deferralSentence, STALE_AFTER, type Agenda, type AgendaAction, type MeetingLink } from './agenda-model.js';
import { groupByOwner, ownerKey } from '../../../domain/owner-groups.js';

export { deferralSentence, STALE_AFTER, type Agenda, type AgendaAction, type MeetingLink } from './agenda-model.js';

/** What the agenda needs from the outbox (services.outbox). */
export interface AgendaOutbox {
  enqueue(mail: { dedupeKey: string; kind: string; to: string; subject: string; text: string; html?: string | null }): Promise<{ id: number }>;
  flush(): Promise<unknown>;
}

export interface AgendaServiceDeps {
  db: Db;
  repo: AgendaRepository;
  renderer: AgendaRenderer;
  clock: Clock;
  baseUrl: string;
  /** Optional so the agenda works before mail is wired; `send` then fails with a clear error. */
  outbox?: AgendaOutbox | null;
}

export interface AgendaQuery {
  series: string;
  date?: string;
}

export type AgendaFormat = 'md' | 'html' | 'json';

/**
 * The agenda of a series' next (or given) meeting: builds the model from the database,
 * renders it through the editable template, stores proposed items and sends it once per
 * meeting through the outbox.
 */
export function createAgendaService(deps: AgendaServiceDeps) {
  const { db, repo, renderer, clock, baseUrl } = deps;

  const meetingUrl = (id: number) => `${baseUrl}/meetings/${id}`;
  const link = (m: MeetingRef): MeetingLink => ({ ...m, url: meetingUrl(m.id) });

  async function seriesOr404(slug: string): Promise<AgendaSeries> {
    const s = await repo.seriesBySlug(slug);
    if (!s) throw new AppError('series-not-found', `series "${slug}" does not exist`, 404);
    return s;
  }

  /**
   * The meeting date: as given, else the first cadence occurrence on or after today (in the
   * series timezone) that is also after the latest recorded meeting. Today counts so the
   * agenda can be printed on the morning of the call; once its minutes are imported the
   * next occurrence takes over.
   */
  async function meetingDate(s: AgendaSeries, given?: string): Promise<{ date: string; source: 'given' | 'cadence' }> {
    if (given) return { date: assertDate(given), source: 'given' };
    if (!s.cadence) {
      throw new AppError(
        'date-required',
        `series "${s.slug}" has no cadence: give the meeting date with --date YYYY-MM-DD (or ?date=)`,
      );
    }
    const cadence = parseCadence(s.cadence);
    const today = todayIn(s.timezone, clock.now());
    const latest = await repo.latestMeeting(s.id);
    const date =
      latest && latest.date >= today
        ? nextOccurrence(cadence, latest.date)
        : nextOccurrence(cadence, today, { inclusive: true });
    return { date, source: 'cadence' };
  }

  /** Why a topic was deferred, from the minutes (read once per meeting). */
  async function deferralContext(meetingId: number, line: number, cache: Map<number, string | null>): Promise<string | null> {
    if (!cache.has(meetingId)) cache.set(meetingId, await repo.minutesText(meetingId));
    const text = cache.get(meetingId);
    return text ? deferralSentence(text, line) : null;
  }

  function ownerProblems(rows: { id: number; owners: OwnerRow[] }[]): Agenda['ownerProblems'] {
    const byKey = new Map<string, Agenda['ownerProblems'][number]>();
    for (const a of rows) {
      for (const o of a.owners) {
        const problem = o.personId === null ? 'unresolved' : o.email ? null : 'no-email';
        if (!problem) continue;
        const key = ownerKey(o);
        let p = byKey.get(key);
        if (!p) byKey.set(key, (p = { name: o.name, personId: o.personId, problem, actionIds: [] }));
        if (!p.actionIds.includes(a.id)) p.actionIds.push(a.id);
      }
    }
    return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Builds the agenda model (the JSON form). */
  async function build(q: AgendaQuery): Promise<Agenda> {
    const s = await seriesOr404(q.series);
    const { date, source } = await meetingDate(s, q.date);
    const last = await repo.lastMeetingBefore(s.id, date);
    const since = last?.date ?? '0000-00-00';

    const open = await repo.openActions(s.id, date);
    const views: { a: (typeof open)[number]; view: AgendaAction }[] = [];
    let overdue = 0;
    let stale = 0;
    for (const a of open) {
      const view: AgendaAction = {
        id: a.id,
        text: a.text,
        owners: a.owners.map((o) => o.name),
        originMeeting: link(a.origin),
        ageDays: Math.max(0, daysBetween(a.origin.date, date)),
        due: a.due,
        overdue: a.due !== null && a.due < date,
        carriedCount: a.carriedCount,
        stale: a.carriedCount >= STALE_AFTER,
        snoozedUntil: a.snoozedUntil,
        url: `${baseUrl}/actions/${a.id}`,
      };
      if (view.overdue) overdue++;
      if (view.stale) stale++;
      views.push({ a, view });
    }
    const openActions: Agenda['openActions'] = groupByOwner(views, (v) => v.a.owners)
      .map((g) => ({ owner: g.owner?.name ?? '(no owner)', personId: g.owner?.personId ?? null, email: g.owner?.email ?? null, actions: g.items.map((v) => v.view) }))
      .sort((a, b) => a.owner.localeCompare(b.owner));
    for (const g of openActions) g.actions.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.id - b.id);

    const closedActions = (await repo.closedActions(s.id, since, date)).map((c) => ({
      id: c.id,
      text: c.text,
      status: c.status,
      owners: c.owners.map((o) => o.name),
      originMeeting: link(c.origin),
      closedAt: c.closedAt,
      closedBy: c.closedBy,
      source: c.source,
      note: c.note,
      closedInMeeting: c.closedInMeeting ? link(c.closedInMeeting) : null,
      url: `${baseUrl}/actions/${c.id}`,
    }));
    const decisions = last
      ? (await repo.decisions(s.id, last.date, date)).map((d) => ({
          id: d.id,
          text: d.text,
          topic: d.topic,
          line: d.line,
          superseded: d.superseded,
          meeting: link(d.meeting),
          url: `${meetingUrl(d.meeting.id)}#L${d.line}`,
        }))
      : [];
    const texts = new Map<number, string | null>();
    const deferredTopics = [];
    for (const t of await repo.deferredTopics(s.id, date, last)) deferredTopics.push({
      id: t.id,
      title: t.title,
      context: await deferralContext(t.meeting.id, t.line, texts),
      deferredTo: t.deferredTo,
      line: t.line,
      meeting: link(t.meeting),
      url: `${meetingUrl(t.meeting.id)}#L${t.line}`,
    });
    const proposedItems = (await repo.agendaItems(s.id, date)).map((i) => ({
      id: i.id,
      text: i.text,
      proposedBy: i.proposedBy,
      createdAt: i.createdAt,
    }));
    return {
      series: { slug: s.slug, name: s.name, timezone: s.timezone, chair: s.chairName, listEmail: s.listEmail },
      date,
      dateSource: source,
      title: `${s.name} - ${longDate(date)}`,
      lastMeeting: last ? link(last) : null,
      standingItems: s.standingItems,
      openActions,
      closedActions,
      decisions,
      deferredTopics,
      proposedItems,
      ownerProblems: ownerProblems(open),
      counts: {
        openActions: open.length,
        overdue,
        stale,
        closed: closedActions.length,
        decisions: decisions.length,
        deferred: deferredTopics.length,
        proposed: proposedItems.length,
      },
    };
  }

  /** The agenda as Markdown, from `templates/agenda/agenda.md.eta`. */
  function markdown(agenda: Agenda): string {
    return renderer.render('agenda', agenda);
  }

  /** The agenda in one of the output formats (`json` is the model, pretty-printed). */
  async function render(q: AgendaQuery, format: AgendaFormat = 'md'): Promise<{ agenda: Agenda; body: string }> {
    const agenda = await build(q);
    if (format === 'json') return { agenda, body: JSON.stringify(agenda, null, 2) + '\n' };
    const md = markdown(agenda);
    if (format === 'md') return { agenda, body: md };
    return { agenda, body: htmlDocument(agenda.title, markdownToHtml(md)) };
  }

  /** Stores an item proposed for a meeting (default: the next one) and returns it. */
  async function propose(
    slug: string,
    input: { text: string; date?: string; proposedBy?: string | null; proposedByPersonId?: number | null },
  ) {
    const s = await seriesOr404(slug);
    const text = input.text.trim();
    if (!text) throw new AppError('bad-input', 'text must not be empty');
    const { date } = await meetingDate(s, input.date);
    const today = todayIn(s.timezone, clock.now());
    if (date < today) throw new AppError('meeting-past', `the meeting on ${date} is in the past; propose for a later one`);
    return await repo.insertAgendaItem({
      seriesId: s.id,
      meetingDate: date,
      text,
      proposedBy: input.proposedBy?.trim() || null,
      proposedByPersonId: input.proposedByPersonId ?? null,
      createdAt: clock.now().toISOString(),
    });
  }

  /**
   * Sends the agenda to the series' list once per meeting: the outbox row (dedupe key
   * `agenda:<series>:<date>`) and the `agenda_sends` record are written in one transaction,
   * then the outbox is flushed. A second call finds the record and sends nothing.
   */
  async function send(q: AgendaQuery): Promise<{ status: 'queued' | 'already-sent'; to: string; date: string; outboxId: number | null }> {
    const s = await seriesOr404(q.series);
    if (!s.listEmail) {
      throw new AppError('no-list-email', `series "${s.slug}" has no mailing list: set one with series add --list EMAIL`);
    }
    const outbox = deps.outbox;
    if (!outbox) throw new AppError('mail-unavailable', 'sending mail is not set up in this build', 503);
    const agenda = await build(q);
    const md = markdown(agenda);
    const dedupeKey = `agenda:${s.slug}:${agenda.date}`;
    const to = s.listEmail;
    const result = await db.transaction(async () => {
      const sent = await repo.sendFor(s.id, agenda.date);
      if (sent) return { status: 'already-sent' as const, to: sent.toAddress, outboxId: sent.outboxId };
      const { id: outboxId } = await outbox.enqueue({
        dedupeKey,
        kind: 'agenda',
        to,
        subject: `Agenda: ${agenda.title}`,
        text: md,
        html: markdownToHtml(md),
      });
      await repo.insertSend(s.id, agenda.date, outboxId, to, clock.now().toISOString());
      return { status: 'queued' as const, to, outboxId };
    });
    if (result.status === 'queued') await outbox.flush();
    return { ...result, date: agenda.date };
  }

  /** Every series with the date its next agenda is for (null when that needs a date). */
  async function overview() {
    const out = [];
    for (const row of await repo.listSeries()) {
      let next: string | null = null;
      try {
        next = (await meetingDate(await seriesOr404(row.slug))).date;
      } catch {
        next = null;
      }
      out.push({ ...row, next });
    }
    return out;
  }

  /** When and to whom the agenda of that meeting was sent, or null. */
  async function sentFor(slug: string, date: string): Promise<{ to: string; at: string } | null> {
    const row = await repo.sendFor((await seriesOr404(slug)).id, date);
    return row ? { to: row.toAddress, at: row.createdAt } : null;
  }

  return {
    build,
    overview,
    sentFor,
    markdown,
    render,
    propose,
    send,
    /** The meeting date the agenda would use for a series (for pages and the skeleton). */
    async resolveDate(slug: string, date?: string) {
      return await meetingDate(await seriesOr404(slug), date);
    },
    /** The series as the agenda sees it; 404 when unknown. */
    series: seriesOr404,
  };
}

function htmlDocument(title: string, body: string): string {
  const esc = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${esc}</title></head>\n<body>\n${body}</body>\n</html>\n`;
}

export type AgendaService = ReturnType<typeof createAgendaService>;
