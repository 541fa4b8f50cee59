import { AppError } from '../errors.js';
import type { MeetingRepository } from '../db/repositories/meeting-repository.js';
import type { SeriesRepository } from '../db/repositories/series-repository.js';
import type { AttendanceRepository } from '../db/repositories/attendance-repository.js';
import type { DecisionRepository } from '../db/repositories/decision-repository.js';
import type { TopicRepository } from '../db/repositories/topic-repository.js';
import type { ActionRepository } from '../db/repositories/action-repository.js';
import type { ActionService, ActionView } from './action-service.js';

export interface MeetingSummary {
  id: number;
  seriesSlug: string;
  date: string;
  title: string | null;
  revision: number;
  updatedAt: string;
}

export interface MeetingDetail extends MeetingSummary {
  minutes: { text: string; filename: string | null; uploadedBy: string | null; source: string; createdAt: string };
  revisions: { revision: number; hash: string; filename: string | null; uploadedBy: string | null; createdAt: string }[];
  attendees: { personId: number | null; name: string; status: 'present' | 'absent'; role: string | null; org: string | null }[];
  decisions: { id: number; text: string; topic: string | null; line: number }[];
  topics: { title: string; line: number; deferredTo: string | null }[];
  /** Actions this meeting created, then those it carried over or closed. */
  actions: ActionView[];
}

/** Read side of meetings: listings and one meeting with its minutes and extracted items. */
export class MeetingService {
  constructor(
    private readonly r: {
      meetings: MeetingRepository;
      series: SeriesRepository;
      attendance: AttendanceRepository;
      decisions: DecisionRepository;
      topics: TopicRepository;
      actions: ActionRepository;
    },
    private readonly actions: ActionService,
  ) {}

  /** Newest first; `series` a slug. */
  list(f: { series?: string; from?: string; to?: string; limit?: number; offset?: number } = {}): MeetingSummary[] {
    let seriesId: number | undefined;
    if (f.series) {
      const s = this.r.series.get(f.series);
      if (!s) throw new AppError('series-not-found', `series '${f.series}' does not exist`, 404);
      seriesId = s.id;
    }
    return this.r.meetings
      .list({ seriesId, from: f.from, to: f.to, limit: Math.min(f.limit ?? 100, 1000), offset: f.offset })
      .map((m) => ({ id: m.id, seriesSlug: m.seriesSlug, date: m.date, title: m.title, revision: m.revision, updatedAt: m.updatedAt }));
  }

  get(id: number): MeetingDetail {
    const m = Number.isInteger(id) ? this.r.meetings.get(id) : undefined;
    if (!m || !m.currentRevisionId) throw new AppError('meeting-not-found', `meeting ${String(id)} does not exist`, 404);
    const rev = this.r.meetings.getRevision(m.currentRevisionId)!;
    const stated = new Set<number>();
    for (const e of this.r.actions.importEventsAt(m.id)) {
      if (e.data?.unlinked) stated.delete(e.actionId);
      else stated.add(e.actionId);
    }
    const records = [...stated].map((aid) => this.r.actions.get(aid)!).filter(Boolean);
    records.sort((a, b) => Number(b.originMeetingId === m.id) - Number(a.originMeetingId === m.id) || (a.line ?? 0) - (b.line ?? 0));
    return {
      id: m.id,
      seriesSlug: m.seriesSlug,
      date: m.date,
      title: m.title,
      revision: m.revision,
      updatedAt: m.updatedAt,
      minutes: { text: rev.text, filename: rev.filename, uploadedBy: rev.uploadedBy, source: rev.source, createdAt: rev.createdAt },
      revisions: this.r.meetings.revisions(m.id).map((r) => ({
        revision: r.revision,
        hash: r.hash,
        filename: r.filename,
        uploadedBy: r.uploadedBy,
        createdAt: r.createdAt,
      })),
      attendees: this.r.attendance.listByMeeting(m.id).map((a) => ({ personId: a.personId, name: a.name, status: a.status, role: a.role, org: a.org })),
      decisions: this.r.decisions.listByMeeting(m.id).map((d) => ({ id: d.id, text: d.text, topic: d.topic, line: d.line })),
      topics: this.r.topics.listByMeeting(m.id).map((t) => ({ title: t.title, line: t.line, deferredTo: t.deferredTo })),
      actions: this.actions.views(records),
    };
  }
}
