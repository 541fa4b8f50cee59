import cliProgress from 'cli-progress';
import { AppError } from '../errors.js';
import type { GlobalOptions } from './context.js';
import { migrateSqliteToPostgres } from '../services/storage/postgres-migration-service.js';

/** `minutes migrate-to-postgres --from FILE`: the copy, a progress bar on stderr, a per-table summary. */
export async function migrateToPostgresCommand(global: GlobalOptions, o: { from: string }): Promise<void> {
  const { readEnv, loadConfigWithoutSchema } = await import('../config-env.js');
  const env = readEnv();
  const overrides = { dataDir: global.dataDir };
  const config = loadConfigWithoutSchema(env, overrides) ?? (await import('../config.js')).loadConfig(env, overrides);
  if (!config.databaseUrl) {
    throw new AppError('bad-input', 'DATABASE_URL is not set: set it to the empty PostgreSQL database to migrate into (postgres://user@host/db)');
  }
  const tty = process.stderr.isTTY === true;
  const progress: { bar: cliProgress.SingleBar | null } = { bar: null };
  try {
    const report = await migrateSqliteToPostgres({
      from: o.from,
      databaseUrl: config.databaseUrl,
      onProgress: (p) => {
        if (!tty || p.total < 1000) return;
        if (!progress.bar) {
          progress.bar = new cliProgress.SingleBar(
            { stream: process.stderr, format: 'copying [{bar}] {value}/{total} rows  {table}', clearOnComplete: true, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          progress.bar.start(p.total, 0, { table: p.table });
        }
        progress.bar.update(p.done, { table: p.table });
      },
    });
    progress.bar?.stop();
    progress.bar = null;
    const width = Math.max(...report.tables.map((t) => t.table.length));
    const lines = report.tables.map((t) => `  ${t.table.padEnd(width)} ${String(t.rows).padStart(9)}`);
    process.stdout.write(
      `migrated ${report.from} to PostgreSQL ${report.to}: ${report.rows} rows in ${report.tables.length} tables, ` +
        `${report.searchRows} search entries indexed, counts and ids checked, in ${(report.ms / 1000).toFixed(1)} s\n${lines.join('\n')}\n`,
    );
  } finally {
    progress.bar?.stop();
  }
}
