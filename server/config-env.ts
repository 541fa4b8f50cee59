import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

// The part of the configuration that needs no schema library: the defaults, turning checked
// variables into a `Config`, the data folder and its secret. The schema itself (zod) is in
// config.ts; a CLI command that only reads the database loads this file alone when nothing in
// the environment needs the schema's checks (see `loadConfigWithoutSchema`).

/** Shortest `MINUTES_SECRET` accepted: it signs sessions and links and keys the outbox encryption. */
export const MIN_SECRET_LENGTH = 32;

/** The defaults of DESIGN.md's configuration table; the schema in config.ts uses these. */
export const ENV_DEFAULTS = {
  MINUTES_DATA_DIR: './data',
  PORT: 3000,
  HOST: '127.0.0.1',
  MAIL_FROM: 'Minutes <minutes@localhost>',
  REMIND_CRON: '0 9 * * 1-5',
  REMIND_AFTER_DAYS: 2,
  REMIND_EVERY_DAYS: 7,
  ESCALATE_AFTER: 3,
} as const;

/** Every variable the schema reads (a test checks this against the schema's keys). */
export const ENV_VARIABLES = [
  'MINUTES_DATA_DIR',
  'PORT',
  'HOST',
  'MINUTES_BASE_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'MINUTES_SECRET',
  'REMIND_CRON',
  'REMIND_AFTER_DAYS',
  'REMIND_EVERY_DAYS',
  'ESCALATE_AFTER',
  'INBOUND_SMTP_PORT',
  'DATABASE_URL',
  'MINUTES_DB_READERS',
] as const;

/**
 * Variables whose whole check is "a non-empty string" (`z.string().min(1)` in the schema),
 * which `cleanEnv` already ensures: any value they have is valid as it is.
 */
const PLAIN_VARIABLES: ReadonlySet<string> = new Set(['MINUTES_DATA_DIR', 'HOST', 'REMIND_CRON']);

/** The environment after the schema's checks and defaults. */
export interface CheckedEnv {
  MINUTES_DATA_DIR: string;
  PORT: number;
  HOST: string;
  MINUTES_BASE_URL?: string;
  SMTP_URL?: string;
  MAIL_FROM: string;
  MINUTES_SECRET?: string;
  REMIND_CRON: string;
  REMIND_AFTER_DAYS: number;
  REMIND_EVERY_DAYS: number;
  ESCALATE_AFTER: number;
  INBOUND_SMTP_PORT?: number;
  DATABASE_URL?: string;
  MINUTES_DB_READERS?: number;
}

export interface Config {
  dataDir: string;
  /** `DATABASE_URL` (postgres://…): PostgreSQL instead of the SQLite file `dbFile`. */
  databaseUrl: string | null;
  dbFile: string;
  outboxDir: string;
  port: number;
  host: string;
  baseUrl: string;
  /** True when `MINUTES_BASE_URL` was given (false: derived from PORT). */
  baseUrlSet?: boolean;
  smtpUrl?: string;
  mailFrom: string;
  secret: string;
  remindCron: string;
  remindAfterDays: number;
  remindEveryDays: number;
  escalateAfter: number;
  inboundSmtpPort?: number;
  /** `MINUTES_DB_READERS`: the server's SQLite reader threads; unset, one per core beyond the first (at most 4). */
  dbReaders?: number;
}

/** `process.env`, after reading `.env` in the working folder when there is one. */
export function readEnv(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** The variables as the schema sees them: empty strings mean unset; an empty secret is refused. */
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  // An explicitly empty secret is a mistake (an unset variable expanded), not "generate one".
  if (env.MINUTES_SECRET !== undefined && env.MINUTES_SECRET.trim() === '') {
    throw new Error(
      `invalid configuration: MINUTES_SECRET is set but empty; give it at least ${MIN_SECRET_LENGTH} characters, or unset it to use a secret generated in the data folder`,
    );
  }
  // Empty strings in .env mean "unset", as in most dotenv tools.
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/**
 * The checked environment when no variable needs the schema (each one set is a plain non-empty
 * string, the rest take their defaults), else null: the caller then runs the schema
 * (`loadConfig` in config.ts). Same result as the schema for the environments it accepts.
 */
function checkedWithoutSchema(cleaned: Record<string, string>): CheckedEnv | null {
  for (const name of ENV_VARIABLES) if (cleaned[name] !== undefined && !PLAIN_VARIABLES.has(name)) return null;
  return {
    ...ENV_DEFAULTS,
    MINUTES_DATA_DIR: cleaned.MINUTES_DATA_DIR ?? ENV_DEFAULTS.MINUTES_DATA_DIR,
    HOST: cleaned.HOST ?? ENV_DEFAULTS.HOST,
    REMIND_CRON: cleaned.REMIND_CRON ?? ENV_DEFAULTS.REMIND_CRON,
  };
}

/**
 * `loadConfig` without loading the schema library, for CLI commands where start-up time
 * counts; null when the environment sets a variable that needs the schema's checks.
 */
export function loadConfigWithoutSchema(env: NodeJS.ProcessEnv, overrides: { dataDir?: string } = {}): Config | null {
  const checked = checkedWithoutSchema(cleanEnv(env));
  return checked && configFrom(checked, overrides);
}

/**
 * The configuration of a checked environment. `overrides.dataDir` wins over `MINUTES_DATA_DIR`
 * (the CLI's `--data-dir`). Creates the data folder and, when `MINUTES_SECRET` is unset, a
 * secret file in it (mode 0600).
 */
export function configFrom(e: CheckedEnv, overrides: { dataDir?: string } = {}): Config {
  // Every instance on one PostgreSQL database must sign and check the same sessions, links and
  // CSRF tokens and open the same sealed outbox rows: a secret file in each machine's data
  // folder would differ from instance to instance.
  if (e.DATABASE_URL !== undefined && e.MINUTES_SECRET === undefined) {
    throw new Error(
      'invalid configuration: MINUTES_SECRET must be set when DATABASE_URL is (every instance and command on the database needs the same secret; e.g. `openssl rand -hex 32`)',
    );
  }
  const dataDir = resolve(overrides.dataDir ?? e.MINUTES_DATA_DIR);
  // Owner-only: the folder holds the database, the secret and (in development) captured mail.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tightenDataDir(dataDir);
  return {
    dataDir,
    dbFile: join(dataDir, 'minutes.db'),
    outboxDir: join(dataDir, 'outbox'),
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.MINUTES_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    baseUrlSet: e.MINUTES_BASE_URL !== undefined,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secret: e.MINUTES_SECRET ?? secretFromDataDir(dataDir),
    remindCron: e.REMIND_CRON,
    remindAfterDays: e.REMIND_AFTER_DAYS,
    remindEveryDays: e.REMIND_EVERY_DAYS,
    escalateAfter: e.ESCALATE_AFTER,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    dbReaders: e.MINUTES_DB_READERS,
  };
}

/**
 * The secret kept in `<data>/secret` when `MINUTES_SECRET` is unset. Created atomically: the
 * value is written and synced to a private temporary file (0600), then `link()`ed to its name,
 * which fails when another process got there first; so a reader finds either no file or a
 * whole one, never an empty or partial one. A file that is nevertheless too short (a copy
 * made by an older version's race, a truncated restore) is re-read briefly, then refused.
 */
export function secretFromDataDir(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (!existsSync(file)) {
    const secret = randomBytes(32).toString('hex');
    const tmp = join(dataDir, `.secret-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, secret + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
      return secret;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another process created it first: use theirs.
    } finally {
      unlinkSync(tmp);
    }
  }
  const deadline = Date.now() + 2000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= MIN_SECRET_LENGTH) return secret;
    if (Date.now() > deadline) {
      throw new Error(
        `invalid secret file ${file}: ${secret.length === 0 ? 'it is empty' : `it holds ${secret.length} characters`}, at least ${MIN_SECRET_LENGTH} are needed; delete it to have a new one generated (everyone will have to sign in again) or set MINUTES_SECRET`,
      );
    }
    Atomics.wait(pause, 0, 0, 50);
  }
}

/** What the data folder holds of ours: a folder holding only these may be made owner-only. */
const OWN_ENTRY = /^(\.gitkeep|minutes\.db(-wal|-shm|-journal)?|secret(\..*)?|outbox)$/;

/**
 * A data folder that already existed (`./data` comes with the repository, 0755) is made 0700,
 * but only when everything in it is ours: `MINUTES_DATA_DIR=/srv/shared` must never take a
 * shared folder away from its other users (the files inside are 0600 either way).
 */
function tightenDataDir(dir: string): void {
  try {
    if ((statSync(dir).mode & 0o077) === 0) return;
    if (readdirSync(dir).every((name) => OWN_ENTRY.test(name))) chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (another owner, a read-only mount): the files inside stay 0600.
  }
}
