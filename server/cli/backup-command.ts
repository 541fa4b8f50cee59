import type { Command } from 'commander';

// The command's work (validation, services, database) is in backup-run.ts, loaded when it runs.
const run = () => import('./backup-run.js');

/**
 * `minutes backup FILE [--force]`: an online copy of the database (SQLite backup API: safe
 * while the server runs). Written to a temporary name and renamed, so FILE is never half a copy.
 */
export function register(program: Command): void {
  program
    .command('backup')
    .description('online copy of the database')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, o: { force?: boolean }) => (await run()).backupCommand(program.opts(), file, o));
}
