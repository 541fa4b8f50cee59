import type { Db } from '../connection.js';

export type SearchKind = 'minutes' | 'decision' | 'action';

export interface SearchHit {
  kind: SearchKind;
  refId: number;
  meetingId: number;
  /** Text around the match; matched terms between \u0002 and \u0003. */
  snippet: string;
  meetingDate: string;
  meetingTitle: string | null;
  seriesSlug: string;
  seriesName: string;
  /** For actions: open, done or dropped. */
  actionStatus: string | null;
  /** For decisions and actions: the line in the minutes. */
  line: number | null;
}

/** Snippet markers: control characters that cannot occur in escaped output. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/**
 * Turns what a person typed into a safe FTS5 query: every word becomes a quoted phrase
 * (quotes doubled), all must match, the last one as a prefix. FTS5 operators, column filters
 * and SQL typed into the box are therefore plain words.
 */
export function toFtsQuery(q: string): string | null {
  const words = q.normalize('NFC').match(/[\p{L}\p{N}_@.'’-]+/gu) ?? [];
  const terms = words.map((w) => w.replace(/^[.'’-]+|[.'’-]+$/g, '')).filter((w) => w.length > 0).slice(0, 12);
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replace(/"/g, '""')}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** All SQL of full-text search over `search_fts` (kept current by triggers). */
export function createSearchRepository(db: Db) {
  const search = db.prepare(`
    SELECT f.kind AS kind, f.ref_id AS refId, f.meeting_id AS meetingId,
      snippet(search_fts, 0, char(2), char(3), '…', 16) AS snippet,
      m.date AS meetingDate, m.title AS meetingTitle, s.slug AS seriesSlug, s.name AS seriesName,
      a.status AS actionStatus, COALESCE(a.line, d.line) AS line
    FROM search_fts f
    JOIN meetings m ON m.id = f.meeting_id
    JOIN series s ON s.id = m.series_id
    LEFT JOIN actions a ON f.kind = 'action' AND a.id = f.ref_id
    LEFT JOIN decisions d ON f.kind = 'decision' AND d.id = f.ref_id
    WHERE search_fts MATCH @match
      AND (@kind IS NULL OR f.kind = @kind)
      AND (@series IS NULL OR s.slug = @series)
      AND (f.kind <> 'decision' OR d.removed_at IS NULL)
    ORDER BY bm25(search_fts), m.date DESC
    LIMIT @limit OFFSET @offset`);
  const count = db.prepare(`
    SELECT COUNT(*) AS n FROM search_fts f
    JOIN meetings m ON m.id = f.meeting_id JOIN series s ON s.id = m.series_id
    LEFT JOIN decisions d ON f.kind = 'decision' AND d.id = f.ref_id
    WHERE search_fts MATCH @match AND (@kind IS NULL OR f.kind = @kind) AND (@series IS NULL OR s.slug = @series)
      AND (f.kind <> 'decision' OR d.removed_at IS NULL)`);

  return {
    /** Hits for an already-escaped FTS5 query (see toFtsQuery), best first. */
    search(match: string, opts: { kind?: SearchKind; series?: string; limit: number; offset: number }): { total: number; hits: SearchHit[] } {
      const params = { match, kind: opts.kind ?? null, series: opts.series ?? null, limit: opts.limit, offset: opts.offset };
      const total = (count.get(params) as { n: number }).n;
      return { total, hits: search.all(params) as SearchHit[] };
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
