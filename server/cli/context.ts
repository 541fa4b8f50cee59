import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Db } from '../db/connection.js';
import { createServices, type Services } from '../container.js';
import type { Clock } from '../clock.js';

export interface GlobalOptions {
  dataDir?: string;
}

export interface CliContext {
  config: Config;
  db: Db;
  services: Services;
  close(): void;
}

/** Config, database (migrated) and services for one CLI command. */
export function openContext(opts: GlobalOptions, clock?: Clock): CliContext {
  const config = loadConfig(undefined, { dataDir: opts.dataDir });
  const db = openDatabase(config.dbFile);
  const services = createServices({ db, config, clock });
  return { config, db, services, close: () => db.close() };
}

/** Runs `fn` with an open context and always closes the database. */
export async function withContext<T>(
  opts: GlobalOptions,
  fn: (ctx: CliContext) => T | Promise<T>,
  clock?: Clock,
): Promise<T> {
  const ctx = openContext(opts, clock);
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}

/** Prints machine output. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
