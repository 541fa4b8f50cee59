import type { Db } from '../connection.js';
import { readPlannedForValues } from '../database.js';

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

export interface MeetingListRow {
  id: number;
  date: string;
  title: string | null;
  seriesSlug: string;
  seriesName: string;
  revision: number | null;
  actionCount: number;
  decisionCount: number;
  updatedAt: string;
}

export interface MeetingDetailRow extends MeetingListRow {
  text: string | null;
  revisionId: number | null;
}

export interface RevisionRow {
  id: number;
  revision: number;
  hash: string;
  filename: string | null;
  uploadedBy: string | null;
  source: string;
  createdAt: string;
}

export interface MeetingItems {
  attendees: { name: string; personId: number | null; status: 'present' | 'absent'; role: string | null; org: string | null }[];
  decisions: { id: number; text: string; topic: string | null; line: number }[];
  topics: { title: string; line: number; deferredTo: string | null }[];
  /** Actions this meeting created or restated, at the line where it did. */
  actions: { id: number; text: string; status: string; due: string | null; line: number | null; kind: string; owners: { personId: number | null; name: string }[] }[];
}

/** Keyset of search hits: `[bm25 score, meeting date, index row]`. */
export type SearchKey = [number, string, number];

export interface MeetingQuery {
  series: string | null;
  from: string | null;
  to: string | null;
  match: string | null;
  limit: number;
  offset: number;
  /** Keyset: only meetings before this `[date, id]` (the list is newest first). */
  after?: [string, number] | null;
}

/**
 * The longest word of an FTS5 query as `toFtsQuery` writes it (`"word" "two words"*`), lower
 * case: where PostgreSQL's snippet looks first in a long text.
 */
export function nearWord(match: string): string {
  const words = [...match.matchAll(/"((?:[^"]|"")*)"/g)].flatMap((m) => m[1]!.replaceAll('""', '"').split(/\s+/)).filter(Boolean);
  return words.reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase();
}

/**
 * All SQL of full-text search over `search_fts` (kept current by triggers), and of browsing
 * meetings (list by series, date and text; one meeting with its items and revisions).
 */
export function createSearchRepository(db: Db) {
  // Best first (bm25 on SQLite, ts_rank on PostgreSQL: lower score = better on both), then
  // newest, then the index row: that triple is also the keyset of the pages.
  const pg = db.dialect === 'postgres';
  const matches = pg ? 'f.tsv @@ search_query(@match)' : 'search_fts MATCH @match';
  const hitCols = `f.kind AS kind, f.ref_id AS refId, f.meeting_id AS meetingId,
        m.date AS meetingDate, m.title AS meetingTitle, s.slug AS seriesSlug, s.name AS seriesName,
        a.status AS actionStatus, COALESCE(a.line, d.line) AS line, f.rowid AS rid`;
  const hitFrom = `FROM search_fts f
      JOIN meetings m ON m.id = f.meeting_id
      JOIN series s ON s.id = m.series_id
      LEFT JOIN actions a ON f.kind = 'action' AND a.id = f.ref_id
      LEFT JOIN decisions d ON f.kind = 'decision' AND d.id = f.ref_id
      WHERE ${matches}
        AND (CAST(@kind AS TEXT) IS NULL OR f.kind = @kind)
        AND (CAST(@series AS TEXT) IS NULL OR s.slug = @series)
        AND (f.kind <> 'decision' OR d.removed_at IS NULL)`;
  // PostgreSQL ranks the hits without the actions (a join planned as a scan of every action
  // when many hits match) and reads the page's action rows after the cut.
  const pgHitCols = `f.kind AS kind, f.ref_id AS refId, f.meeting_id AS meetingId,
        m.date AS meetingDate, m.title AS meetingTitle, s.slug AS seriesSlug, s.name AS seriesName,
        d.line AS decisionLine, f.rowid AS rid`;
  const pgHitFrom = hitFrom.replace("LEFT JOIN actions a ON f.kind = 'action' AND a.id = f.ref_id", '');
  const keyset = `WHERE CAST(@kScore AS DOUBLE PRECISION) IS NULL OR score > @kScore
      OR (score = @kScore AND (meetingDate < @kDate OR (meetingDate = @kDate AND rid > @kRid)))
    ORDER BY score, meetingDate DESC, rid`;
  // On PostgreSQL, SQLite's snippet() is ts_headline over the page's hits only (their text is
  // read once the page is chosen): one fragment of at most 16 words, matched words between
  // MARK_START and MARK_END. '<' is hidden from it (its parser drops HTML tags from the text,
  // and the snippet shows the text as written), and '…' marks a cut as snippet() does; the text
  // before (after) the fragment is kept when it holds no word. ts_headline parses all the text
  // it is given (≈1.4 ms for 4 KB of minutes): a long text is cut to 500 characters around the
  // first place its longest query word appears (`@near`), or given whole when it is not found
  // as typed (accents). `OFFSET 0` keeps PostgreSQL from inlining a LATERAL into every place
  // its column is used: the headline (and its place in the text) is computed once per hit.
  const search = db.prepare(pg ? `
    SELECT ranked.kind, refId, meetingId,
      CASE WHEN c.pos = 0 THEN h.hl ELSE
        (CASE WHEN substr(doc.body, 1, c.pos - 1) ~ '[[:alnum:]]' THEN '…' ELSE substr(doc.body, 1, c.pos - 1) END)
        || h.hl
        || (CASE WHEN substr(doc.body, c.pos + length(c.plain)) ~ '[[:alnum:]]' THEN '…' ELSE substr(doc.body, c.pos + length(c.plain)) END)
      END AS snippet,
      meetingDate, meetingTitle, seriesSlug, seriesName, a.status AS actionStatus, COALESCE(a.line, decisionLine) AS line, score, rid
    FROM (
      SELECT * FROM (
        SELECT ${pgHitCols}, -ts_rank(f.tsv, search_query(@match))::float8 AS score
        ${pgHitFrom}) AS hits
      ${keyset}
      LIMIT @limit OFFSET @offset) AS ranked
    LEFT JOIN actions a ON ranked.kind = 'action' AND a.id = refId
    JOIN search_fts doc ON doc.rowid = ranked.rid
    CROSS JOIN LATERAL (SELECT CASE WHEN length(doc.body) > 2000 AND CAST(@near AS TEXT) <> '' THEN strpos(lower(doc.body), @near) ELSE 0 END AS at) AS n
    CROSS JOIN LATERAL (SELECT CASE WHEN n.at > 0 THEN substr(doc.body, greatest(n.at - 200, 1), 500) ELSE doc.body END AS text) AS w
    CROSS JOIN LATERAL (SELECT replace(ts_headline('search_headline', replace(w.text, '<', chr(1)), search_query(@match),
      'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1'), chr(1), '<') AS hl
      OFFSET 0) AS h
    CROSS JOIN LATERAL (SELECT replace(replace(h.hl, chr(2), ''), chr(3), '') AS plain) AS p
    CROSS JOIN LATERAL (SELECT p.plain, strpos(doc.body, p.plain) AS pos OFFSET 0) AS c
    ORDER BY score, meetingDate DESC, rid` : `
    SELECT * FROM (
      SELECT ${hitCols}, snippet(search_fts, 0, char(2), char(3), '…', 16) AS snippet, bm25(search_fts) AS score
      ${hitFrom}) AS hits
    ${keyset}
    LIMIT @limit OFFSET @offset`);
  const count = db.prepare(`
    SELECT COUNT(*) AS n FROM search_fts f
    JOIN meetings m ON m.id = f.meeting_id JOIN series s ON s.id = m.series_id
    LEFT JOIN decisions d ON f.kind = 'decision' AND d.id = f.ref_id
    WHERE ${matches} AND (CAST(@kind AS TEXT) IS NULL OR f.kind = @kind) AND (CAST(@series AS TEXT) IS NULL OR s.slug = @series)
      AND (f.kind <> 'decision' OR d.removed_at IS NULL)`);
  const inIndex = pg ? 'SELECT meeting_id FROM search_fts WHERE tsv @@ search_query(@match)' : 'SELECT meeting_id FROM search_fts WHERE search_fts MATCH @match';

  const meetingCols = `m.id, m.date, m.title, s.slug AS seriesSlug, s.name AS seriesName, r.revision, m.updated_at AS updatedAt,
      (SELECT COUNT(*) FROM actions a WHERE a.origin_meeting_id = m.id) AS actionCount,
      (SELECT COUNT(*) FROM decisions d WHERE d.meeting_id = m.id AND d.removed_at IS NULL) AS decisionCount`;
  const meetingList = db.prepare(`
    SELECT ${meetingCols}
    FROM meetings m JOIN series s ON s.id = m.series_id LEFT JOIN minutes_revisions r ON r.id = m.current_revision_id
    WHERE (CAST(@series AS TEXT) IS NULL OR s.slug = @series) AND (CAST(@from AS TEXT) IS NULL OR m.date >= @from) AND (CAST(@to AS TEXT) IS NULL OR m.date <= @to)
      AND (CAST(@match AS TEXT) IS NULL OR m.id IN (${inIndex}))
      AND (CAST(@kDate AS TEXT) IS NULL OR (m.date, m.id) < (@kDate, @kId))
    ORDER BY m.date DESC, m.id DESC LIMIT @limit OFFSET @offset`);
  const meetingCount = db.prepare(`
    SELECT COUNT(*) FROM meetings m JOIN series s ON s.id = m.series_id
    WHERE (CAST(@series AS TEXT) IS NULL OR s.slug = @series) AND (CAST(@from AS TEXT) IS NULL OR m.date >= @from) AND (CAST(@to AS TEXT) IS NULL OR m.date <= @to)
      AND (CAST(@match AS TEXT) IS NULL OR m.id IN (${inIndex}))`).pluck();
  const meetingGet = db.prepare(`
    SELECT ${meetingCols}, r.text, r.id AS revisionId
    FROM meetings m JOIN series s ON s.id = m.series_id LEFT JOIN minutes_revisions r ON r.id = m.current_revision_id
    WHERE m.id = ?`);
  const revisions = db.prepare(`SELECT id, revision, hash, filename, uploaded_by AS uploadedBy, source, created_at AS createdAt
    FROM minutes_revisions WHERE meeting_id = ? ORDER BY revision DESC`);
  const revisionText = db.prepare(`SELECT text FROM minutes_revisions WHERE meeting_id = ? AND revision = ?`);
  const attendees = db.prepare(`SELECT name, person_id AS personId, status, role, org FROM attendance WHERE meeting_id = ? ORDER BY status DESC, id`);
  const decisions = db.prepare(`SELECT id, text, topic, line FROM decisions WHERE meeting_id = ? AND removed_at IS NULL ORDER BY line`);
  const topics = db.prepare(`SELECT title, line, deferred_to AS deferredTo FROM topics WHERE meeting_id = ? ORDER BY line`);
  // The latest import event of each action at this meeting carries the line it was read from.
  const actions = db.prepare(`
    SELECT a.id, a.text, a.status, a.due, e.kind,
      COALESCE(${pg ? "(CAST(e.data AS json) ->> 'line')::integer" : "json_extract(e.data, '$.line')"},
        CASE WHEN a.origin_meeting_id = e.meeting_id THEN a.line END) AS line,
      ${pg
        ? `(SELECT COALESCE(json_agg(json_build_object('personId', o.person_id, 'name', o.name) ORDER BY o.position), '[]'::json)::text
         FROM action_owners o WHERE o.action_id = a.id)`
        : `(SELECT json_group_array(json_object('personId', o.person_id, 'name', o.name))
         FROM (SELECT * FROM action_owners WHERE action_id = a.id ORDER BY position) o)`} AS owners
    FROM (SELECT action_id, MAX(id) AS eid FROM action_events WHERE meeting_id = @id AND source = 'import' GROUP BY action_id) le
    JOIN action_events e ON e.id = le.eid
    JOIN actions a ON a.id = le.action_id
    ORDER BY line NULLS FIRST, a.id`);

  return {
    /** Meetings newest first; `match` is an escaped FTS5 query over minutes and items. */
    async meetings(f: MeetingQuery): Promise<MeetingListRow[]> {
      const { after, ...rest } = f;
      return await readPlannedForValues(db, () => meetingList.all({ ...rest, kDate: after?.[0] ?? null, kId: after?.[1] ?? null }), !!f.match) as MeetingListRow[];
    },
    /** How many meetings match (limit, offset and `after` aside). */
    async meetingCount(f: Omit<MeetingQuery, 'limit' | 'offset' | 'after'>): Promise<number> {
      return await readPlannedForValues(db, () => meetingCount.get({ series: f.series, from: f.from, to: f.to, match: f.match }), !!f.match) as number;
    },
    async meeting(id: number): Promise<MeetingDetailRow | undefined> {
      return await meetingGet.get(id) as MeetingDetailRow | undefined;
    },
    async revisions(meetingId: number): Promise<RevisionRow[]> {
      return await revisions.all(meetingId) as RevisionRow[];
    },
    async revisionText(meetingId: number, revision: number): Promise<string | undefined> {
      return (await revisionText.get(meetingId, revision) as { text: string } | undefined)?.text;
    },
    async items(meetingId: number): Promise<MeetingItems> {
      const acts = await actions.all({ id: meetingId }) as (Omit<MeetingItems['actions'][number], 'owners'> & { owners: string })[];
      return {
        attendees: await attendees.all(meetingId) as MeetingItems['attendees'],
        decisions: await decisions.all(meetingId) as MeetingItems['decisions'],
        topics: await topics.all(meetingId) as MeetingItems['topics'],
        actions: acts.map((a) => ({ ...a, owners: JSON.parse(a.owners) as MeetingItems['actions'][number]['owners'] })),
      };
    },
    /** Hits for an already-escaped FTS5 query (see toFtsQuery), best first. */
    async search(match: string, opts: { kind?: SearchKind; series?: string; limit: number; offset: number; after?: SearchKey | null }): Promise<{ total: number; hits: (SearchHit & { key: SearchKey })[] }> {
      const params = { match, kind: opts.kind ?? null, series: opts.series ?? null };
      const page = { ...params, limit: opts.limit, offset: opts.offset, ...(pg ? { near: nearWord(match) } : {}) };
      // One snapshot for the count and the page; planned for this query text.
      return await readPlannedForValues(db, async () => {
        const total = (await count.get(params) as { n: number }).n;
        if (total === 0) return { total, hits: [] };
        const [kScore, kDate, kRid] = opts.after ?? [null, null, null];
        const rows = await search.all({ ...page, kScore, kDate, kRid }) as (SearchHit & { score: number; rid: number })[];
        return { total, hits: rows.map(({ score, rid, ...h }) => ({ ...h, key: [score, h.meetingDate, rid] as SearchKey })) };
      });
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
