import type { Db } from '../connection.js';

export interface AttendanceRecord {
  id: number;
  meetingId: number;
  personId: number | null;
  name: string;
  status: 'present' | 'absent';
  role: string | null;
  org: string | null;
  handle: string | null;
}

export type NewAttendance = Omit<AttendanceRecord, 'id' | 'meetingId'>;

interface AttendanceRow {
  id: number;
  meeting_id: number;
  person_id: number | null;
  name: string;
  status: 'present' | 'absent';
  role: string | null;
  org: string | null;
  handle: string | null;
}

const toAttendance = (r: AttendanceRow): AttendanceRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  personId: r.person_id,
  name: r.name,
  status: r.status,
  role: r.role,
  org: r.org,
  handle: r.handle,
});

/** All SQL over `attendance`. */
export class AttendanceRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byMeeting: db.prepare<[number], AttendanceRow>('SELECT * FROM attendance WHERE meeting_id = ? ORDER BY id'),
      insert: db.prepare(
        `INSERT INTO attendance (meeting_id, person_id, name, status, role, org, handle)
         VALUES (@meetingId, @personId, @name, @status, @role, @org, @handle)`,
      ),
      deleteByMeeting: db.prepare('DELETE FROM attendance WHERE meeting_id = ?'),
    };
  }

  async listByMeeting(meetingId: number): Promise<AttendanceRecord[]> {
    return (await this.s.byMeeting.all(meetingId)).map(toAttendance);
  }

  /** Replaces the attendance of a meeting with that of its newest revision. */
  async replace(meetingId: number, rows: NewAttendance[]): Promise<void> {
    await this.s.deleteByMeeting.run(meetingId);
    for (const r of rows) await this.s.insert.run({ meetingId, ...r });
  }
}
