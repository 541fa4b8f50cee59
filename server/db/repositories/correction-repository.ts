import type { Db } from '../connection.js';

/** What a stored correction changes of its item. */
export interface StoredCorrectionValues {
  owners?: string[];
  due?: string | null;
  text?: string;
  drop?: boolean;
}

/** One correction kept on top of a meeting's minutes (see migration 0110). */
export interface StoredCorrection {
  id: number;
  meetingId: number;
  kind: 'action' | 'decision';
  /** The item's extracted text, folded: its identity across revisions. */
  key: string;
  /** The item's extracted text as the parser gave it. */
  itemText: string;
  /** What the parser gave for the corrected fields when the correction was made. */
  extracted: { owners?: string[]; due?: string | null };
  correction: StoredCorrectionValues;
  actionId: number | null;
  createdBy: string | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewStoredCorrection {
  meetingId: number;
  kind: 'action' | 'decision';
  key: string;
  itemText: string;
  extracted: StoredCorrection['extracted'];
  correction: StoredCorrectionValues;
  actionId: number | null;
  createdBy: string | null;
  source: string;
}

interface Row {
  id: number;
  meeting_id: number;
  kind: 'action' | 'decision';
  item_key: string;
  item_text: string;
  extracted: string;
  correction: string;
  action_id: number | null;
  created_by: string | null;
  source: string;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: Row): StoredCorrection => ({
  id: r.id,
  meetingId: r.meeting_id,
  kind: r.kind,
  key: r.item_key,
  itemText: r.item_text,
  extracted: JSON.parse(r.extracted) as StoredCorrection['extracted'],
  correction: JSON.parse(r.correction) as StoredCorrectionValues,
  actionId: r.action_id,
  createdBy: r.created_by,
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** All SQL over `import_corrections`. */
export class CorrectionRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byMeeting: db.prepare<[number], Row>(`SELECT * FROM import_corrections WHERE meeting_id = ? ORDER BY id`),
      byAction: db.prepare<[number], Row>(`SELECT * FROM import_corrections WHERE action_id = ? ORDER BY id DESC LIMIT 1`),
      upsert: db.prepare(
        `INSERT INTO import_corrections (meeting_id, kind, item_key, item_text, extracted, correction, action_id, created_by, source, created_at, updated_at)
         VALUES (@meetingId, @kind, @key, @itemText, @extracted, @correction, @actionId, @createdBy, @source, @now, @now)
         ON CONFLICT (meeting_id, kind, item_key) DO UPDATE SET item_text = excluded.item_text, extracted = excluded.extracted,
           correction = excluded.correction, action_id = COALESCE(excluded.action_id, import_corrections.action_id),
           created_by = excluded.created_by, source = excluded.source, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare(`DELETE FROM import_corrections WHERE id = ?`),
    };
  }

  async listByMeeting(meetingId: number): Promise<StoredCorrection[]> {
    return (await this.s.byMeeting.all(meetingId)).map(toRecord);
  }

  /** The correction kept for a stored action, if any. */
  async forAction(actionId: number): Promise<StoredCorrection | undefined> {
    const r = await this.s.byAction.get(actionId);
    return r && toRecord(r);
  }

  /** Stores a correction, replacing the one of the same meeting, kind and item. */
  async save(c: NewStoredCorrection, now: string): Promise<void> {
    await this.s.upsert.run({
      ...c,
      extracted: JSON.stringify(c.extracted),
      correction: JSON.stringify(c.correction),
      now,
    });
  }

  async remove(id: number): Promise<void> {
    await this.s.remove.run(id);
  }
}
