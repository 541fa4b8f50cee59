import type { Clock } from '../clock.js';
import type { Db } from '../db/connection.js';
import { PeopleRepository } from '../db/repositories/people-repository.js';
import { SeriesRepository } from '../db/repositories/series-repository.js';
import { MeetingRepository } from '../db/repositories/meeting-repository.js';
import { ActionRepository } from '../db/repositories/action-repository.js';
import { DecisionRepository } from '../db/repositories/decision-repository.js';
import { TopicRepository } from '../db/repositories/topic-repository.js';
import { AttendanceRepository } from '../db/repositories/attendance-repository.js';
import { PeopleService } from './people/people-service.js';
import { SeriesService } from './series/series-service.js';
import { ActionService } from './actions/action-service.js';
import { ImportService } from './meetings/import-service.js';

/**
 * The storage side of `createServices`: repositories (each preparing its statements once)
 * and the people, series, actions, meetings and import services built over them.
 */
export function createStorageServices({ db, clock }: { db: Db; clock: Clock }) {
  const repos = {
    people: new PeopleRepository(db),
    series: new SeriesRepository(db),
    meetings: new MeetingRepository(db),
    actions: new ActionRepository(db),
    decisions: new DecisionRepository(db),
    topics: new TopicRepository(db),
    attendance: new AttendanceRepository(db),
  };
  const people = new PeopleService(db, repos.people, clock);
  const series = new SeriesService(db, repos.series, repos.people, clock);
  const actions = new ActionService(db, repos.actions, repos.people, repos.series, clock);
  const imports = new ImportService(db, repos, series, clock);
  return { repos, people, series, actions, imports };
}

export type StorageServices = ReturnType<typeof createStorageServices>;
