import type { Db } from '../connection.js';

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

/** A decision with its meeting, for listings across meetings (agenda, search). */
export interface DecisionWithMeeting extends DecisionRecord {
  meetingDate: string;
  seriesSlug: string;
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
  meeting_date?: string;
  series_slug?: string;
}

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

/** All SQL over `decisions`. */
export class DecisionRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byMeeting: db.prepare<[number], DecisionRow>(
        'SELECT * FROM decisions WHERE meeting_id = ? AND removed_at IS NULL ORDER BY line, id',
      ),
      inSeries: db.prepare<{ seriesId: number; after: string | null; before: string | null }, DecisionRow>(
        `SELECT d.*, m.date AS meeting_date, s.slug AS series_slug
         FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN series s ON s.id = m.series_id
         WHERE m.series_id = @seriesId AND d.removed_at IS NULL
           AND (@after IS NULL OR m.date > @after) AND (@before IS NULL OR m.date < @before)
         ORDER BY m.date, d.line`,
      ),
      insert: db.prepare(
        'INSERT INTO decisions (meeting_id, text, topic, line, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      update: db.prepare('UPDATE decisions SET topic = ?, line = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM decisions WHERE id = ?'),
    };
  }

  listByMeeting(meetingId: number): DecisionRecord[] {
    return this.s.byMeeting.all(meetingId).map(toDecision);
  }

  /** Decisions of a series' meetings strictly between two dates (either bound optional). */
  listInSeries(seriesId: number, after?: string | null, before?: string | null): DecisionWithMeeting[] {
    return this.s.inSeries
      .all({ seriesId, after: after ?? null, before: before ?? null })
      .map((r) => ({ ...toDecision(r), meetingDate: r.meeting_date!, seriesSlug: r.series_slug! }));
  }

  insert(meetingId: number, d: { text: string; topic: string | null; line: number }, now: string): number {
    return Number(this.s.insert.run(meetingId, d.text, d.topic, d.line, now).lastInsertRowid);
  }

  move(id: number, topic: string | null, line: number): void {
    this.s.update.run(topic, line, id);
  }

  delete(id: number): void {
    this.s.delete.run(id);
  }
}
