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
import { createHeldReplyRepository } from './db/repositories/held-reply-repository.js';
import { createSettingsRepository } from './db/repositories/settings-repository.js';
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
import { createRateLimitRepository } from './db/repositories/rate-limit-repository.js';
import { createRateLimitStores } from './services/auth/rate-limit-store.js';
import { createCoreServices } from './container-core.js';
import { PeopleService } from './services/people/people-service.js';
import { SeriesService } from './services/series/series-service.js';
import { ImportService } from './services/meetings/import-service.js';
import { createDecisionService } from './services/decisions/decision-service.js';
import { createFeedKeyRepository } from './db/repositories/feed-key-repository.js';
import { createDueFeedService } from './services/feeds/due-feed-service.js';
import { ReviewRepository } from './db/repositories/review-repository.js';
import { ReviewService } from './services/meetings/review-service.js';
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
  const { repos, actions, dataVersion } = createCoreServices(db, clock);
  const people = new PeopleService(db, repos.people, repos.actions, clock);
  const series = new SeriesService(db, repos.series, repos.people, clock);
  // The review queue: imports write its items; the review service accepts and dismisses them.
  const reviewRepo = new ReviewRepository(db);
  const imports = new ImportService(db, repos, series, clock, reviewRepo, repos.corrections);
  const review = new ReviewService(db, reviewRepo, repos, people, clock);
  // Accounts, sessions, API tokens and search.
  const authRepo = createAuthRepository(db);
  const sessions = createSessionService({ repo: authRepo, clock });
  const auth = createAuthService({ repo: authRepo, people: repos.people, sessions, clock, secret: config.secret, baseUrl: config.baseUrl });
  const tokens = createTokenService({ repo: authRepo, clock });
  // Sign-in rate limits counted in the database, shared by every instance; real time (as
  // express-rate-limit's own store), not the app clock: they are about requests, not dates.
  const rateLimits = createRateLimitStores({ repo: createRateLimitRepository(db), clock: systemClock });
  const search = createSearchService({ repo: createSearchRepository(db) });
  const decisions = createDecisionService({ repo: repos.decisions, series: repos.series, baseUrl: config.baseUrl });
  // Mail: one mailer per process, built once from config; the outbox sends after commit.
  const mailer = createMailer(config);
  const outbox = createOutboxService({ repo: createOutboxRepository(db), mailer, clock, secret: config.secret });
  const emailTemplates = createEmailTemplateService({ dir: join(templatesDir, 'email'), baseUrl: config.baseUrl });
  const linkTokens = createLinkTokenService({ secret: config.secret, clock });
  const reminderRepo = createReminderRepository(db);
  const reminders = createReminderService({ db, repo: reminderRepo, actions: repos.actions, outbox, templates: emailTemplates, tokens: linkTokens, config, clock });
  const replies = createReplyService({
    tokens: linkTokens, reminders: reminderRepo, actions: () => actions, people: () => people, clock,
    db, held: createHeldReplyRepository(db), outbox, templates: emailTemplates, baseUrl: config.baseUrl,
  });
  // Agenda, minutes skeleton and calendar.
  const agendaRepo = createAgendaRepository(db);
  const agendaRenderer = createAgendaRenderer(templatesDir);
  const agenda = createAgendaService({ db, repo: agendaRepo, renderer: agendaRenderer, clock, baseUrl: config.baseUrl, outbox });
  const skeleton = createSkeletonService({ agenda, repo: agendaRepo, renderer: agendaRenderer });
  const calendar = createIcsService({ repo: agendaRepo, clock, baseUrl: config.baseUrl });
  // Personal calendar of due dates behind a secret URL.
  const dueFeeds = createDueFeedService({ repo: createFeedKeyRepository(db), actions, people, clock, baseUrl: config.baseUrl });
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
    review,
    sessions,
    auth,
    tokens,
    search,
    decisions,
    mailer,
    outbox,
    emailTemplates,
    linkTokens,
    reminders,
    replies,
    agenda,
    skeleton,
    calendar,
    dueFeeds,
    dataVersion,
    minutesRenderer,
    rateLimits,
  };
}

export type Services = ReturnType<typeof createServices>;

/** Where `minutes serve` records the base URL it serves (settings key). */
const SERVED_BASE_URL = 'served_base_url';

/** Records the URL the running server answers on (`minutes serve`, at start). */
export async function recordServedBaseUrl(db: Db, url: string, now = new Date()): Promise<void> {
  await createSettingsRepository(db).set(SERVED_BASE_URL, url.replace(/\/+$/, ''), now.toISOString());
}

/**
 * The base URL for links a CLI command writes into emails (`remind`, `agenda --send`): the one
 * the server recorded, unless MINUTES_BASE_URL is set; a warning when the two differ, since
 * those links would then not reach the server that is running.
 */
export async function linkBaseUrl(db: Db, config: Pick<Config, 'baseUrl' | 'baseUrlSet'>): Promise<{ baseUrl: string; warning: string | null }> {
  const served = await createSettingsRepository(db).get(SERVED_BASE_URL);
  if (!served || served === config.baseUrl) return { baseUrl: config.baseUrl, warning: null };
  if (!config.baseUrlSet) return { baseUrl: served, warning: null };
  return {
    baseUrl: config.baseUrl,
    warning: `MINUTES_BASE_URL is ${config.baseUrl} but the server last started on ${served}; links in these emails go to ${config.baseUrl}`,
  };
}
