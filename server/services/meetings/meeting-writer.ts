/**
 * Writes one meeting's minutes: the revision, attendance, decisions, topics and the action
 * diff (revision matching, carry-over from earlier meetings, drops). Synchronous: the import
 * service runs `write` inside one IMMEDIATE transaction, so a meeting lands whole or not at all.
 */
import { createHash } from 'node:crypto';
import { foldName } from '../../../domain/names.js';
import type { ParsedAction, ParsedMinutes } from '../../../parsers/types.js';
import type { ActionRecord, ActionRepository, CandidateRow, EventRecord, OwnerRecord } from '../../db/repositories/action-repository.js';
import type { AttendanceRepository } from '../../db/repositories/attendance-repository.js';
import type { DecisionRepository } from '../../db/repositories/decision-repository.js';
import type { MeetingRecord, MeetingRepository } from '../../db/repositories/meeting-repository.js';
import type { PeopleRepository } from '../../db/repositories/people-repository.js';
import type { TopicRepository } from '../../db/repositories/topic-repository.js';
import { CARRY_RULES, REVISION_RULES, ownerIdentity, pairUp, similarity, tokens, type Matchable } from './action-matching.js';
import { PeopleResolver, type ResolvedName } from '../people/people-resolver.js';
import { backdate } from './action-backdating.js';
import type { ImportedAction, MeetingDraft, WriteResult } from './import-result.js';

export type { ActionBrief, ImportedAction, MeetingDraft, WriteResult } from './import-result.js';

interface Repos {
  people: PeopleRepository;
  meetings: MeetingRepository;
  actions: ActionRepository;
  decisions: DecisionRepository;
  topics: TopicRepository;
  attendance: AttendanceRepository;
}

interface Item extends Matchable {
  p: ParsedAction;
  owners: string[];
  resolved: ResolvedName[];
  /** Dropped by a correction: names the stored action to drop (or keep dropped); never stored anew. */
  drop?: boolean;
}

interface Linked extends Matchable {
  a: ActionRecord;
  last: EventRecord;
  /** Its owners as stored (read with every other linked action's, in one query). */
  stored: OwnerRecord[];
}

interface Candidate extends Matchable {
  row: CandidateRow;
}

/**
 * Carry-over looks at open actions last stated in this many earlier meetings of the series:
 * half a year of weekly calls, two years of monthly ones. Bounded work per import whatever the
 * history; an action silent for longer is matched no more (a restatement then starts anew).
 */
export const CARRY_WINDOW = 26;

const IMPORT = { actorPersonId: null, actor: 'import', source: 'import' } as const;

export const hashText = (text: string) => createHash('sha256').update(text).digest('hex');

export class MeetingWriter {
  private readonly tokenCache = new Map<number, { text: string; tokens: Set<string> }>();

  constructor(
    private readonly r: Repos,
    private readonly now: () => string,
  ) {}

  /** Must run inside a transaction. Re-checks the stored state, so a racing importer is harmless. */
  async write(d: MeetingDraft): Promise<WriteResult> {
    const now = this.now();
    const hash = d.hash ?? hashText(d.text);
    const title = d.parsed.title ?? null;
    let meeting = d.existing !== undefined ? d.existing : await this.r.meetings.findBySeriesDate(d.series.id, d.date);
    // The text of any stored revision is "unchanged": re-importing a folder that holds two
    // write-ups of one meeting (or a stale copy) must not flip the current revision back and forth.
    const same = meeting && await this.r.meetings.findRevisionByHash(meeting.id, hash);
    if (meeting && same && !d.force) return this.unchanged(meeting, same.revision);
    const status = meeting ? 'revised' : 'new';
    const meetingId = meeting?.id ?? await this.r.meetings.insert(d.series.id, d.date, title, now);
    const revision = (meeting?.revision ?? 0) + 1;
    const revId = await this.r.meetings.insertRevision(
      { meetingId, revision, text: d.text, hash, filename: d.filename, uploadedBy: d.uploadedBy, source: d.source },
      now,
    );
    await this.r.meetings.setCurrentRevision(meetingId, revId, title, now);
    meeting = (await this.r.meetings.get(meetingId))!;

    const people = new PeopleResolver(this.r.people, now);
    const attendance = await people.attendance(d.parsed);
    await this.r.attendance.replace(meetingId, attendance);
    await this.r.topics.replace(
      meetingId,
      d.parsed.topics.map((t) => ({ title: t.title, line: t.line, deferredTo: t.deferredTo })),
    );
    const { out: decisions, added: decisionsAdded, removed: decisionsRemoved } = await this.syncDecisions(meetingId, d.parsed, now);
    const result: WriteResult = {
      meeting: { id: meetingId, seriesSlug: d.series.slug, date: d.date, title, revision },
      status,
      attendees: attendance.map((a) => ({ name: a.name, personId: a.personId, status: a.status, role: a.role, org: a.org })),
      decisions,
      actions: [],
      changes: { added: [], changed: [], removed: [], unchanged: [], carried: [], closed: [], decisionsAdded, decisionsRemoved, corrections: { kept: [], overridden: [] } },
    };
    await this.syncActions(meeting, d, people, result, now);
    return result;
  }

  private async syncDecisions(meetingId: number, parsed: ParsedMinutes, now: string) {
    const old = new Map<string, number[]>();
    const textOf = new Map<number, string>();
    for (const x of await this.r.decisions.listByMeeting(meetingId)) {
      const k = foldName(x.text);
      old.set(k, [...(old.get(k) ?? []), x.id]);
      textOf.set(x.id, x.text);
    }
    const out: WriteResult['decisions'] = [];
    const added: WriteResult['changes']['decisionsAdded'] = [];
    for (const p of parsed.decisions) {
      const k = foldName(p.text);
      const keep = old.get(k)?.shift();
      // Kept decisions follow the new text's lines.
      if (keep !== undefined) await this.r.decisions.move(keep, p.topic, p.line);
      const id = keep ?? await this.r.decisions.insert(meetingId, p, now);
      if (keep === undefined) added.push({ id, text: p.text });
      out.push({ id, text: p.text, topic: p.topic, line: p.line });
    }
    const removed: WriteResult['changes']['decisionsRemoved'] = [];
    for (const ids of old.values()) {
      for (const id of ids) {
        removed.push({ id, text: textOf.get(id) ?? '' });
        await this.r.decisions.delete(id);
      }
    }
    return { out, added, removed };
  }

  private async syncActions(meeting: MeetingRecord, d: MeetingDraft, people: PeopleResolver, res: WriteResult, now: string) {
    const item = async (p: ParsedAction, drop: boolean): Promise<Item> => {
      const resolved = await people.owners(p.owners);
      return { p, resolved, owners: resolved.map(ownerIdentity), tokens: tokens(p.text), order: p.line, drop };
    };
    const parsed: Item[] = [];
    for (const p of d.parsed.actions) parsed.push(await item(p, false));
    const drops: Item[] = [];
    for (const p of d.drops ?? []) drops.push(await item(p, true));
    const items = [...dedupe(parsed), ...drops];
    const linked = await this.linkedTo(meeting.id);
    const linkedIds = new Set(linked.map((l) => l.a.id));
    const pending = new Set(items.keys());

    // 1. A revision: the same meeting's earlier actions keep their ids.
    for (const [i, c] of pairUp(items, linked, REVISION_RULES)) {
      pending.delete(i);
      if (items[i].drop) {
        d.droppedIds?.set(items[i].p.line, linked[c].a.id);
        await this.dropByCorrection(items[i], linked[c], meeting, res, now);
      } else {
        await this.restate(items[i], linked[c], meeting, res, d.overrides?.get(linked[c].a.id), now);
      }
      linked[c] = undefined as unknown as Linked;
    }
    // Dropped items naming no action of this meeting: nothing to store (not carried, not created).
    for (const i of [...pending]) {
      if (!items[i].drop) continue;
      pending.delete(i);
      d.droppedIds?.set(items[i].p.line, null);
    }
    // 2. Carry-over: open actions of earlier meetings restated here.
    const rest = [...pending].map((i) => items[i]);
    if (rest.length > 0) {
      const cands = await this.carryCandidates(meeting, rest, linkedIds);
      const pairs = pairUp(rest, cands, CARRY_RULES);
      // The matched actions read at once (each pair carries a different one).
      const stored = new Map((await this.r.actions.getMany(pairs.map(([, c]) => cands[c].row.id))).map((a) => [a.id, a]));
      for (const [i, c] of pairs) {
        pending.delete(items.indexOf(rest[i]));
        linkedIds.add(cands[c].row.id);
        await this.carry(rest[i], stored.get(cands[c].row.id)!, meeting, res, now);
      }
    }
    // 2b. Out of date order: actions that later meetings (imported first) already state.
    const late = [...pending].map((i) => items[i]);
    if (late.length > 0) {
      const rows = await this.r.actions.statedInLaterMeetings(meeting.seriesId, meeting.date, CARRY_WINDOW);
      const cands = rows.length ? await this.candidates(rows, late, linkedIds) : [];
      for (const [i, c] of pairUp(late, cands, CARRY_RULES)) {
        pending.delete(items.indexOf(late[i]));
        await this.backdated(late[i], (await this.r.actions.get(cands[c].row.id))!, meeting, res, now);
      }
    }
    // 3. New actions.
    for (const i of [...pending].sort((a, b) => a - b)) await this.create(items[i], meeting, res, now);
    // 4. Earlier revision's actions no longer written.
    for (const l of linked) if (l) await this.unstate(l, meeting, res, now);
    res.actions.sort((a, b) => a.line - b.line);
  }

  /** Actions this meeting stated in its previous revision (by the import events it wrote). */
  private async linkedTo(meetingId: number): Promise<Linked[]> {
    const last = new Map<number, EventRecord>();
    for (const e of await this.r.actions.importEventsAt(meetingId)) last.set(e.actionId, e);
    const ids = [...last].filter(([, e]) => !e.data?.unlinked).map(([id]) => id);
    const owners = await this.r.actions.owners(ids);
    const records = new Map((await this.r.actions.getMany(ids)).map((a) => [a.id, a]));
    const out: Linked[] = [];
    for (const id of ids) {
      const e = last.get(id)!;
      const a = records.get(id)!;
      const stored = owners.get(id) ?? [];
      out.push({ a, last: e, stored, owners: stored.map(ownerIdentity), tokens: tokens(a.text), order: Number(e.data?.line ?? a.line ?? 0) });
    }
    return out;
  }

  private async carryCandidates(meeting: MeetingRecord, items: Item[], exclude: Set<number>): Promise<Candidate[]> {
    const found = new Map<number, CandidateRow>();
    for (const a of await this.r.actions.openInRecentMeetings(meeting.seriesId, meeting.date, CARRY_WINDOW)) found.set(a.id, a);
    // A "DONE" list may repeat what the previous meeting already closed: tie it, do not copy it.
    if (items.some((i) => i.p.done)) {
      for (const a of await this.r.actions.doneInRecentMeetings(meeting.seriesId, meeting.date, 1)) found.set(a.id, a);
    }
    return this.candidates([...found.values()], items, exclude);
  }

  /** Rows similar enough to some item to be worth a look, with their owners and tokens. */
  private async candidates(rows: CandidateRow[], items: Item[], exclude: Set<number>): Promise<Candidate[]> {
    // Text first (cheap, cached tokens), owners only for candidates similar enough to matter.
    const floor = Math.min(CARRY_RULES.sameOwners, CARRY_RULES.overlappingOwners, CARRY_RULES.anyOwners, CARRY_RULES.oneSideOwnerless);
    const similar = rows.filter((c) => {
      if (exclude.has(c.id)) return false;
      const t = this.tokensOf(c.id, c.text);
      return items.some((i) => similarity(i.tokens, t) >= floor);
    });
    const owners = await this.r.actions.owners(similar.map((c) => c.id));
    return similar.map((c) => ({
      row: c,
      owners: (owners.get(c.id) ?? []).map(ownerIdentity),
      tokens: this.tokensOf(c.id, c.text),
      order: c.line ?? 0,
    }));
  }

  /** Token sets of stored actions, cached by id (checked against the text, which may change). */
  private tokensOf(id: number, text: string): Set<string> {
    const hit = this.tokenCache.get(id);
    if (hit && hit.text === text) return hit.tokens;
    if (this.tokenCache.size > 50_000) this.tokenCache.clear();
    const t = tokens(text);
    this.tokenCache.set(id, { text, tokens: t });
    return t;
  }

  private async restate(it: Item, l: Linked, meeting: MeetingRecord, res: WriteResult, overrides: string[] | undefined, now: string) {
    const a = l.a;
    const p = it.p;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const owned = a.originMeetingId === meeting.id;
    const data: Record<string, unknown> = { line: p.line };
    // The history says when the minutes overrode a person's correction of this action.
    if (overrides?.length) data.overrides = overrides;
    let evented = false;
    if (owned) {
      const oldOwners = l.stored.map((o) => o.writtenName);
      const newOwners = it.resolved.map((o) => o.name);
      if (a.text !== p.text) [before.text, after.text] = [a.text, p.text];
      if (a.due !== p.due) [before.due, after.due] = [a.due, p.due];
      if (JSON.stringify(oldOwners) !== JSON.stringify(newOwners)) {
        [before.owners, after.owners] = [oldOwners, newOwners];
        await this.r.actions.setOwners(a.id, it.resolved);
      }
      await this.r.actions.update(a.id, { text: p.text, due: p.due, topic: p.topic, line: p.line }, now);
      if (Object.keys(before).length > 0) {
        await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'edited', meetingId: meeting.id, data: { ...data, before, after } }, now);
        evented = true;
      }
    }
    let status = a.status;
    // A person dropped an action carried from an earlier meeting: their drop is a correction of
    // that meeting's minutes, which this text does not override; it stays dropped.
    const keptDrop = a.status === 'dropped' && !owned && await this.droppedByPerson(a.id);
    if (a.status === 'dropped' && !keptDrop) {
      // Dropped by an earlier revision (or by a person, whose correction this text overrides): stated again.
      status = p.done ? 'done' : 'open';
      await this.r.actions.setStatus(a.id, status, p.done ? now : null, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: p.done ? 'closed' : 'reopened', meetingId: meeting.id, data }, now);
      evented = true;
      if (p.done) res.changes.closed.push({ id: a.id, text: owned ? p.text : a.text });
    } else if (a.status === 'open' && p.done) {
      status = 'done';
      await this.r.actions.setStatus(a.id, 'done', now, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'closed', meetingId: meeting.id, data }, now);
      evented = true;
      res.changes.closed.push({ id: a.id, text: owned ? p.text : a.text });
    }
    if (keptDrop) res.changes.corrections.kept.push({ kind: 'action', text: a.text, what: 'drop', detail: 'dropped by a person after an earlier meeting' });
    // Lines follow the new text: the meeting page reads the line of the latest import event here.
    if (!evented) await this.moveLine(l, p.line);
    // A done action stays done even when the new revision no longer marks it so.
    const brief = { id: a.id, text: owned ? p.text : a.text };
    if (Object.keys(before).length > 0) res.changes.changed.push({ ...brief, before });
    else res.changes.unchanged.push(brief);
    res.actions.push(this.imported(a.id, it, status, owned ? 'same-meeting' : l.last?.kind === 'closed' ? 'closed' : 'carried', a));
  }

  /** The last import event of `l` at this meeting now says `line` (a revision moved the item). */
  private async moveLine(l: Linked, line: number) {
    if (!l.last || Number(l.last.data?.line) === line) return;
    await this.r.actions.retypeEvent(l.last.id, l.last.kind, { ...(l.last.data ?? {}), line });
  }

  /** A correction drops the stored action this item names: dropped (or left dropped), never reopened. */
  private async dropByCorrection(it: Item, l: Linked, meeting: MeetingRecord, res: WriteResult, now: string) {
    const a = l.a;
    if (a.originMeetingId === meeting.id && a.status === 'open') {
      await this.r.actions.setStatus(a.id, 'dropped', null, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'dropped', meetingId: meeting.id, data: { line: it.p.line, reason: 'dropped by a correction' } }, now);
      res.changes.removed.push({ id: a.id, text: a.text });
    } else if (a.originMeetingId !== meeting.id) {
      // Carried here by an earlier revision: this meeting no longer restates it.
      await this.unstate(l, meeting, res, now);
    } else {
      await this.moveLine(l, it.p.line);
    }
  }

  /** The action's last drop or reopening was a person's drop (web, API, CLI, email), not an import's. */
  private async droppedByPerson(id: number): Promise<boolean> {
    const last = (await this.r.actions.events(id)).filter((e) => e.kind === 'dropped' || e.kind === 'reopened').at(-1);
    return last?.kind === 'dropped' && last.source !== 'import';
  }

  private async carry(it: Item, a: ActionRecord, meeting: MeetingRecord, res: WriteResult, now: string) {
    const data: Record<string, unknown> = { line: it.p.line, text: it.p.text };
    const brief = { id: a.id, text: a.text };
    if (a.status === 'done') {
      // Restated as done again after it was closed: nothing to change, and no copy.
      res.changes.unchanged.push(brief);
      res.actions.push(this.imported(a.id, it, 'done', 'already-done', a));
      return;
    }
    if (it.p.due && it.p.due !== a.due) {
      data.due = { before: a.due, after: it.p.due };
      await this.r.actions.update(a.id, { text: a.text, due: it.p.due, topic: a.topic, line: a.line }, now);
    }
    if (it.p.done) {
      await this.r.actions.carry(a.id, meeting.id, 0, now);
      await this.r.actions.setStatus(a.id, 'done', now, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'closed', meetingId: meeting.id, data }, now);
      res.changes.closed.push(brief);
      res.actions.push(this.imported(a.id, it, 'done', 'closed', a));
    } else {
      await this.r.actions.carry(a.id, meeting.id, 1, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'carried', meetingId: meeting.id, data }, now);
      res.changes.carried.push(brief);
      res.actions.push(this.imported(a.id, it, 'open', 'carried', { ...a, carriedCount: a.carriedCount + 1 }));
    }
  }

  /** A restatement of an action that minutes dated later already hold (see action-backdating). */
  private async backdated(it: Item, a: ActionRecord, meeting: MeetingRecord, res: WriteResult, now: string) {
    const done = await backdate(this.r.actions, a, it.p, it.resolved, meeting, now);
    const after = (await this.r.actions.get(a.id))!;
    if (done.kind === 'adopted') {
      res.changes.changed.push({ id: a.id, text: after.text, before: { origin: done.before.originDate, text: a.text } });
      // The older minutes mark it done: closed here, as in date order.
      if (it.p.done && a.status === 'open' && after.status === 'done') res.changes.closed.push({ id: a.id, text: after.text });
      res.actions.push(this.imported(a.id, it, after.status, 'same-meeting', after));
    } else {
      const brief = { id: a.id, text: a.text };
      if (done.kind === 'carried') res.changes.carried.push(brief);
      else if (done.kind === 'closed') res.changes.closed.push(brief);
      else res.changes.unchanged.push(brief);
      res.actions.push(this.imported(a.id, it, after.status, done.kind, after));
    }
  }

  private async create(it: Item, meeting: MeetingRecord, res: WriteResult, now: string) {
    const p = it.p;
    const id = await this.r.actions.insert(
      {
        text: p.text,
        due: p.due,
        status: p.done ? 'done' : 'open',
        originMeetingId: meeting.id,
        lastMeetingId: meeting.id,
        topic: p.topic,
        line: p.line,
        closedAt: p.done ? now : null,
      },
      now,
    );
    await this.r.actions.setOwners(id, it.resolved);
    await this.r.actions.addEvent({ ...IMPORT, actionId: id, kind: 'created', meetingId: meeting.id, data: { line: p.line } }, now);
    if (p.done) await this.r.actions.addEvent({ ...IMPORT, actionId: id, kind: 'closed', meetingId: meeting.id, data: { line: p.line } }, now);
    res.changes.added.push({ id, text: p.text });
    res.actions.push(this.imported(id, it, p.done ? 'done' : 'open', 'new', { carriedCount: 0, originMeetingId: meeting.id }));
  }

  /** An action the previous revision stated and this one does not. */
  private async unstate(l: Linked, meeting: MeetingRecord, res: WriteResult, now: string) {
    const a = l.a;
    res.changes.removed.push({ id: a.id, text: a.text });
    if (a.originMeetingId === meeting.id) {
      if (a.status !== 'open') return; // closed stays closed; dropped stays dropped
      await this.r.actions.setStatus(a.id, 'dropped', null, now);
      await this.r.actions.addEvent({ ...IMPORT, actionId: a.id, kind: 'dropped', meetingId: meeting.id, data: { reason: 'not in the new revision' } }, now);
      return;
    }
    // Carried into this meeting by the earlier revision: undo the carry.
    const earlier = (await this.r.actions.events(a.id)).filter((e) => e.source === 'import' && e.meetingId !== meeting.id && e.meetingId != null);
    const back = earlier[earlier.length - 1]?.meetingId ?? a.originMeetingId;
    if (a.lastMeetingId === meeting.id) await this.r.actions.carry(a.id, back, l.last.kind === 'carried' ? -1 : 0, now);
    await this.r.actions.addEvent(
      { ...IMPORT, actionId: a.id, kind: 'edited', meetingId: meeting.id, data: { unlinked: true, reason: 'no longer restated in this meeting' } },
      now,
    );
  }

  /** `a` is the stored action as it was before this import touched it (none for a new one). */
  private imported(
    id: number,
    it: Item,
    status: ImportedAction['status'],
    match: ImportedAction['match'],
    a: { carriedCount: number; originMeetingId: number },
  ): ImportedAction {
    return {
      id,
      text: it.p.text,
      owners: it.resolved,
      due: it.p.due,
      status,
      line: it.p.line,
      topic: it.p.topic,
      match,
      carriedCount: a.carriedCount,
      originMeetingId: a.originMeetingId,
    };
  }

  /** The result of importing text identical to the current revision: what is stored. */
  private async unchanged(m: MeetingRecord, matched: number): Promise<WriteResult> {
    const linked = await this.linkedTo(m.id);
    return {
      meeting: { id: m.id, seriesSlug: m.seriesSlug, date: m.date, title: m.title, revision: m.revision },
      status: 'unchanged',
      matchedRevision: matched,
      attendees: (await this.r.attendance.listByMeeting(m.id)).map((a) => ({ name: a.name, personId: a.personId, status: a.status, role: a.role, org: a.org })),
      decisions: (await this.r.decisions.listByMeeting(m.id)).map((x) => ({ id: x.id, text: x.text, topic: x.topic, line: x.line })),
      actions: linked
        .map((l) => ({
          id: l.a.id,
          text: l.a.text,
          owners: l.stored.map((o) => ({ personId: o.personId, name: o.writtenName })),
          due: l.a.due,
          status: l.a.status,
          line: l.order,
          topic: l.a.topic,
          match: (l.a.originMeetingId === m.id ? 'same-meeting' : 'carried') as ImportedAction['match'],
          carriedCount: l.a.carriedCount,
          originMeetingId: l.a.originMeetingId,
        }))
        .sort((a, b) => a.line - b.line),
      changes: {
        added: [],
        changed: [],
        removed: [],
        unchanged: linked.map((l) => ({ id: l.a.id, text: l.a.text })),
        carried: [],
        closed: [],
        decisionsAdded: [],
        decisionsRemoved: [],
        corrections: { kept: [], overridden: [] },
      },
    };
  }
}

/** The same action written twice in one minutes (summary + body, meetbot lists): keep one. */
function dedupe(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const twin = out.find((o) => o.owners.join() === it.owners.join() && similarity(o.tokens, it.tokens) >= 0.9);
    if (twin) {
      if (it.p.done && !twin.p.done) twin.p = { ...twin.p, done: true };
      continue;
    }
    out.push(it);
  }
  return out;
}
