import type { Db } from './db/connection.js';
import type { Clock } from './clock.js';
import { PeopleRepository } from './db/repositories/people-repository.js';
import { SeriesRepository } from './db/repositories/series-repository.js';
import { MeetingRepository } from './db/repositories/meeting-repository.js';
import { ActionRepository } from './db/repositories/action-repository.js';
import { ActionListRepository } from './db/repositories/action-list-repository.js';
import { DecisionRepository } from './db/repositories/decision-repository.js';
import { TopicRepository } from './db/repositories/topic-repository.js';
import { AttendanceRepository } from './db/repositories/attendance-repository.js';
import { ActionService } from './services/actions/action-service.js';
import { CorrectionRepository } from './db/repositories/correction-repository.js';
import { createDataVersion } from './db/data-version.js';

/**
 * The core of the container: the repositories and the action service. It loads nothing heavier
 * than the repositories (no mailer, renderer, cadence rules or parser), so a CLI command that
 * needs only these (`minutes actions`) pays for only these.
 * `createServices` in container.ts builds everything else on top of it.
 */
export function createCoreServices(db: Db, clock: Clock) {
  // Repositories, each preparing its statements once.
  const repos = {
    people: new PeopleRepository(db),
    series: new SeriesRepository(db),
    meetings: new MeetingRepository(db),
    actions: new ActionRepository(db),
    decisions: new DecisionRepository(db),
    topics: new TopicRepository(db),
    attendance: new AttendanceRepository(db),
    corrections: new CorrectionRepository(db),
  };
  const actionLists = new ActionListRepository(db, repos.actions);
  // The database's change counter, for caches that must not outlive a commit.
  const dataVersion = createDataVersion(db);
  const actions = new ActionService(db, repos.actions, actionLists, repos.people, repos.series, clock, repos.corrections, dataVersion);
  return { repos, actions, dataVersion };
}

export type CoreServices = ReturnType<typeof createCoreServices>;
