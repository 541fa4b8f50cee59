import type { Command } from 'commander';

// The command's work is in decisions-run.ts, loaded when it runs.
const run = () => import('./decisions-run.js');

/** `minutes decisions [--series S] [--from D] [--to D] [--q TEXT] [--limit N] [--json | --csv]`. */
export function register(program: Command): void {
  program
    .command('decisions')
    .description('the decision register: every decision across meetings, newest first')
    .option('--series <slug>', 'only this series')
    .option('--from <date>', 'meetings on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'meetings on or before this date (YYYY-MM-DD)')
    .option('--q <words>', 'words the decision must contain')
    .option('--limit <n>', 'at most this many (default: all)')
    .option('--json', 'machine output')
    .option('--csv', 'RFC 4180 CSV, as GET /api/decisions?format=csv')
    .action(async (raw: unknown) => (await run()).listDecisions(program.opts(), raw));
}
