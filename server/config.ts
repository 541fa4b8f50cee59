import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Shortest `MINUTES_SECRET` accepted: it signs sessions and links and keys the outbox encryption. */
export const MIN_SECRET_LENGTH = 32;

const intFrom = (def: number) => z.coerce.number().int().nonnegative().default(def);

/** One schema over the environment (DESIGN.md, Configuration). Parsed once, fails fast. */
const EnvSchema = z.object({
  MINUTES_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MINUTES_BASE_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Minutes <minutes@localhost>'),
  MINUTES_SECRET: z
    .string()
    .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`)`)
    .optional(),
  REMIND_CRON: z.string().min(1).default('0 9 * * 1-5'),
  REMIND_AFTER_DAYS: intFrom(2),
  REMIND_EVERY_DAYS: intFrom(7),
  ESCALATE_AFTER: intFrom(3),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export interface Config {
  dataDir: string;
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
}

/**
 * Builds the configuration from an environment (default `process.env`, after reading `.env`
 * when present). `overrides.dataDir` wins over `MINUTES_DATA_DIR` (the CLI's `--data-dir`).
 * Creates the data folder and, when `MINUTES_SECRET` is unset, a secret file in it (mode 0600).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = readEnv(),
  overrides: { dataDir?: string } = {},
): Config {
  // An explicitly empty secret is a mistake (an unset variable expanded), not "generate one".
  if (env.MINUTES_SECRET !== undefined && env.MINUTES_SECRET.trim() === '') {
    throw new Error(
      `invalid configuration: MINUTES_SECRET is set but empty; give it at least ${MIN_SECRET_LENGTH} characters, or unset it to use a secret generated in the data folder`,
    );
  }
  // Empty strings in .env mean "unset", as in most dotenv tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
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
  };
}

function readEnv(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
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
