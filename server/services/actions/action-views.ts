/**
 * What an action looks like to the API, CLI, reminders, agenda and pages: the view of a stored
 * action record with its owners (and of its events), built in one place. The API's JSON is
 * these views serialised (SQLite writes the same bytes in SQL: see `ActionListRepository.listJson`).
 */
import type { ActionRecord, ActionStatus, EventRecord, OwnerRecord } from '../../db/repositories/action-repository.js';

/** An action as the API, CLI, reminders and agenda see it. */
export interface ActionView {
  id: number;
  text: string;
  due: string | null;
  status: ActionStatus;
  owners: { personId: number | null; name: string; email: string | null }[];
  originMeeting: { id: number; date: string; title: string | null; seriesSlug: string };
  lastMeeting: { id: number; date: string };
  carriedCount: number;
  snoozedUntil: string | null;
  line: number | null;
  topic: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Open with a due date before today (UTC). */
  overdue: boolean;
}

export interface ActionEventView {
  id: number;
  kind: EventRecord['kind'];
  actor: { personId: number | null; label: string | null; source: string };
  meetingId: number | null;
  note: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export interface ActionDetail extends ActionView {
  events: ActionEventView[];
}

/** The result of close/reopen: the action, and whether anything changed (false = no-op). */
export type ActionChange = ActionView & { changed: boolean };

export function toView(r: ActionRecord, owners: OwnerRecord[], today: string): ActionView {
  return {
    id: r.id,
    text: r.text,
    due: r.due,
    status: r.status,
    owners: owners.map((o) => ({ personId: o.personId, name: o.name, email: o.email })),
    originMeeting: { id: r.originMeetingId, date: r.originDate, title: r.originTitle, seriesSlug: r.seriesSlug },
    lastMeeting: { id: r.lastMeetingId, date: r.lastMeetingDate },
    carriedCount: r.carriedCount,
    snoozedUntil: r.snoozedUntil,
    line: r.line,
    topic: r.topic,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
    overdue: r.status === 'open' && r.due !== null && r.due < today,
  };
}

export function eventView(e: EventRecord): ActionEventView {
  return {
    id: e.id,
    kind: e.kind,
    actor: { personId: e.actorPersonId, label: e.actor, source: e.source },
    meetingId: e.meetingId,
    note: e.note,
    data: e.data,
    at: e.createdAt,
  };
}
