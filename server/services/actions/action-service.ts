import { foldName } from '../../../domain/names.js';
import { isCalendarDay } from '../../../domain/dates.js';
import { decideActionChange, type ActionOp } from '../../../domain/action-policy.js';
import { decodeCursor, pageOf, PAGE_SIZE, MAX_PAGE_SIZE, type Page } from '../../../domain/cursor.js';
import { AppError, badInput } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connection.js';
import { actionSortKey, type ActionListRepository, type ActionQuery, type ActionSortKey, type OpenOwnerCounts } from '../../db/repositories/action-list-repository.js';
import type { DataVersion } from '../../db/data-version.js';
import { createVersionedCache, type VersionedCache } from '../../versioned-cache.js';
import type { ActionRecord, ActionRepository, ActionStatus, EventRecord, OwnerRecord } from '../../db/repositories/action-repository.js';
import type { PeopleRepository } from '../../db/repositories/people-repository.js';
import type { CorrectionRepository, StoredCorrectionValues } from '../../db/repositories/correction-repository.js';
import type { SeriesRepository } from '../../db/repositories/series-repository.js';
import type { Actor } from './actor.js';
import { eventView, toView, type ActionChange, type ActionDetail, type ActionView } from './action-views.js';
import { openByPerson, ownerSummary, type OwnerSummary } from './owner-summary.js';

export interface ActionFilter {
  status?: ActionStatus | 'all';
  /** A name or alias from the directory, or an unresolved name as written. */
  owner?: string;
  ownerId?: number;
  series?: string;
  overdue?: boolean;
  limit?: number;
  offset?: number;
  /** The `next` of the previous page (keyset pagination). */
  cursor?: string;
}

/** Lists and changes actions; every change writes an `action_events` row with its actor. */
export class ActionService {
  constructor(
    private readonly db: Db,
    private readonly repo: ActionRepository,
    /** The listings (filtered, paged, per owner). */
    private readonly lists: ActionListRepository,
    private readonly people: PeopleRepository,
    private readonly series: SeriesRepository,
    private readonly clock: Clock,
    /** Where a person's edits and drops are kept as corrections of the minutes that gave the action. */
    private readonly corrections: CorrectionRepository | null = null,
    /** The database's change counter (keeps the dashboard's counts while nothing changed); null: none. */
    dataVersion: DataVersion | null = null,
  ) {
    this.countsKept = dataVersion ? createVersionedCache<OpenOwnerCounts>(dataVersion, { max: 1 }) : null;
  }

  /** The dashboard's counts, kept for one day while nothing changed (see `openOwnerCounts`). */
  private readonly countsKept: VersionedCache<OpenOwnerCounts> | null;

  private now() {
    return this.clock.now().toISOString();
  }

  private today() {
    return this.now().slice(0, 10);
  }

  /** Views of action records, owners fetched in one query. */
  async views(records: ActionRecord[]): Promise<ActionView[]> {
    return this.viewsOf(records, await this.repo.owners(records.map((r) => r.id)));
  }

  private viewsOf(records: ActionRecord[], owners: Map<number, OwnerRecord[]>): ActionView[] {
    const today = this.today();
    return records.map((r) => toView(r, owners.get(r.id) ?? [], today));
  }

  /** A listing's views, the rows and their owners read together (one statement on PostgreSQL). */
  private async listViews(q: ActionQuery): Promise<ActionView[]> {
    const { rows, owners } = await this.lists.listWithOwners(q);
    return this.viewsOf(rows, owners);
  }

  /** The dashboard's owner cards: counts per owner by SQL, the first `owners` cards with their `perOwner` most urgent actions. */
  async ownerSummary(opts: { owners: number; perOwner: number }): Promise<OwnerSummary> {
    const today = this.today();
    return await ownerSummary(this.lists, (r) => this.views(r), today, opts, await this.openOwnerCounts(today));
  }

  /**
   * The dashboard's per-owner counts aggregate every open action (100–300 ms with 100,000 of
   * them, during which SQLite serves nobody else), and most dashboard loads come while nothing
   * changed: so they are kept, per day, until the database's change counter moves (any commit,
   * by any process or instance). Without a change counter they are read every time.
   */
  private async openOwnerCounts(today: string): Promise<OpenOwnerCounts> {
    return this.countsKept ? await this.countsKept.get(today, () => this.lists.openOwnerCounts(today)) : await this.lists.openOwnerCounts(today);
  }

  /** How many open actions each person owns, by person id (people without any are absent): the dashboard's kept counts. */
  async openCountsByPerson(): Promise<Map<number, number>> {
    return openByPerson(await this.openOwnerCounts(this.today()));
  }

  /** Filtered list (default: open actions). Unknown series or owner gives an empty list. */
  async list(filter: ActionFilter = {}): Promise<ActionView[]> {
    return await this.listViews(await this.query(filter));
  }

  /**
   * `JSON.stringify({ actions: list(filter) })`, byte for byte; on SQLite serialised in the
   * listing query itself (one query, no object per row). The API list answers with it.
   */
  async listJson(filter: ActionFilter = {}): Promise<string> {
    return `{"actions":[${(await this.lists.listJson(await this.query(filter), this.today())).join(',')}]}`;
  }

  /**
   * One page of the list (default 50, at most 500 actions) after `filter.cursor`, with the
   * number of all matches and the cursor of the next page. A bad cursor is a 400.
   */
  async page(filter: ActionFilter = {}): Promise<Page<ActionView>> {
    const q = await this.pageQuery(filter);
    const rows = await this.listViews({ ...q, limit: q.limit! + 1 });
    return pageOf(rows, q.limit!, await this.totalOf(q, rows.length), actionSortKey);
  }

  /**
   * `page(filter)` as the API sends it: `{"actions":[...],"total":N,"next":...}`, the actions
   * serialised as in `listJson`.
   */
  async pageJson(filter: ActionFilter = {}): Promise<string> {
    const q = await this.pageQuery(filter);
    const rows = await this.lists.listJson({ ...q, limit: q.limit! + 1 }, this.today());
    const page = pageOf(rows, q.limit!, await this.totalOf(q, rows.length), (json) => actionSortKey(JSON.parse(json) as ActionView));
    return `{"actions":[${page.items.join(',')}],"total":${page.total},"next":${JSON.stringify(page.next)}}`;
  }

  /**
   * How many actions match `q`: the rows fetched when a first page (no cursor, no offset) holds
   * them all, which most lists of one owner do; else counted (a query more).
   */
  private async totalOf(q: ActionQuery, fetched: number): Promise<number> {
    return !q.after && !q.offset && fetched <= q.limit! ? fetched : await this.lists.count(q);
  }

  private async pageQuery(filter: ActionFilter): Promise<ActionQuery> {
    let after: ActionSortKey | null = null;
    if (filter.cursor) {
      after = decodeCursor(filter.cursor, ['n', 'n', 's', 'n']) as ActionSortKey | null;
      if (!after) throw badInput('cursor: not a cursor of this list (use the "next" of the previous page)');
    }
    const limit = Math.min(Math.max(filter.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
    return { ...await this.query({ ...filter, limit }), after };
  }

  /** A filter checked and resolved (series slug and owner names to ids) into a repository query. */
  private async query(filter: ActionFilter): Promise<ActionQuery> {
    const status = filter.status ?? 'open';
    if (!['open', 'done', 'dropped', 'all'].includes(status)) {
      throw badInput(`status must be open, done, dropped or all, got '${status}'`);
    }
    let seriesId: number | null = null;
    if (filter.series) {
      const s = await this.series.get(filter.series);
      if (!s) throw new AppError('series-not-found', `series '${filter.series}' does not exist`, 404);
      seriesId = s.id;
    }
    let ownerIds: number[] | null = null;
    let ownerName: string | null = null;
    if (filter.ownerId !== undefined) ownerIds = [filter.ownerId];
    if (filter.owner) {
      // The people so named or aliased, and the name as written where an unresolved owner has it.
      const named = await this.lists.ownersNamed(filter.owner);
      ownerIds = [...(ownerIds ?? []), ...named.ids];
      ownerName = named.unresolved ? filter.owner.trim() : null;
    }
    return {
      status: status === 'all' ? null : status,
      ownerIds,
      ownerName,
      seriesId,
      overdueBefore: filter.overdue ? this.today() : null,
      limit: Math.min(Math.max(filter.limit ?? 500, 1), 5000),
      offset: Math.max(filter.offset ?? 0, 0),
    };
  }

  /**
   * Every action matching `filter` (no 5,000 cap): read page by page inside one read
   * transaction, so the pages are one snapshot. For totals over all actions (the dashboard).
   */
  async listAll(filter: Omit<ActionFilter, 'limit' | 'offset'> = {}): Promise<ActionView[]> {
    const PAGE = 5000;
    return await this.db.transaction(async () => {
      const all: ActionView[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await this.list({ ...filter, limit: PAGE, offset });
        all.push(...page);
        if (page.length < PAGE) return all;
      }
    }, { readOnly: true });
  }

  /** One action with its owners, origin meeting and full history. */
  async get(id: number): Promise<ActionDetail> {
    const r = await this.load(id);
    return { ...(await this.views([r]))[0], events: (await this.repo.events(id)).map(eventView) };
  }

  /**
   * Marks done. Closing a done action is a no-op (`changed: false`), so double clicks are safe.
   * With `openOnly` (email links, replies) a dropped action is left alone too.
   */
  async close(id: number, actor: Actor, note?: string, opts: { openOnly?: boolean } = {}): Promise<ActionChange> {
    return await this.change(id, actor, 'close', async (a, now) => {
      if (a.status === 'done' || (opts.openOnly && a.status !== 'open')) return false;
      await this.repo.setStatus(id, 'done', now, now);
      await this.event(id, 'closed', actor, now, { note });
      return true;
    });
  }

  /**
   * Drops the action: not an action after all (a note-taker's correction of the minutes). Kept
   * as a correction of the meeting that gave it: a re-upload whose text for this item is
   * unchanged leaves it dropped. Dropping a dropped action is a no-op (`changed: false`).
   */
  async drop(id: number, actor: Actor, note?: string): Promise<ActionChange> {
    return await this.change(id, actor, 'edit', async (a, now) => {
      if (a.status === 'dropped') return false;
      await this.keepCorrection(a, { drop: true }, actor, now);
      await this.repo.setStatus(id, 'dropped', null, now);
      await this.event(id, 'dropped', actor, now, { note, data: { from: a.status } });
      return true;
    });
  }

  /** Back to open. Reopening an open action is a no-op (`changed: false`). */
  async reopen(id: number, actor: Actor, note?: string): Promise<ActionChange> {
    return await this.change(id, actor, 'reopen', async (a, now) => {
      if (a.status === 'open') return false;
      // A person reopening an action they dropped takes the drop back.
      if (a.status === 'dropped') await this.forgetDrop(a.id, now);
      await this.repo.setStatus(id, 'open', null, now);
      await this.event(id, 'reopened', actor, now, { note, data: { from: a.status } });
      return true;
    });
  }

  /** No reminders until `untilDate` (`YYYY-MM-DD`); null clears the snooze. */
  async snooze(id: number, untilDate: string | null, actor: Actor): Promise<ActionChange> {
    if (untilDate !== null && !isCalendarDay(untilDate)) {
      throw badInput(`snooze date must be a calendar date YYYY-MM-DD, got '${untilDate}'`);
    }
    return await this.change(id, actor, 'snooze', async (a, now) => {
      if (a.status !== 'open') throw new AppError('action-not-open', `action ${id} is ${a.status}; only open actions can be snoozed`, 409);
      // A snooze ends in the future: a past (or today's) date would silently do nothing.
      if (untilDate !== null && untilDate <= now.slice(0, 10)) {
        throw badInput(`snooze date must be after today (${now.slice(0, 10)}), got ${untilDate}`);
      }
      await this.repo.snooze(id, untilDate, now);
      await this.event(id, 'snoozed', actor, now, { data: { until: untilDate } });
      return true;
    });
  }

  async comment(id: number, actor: Actor, text: string): Promise<ActionChange> {
    const t = (text ?? '').trim();
    if (!t) throw badInput('a comment needs text');
    return await this.change(id, actor, 'comment', async (_a, now) => {
      await this.event(id, 'commented', actor, now, { note: t });
      return true;
    });
  }

  /** Edits text, due date or owners (names resolved against the directory). */
  async update(id: number, patch: { due?: string | null; owners?: string[]; text?: string }, actor: Actor): Promise<ActionChange> {
    if (patch.due != null && !isCalendarDay(patch.due)) throw badInput(`due must be a calendar date YYYY-MM-DD, got '${patch.due}'`);
    if (patch.text !== undefined && !patch.text.trim()) throw badInput('action text must not be empty');
    if (patch.owners && patch.owners.some((o) => !foldName(o))) throw badInput('owner names must not be empty');
    return await this.change(id, actor, 'edit', async (a, now) => {
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const text = patch.text?.trim() ?? a.text;
      const due = patch.due === undefined ? a.due : patch.due;
      if (text !== a.text) [before.text, after.text] = [a.text, text];
      if (due !== a.due) [before.due, after.due] = [a.due, due];
      // The owners before this edit: compared, and what the minutes gave if no correction is kept yet.
      const old = (await this.repo.owners([id])).get(id) ?? [];
      if (patch.owners) {
        const owners = [];
        for (const name of patch.owners) owners.push(await this.resolveOwner(name));
        if (JSON.stringify(old.map((o) => o.writtenName)) !== JSON.stringify(owners.map((o) => o.name))) {
          before.owners = old.map((o) => o.name);
          after.owners = owners.map((o) => o.name);
          await this.repo.setOwners(id, owners);
        }
      }
      if (Object.keys(after).length === 0) return false;
      // Kept on top of the minutes: a re-upload that leaves this item's text alone keeps the edit.
      const fix: StoredCorrectionValues = {};
      if ('text' in after) fix.text = text;
      if ('due' in after) fix.due = due;
      if ('owners' in after) fix.owners = patch.owners!.map((o) => o.trim());
      await this.keepCorrection(a, fix, actor, now, old);
      await this.repo.update(id, { text, due, topic: a.topic, line: a.line }, now);
      await this.event(id, 'edited', actor, now, { data: { before, after } });
      return true;
    });
  }

  /**
   * Stores `fix` as a correction of the meeting whose minutes gave action `a`, as it was before
   * this change (`ownersBefore`: its owners then): its identity is the text the minutes gave, and
   * what they gave for owners and due date, so a revision that changes them overrides it.
   */
  private async keepCorrection(a: ActionRecord, fix: StoredCorrectionValues, actor: Actor, now: string, before?: OwnerRecord[]) {
    if (!this.corrections) return;
    const ownersBefore = before ?? (await this.repo.owners([a.id])).get(a.id) ?? [];
    const prev = await this.corrections.forAction(a.id);
    const owners = ownersBefore.map((o) => o.writtenName);
    await this.corrections.save(
      {
        meetingId: prev?.meetingId ?? a.originMeetingId,
        kind: 'action',
        key: prev?.key ?? foldName(a.text),
        itemText: prev?.itemText ?? a.text,
        extracted: prev?.extracted ?? { owners, due: a.due },
        correction: { ...(prev?.correction ?? {}), ...fix },
        actionId: a.id,
        createdBy: actor.label,
        source: actor.source,
      },
      now,
    );
  }

  /** The action is wanted again: its kept drop (if any) no longer applies. */
  private async forgetDrop(actionId: number, now: string) {
    const prev = await this.corrections?.forAction(actionId);
    if (!prev?.correction.drop) return;
    const { drop: _drop, ...rest } = prev.correction;
    if (Object.keys(rest).length === 0) await this.corrections!.remove(prev.id);
    else await this.corrections!.save({ ...prev, correction: rest }, now);
  }

  private async resolveOwner(name: string): Promise<{ personId: number | null; name: string }> {
    const hits = await this.people.findByKey(name);
    return { personId: hits.length === 1 ? hits[0].id : null, name: name.trim() };
  }

  private async load(id: number): Promise<ActionRecord> {
    const a = Number.isInteger(id) ? await this.repo.get(id) : undefined;
    if (!a) throw new AppError('action-not-found', `action ${String(id)} does not exist`, 404);
    return a;
  }

  /**
   * Reads the action, applies `domain/action-policy.ts` to `actor` and its current owners, and
   * runs `fn`, all in one write transaction: the owners checked are the owners changed.
   * Throws 403 (`forbidden`, or `not-owner` for an email link or reply) when the policy refuses.
   */
  private async change(id: number, actor: Actor, op: ActionOp, fn: (a: ActionRecord, now: string) => Promise<boolean>): Promise<ActionChange> {
    return await this.db.transaction(async () => {
      const a = await this.load(id);
      const decision = decideActionChange(actor, { id, owners: (await this.repo.owners([id])).get(id) ?? [] }, op);
      if (!decision.allowed) throw new AppError(decision.code, decision.reason, 403);
      const changed = await fn(a, this.now());
      return { ...(await this.views([(await this.repo.get(id))!]))[0], changed };
    });
  }

  private async event(
    id: number,
    kind: EventRecord['kind'],
    actor: Actor,
    now: string,
    extra: { note?: string; data?: Record<string, unknown> } = {},
  ) {
    await this.repo.addEvent(
      {
        actionId: id,
        kind,
        actorPersonId: actor.personId,
        actor: actor.label,
        source: actor.source,
        note: extra.note?.trim() || null,
        data: extra.data ?? null,
      },
      now,
    );
  }
}
