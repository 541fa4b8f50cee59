import type { Command } from 'commander';

// The command's work (services, database, output) is in review-run.ts, loaded when it runs.
const run = () => import('./review-run.js');

/** `minutes review [--json]`, `minutes review accept ID [--date D]`, `minutes review dismiss ID... | --meeting N`. */
export function register(program: Command): void {
  const review = program
    .command('review')
    .description('the review queue: suggestions, unresolved names and dates to confirm from every import')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => (await run()).listQueue(program.opts(), raw));
  review
    .command('accept')
    .description('accept an item: a suggestion becomes an action or decision; a month-only date gets its day')
    .argument('<id>', 'review item id')
    .option('--date <date>', 'the day of the meeting (YYYY-MM-DD), for a date to confirm')
    .action(async (id: string, raw: { date?: string }) => (await run()).acceptItem(program.opts(), id, raw));
  review
    .command('dismiss')
    .description('dismiss items for good: the ids given, or every suggestion of one meeting')
    .argument('[ids...]', 'review item ids')
    .option('--meeting <id>', "every open suggestion of this meeting (its id, as in 'minutes meetings')")
    .action(async (ids: string[], raw: { meeting?: string }) => (await run()).dismissItems(program.opts(), ids, raw));
}
