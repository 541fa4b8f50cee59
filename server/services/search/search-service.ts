import {
  toFtsQuery,
  MARK_END,
  MARK_START,
  type MeetingDetailRow,
  type MeetingItems,
  type MeetingListRow,
  type RevisionRow,
  type SearchHit,
  type SearchKind,
  type SearchRepository,
} from '../../db/repositories/search-repository.js';
import { notFound } from '../../errors.js';

export type { SearchHit, SearchKind, MeetingListRow, MeetingItems, RevisionRow } from '../../db/repositories/search-repository.js';

export interface MeetingFilter {
  series?: string;
  /** `YYYY-MM-DD` bounds, inclusive. */
  from?: string;
  to?: string;
  /** Words that must occur in the minutes or their items. */
  q?: string;
  limit?: number;
  offset?: number;
}

/** One meeting with its current minutes, items and revisions. */
export type MeetingDetail = MeetingDetailRow & MeetingItems & { revisions: RevisionRow[] };

export interface SearchResult {
  query: string;
  total: number;
  hits: Array<Omit<SearchHit, 'snippet'> & { snippet: string; snippetHtml: string }>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Full-text search across minutes, decisions and actions. */
export function createSearchService(deps: { repo: SearchRepository }) {
  const { repo } = deps;
  return {
    /** Meetings newest first, by series, date range and words. */
    meetings(f: MeetingFilter = {}): MeetingListRow[] {
      const match = f.q ? toFtsQuery(f.q) : null;
      if (f.q && !match) return [];
      return repo.meetings({ series: f.series ?? null, from: f.from ?? null, to: f.to ?? null, match, limit: f.limit ?? 100, offset: f.offset ?? 0 });
    },

    /** One meeting with minutes text, attendees, decisions, topics, actions and revisions. */
    meeting(id: number): MeetingDetail {
      const m = repo.meeting(id);
      if (!m) throw notFound('meeting', id);
      return { ...m, ...repo.items(id), revisions: repo.revisions(id) };
    },

    /** The text of one stored revision of a meeting. */
    revisionText(meetingId: number, revision: number): string {
      const text = repo.revisionText(meetingId, revision);
      if (text === undefined) throw notFound(`revision ${revision} of meeting`, meetingId);
      return text;
    },

    /**
     * Searches for every word of `q` (the last one as a prefix). Anything typed is safe:
     * it is quoted into FTS5 phrases, never spliced into SQL. Empty queries find nothing.
     */
    search(q: string, opts: { kind?: SearchKind; series?: string; limit?: number; offset?: number } = {}): SearchResult {
      const match = toFtsQuery(q);
      if (!match) return { query: q, total: 0, hits: [] };
      const { total, hits } = deps.repo.search(match, { kind: opts.kind, series: opts.series, limit: opts.limit ?? 50, offset: opts.offset ?? 0 });
      return {
        query: q,
        total,
        hits: hits.map((h) => ({
          ...h,
          snippet: h.snippet.replaceAll(MARK_START, '').replaceAll(MARK_END, ''),
          snippetHtml: escapeHtml(h.snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>'),
        })),
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
