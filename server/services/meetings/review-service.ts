/**
 * The review queue: suggestions and month-only dates from every import (web, API, CLI), to
 * accept or dismiss once, plus the names no import could tie to a person (resolved on the
 * people pages). Imports write the items in their own transaction (`reviewItemsFor`).
 */
import { foldName } from '../../../domain/names.js';
import { isCalendarDay } from '../../../domain/dates.js';
import type { ParsedSuggestion } from '../../../parsers/types.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connection.js';
import type { ActionRepository } from '../../db/repositories/action-repository.js';
import type { DecisionRepository } from '../../db/repositories/decision-repository.js';
import type { MeetingRepository } from '../../db/repositories/meeting-repository.js';
import type { PeopleRepository } from '../../db/repositories/people-repository.js';
import type { ReviewItemInput, ReviewItemRecord, ReviewRepository } from '../../db/repositories/review-repository.js';
export type { ReviewItemRecord } from '../../db/repositories/review-repository.js';
import { PeopleResolver } from '../people/people-resolver.js';
import type { PeopleService, UnresolvedName } from '../people/people-service.js';

/** The identity of a suggestion within its meeting: its kind and its normalised text. */
export const suggestionKey = (s: { kind: string; text: string }) => `${s.kind}:${foldName(s.text)}`;

/** The review items a meeting's current revision gives (suggestions left; the day, if unknown). */
export function reviewItemsFor(suggestions: ParsedSuggestion[], monthToConfirm: string | null): ReviewItemInput[] {
  const items: ReviewItemInput[] = suggestions.map((s) => ({
    kind: 'suggestion',
    key: suggestionKey(s),
    data: { kind: s.kind, text: s.text, owners: s.owners ?? [], line: s.line, reason: s.reason ?? null },
  }));
  if (monthToConfirm) items.push({ kind: 'date', key: monthToConfirm, data: { month: monthToConfirm } });
  return items;
}

export interface ReviewQueue {
  items: ReviewItemRecord[];
  unresolved: UnresolvedName[];
  /** Open items plus unresolved names: the number the dashboard shows. */
  total: number;
}

interface Repos {
  meetings: MeetingRepository;
  actions: ActionRepository;
  decisions: DecisionRepository;
  people: PeopleRepository;
}

export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly repo: ReviewRepository,
    private readonly r: Repos,
    private readonly people: PeopleService,
    private readonly clock: Clock,
  ) {}

  /** Everything left to review, oldest first. */
  async queue(): Promise<ReviewQueue> {
    const items = await this.repo.list('open');
    const unresolved = await this.people.unresolved();
    return { items, unresolved, total: items.length + unresolved.length };
  }

  /** The count for the dashboard (cheap: no candidate lookup). */
  async count(): Promise<number> {
    return await this.repo.countOpen() + await this.people.unresolvedCount();
  }

  async get(id: number): Promise<ReviewItemRecord> {
    const it = await this.repo.get(id);
    if (!it) throw new AppError('not-found', `review item ${id} does not exist`, 404);
    return it;
  }

  /**
   * Accepts an item: a suggestion becomes an action (owners resolved like an import's) or a
   * decision of its meeting, stated by the meeting's minutes, so later revisions keep it while
   * their text still holds the suggestion; a month-only date moves to `date` (a day of that
   * month, free in the series).
   */
  async accept(id: number, by: string, opts: { date?: string | null } = {}): Promise<ReviewItemRecord> {
    return await this.db.transaction(async () => {
      const it = await this.open(id);
      const now = this.clock.now().toISOString();
      let result: Record<string, unknown>;
      if (it.kind === 'date') result = await this.confirmDay(it, opts.date ?? null, now);
      else if (it.data.kind === 'action') result = { actionId: await this.createAction(it, now) };
      else result = { decisionId: await this.r.decisions.insert(it.meetingId, { text: String(it.data.text), topic: null, line: Number(it.data.line) }, now) };
      await this.repo.resolve(id, 'accepted', by, result, now);
      return (await this.repo.get(id))!;
    });
  }

  /** Dismisses an item for good (a re-import of the same minutes does not bring it back). */
  async dismiss(id: number, by: string): Promise<ReviewItemRecord> {
    return await this.db.transaction(async () => {
      await this.open(id);
      await this.repo.resolve(id, 'dismissed', by, null, this.clock.now().toISOString());
      return (await this.repo.get(id))!;
    });
  }

  /**
   * Dismisses every open suggestion of one meeting (an archive import leaves many a note-taker
   * has no use for); days to confirm stay, they need an answer. Returns how many.
   */
  async dismissMeeting(meetingId: number, by: string): Promise<number> {
    return await this.db.transaction(async () => {
      if (!await this.r.meetings.get(meetingId)) throw new AppError('not-found', `meeting ${meetingId} does not exist`, 404);
      return this.repo.dismissSuggestions(meetingId, by, this.clock.now().toISOString());
    });
  }

  private async open(id: number): Promise<ReviewItemRecord> {
    const it = await this.get(id);
    if (it.status !== 'open') {
      const what = it.status === 'gone' ? 'no longer in the minutes' : `already ${it.status}`;
      throw new AppError('review-item-closed', `review item ${id} is ${what}`, 409);
    }
    return it;
  }

  private async createAction(it: ReviewItemRecord, now: string): Promise<number> {
    const line = Number(it.data.line) || null;
    const id = await this.r.actions.insert(
      { text: String(it.data.text), due: null, status: 'open', originMeetingId: it.meetingId, lastMeetingId: it.meetingId, topic: null, line, closedAt: null },
      now,
    );
    const resolver = new PeopleResolver(this.r.people, now);
    const owners = await resolver.owners((it.data.owners as string[] | undefined) ?? []);
    await this.r.actions.setOwners(id, owners);
    // Source `import`: the minutes state it, so the next revision matches it like any other item.
    await this.r.actions.addEvent(
      { actorPersonId: null, actor: 'import', source: 'import', actionId: id, kind: 'created', meetingId: it.meetingId, data: { line, reviewItem: it.id } },
      now,
    );
    return id;
  }

  private async confirmDay(it: ReviewItemRecord, date: string | null, now: string): Promise<Record<string, unknown>> {
    const month = String(it.data.month);
    if (!date) throw new AppError('date-required', `choose the day of ${month} the meeting took place`, 400, { field: 'date' });
    if (!isCalendarDay(date)) throw new AppError('bad-date', `'${date}' is not a date (YYYY-MM-DD)`, 400, { field: 'date' });
    if (!date.startsWith(month + '-')) throw new AppError('bad-date', `the minutes say ${month}; choose a day of that month`, 400, { field: 'date' });
    const m = (await this.r.meetings.get(it.meetingId))!;
    const taken = await this.r.meetings.findBySeriesDate(m.seriesId, date);
    if (taken && taken.id !== m.id) {
      throw new AppError('meeting-exists', `series '${m.seriesSlug}' already has minutes for ${date}`, 409, { field: 'date', meetingId: taken.id });
    }
    await this.r.meetings.confirmDay(m.id, date, now);
    return { date };
  }
}
