import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const intFrom = (def: number) => z.coerce.number().int().nonnegative().default(def);

/** One schema over the environment (DESIGN.md, Configuration). Parsed once, fails fast. */
const EnvSchema = z.object({
  MINUTES_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MINUTES_BASE_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Minutes <minutes@localhost>'),
  MINUTES_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
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
  // Empty strings in .env mean "unset", as in most dotenv tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(overrides.dataDir ?? e.MINUTES_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    dataDir,
    dbFile: join(dataDir, 'minutes.db'),
    outboxDir: join(dataDir, 'outbox'),
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.MINUTES_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
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

function secretFromDataDir(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  // 'wx' so two processes starting at once do not overwrite each other's secret.
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
  chmodSync(file, 0o600);
  return secret;
}
