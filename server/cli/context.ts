import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Services } from '../container.js';
import type { Clock } from '../clock.js';
import type { ActionService } from '../services/actions/action-service.js';

// Every import here past the types is dynamic: a command pays for the config schema, the
// database and the services when it opens them, and `minutes parse` (which only prints) never does.

export interface GlobalOptions {
  dataDir?: string;
}

export interface CliContext {
  config: Config;
  db: Db;
  services: Services;
  close(): void;
}

/**
 * Config and database (migrated), nothing else. The config schema (zod, about 50 ms to load)
 * is loaded only when the environment sets a variable it has to check.
 */
async function openDb(opts: GlobalOptions): Promise<{ config: Config; db: Db }> {
  const [{ readEnv, loadConfigWithoutSchema }, { openConfiguredDatabase }] = await Promise.all([import('../config-env.js'), import('../db/open.js')]);
  const env = readEnv();
  const overrides = { dataDir: opts.dataDir };
  const config = loadConfigWithoutSchema(env, overrides) ?? (await import('../config.js')).loadConfig(env, overrides);
  return { config, db: await openConfiguredDatabase(config) };
}

/**
 * Config, database (migrated) and every service, for one CLI command. `links`: the command
 * writes links into emails, so it uses the base URL the running server recorded (see
 * `linkBaseUrl`), warning on stderr when its own MINUTES_BASE_URL differs.
 */
async function openContext(opts: GlobalOptions, clock?: Clock, use: { links?: boolean } = {}): Promise<CliContext> {
  const { createServices, linkBaseUrl } = await import('../container.js');
  const opened = await openDb(opts);
  const { db } = opened;
  let { config } = opened;
  try {
    if (use.links) {
      const { baseUrl, warning } = await linkBaseUrl(db, config);
      if (warning) process.stderr.write(`minutes: warning: ${warning}\n`);
      config = { ...config, baseUrl };
    }
    const services = createServices({ db, config, clock });
    return { config, db, services, close: () => db.close() };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Runs `fn` with an open context and always closes the database. */
export async function withContext<T>(
  opts: GlobalOptions,
  fn: (ctx: CliContext) => T | Promise<T>,
  clock?: Clock,
  use: { links?: boolean } = {},
): Promise<T> {
  const ctx = await openContext(opts, clock, use);
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}

/**
 * The action service alone, for `minutes actions`: the listing needs the core services (see
 * `container-core.ts`), not the mailer, the agenda renderer, the parser or the cadence rules
 * the full container loads.
 */
export async function withActionService<T>(opts: GlobalOptions, fn: (actions: ActionService) => T | Promise<T>): Promise<T> {
  const [{ createCoreServices }, { systemClock }] = await Promise.all([import('../container-core.js'), import('../clock.js')]);
  const { db } = await openDb(opts);
  try {
    return await fn(createCoreServices(db, systemClock).actions);
  } finally {
    await db.close();
  }
}

/** Prints machine output. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
