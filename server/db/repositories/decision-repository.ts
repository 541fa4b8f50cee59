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
