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
  type SearchKey,
  type SearchRepository,
} from '../../db/repositories/search-repository.js';
import { badInput, notFound } from '../../errors.js';
import { decodeCursor, pageOf, MAX_PAGE_SIZE, PAGE_SIZE, type Page } from '../../../domain/cursor.js';
import { escapeHtml } from '../../../domain/html-text.js';

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
  /** The `next` of the previous page (`meetingPage`). */
  cursor?: string;
}

/** One meeting with its current minutes, items and revisions. */
export type MeetingDetail = MeetingDetailRow & MeetingItems & { revisions: RevisionRow[] };

export interface SearchResult {
  query: string;
  total: number;
  /** The cursor of the next page of hits, null on the last. */
  next: string | null;
  hits: Array<Omit<SearchHit, 'snippet'> & { snippet: string; snippetHtml: string }>;
}


/** Full-text search across minutes, decisions and actions. */
export function createSearchService(deps: { repo: SearchRepository }) {
  const { repo } = deps;
  return {
    /** Meetings newest first, by series, date range and words. */
    async meetings(f: MeetingFilter = {}): Promise<MeetingListRow[]> {
      const match = f.q ? toFtsQuery(f.q) : null;
      if (f.q && !match) return [];
      return await repo.meetings({ series: f.series ?? null, from: f.from ?? null, to: f.to ?? null, match, limit: f.limit ?? 100, offset: f.offset ?? 0 });
    },

    /** One page of `meetings(f)` (default 50, at most 500) after `f.cursor`, with the total and the next cursor. */
    async meetingPage(f: MeetingFilter = {}): Promise<Page<MeetingListRow>> {
      let after: [string, number] | null = null;
      if (f.cursor) {
        after = decodeCursor(f.cursor, ['s', 'n']) as [string, number] | null;
        if (!after) throw badInput('cursor: not a cursor of this list (use the "next" of the previous page)');
      }
      const limit = Math.min(Math.max(f.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
      const match = f.q ? toFtsQuery(f.q) : null;
      if (f.q && !match) return { items: [], total: 0, next: null };
      const q = { series: f.series ?? null, from: f.from ?? null, to: f.to ?? null, match };
      const rows = await repo.meetings({ ...q, limit: limit + 1, offset: f.offset ?? 0, after });
      return pageOf(rows, limit, await repo.meetingCount(q), (m) => [m.date, m.id]);
    },

    /** One meeting with minutes text, attendees, decisions, topics, actions and revisions. */
    async meeting(id: number): Promise<MeetingDetail> {
      const m = await repo.meeting(id);
      if (!m) throw notFound('meeting', id);
      return { ...m, ...await repo.items(id), revisions: await repo.revisions(id) };
    },

    /** The text of one stored revision of a meeting. */
    async revisionText(meetingId: number, revision: number): Promise<string> {
      const text = await repo.revisionText(meetingId, revision);
      if (text === undefined) throw notFound(`revision ${revision} of meeting`, meetingId);
      return text;
    },

    /**
     * Searches for every word of `q` (the last one as a prefix). Anything typed is safe:
     * it is quoted into FTS5 phrases, never spliced into SQL. Empty queries find nothing.
     */
    async search(q: string, opts: { kind?: SearchKind; series?: string; limit?: number; offset?: number; cursor?: string } = {}): Promise<SearchResult> {
      let after: SearchKey | null = null;
      if (opts.cursor) {
        after = decodeCursor(opts.cursor, ['n', 's', 'n']) as SearchKey | null;
        if (!after) throw badInput('cursor: not a cursor of this list (use the "next" of the previous page)');
      }
      const match = toFtsQuery(q);
      if (!match) return { query: q, total: 0, next: null, hits: [] };
      const limit = Math.min(Math.max(opts.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
      const { total, hits: rows } = await deps.repo.search(match, { kind: opts.kind, series: opts.series, limit: limit + 1, offset: opts.offset ?? 0, after });
      const page = pageOf(rows, limit, total, (h) => h.key);
      return {
        query: q,
        total,
        next: page.next,
        hits: page.items.map(({ key: _key, ...h }) => ({
          ...h,
          snippet: h.snippet.replaceAll(MARK_START, '').replaceAll(MARK_END, ''),
          snippetHtml: escapeHtml(h.snippet).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>'),
        })),
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
