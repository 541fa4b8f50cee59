import { availableParallelism } from 'node:os';
import { SqliteDatabase } from './db/sqlite-database.js';
import type { Server } from 'node:http';
import { loadConfig, type Config } from './config.js';
import type { Db } from './db/connection.js';
import { openConfiguredDatabase } from './db/open.js';
import { createServices, recordServedBaseUrl, type Services } from './container.js';
import { createApp, type AppOptions } from './app.js';
import { startMailJobs } from './jobs/mail-jobs.js';
import { AppError } from './errors.js';

export interface RunningServer {
  server: Server;
  url: string;
  services: Services;
  /**
   * Set on a first start (no admin yet): a one-time URL that signs in as the first admin.
   * Printed once by `minutes serve`; never logged elsewhere.
   */
  bootstrapUrl: string | null;
  close(): Promise<void>;
}

/**
 * Refreshes the query planner's statistics (`PRAGMA optimize`, analysing every table on
 * start). Without them SQLite guesses that `status = 'open'` is selective and scans every
 * open action to find one owner's; with them it starts from the owner's index (8x faster on
 * 100,000 actions). Cheap when nothing changed much, so it also runs every few hours.
 * The server also gets a 64 MB page cache (SQLite's default is 2 MB): list pages read
 * action bodies scattered over the file, and re-reading them from the OS costs ~15% of a
 * listing on 100,000 actions. Memory is taken as pages are read, so a small database stays small.
 * With `readers`, reads made outside transactions go to that many reader threads, each with its
 * own connection and page cache (`SqliteDatabase.useReaders`).
 */
export function tuneDatabase(db: Db, atStart = true, readers = 0): void {
  if (!(db instanceof SqliteDatabase)) return;
  db.handle.pragma(atStart ? 'optimize=0x10002' : 'optimize');
  if (!atStart) return;
  db.handle.pragma(PAGE_CACHE);
  db.useReaders(readers, [PAGE_CACHE, 'query_only = ON']);
}

const PAGE_CACHE = 'cache_size = -65536';

/**
 * Reader threads for the server's SQLite database (`MINUTES_DB_READERS`): by default one per
 * core beyond the first, at most 4; none on one core, where a thread would only add hand-offs.
 */
export function readerThreads(config: Pick<Config, 'dbReaders'>): number {
  return config.dbReaders ?? Math.min(4, availableParallelism() - 1);
}

/**
 * Entry of `minutes serve`: config -> open db -> migrate -> createApp -> listen, plus the
 * background jobs (mail jobs: reminder schedule, outbox flush, reply listener). `close()` stops jobs, stops accepting, lets running requests finish
 * (idle keep-alive sockets are closed at once, busy ones after 5 s), then closes the database.
 */
export async function startServer(
  config: Config = loadConfig(),
  opts: { app?: AppOptions } = {},
): Promise<RunningServer> {
  const db = await openConfiguredDatabase(config);
  tuneDatabase(db, true, readerThreads(config));
  const services = createServices({ db, config });
  await services.outbox.sealStored();
  // Housekeeping every 6 hours: planner statistics, expired sessions.
  const tuner = setInterval(() => {
    tuneDatabase(db, false);
    services.sessions.purgeExpired().catch((err: unknown) => console.error('purging expired sessions failed:', err));
  }, 6 * 3_600_000);
  tuner.unref();
  const app = createApp(services, opts.app);
  // Express 5 hands a listen error (port taken) to the callback: then nothing else starts.
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  }).catch(async (err: NodeJS.ErrnoException) => {
    clearInterval(tuner);
    await db.close();
    if (err.code === 'EADDRINUSE') throw new AppError('port-in-use', `port ${config.port} on ${config.host} is already in use; stop the other server or set PORT`, 503);
    if (err.code === 'EACCES') throw new AppError('port-denied', `not allowed to listen on port ${config.port} on ${config.host}; choose a PORT above 1023`, 503);
    throw err;
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
  // What `minutes remind` and `agenda --send` put in links when MINUTES_BASE_URL is not set.
  await recordServedBaseUrl(db, config.baseUrlSet ? config.baseUrl : url);
  // Reminder schedule, outbox flush loop, reply listener.
  const mailJobs = await startMailJobs(services).catch(async (err: unknown) => {
    server.close();
    await db.close();
    throw err;
  });
  const bootstrapUrl = await services.auth.bootstrapLink();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(tuner);
      await mailJobs.stop();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await done;
      clearTimeout(force);
      await db.close();
    })());
  return { server, url, services, bootstrapUrl, close };
}
