import type { Db } from '../connection.js';

export interface MeetingRecord {
  id: number;
  seriesId: number;
  seriesSlug: string;
  /** `YYYY-MM-DD`, or `YYYY-MM` while `datePrecision` is `month` (the day is to confirm). */
  date: string;
  datePrecision: 'day' | 'month';
  /** The month a month-only text gave (kept once a day is confirmed); null for dated minutes. */
  statedMonth: string | null;
  title: string | null;
  currentRevisionId: number | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface RevisionRecord {
  id: number;
  meetingId: number;
  revision: number;
  text: string;
  hash: string;
  filename: string | null;
  uploadedBy: string | null;
  source: string;
  createdAt: string;
}

interface MeetingRow {
  id: number;
  series_id: number;
  series_slug: string;
  date: string;
  date_precision: 'day' | 'month' | null;
  stated_month: string | null;
  title: string | null;
  current_revision_id: number | null;
  revision: number | null;
  created_at: string;
  updated_at: string;
}

interface RevisionRow {
  id: number;
  meeting_id: number;
  revision: number;
  text: string;
  hash: string;
  filename: string | null;
  uploaded_by: string | null;
  source: string;
  created_at: string;
}

const toMeeting = (r: MeetingRow): MeetingRecord => ({
  id: r.id,
  seriesId: r.series_id,
  seriesSlug: r.series_slug,
  date: r.date,
  datePrecision: r.date_precision ?? 'day',
  statedMonth: r.stated_month ?? null,
  title: r.title,
  currentRevisionId: r.current_revision_id,
  revision: r.revision ?? 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRevision = (r: RevisionRow): RevisionRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  revision: r.revision,
  text: r.text,
  hash: r.hash,
  filename: r.filename,
  uploadedBy: r.uploaded_by,
  source: r.source,
  createdAt: r.created_at,
});

const SELECT = `SELECT m.*, s.slug AS series_slug, r.revision AS revision
  FROM meetings m JOIN series s ON s.id = m.series_id
  LEFT JOIN minutes_revisions r ON r.id = m.current_revision_id`;

export interface MeetingListFilter {
  seriesId?: number;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** All SQL over `meetings` and `minutes_revisions`. */
export class MeetingRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare<[number], MeetingRow>(`${SELECT} WHERE m.id = ?`),
      bySeriesDate: db.prepare<[number, string], MeetingRow>(`${SELECT} WHERE m.series_id = ? AND m.date = ?`),
      list: db.prepare<{ seriesId: number | null; from: string | null; to: string | null; limit: number; offset: number }, MeetingRow>(
        `${SELECT} WHERE (CAST(@seriesId AS BIGINT) IS NULL OR m.series_id = @seriesId)
           AND (CAST(@from AS TEXT) IS NULL OR m.date >= @from) AND (CAST(@to AS TEXT) IS NULL OR m.date <= @to)
         ORDER BY m.date DESC, m.id DESC LIMIT @limit OFFSET @offset`,
      ),
      previous: db.prepare<[number, string], MeetingRow>(
        `${SELECT} WHERE m.series_id = ? AND m.date < ? ORDER BY m.date DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      ),
      setRevision: db.prepare(
        'UPDATE meetings SET current_revision_id = ?, title = ?, updated_at = ? WHERE id = ?',
      ),
      revisions: db.prepare<[number], RevisionRow>(
        'SELECT * FROM minutes_revisions WHERE meeting_id = ? ORDER BY revision',
      ),
      revision: db.prepare<[number], RevisionRow>('SELECT * FROM minutes_revisions WHERE id = ?'),
      revisionByHash: db.prepare<[number, string], RevisionRow>(
        'SELECT * FROM minutes_revisions WHERE meeting_id = ? AND hash = ? ORDER BY revision DESC LIMIT 1',
      ),
      insertRevision: db.prepare(
        `INSERT INTO minutes_revisions (meeting_id, revision, text, hash, filename, uploaded_by, source, created_at)
         VALUES (@meetingId, @revision, @text, @hash, @filename, @uploadedBy, @source, @now) RETURNING id`,
      ),
      // A month-only text seen before: the meeting of the series stated with that month, or one
      // dated in that month holding a revision with the same text (imported once with --date).
      byStatedMonth: db.prepare<[number, string], MeetingRow>(
        `${SELECT} WHERE m.series_id = ? AND m.stated_month = ? ORDER BY m.id LIMIT 1`,
      ),
      byHashInMonth: db.prepare<{ seriesId: number; month: string; hash: string }, MeetingRow>(
        `${SELECT} WHERE m.series_id = @seriesId AND (m.date = @month OR m.date LIKE @month || '-%')
           AND EXISTS (SELECT 1 FROM minutes_revisions x WHERE x.meeting_id = m.id AND x.hash = @hash)
         ORDER BY m.id LIMIT 1`,
      ),
      setMonthOnly: db.prepare(
        `UPDATE meetings SET date_precision = CASE WHEN date = @month THEN 'month' ELSE date_precision END,
           stated_month = @month WHERE id = @id`,
      ),
      confirmDay: db.prepare(`UPDATE meetings SET date = ?, date_precision = 'day', updated_at = ? WHERE id = ?`),
      withoutRevision: db.prepare<[], { id: number }>(
        'SELECT id FROM meetings WHERE current_revision_id IS NULL',
      ),
    };
  }

  async get(id: number): Promise<MeetingRecord | undefined> {
    const r = await this.s.get.get(id);
    return r && toMeeting(r);
  }

  async findBySeriesDate(seriesId: number, date: string): Promise<MeetingRecord | undefined> {
    const r = await this.s.bySeriesDate.get(seriesId, date);
    return r && toMeeting(r);
  }

  /** Newest first. */
  async list(f: MeetingListFilter = {}): Promise<MeetingRecord[]> {
    return (await this.s.list
      .all({
        seriesId: f.seriesId ?? null,
        from: f.from ?? null,
        to: f.to ?? null,
        limit: f.limit ?? 100,
        offset: f.offset ?? 0,
      }))
      .map(toMeeting);
  }

  /** The meeting of the same series just before `date`. */
  async previous(seriesId: number, date: string): Promise<MeetingRecord | undefined> {
    const r = await this.s.previous.get(seriesId, date);
    return r && toMeeting(r);
  }

  async insert(seriesId: number, date: string, title: string | null, now: string): Promise<number> {
    return ((await this.s.insert.get(seriesId, date, title, now, now)) as { id: number }).id;
  }

  async setCurrentRevision(meetingId: number, revisionId: number, title: string | null, now: string): Promise<void> {
    await this.s.setRevision.run(revisionId, title, now, meetingId);
  }

  async revisions(meetingId: number): Promise<RevisionRecord[]> {
    return (await this.s.revisions.all(meetingId)).map(toRevision);
  }

  async getRevision(id: number): Promise<RevisionRecord | undefined> {
    const r = await this.s.revision.get(id);
    return r && toRevision(r);
  }

  /** The newest revision of a meeting with this text hash (uses minutes_revisions_hash). */
  async findRevisionByHash(meetingId: number, hash: string): Promise<RevisionRecord | undefined> {
    const r = await this.s.revisionByHash.get(meetingId, hash);
    return r && toRevision(r);
  }

  /** A month-only minutes seen before (see the statements above), or undefined. */
  async findMonthOnly(seriesId: number, month: string, hash: string): Promise<MeetingRecord | undefined> {
    const r = await this.s.byHashInMonth.get({ seriesId, month, hash }) ?? await this.s.byStatedMonth.get(seriesId, month);
    return r && toMeeting(r);
  }

  /** Records that the meeting's text gives only `month` (and, while its date is that month, that the day is to confirm). */
  async markMonthOnly(id: number, month: string): Promise<void> {
    await this.s.setMonthOnly.run({ id, month });
  }

  /** Moves a month-only meeting to its confirmed day. */
  async confirmDay(id: number, day: string, now: string): Promise<void> {
    await this.s.confirmDay.run(day, now, id);
  }

  async insertRevision(r: Omit<RevisionRecord, 'id' | 'createdAt'>, now: string): Promise<number> {
    return ((await this.s.insertRevision.get({ ...r, now })) as { id: number }).id;
  }
}
