/**
 * What importing one meeting gives back: the draft the writer takes and the result the CLI,
 * the upload API and the preview page show (kept apart from the writer's logic).
 */
import type { ParsedAction, ParsedMinutes } from '../../../parsers/types.js';
import type { SeriesRecord } from '../../db/repositories/series-repository.js';
import type { MeetingRecord } from '../../db/repositories/meeting-repository.js';
import type { ResolvedName } from '../people/people-resolver.js';

export interface MeetingDraft {
  series: SeriesRecord;
  date: string;
  text: string;
  parsed: ParsedMinutes;
  filename: string | null;
  uploadedBy: string | null;
  source: string;
  /** `hashText(text)` when the caller already computed it. */
  hash?: string;
  /** The stored meeting of this series and date (null: none) when the caller already looked it up in this transaction. */
  existing?: MeetingRecord | null;
  /** Actions corrections drop (kept from earlier, or sent now): a stored action they name is dropped, never reopened. */
  drops?: ParsedAction[];
  /** Filled by the writer: the stored action each dropped item named (by its line), null when none. */
  droppedIds?: Map<number, number | null>;
  /** Stored actions whose kept correction this text overrides, and which fields (for their history). */
  overrides?: Map<number, CorrectionNote['what'][]>;
  /** Write a revision even when the text is the current one (new corrections came with it). */
  force?: boolean;
}

/**
 * A correction a person made (upload preview, API/CLI `corrections`, an edit of the action
 * after saving) as a revision's diff reports it.
 */
export interface CorrectionNote {
  kind: 'action' | 'decision' | 'suggestion';
  /** The item's text as the minutes give it. */
  text: string;
  what: 'owners' | 'due' | 'text' | 'drop' | 'promote';
  /** The corrected value (kept) or what the minutes now say (overridden). */
  detail?: string;
}

export interface ActionBrief {
  id: number;
  text: string;
}

/** One action as the import result reports it. */
export interface ImportedAction {
  id: number;
  text: string;
  owners: ResolvedName[];
  due: string | null;
  status: 'open' | 'done' | 'dropped';
  line: number;
  topic: string | null;
  /** How the line was tied to a stored action. */
  match: 'new' | 'same-meeting' | 'carried' | 'closed' | 'already-done';
  carriedCount: number;
  originMeetingId: number;
}

export interface WriteResult {
  /** `date` is `YYYY-MM` while `datePrecision` is `month` (minutes dated by month only, the day to confirm). */
  meeting: { id: number; seriesSlug: string; date: string; title: string | null; revision: number; datePrecision?: 'day' | 'month' };
  status: 'new' | 'revised' | 'unchanged';
  /** For `unchanged`: the stored revision with the same text (may be older than the current). */
  matchedRevision?: number;
  attendees: { name: string; personId: number | null; status: 'present' | 'absent'; role: string | null; org: string | null }[];
  decisions: { id: number; text: string; topic: string | null; line: number }[];
  actions: ImportedAction[];
  changes: {
    added: ActionBrief[];
    changed: (ActionBrief & { before: Record<string, unknown> })[];
    removed: ActionBrief[];
    unchanged: ActionBrief[];
    carried: ActionBrief[];
    closed: ActionBrief[];
    /** Decisions this revision states that the previous one did not (all of them for a new meeting). */
    decisionsAdded: ActionBrief[];
    /** Decisions of the previous revision this one no longer states (deleted with it). */
    decisionsRemoved: ActionBrief[];
    /**
     * Corrections stored for this meeting: `kept` still apply to this revision (re-applied to
     * the item with the same extracted text wherever it now sits); `overridden` no longer
     * apply because this text changed that item itself (and are forgotten).
     */
    corrections: { kept: CorrectionNote[]; overridden: CorrectionNote[] };
  };
}
