import type { Command } from 'commander';

// The command's work (the copy, PostgreSQL, progress) is in migrate-to-postgres-run.ts, loaded when it runs.
const run = () => import('./migrate-to-postgres-run.js');

/**
 * `minutes migrate-to-postgres --from FILE`: copies the SQLite database FILE into the empty
 * PostgreSQL database of DATABASE_URL, in one transaction, checked table by table.
 */
export function register(program: Command): void {
  program
    .command('migrate-to-postgres')
    .description('copy a SQLite database into the empty PostgreSQL database of DATABASE_URL')
    .requiredOption('--from <file>', 'the SQLite database to copy (e.g. ./data/minutes.db, or a data folder)')
    .action(async (o: { from: string }) => (await run()).migrateToPostgresCommand(program.opts(), o));
}
