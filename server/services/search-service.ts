import { createSearchRepository, toFtsQuery, MARK_END, MARK_START, type SearchHit, type SearchKind, type SearchRepository } from '../db/repositories/search-repository.js';
import type { Db } from '../db/connection.js';

export type { SearchHit, SearchKind } from '../db/repositories/search-repository.js';

export interface SearchResult {
  query: string;
  total: number;
  hits: Array<Omit<SearchHit, 'snippet'> & { snippet: string; snippetHtml: string }>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Full-text search across minutes, decisions and actions. */
export function createSearchService(deps: { repo: SearchRepository }) {
  return {
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

/** Convenience for the container. */
export const searchServiceFor = (db: Db) => createSearchService({ repo: createSearchRepository(db) });

export type SearchService = ReturnType<typeof createSearchService>;
