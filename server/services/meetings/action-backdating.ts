/**
 * Minutes imported out of date order. Carry-over ties a restatement to an EARLIER meeting's
 * action; when an older meeting arrives after newer ones, its actions may already be stored
 * with a later origin (the newer minutes restated them). Tying them here keeps one action per
 * thing to do, with the history and carry count it would have had in date order:
 *
 * - the stored action's origin is later: the older statement becomes the origin ("adopt");
 *   the old origin's `created` becomes a `carried` (or disappears when that meeting closed it,
 *   as a DONE restatement closes without carrying);
 * - the origin is earlier and a later meeting stated it too: this meeting restated it in
 *   between ("carried", count +1, last meeting unchanged).
 *
 * Events are placed in meeting order (`addEventInOrder`), so the history reads as if the
 * minutes had come in date order.
 */
import type { ParsedAction } from '../../../parsers/types.js';
import type { ActionRecord, ActionRepository } from '../../db/repositories/action-repository.js';
import type { MeetingRecord } from '../../db/repositories/meeting-repository.js';
import type { ResolvedName } from '../people/people-resolver.js';

const IMPORT = { actorPersonId: null, actor: 'import', source: 'import' } as const;

/** What tying a restatement to an action stated by later minutes did. */
export type Backdated =
  | { kind: 'adopted'; before: { originMeetingId: number; originDate: string } }
  | { kind: 'carried' }
  | { kind: 'closed' }
  | { kind: 'already-done' };

/**
 * Ties the action `p` (written in `meeting`, owners `owners`) to `a`, an action that minutes
 * dated after `meeting` already state. Runs inside the import's transaction.
 */
export async function backdate(
  actions: ActionRepository,
  a: ActionRecord,
  p: ParsedAction,
  owners: ResolvedName[],
  meeting: MeetingRecord,
  now: string,
): Promise<Backdated> {
  const at = { ...IMPORT, actionId: a.id, meetingId: meeting.id };
  if (a.originDate < meeting.date) {
    // Stated before and after this meeting: a restatement in between.
    if (p.done && a.status === 'done') return { kind: 'already-done' };
    if (p.done) {
      await actions.setStatus(a.id, 'done', now, now);
      await actions.addEventInOrder({ ...at, kind: 'closed', data: { line: p.line, text: p.text } }, meeting.date, now);
      return { kind: 'closed' };
    }
    await actions.carry(a.id, a.lastMeetingId, 1, now);
    await actions.addEventInOrder({ ...at, kind: 'carried', data: { line: p.line, text: p.text } }, meeting.date, now);
    return { kind: 'carried' };
  }
  const events = await actions.events(a.id);
  const created = events.find((e) => e.kind === 'created' && e.source === 'import' && e.meetingId === a.originMeetingId);
  const closedThere = events.some((e) => e.kind === 'closed' && e.source === 'import' && e.meetingId === a.originMeetingId);
  // The old origin restated this meeting's action: closing it (no carry, as in date order) or carrying it.
  if (created && closedThere) await actions.deleteEvent(created.id);
  else if (created) await actions.retypeEvent(created.id, 'carried', { ...created.data, text: a.text });
  await actions.setOrigin(a.id, meeting.id, closedThere ? 0 : 1, now);
  // The origin's wording and owners, as date order would have stored them; an edit made by a
  // person (web, CLI) wins over any minutes.
  const editedByHand = events.some((e) => e.kind === 'edited' && e.source !== 'import');
  if (!editedByHand) {
    await actions.update(a.id, { text: p.text, due: a.due ?? p.due, topic: p.topic, line: p.line }, now);
    await actions.setOwners(a.id, owners);
  }
  await actions.addEventInOrder({ ...at, kind: 'created', data: { line: p.line } }, meeting.date, now);
  if (p.done && a.status === 'open') {
    await actions.setStatus(a.id, 'done', now, now);
    await actions.addEventInOrder({ ...at, kind: 'closed', data: { line: p.line } }, meeting.date, now);
  }
  return { kind: 'adopted', before: { originMeetingId: a.originMeetingId, originDate: a.originDate } };
}
