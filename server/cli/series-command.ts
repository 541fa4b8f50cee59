import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];

// The command's work (validation, services, database) is in series-run.ts, loaded when it runs.
const run = () => import('./series-run.js');

/**
 * `minutes series add SLUG --name N [--cadence RRULE] [--timezone TZ] [--time HH:MM] [--chair NAME] [--list EMAIL]
 * [--standing ITEM]... [--clear-standing]`, `series list`.
 */
export function register(program: Command): void {
  const series = program.command('series').description('recurring calls: create, update, list');
  series
    .command('add')
    .description('create a series, or update the fields given')
    .argument('<slug>', 'short id, e.g. openxt-community-call')
    .option('--name <name>', 'display name (required when creating)')
    .option('--cadence <rrule>', 'RRULE, e.g. FREQ=MONTHLY;BYDAY=2TH')
    .option('--timezone <tz>', 'IANA time zone, e.g. Europe/London')
    .option('--time <HH:MM>', "time of day of the calls in the series' time zone (\"\" clears it)")
    .option('--chair <name>', 'chair (a directory name; created if unknown)')
    .option('--list <email>', 'mailing-list address')
    .option('--standing <item>', 'standing agenda item, added to the list (repeatable)', collect)
    .option('--clear-standing', 'empty the standing items first (then --standing ones are added)')
    .action(async (slug: string, raw: unknown) => (await run()).addSeries(program.opts(), slug, raw));
  series
    .command('list')
    .description('all series')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => (await run()).listSeries(program.opts(), raw));
  series
    .command('show')
    .description('one series: cadence, time zone, chair, list, standing items, next meeting, open actions')
    .argument('<slug>', 'the series')
    .option('--json', 'machine output')
    .action(async (slug: string, o: { json?: boolean }) => (await run()).showSeries(program.opts(), slug, o));
}
