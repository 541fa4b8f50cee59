import type { Command } from 'commander';

// The command's work (validation, services, database) is in remind-run.ts, loaded when it runs.
const run = () => import('./remind-run.js');

/** `minutes remind [--dry-run] [--now ISO] [--json]`: one reminder pass; prints who gets what. */
export function register(program: Command): void {
  program
    .command('remind')
    .description('one reminder pass: enqueue and send digests (and escalations); prints who gets what')
    .option('--dry-run', 'only print who would get what; send and record nothing')
    .option('--now <iso>', 'pretend it is this date-time (ISO 8601), e.g. 2026-11-23T09:00:00Z')
    .option('--json', 'machine output')
    .action(async (o: { dryRun?: boolean; now?: string; json?: boolean }) => (await run()).remindCommand(program.opts(), o));
}
