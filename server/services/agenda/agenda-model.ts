/**
 * The agenda model: what `minutes agenda --format json` and `GET /api/agenda` (JSON) return,
 * and what the templates in `templates/agenda/` see as `it`. Field names are a contract:
 * add fields, never rename them.
 */

/** Carried this many times or more: the agenda asks whether to drop or reassign. */
export const STALE_AFTER = 3;

export interface MeetingLink {
  id: number;
  date: string;
  title: string | null;
  url: string;
}

/** One open action as the agenda shows it. Field names are part of the JSON contract. */
export interface AgendaAction {
  id: number;
  text: string;
  owners: string[];
  originMeeting: MeetingLink;
  /** Days from the origin meeting to the agenda date. */
  ageDays: number;
  due: string | null;
  /** Due before the agenda date. */
  overdue: boolean;
  carriedCount: number;
  stale: boolean;
  snoozedUntil: string | null;
  url: string;
}

export interface Agenda {
  series: { slug: string; name: string; timezone: string; chair: string | null; listEmail: string | null };
  date: string;
  /** `given` (--date / ?date=) or `cadence`. */
  dateSource: 'given' | 'cadence';
  title: string;
  lastMeeting: MeetingLink | null;
  standingItems: string[];
  openActions: { owner: string; personId: number | null; email: string | null; actions: AgendaAction[] }[];
  closedActions: {
    id: number;
    text: string;
    status: 'done' | 'dropped';
    owners: string[];
    originMeeting: MeetingLink;
    closedAt: string;
    closedBy: string | null;
    source: string;
    note: string | null;
    closedInMeeting: MeetingLink | null;
    url: string;
  }[];
  decisions: { id: number; text: string; topic: string | null; line: number; superseded: boolean; meeting: MeetingLink; url: string }[];
  deferredTopics: {
    id: number;
    title: string;
    /** The sentence of the minutes that deferred it ("... Defer to Oct call."), when found. */
    context: string | null;
    deferredTo: string;
    line: number;
    meeting: MeetingLink;
    url: string;
  }[];
  proposedItems: { id: number; text: string; proposedBy: string | null; createdAt: string }[];
  ownerProblems: { name: string; personId: number | null; problem: 'unresolved' | 'no-email'; actionIds: number[] }[];
  counts: { openActions: number; overdue: number; stale: number; closed: number; decisions: number; deferred: number; proposed: number };
}

/** Words that mark the sentence deferring a topic ("Defer to Oct call", "postponed to ..."). */
const DEFER_WORDS = /\b(defer|postpone|push(?:ed)? (?:back|to)|carry (?:it )?over|next (?:call|meeting)|revisit)/i;
const HEADING = /^\s{0,3}#{1,6}\s/;

/**
 * The line of the minutes that says why a topic was deferred: the first line after the
 * topic's heading (`line`, 1-based) and before the next heading that uses a deferral word,
 * without its list marker. Null when the minutes do not say.
 */
export function deferralSentence(text: string, line: number): string | null {
  const lines = text.split(/\r?\n/);
  for (let i = Math.max(0, line - 1); i < Math.min(lines.length, line + 60); i++) {
    if (i > line - 1 && HEADING.test(lines[i])) break;
    if (DEFER_WORDS.test(lines[i])) {
      const clean = lines[i].replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').replace(HEADING, '').trim();
      return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
    }
  }
  return null;
}

