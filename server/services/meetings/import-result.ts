/**
 * What importing one meeting gives back: the draft the writer takes and the result the CLI,
 * the upload API and the preview page show (kept apart from the writer's logic).
 */
import type { ParsedAction, ParsedMinutes } from '../../../parsers/types.js';
import type { SeriesRecord } from '../../db/repositories/series-repository.js';
import type { MeetingRecord } from '../../db/repositories/meeting-repository.js';
import type { ResolvedName } from '../people/people-resolver.js';
import type { ParsedSuggestion, ParsedWarning } from '../../../parsers/types.js';
import type { ActorSource } from '../actions/actor.js';
import type { Corrections, UnmatchedCorrection } from './import-overrides.js';

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

export interface ImportOptions {
  /** Series slug; else front matter `series`; else one implied by the file name, or `default` (created on demand). */
  series?: string | null;
  filename?: string | null;
  /** `YYYY-MM-DD`: the meeting date when the text gives none or only a month. */
  date?: string | null;
  dryRun?: boolean;
  uploadedBy?: string | null;
  source?: ActorSource;
  /** What the note-taker corrected of what the parser extracted (upload preview, API, CLI). */
  corrections?: Corrections;
}

/** One meeting's import. */
export interface ImportResult extends WriteResult {
  dryRun: boolean;
  filename: string | null;
  /** Suggestions as parsed, before corrections promoted or dropped any. */
  suggestions: ParsedSuggestion[];
  warnings: ParsedWarning[];
  /** The series did not exist and was created for this import. */
  seriesCreated: boolean;
  /** Corrections sent with the import that named no item (set on a refusal's details; a stored import has none). */
  unmatchedCorrections?: UnmatchedCorrection[];
  /** The corrections sent with this import that it applied, and stores (would store, on a dry run) for the meeting. */
  correctionsApplied?: CorrectionNote[];
}

/** `importText`: the (first) meeting, plus the other meetings when the text was an archive. */
export interface TextImportResult extends ImportResult {
  more: ImportResult[];
  /** Meetings of an archive that failed while others were stored (empty otherwise). */
  errors: FileImportResult['errors'];
}

export interface FileImportResult {
  file: string;
  ok: boolean;
  meetings: ImportResult[];
  /** Failures (the whole file, or single meetings of an archive). */
  errors: { code: string; message: string; date?: string | null; unmatched?: UnmatchedCorrection[] }[];
  ms: number;
}

export interface ImportSummary {
  files: number;
  failedFiles: number;
  meetings: { new: number; revised: number; unchanged: number };
  actions: number;
  decisions: number;
  warnings: number;
  slowest: { file: string; ms: number } | null;
  dryRun: boolean;
}

export interface PathsImport {
  files: FileImportResult[];
  summary: ImportSummary;
}

/** Totals over file results (the CLI summary line). */
export function summarize(files: FileImportResult[], dryRun: boolean): ImportSummary {
  const s: ImportSummary = {
    files: files.length,
    failedFiles: files.filter((f) => !f.ok).length,
    meetings: { new: 0, revised: 0, unchanged: 0 },
    actions: 0,
    decisions: 0,
    warnings: 0,
    slowest: null,
    dryRun,
  };
  for (const f of files) {
    for (const m of f.meetings) {
      s.meetings[m.status]++;
      s.actions += m.actions.length;
      s.decisions += m.decisions.length;
      s.warnings += m.warnings.length;
    }
    if (!s.slowest || f.ms > s.slowest.ms) s.slowest = { file: f.file, ms: Math.round(f.ms) };
  }
  return s;
}
