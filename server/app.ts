import express from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import type { Services } from './container.js';
import { errorHandler, MAX_UPLOAD_BYTES, notFoundHandler } from './http/error-middleware.js';
import { loadUser, verifyCsrf } from './http/auth-middleware.js';
import { assetsDir } from './http/render.js';
import { authRoutes } from './http/auth-routes.js';
import { actionApiRoutes } from './http/action-api-routes.js';
import { feedRoutes } from './http/feed-routes.js';
import type { ResponseCache } from './http/response-cache.js';
import { peopleApiRoutes } from './http/people-api-routes.js';
import { searchApiRoutes } from './http/search-api-routes.js';
import { dashboardPageRoutes } from './http/dashboard-page-routes.js';
import { actionPageRoutes } from './http/action-page-routes.js';
import { peoplePageRoutes } from './http/people-page-routes.js';
import { reviewRoutes } from './http/review-routes.js';
import { searchPageRoutes } from './http/search-page-routes.js';
import { meetingApiRoutes } from './http/meeting-api-routes.js';
import { meetingPageRoutes } from './http/meeting-page-routes.js';
import { uploadPageRoutes } from './http/upload-page-routes.js';
import { agendaRoutes } from './http/agenda-routes.js';
import { actRoutes } from './http/act-routes.js';
import { devMailRoutes } from './http/dev-mail-routes.js';
import { outboxRoutes } from './http/outbox-routes.js';
import { decisionRoutes } from './http/decision-routes.js';
import { seriesRoutes } from './http/series-routes.js';

export interface AppOptions {
  /** Sign-in requests allowed per IP per 15 minutes (tests raise it). */
  signInLimit?: number;
  /** Sign-in links asked per target address per 15 minutes, from any IP (default 5). */
  signInAddressLimit?: number;
  /** Answer hot API lists from a cache while the database is unchanged (default true; or the cache to use). */
  responseCache?: boolean | ResponseCache;
}

/**
 * Builds the Express app over the services. Does not listen (server/index.ts does).
 *
 * Mounting pattern: every router is `xxxRoutes(deps): Router`, where `deps` holds only the
 * services that router uses (never the database), mounted below between the shared
 * middleware (auth, body parsing, CSRF) and the 404/error handlers. Page handlers call
 * `renderPage(res, 'name', data)`; guard routes with `requireRole('member'|'notetaker'|'admin')`.
 */
export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  /** The named services only: what a router or middleware is handed. */
  const only = <K extends keyof Services>(...keys: K[]): Pick<Services, K> =>
    Object.fromEntries(keys.map((k) => [k, services[k]])) as Pick<Services, K>;
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const https = services.config.baseUrl.startsWith('https:');
  // Cookies (session, CSRF seed, flash) carry `Secure` when the site is served over https.
  app.set('secureCookies', https);
  // Our own script and style only; minutes are sanitised HTML, so nothing inline is needed.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      strictTransportSecurity: https,
    }),
  );
  app.use('/assets', express.static(assetsDir, { maxAge: '1h', fallthrough: false, index: false }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.use(cookieParser(services.config.secret));
  app.use(loadUser(only('config', 'sessions', 'auth', 'tokens')));
  // Bodies: JSON for the API, urlencoded forms for pages, each capped at 2 MB. Multipart is
  // read only by the routes that take files (POST /upload, POST /api/meetings), after the
  // role check, within the limits of http/upload-input.ts; no other route parses it.
  app.use('/api', express.json({ limit: MAX_UPLOAD_BYTES }));
  app.use(express.urlencoded({ extended: false, limit: MAX_UPLOAD_BYTES, parameterLimit: 5000 }));
  app.use(verifyCsrf(only('auth')));
  app.use((req, res, next) => {
    res.locals.devMail = !services.config.smtpUrl;
    next();
  });

  app.use(authRoutes(only('auth', 'config', 'emailTemplates', 'outbox', 'tokens', 'rateLimits'), { signInLimit: options.signInLimit, signInAddressLimit: options.signInAddressLimit ?? (options.signInLimit && options.signInLimit > 10 ? options.signInLimit : undefined) }));
  app.use(meetingApiRoutes(only('imports', 'outbox', 'search', 'minutesRenderer')));
  app.use(actionApiRoutes(only('actions', 'clock', 'dataVersion', 'config'), options.responseCache === false ? null : options.responseCache === true ? undefined : options.responseCache));
  app.use(peopleApiRoutes(only('people', 'auth', 'actions')));
  app.use(searchApiRoutes(only('search')));
  app.use(reviewRoutes(only('review')));
  app.use(dashboardPageRoutes(only('actions', 'outbox', 'reminders', 'people', 'review')));
  app.use(actionPageRoutes(only('actions', 'people', 'series')));
  app.use(peoplePageRoutes(only('people', 'auth', 'actions', 'dueFeeds')));
  app.use(searchPageRoutes(only('search')));
  app.use(meetingPageRoutes(only('search', 'series', 'minutesRenderer')));
  app.use(uploadPageRoutes(only('imports', 'outbox', 'people', 'series', 'auth', 'minutesRenderer')));
  app.use(agendaRoutes(only('agenda', 'skeleton', 'calendar')));
  app.use(actRoutes(only('replies')));
  app.use(devMailRoutes(only('mailer', 'emailTemplates', 'config')));
  app.use(outboxRoutes(only('outbox')));
  app.use(decisionRoutes(only('decisions', 'series')));
  app.use(seriesRoutes(only('series', 'people')));
  app.use(feedRoutes(only('dueFeeds', 'people')));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
