import type { Db } from '../connection.js';
import { readPlannedForValues, type Dialect } from '../database.js';

export interface DecisionRecord {
  id: number;
  meetingId: number;
  text: string;
  topic: string | null;
  line: number;
  supersededById: number | null;
  removedAt: string | null;
  createdAt: string;
}

interface DecisionRow {
  id: number;
  meeting_id: number;
  text: string;
  topic: string | null;
  line: number;
  superseded_by_id: number | null;
  removed_at: string | null;
  created_at: string;
}

/**
 * The register's filters; the full-text one goes through the decision rows of `search_fts`:
 * FTS5's MATCH on SQLite, the schema's `search_query()` (which reads the same FTS5 query text)
 * over the tsvector column on PostgreSQL.
 */
const registerWhere = (dialect: Dialect): string => `d.removed_at IS NULL
  AND (CAST(@series AS TEXT) IS NULL OR s.slug = @series)
  AND (CAST(@from AS TEXT) IS NULL OR m.date >= @from) AND (CAST(@to AS TEXT) IS NULL OR m.date <= @to)
  AND (CAST(@match AS TEXT) IS NULL OR d.id IN (SELECT ref_id FROM search_fts WHERE ${
    dialect === 'sqlite' ? 'search_fts MATCH @match' : 'tsv @@ search_query(@match)'
  } AND kind = 'decision'))`;

const toDecision = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  text: r.text,
  topic: r.topic,
  line: r.line,
  supersededById: r.superseded_by_id,
  removedAt: r.removed_at,
  createdAt: r.created_at,
});

/** One row of the decision register: a decision with its meeting and series. */
export interface RegisterRow {
  id: number;
  text: string;
  topic: string | null;
  line: number;
  supersededById: number | null;
  meetingId: number;
  meetingDate: string;
  meetingTitle: string | null;
  seriesSlug: string;
  seriesName: string;
}

/** Filters of the register; `match` is an already-escaped FTS5 query (toFtsQuery). */
export interface RegisterFilter {
  series: string | null;
  from: string | null;
  to: string | null;
  match: string | null;
}

/** All SQL over `decisions`. */
export class DecisionRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      byMeeting: db.prepare<[number], DecisionRow>(
        'SELECT * FROM decisions WHERE meeting_id = ? AND removed_at IS NULL ORDER BY line, id',
      ),
      insert: db.prepare(
        'INSERT INTO decisions (meeting_id, text, topic, line, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
      ),
      update: db.prepare('UPDATE decisions SET topic = ?, line = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM decisions WHERE id = ?'),
      register: db.prepare<Record<string, unknown>, RegisterRow>(
        `SELECT d.id, d.text, d.topic, d.line, d.superseded_by_id AS supersededById, d.meeting_id AS meetingId,
           m.date AS meetingDate, m.title AS meetingTitle, s.slug AS seriesSlug, s.name AS seriesName
         FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN series s ON s.id = m.series_id
         WHERE ${registerWhere(db.dialect)}
           AND (CAST(@afterDate AS TEXT) IS NULL OR m.date < @afterDate OR (m.date = @afterDate AND d.id < @afterId))
         ORDER BY m.date DESC, d.id DESC LIMIT @limit`,
      ),
      registerCount: db.prepare<Record<string, unknown>, { n: number }>(
        `SELECT COUNT(*) AS n FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN series s ON s.id = m.series_id
         WHERE ${registerWhere(db.dialect)}`,
      ),
    };
  }

  async listByMeeting(meetingId: number): Promise<DecisionRecord[]> {
    return (await this.s.byMeeting.all(meetingId)).map(toDecision);
  }

  async insert(meetingId: number, d: { text: string; topic: string | null; line: number }, now: string): Promise<number> {
    return ((await this.s.insert.get(meetingId, d.text, d.topic, d.line, now)) as { id: number }).id;
  }

  async move(id: number, topic: string | null, line: number): Promise<void> {
    await this.s.update.run(topic, line, id);
  }

  async delete(id: number): Promise<void> {
    await this.s.delete.run(id);
  }

  /**
   * The register: current decisions newest meeting first (then newest decision), after the
   * keyset position `after` (the last row of the previous page), at most `limit` rows.
   */
  async register(f: RegisterFilter, after: { date: string; id: number } | null, limit: number): Promise<RegisterRow[]> {
    return await readPlannedForValues(this.db, () => this.s.register.all({ ...f, afterDate: after?.date ?? null, afterId: after?.id ?? null, limit }), !!f.match);
  }

  /** How many decisions the filters select (all pages). */
  async registerCount(f: RegisterFilter): Promise<number> {
    return (await readPlannedForValues(this.db, () => this.s.registerCount.get({ ...f }), !!f.match))!.n;
  }

}
