import type { Db } from './db/connection.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createAuthRepository } from './db/repositories/auth-repository.js';
import { createSessionService } from './services/auth/session-service.js';
import { createAuthService } from './services/auth/auth-service.js';
import { createTokenService } from './services/auth/token-service.js';
import { createSearchService } from './services/search/search-service.js';
import { createSearchRepository } from './db/repositories/search-repository.js';
import { join } from 'node:path';
import { templatesDir } from './paths.js';
import { createMailer } from './adapters/mailer.js';
import { createOutboxRepository } from './db/repositories/outbox-repository.js';
import { createOutboxService } from './services/mail/outbox-service.js';
import { createEmailTemplateService } from './services/mail/email-template-service.js';
import { createLinkTokenService } from './services/mail/link-token-service.js';
import { createReminderRepository } from './db/repositories/reminder-repository.js';
import { createReminderService } from './services/mail/reminder-service.js';
import { createReplyService } from './services/mail/reply-service.js';
import { createAgendaRepository } from './db/repositories/agenda-repository.js';
import { createAgendaRenderer } from './services/agenda/agenda-renderer.js';
import { createAgendaService } from './services/agenda/agenda-service.js';
import { createSkeletonService } from './services/agenda/skeleton-service.js';
import { createIcsService } from './services/agenda/ics-service.js';
import { createDataVersion } from './db/data-version.js';
import { createCoreServices } from './container-core.js';
import { ImportService } from './services/meetings/import-service.js';
import { createMinutesRenderer } from './adapters/minutes-renderer.js';

export interface Deps {
  db: Db;
  config: Config;
  clock?: Clock;
}

/**
 * Builds every repository and service once, passing each its dependencies. The server and
 * every CLI command go through here, so both see the same behaviour.
 */
export function createServices(deps: Deps) {
  const clock = deps.clock ?? systemClock;
  const { db, config } = deps;
  // Repositories, directory, series and actions; then imports on top.
  const { repos, people, series, actions } = createCoreServices(db, clock);
  const imports = new ImportService(db, repos, series, clock);
  // Accounts, sessions, API tokens and search.
  const authRepo = createAuthRepository(db);
  const sessions = createSessionService({ repo: authRepo, clock });
  const auth = createAuthService({ repo: authRepo, people: repos.people, sessions, clock, secret: config.secret, baseUrl: config.baseUrl });
  const tokens = createTokenService({ repo: authRepo, clock });
  const search = createSearchService({ repo: createSearchRepository(db) });
  // Mail: one mailer per process, built once from config; the outbox sends after commit.
  const mailer = createMailer(config);
  const outbox = createOutboxService({ repo: createOutboxRepository(db), mailer, clock });
  const emailTemplates = createEmailTemplateService({ dir: join(templatesDir, 'email'), baseUrl: config.baseUrl });
  const linkTokens = createLinkTokenService({ secret: config.secret, clock });
  const reminderRepo = createReminderRepository(db);
  const reminders = createReminderService({ db, repo: reminderRepo, actions: repos.actions, outbox, templates: emailTemplates, tokens: linkTokens, config, clock });
  const replies = createReplyService({ tokens: linkTokens, reminders: reminderRepo, actions: () => actions, people: () => people, clock });
  // Agenda, minutes skeleton and calendar.
  const agendaRepo = createAgendaRepository(db);
  const agendaRenderer = createAgendaRenderer(templatesDir);
  const agenda = createAgendaService({ db, repo: agendaRepo, renderer: agendaRenderer, clock, baseUrl: config.baseUrl, outbox });
  const skeleton = createSkeletonService({ agenda, repo: agendaRepo, renderer: agendaRenderer });
  const calendar = createIcsService({ repo: agendaRepo, clock, baseUrl: config.baseUrl });
  // The database's change counter, for caches that must not outlive a commit.
  const dataVersion = createDataVersion(db);
  // Minutes Markdown -> HTML in a worker thread with a time bound (pages never wait on the loop).
  const minutesRenderer = createMinutesRenderer();
  return {
    db,
    config,
    clock,
    repos,
    people,
    series,
    actions,
    imports,
    sessions,
    auth,
    tokens,
    search,
    mailer,
    outbox,
    emailTemplates,
    linkTokens,
    reminders,
    replies,
    agenda,
    skeleton,
    calendar,
    dataVersion,
    minutesRenderer,
  };
}

export type Services = ReturnType<typeof createServices>;
