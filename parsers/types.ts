/** The contract of `minutes parse FILE --json` (DESIGN.md, ParsedMinutes). */

export interface ParsedAttendee {
  name: string;
  org: string | null;
  handle: string | null;
  /** `chair`, `scribe`, a group marker such as `TSC`, or null. */
  role: string | null;
}

export interface ParsedAbsentee {
  name: string;
}

export interface ParsedDecision {
  text: string;
  /** 1-based line of the input. */
  line: number;
  topic: string | null;
}

export interface ParsedAction {
  /** Owners as resolved against the attendees of the same minutes, else as written. */
  owners: string[];
  text: string;
  /** `YYYY-MM-DD`, resolved against the meeting date, or null. */
  due: string | null;
  done: boolean;
  line: number;
  topic: string | null;
}

export interface ParsedTopic {
  title: string;
  line: number;
  /** `YYYY-MM-DD`, `YYYY-MM`, or `next` when deferred to "the next meeting" without a date. */
  deferredTo: string | null;
}

export interface ParsedSuggestion {
  kind: 'action' | 'decision';
  owners: string[];
  text: string;
  line: number;
  reason: string;
  /** `YYYY-MM-DD` when the commitment names when ("I will send it on Monday"); absent otherwise. */
  due?: string;
}

export interface ParsedWarning {
  line: number;
  message: string;
}

export interface ParsedMinutes {
  title: string | null;
  /** `YYYY-MM-DD`, or `YYYY-MM` when the minutes give only a month, or null. */
  date: string | null;
  attendees: ParsedAttendee[];
  absent: ParsedAbsentee[];
  decisions: ParsedDecision[];
  actions: ParsedAction[];
  topics: ParsedTopic[];
  suggestions: ParsedSuggestion[];
  warnings: ParsedWarning[];
  /** Front matter `series`, when given. */
  series?: string | null;
}

export interface ParseOptions {
  /** `YYYY-MM-DD`: the meeting date when the text does not give one (or overrides a month-only one). */
  meetingDate?: string;
  /** The file name, last resort for the date. */
  filename?: string;
}
