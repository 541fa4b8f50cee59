import { z } from 'zod';
import { cleanEnv, configFrom, ENV_DEFAULTS, MIN_SECRET_LENGTH, readEnv, type CheckedEnv, type Config } from './config-env.js';

export { MIN_SECRET_LENGTH, secretFromDataDir, type Config } from './config-env.js';

const intFrom = (def: number) => z.coerce.number().int().nonnegative().default(def);

/** One schema over the environment (DESIGN.md, Configuration). Parsed once, fails fast. */
export const EnvSchema = z.object({
  MINUTES_DATA_DIR: z.string().min(1).default(ENV_DEFAULTS.MINUTES_DATA_DIR),
  PORT: z.coerce.number().int().min(0).max(65535).default(ENV_DEFAULTS.PORT),
  HOST: z.string().min(1).default(ENV_DEFAULTS.HOST),
  MINUTES_BASE_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default(ENV_DEFAULTS.MAIL_FROM),
  MINUTES_SECRET: z
    .string()
    .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`)`)
    .optional(),
  REMIND_CRON: z.string().min(1).default(ENV_DEFAULTS.REMIND_CRON),
  REMIND_AFTER_DAYS: intFrom(ENV_DEFAULTS.REMIND_AFTER_DAYS),
  REMIND_EVERY_DAYS: intFrom(ENV_DEFAULTS.REMIND_EVERY_DAYS),
  ESCALATE_AFTER: intFrom(ENV_DEFAULTS.ESCALATE_AFTER),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MINUTES_DB_READERS: z.coerce.number().int().min(0).max(16).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL (leave it unset for SQLite in the data folder)').optional(),
}) satisfies z.ZodType<CheckedEnv, unknown>;

/**
 * Builds the configuration from an environment (default `process.env`, after reading `.env`
 * when present). `overrides.dataDir` wins over `MINUTES_DATA_DIR` (the CLI's `--data-dir`).
 * Creates the data folder and, when `MINUTES_SECRET` is unset, a secret file in it (mode 0600).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = readEnv(),
  overrides: { dataDir?: string } = {},
): Config {
  const parsed = EnvSchema.safeParse(cleanEnv(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  return configFrom(parsed.data, overrides);
}
