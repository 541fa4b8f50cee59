import type { ActionRecord, ActionStatus, OwnerRecord } from './action-repository.js';

/** An action row joined with its origin meeting, series and last meeting, as SQL answers it, and its record. */
export interface ActionRow {
  id: number;
  text: string;
  due: string | null;
  status: ActionStatus;
  origin_meeting_id: number;
  last_meeting_id: number;
  topic: string | null;
  line: number | null;
  carried_count: number;
  snoozed_until: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  origin_date: string;
  origin_title: string | null;
  series_id: number;
  series_slug: string;
  last_meeting_date: string;
}

export const toAction = (r: ActionRow): ActionRecord => ({
  id: r.id,
  text: r.text,
  due: r.due,
  status: r.status,
  originMeetingId: r.origin_meeting_id,
  lastMeetingId: r.last_meeting_id,
  topic: r.topic,
  line: r.line,
  carriedCount: r.carried_count,
  snoozedUntil: r.snoozed_until,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  originDate: r.origin_date,
  originTitle: r.origin_title,
  seriesId: r.series_id,
  seriesSlug: r.series_slug,
  lastMeetingDate: r.last_meeting_date,
});

/** One owner of an action as SQL answers it: the name as written, and the directory's name and email when linked. */
export const toOwner = (actionId: number, position: number, personId: number | null, writtenName: string, personName: string | null, email: string | null): OwnerRecord => ({
  actionId,
  position,
  personId,
  name: personName ?? writtenName,
  writtenName,
  email,
});

/** The joined row of one action (`toAction` reads it): columns, then the joins. */
export const SELECT_COLUMNS = `SELECT a.*, m.date AS origin_date, m.title AS origin_title, m.series_id AS series_id,
    s.slug AS series_slug, lm.date AS last_meeting_date`;
export const SELECT_FROM = `
  FROM actions a
  JOIN meetings m ON m.id = a.origin_meeting_id
  JOIN series s ON s.id = m.series_id
  JOIN meetings lm ON lm.id = a.last_meeting_id`;
export const SELECT = `${SELECT_COLUMNS}${SELECT_FROM}`;
