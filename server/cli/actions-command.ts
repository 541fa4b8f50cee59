import type { Command } from 'commander';

// The command runs from actions-run.ts, loaded when it runs: registering it costs nothing.
const run = () => import('./actions-run.js');

/** `minutes actions [--status] [--owner] [--series] [--json]`, `close ID [--note T]`, `reopen ID`. */
export function register(program: Command): void {
  program
    .command('actions')
    .description('list actions (default: open)')
    .option('--status <status>', 'open, done, dropped or all', 'open')
    .option('--owner <name>', 'owner name or alias')
    .option('--series <slug>', 'only this series')
    .option('--overdue', 'only open actions past their due date')
    .option('--json', 'machine output')
    .action(async (raw: unknown) => (await run()).listActions(program.opts(), raw));
  program
    .command('close')
    .description('mark an action done')
    .argument('<id>', 'action id')
    .option('--note <text>', 'why / how it was done')
    .action(async (raw: string, o: { note?: string }) => (await run()).closeAction(program.opts(), raw, o));
  program
    .command('reopen')
    .description('reopen a done or dropped action')
    .argument('<id>', 'action id')
    .option('--note <text>', 'why')
    .action(async (raw: string, o: { note?: string }) => (await run()).reopenAction(program.opts(), raw, o));
}
