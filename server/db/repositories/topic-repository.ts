import type { Db } from '../connection.js';

export interface TopicRecord {
  id: number;
  meetingId: number;
  title: string;
  line: number;
  deferredTo: string | null;
}

interface TopicRow {
  id: number;
  meeting_id: number;
  title: string;
  line: number;
  deferred_to: string | null;
}

const toTopic = (r: TopicRow): TopicRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  title: r.title,
  line: r.line,
  deferredTo: r.deferred_to,
});

/** All SQL over `topics`. */
export class TopicRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byMeeting: db.prepare<[number], TopicRow>('SELECT * FROM topics WHERE meeting_id = ? ORDER BY line, id'),
      insert: db.prepare('INSERT INTO topics (meeting_id, title, line, deferred_to) VALUES (?, ?, ?, ?)'),
      deleteByMeeting: db.prepare('DELETE FROM topics WHERE meeting_id = ?'),
    };
  }

  async listByMeeting(meetingId: number): Promise<TopicRecord[]> {
    return (await this.s.byMeeting.all(meetingId)).map(toTopic);
  }

  /** Replaces the topics of a meeting (they carry no identity of their own). */
  async replace(meetingId: number, topics: { title: string; line: number; deferredTo: string | null }[]): Promise<void> {
    await this.s.deleteByMeeting.run(meetingId);
    for (const t of topics) await this.s.insert.run(meetingId, t.title, t.line, t.deferredTo);
  }
}
