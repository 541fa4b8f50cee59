import type { Db } from '../connection.js';

export type ReviewKind = 'suggestion' | 'date';
export type ReviewStatus = 'open' | 'accepted' | 'dismissed' | 'gone';

export interface ReviewItemRecord {
  id: number;
  meetingId: number;
  meetingDate: string;
  meetingTitle: string | null;
  seriesSlug: string;
  kind: ReviewKind;
  key: string;
  data: Record<string, unknown>;
  status: ReviewStatus;
  resolvedBy: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

/** One item an import found: `key` is its identity within the meeting and kind. */
export interface ReviewItemInput {
  kind: ReviewKind;
  key: string;
  data: Record<string, unknown>;
  /** Already accepted (a suggestion promoted on the upload preview). */
  accepted?: boolean;
  /** Already dismissed (a suggestion dropped by a correction). */
  dismissed?: boolean;
}

interface Row {
  id: number;
  meeting_id: number;
  meeting_date: string;
  meeting_title: string | null;
  series_slug: string;
  kind: ReviewKind;
  item_key: string;
  data: string;
  status: ReviewStatus;
  resolved_by: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

const toItem = (r: Row): ReviewItemRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  meetingDate: r.meeting_date,
  meetingTitle: r.meeting_title,
  seriesSlug: r.series_slug,
  kind: r.kind,
  key: r.item_key,
  data: JSON.parse(r.data) as Record<string, unknown>,
  status: r.status,
  resolvedBy: r.resolved_by,
  result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const SELECT = `SELECT i.*, m.date AS meeting_date, m.title AS meeting_title, s.slug AS series_slug
  FROM review_items i JOIN meetings m ON m.id = i.meeting_id JOIN series s ON s.id = m.series_id`;

/** All SQL over `review_items` (the review queue). */
export class ReviewRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO review_items (meeting_id, kind, item_key, data, status, created_at, updated_at)
         VALUES (@meetingId, @kind, @key, @data, 'open', @now, @now)
         ON CONFLICT (meeting_id, kind, item_key) DO UPDATE SET data = excluded.data,
           status = CASE WHEN review_items.status = 'gone' THEN 'open' ELSE review_items.status END,
           updated_at = CASE WHEN review_items.status = 'gone' OR review_items.data <> excluded.data THEN excluded.updated_at ELSE review_items.updated_at END`,
      ),
      acceptIfOpen: db.prepare(
        `UPDATE review_items SET status = 'accepted', resolved_by = 'upload', updated_at = @now
         WHERE meeting_id = @meetingId AND kind = @kind AND item_key = @key AND status IN ('open', 'gone')`,
      ),
      keysWithStatus: db.prepare<[number, string, string], { item_key: string }>(
        `SELECT item_key FROM review_items WHERE meeting_id = ? AND kind = ? AND status = ?`,
      ),
      dismissIfOpen: db.prepare(
        `UPDATE review_items SET status = 'dismissed', resolved_by = 'upload', updated_at = @now
         WHERE meeting_id = @meetingId AND kind = @kind AND item_key = @key AND status IN ('open', 'gone')`,
      ),
      openOf: db.prepare<[number], { id: number; kind: ReviewKind; item_key: string }>(
        `SELECT id, kind, item_key FROM review_items WHERE meeting_id = ? AND status = 'open'`,
      ),
      gone: db.prepare(`UPDATE review_items SET status = 'gone', updated_at = ? WHERE id = ?`),
      list: db.prepare<{ status: string; limit: number }, Row>(`${SELECT} WHERE i.status = @status ORDER BY i.id LIMIT @limit`),
      count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM review_items WHERE status = 'open'`),
      get: db.prepare<[number], Row>(`${SELECT} WHERE i.id = ?`),
      resolve: db.prepare(
        `UPDATE review_items SET status = @status, resolved_by = @by, result = @result, updated_at = @now WHERE id = @id`,
      ),
      dismissSuggestions: db.prepare(
        `UPDATE review_items SET status = 'dismissed', resolved_by = @by, updated_at = @now
         WHERE meeting_id = @meetingId AND kind = 'suggestion' AND status = 'open'`,
      ),
      closeKind: db.prepare(
        `UPDATE review_items SET status = 'accepted', resolved_by = @by, updated_at = @now WHERE meeting_id = @meetingId AND kind = @kind AND status = 'open'`,
      ),
    };
  }

  /**
   * Makes the open items of a meeting the ones its current revision gives: new ones are added,
   * ones the text no longer holds are set aside (`gone`), accepted and dismissed ones stay so.
   * Run inside the import's transaction.
   */
  async sync(meetingId: number, items: ReviewItemInput[], now: string): Promise<void> {
    const keep = new Set(items.map((i) => `${i.kind}\u0000${i.key}`));
    for (const i of items) {
      await this.s.upsert.run({ meetingId, kind: i.kind, key: i.key, data: JSON.stringify(i.data), now });
      if (i.accepted) await this.s.acceptIfOpen.run({ meetingId, kind: i.kind, key: i.key, now });
      else if (i.dismissed) await this.s.dismissIfOpen.run({ meetingId, kind: i.kind, key: i.key, now });
    }
    for (const o of await this.s.openOf.all(meetingId)) if (!keep.has(`${o.kind}\u0000${o.item_key}`)) await this.s.gone.run(now, o.id);
  }

  /** Dismisses every open suggestion of a meeting; returns how many. */
  async dismissSuggestions(meetingId: number, by: string, now: string): Promise<number> {
    return (await this.s.dismissSuggestions.run({ meetingId, by, now })).changes;
  }

  /** Keys of a meeting's items of one kind in one state (accepted: promoted; dismissed: dropped). */
  async keysWithStatus(meetingId: number, kind: ReviewKind, status: ReviewStatus): Promise<Set<string>> {
    return new Set((await this.s.keysWithStatus.all(meetingId, kind, status)).map((r) => r.item_key));
  }

  /** Oldest first. */
  async list(status: ReviewStatus = 'open', limit = 1000): Promise<ReviewItemRecord[]> {
    return (await this.s.list.all({ status, limit })).map(toItem);
  }

  async countOpen(): Promise<number> {
    return (await this.s.count.get())!.n;
  }

  async get(id: number): Promise<ReviewItemRecord | undefined> {
    const r = await this.s.get.get(id);
    return r && toItem(r);
  }

  async resolve(id: number, status: 'accepted' | 'dismissed', by: string, result: Record<string, unknown> | null, now: string): Promise<void> {
    await this.s.resolve.run({ id, status, by, result: result ? JSON.stringify(result) : null, now });
  }

  /** Marks a meeting's open items of one kind accepted (a day confirmed another way). */
  async acceptAll(meetingId: number, kind: ReviewKind, by: string, now: string): Promise<void> {
    await this.s.closeKind.run({ meetingId, kind, by, now });
  }
}
