import type { Command } from 'commander';

// The commands run from action-change-run.ts, loaded when they run.
const run = () => import('./action-change-run.js');
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `minutes snooze ID --until D`, `comment ID TEXT`, `edit ID [--text] [--due|--no-due] [--owner]...`, `drop ID [--note T]`. */
export function register(program: Command): void {
  program
    .command('snooze')
    .description('no reminders about an open action until a date')
    .argument('<id>', 'action id')
    .option('--until <date>', 'YYYY-MM-DD')
    .option('--clear', 'end the snooze')
    .option('--json', 'machine output')
    .action(async (id: string, o: unknown) => (await run()).snoozeAction(program.opts(), id, o));
  program
    .command('comment')
    .description('add a comment to an action')
    .argument('<id>', 'action id')
    .argument('<text...>', 'the comment')
    .option('--json', 'machine output')
    .action(async (id: string, text: string[], o: unknown) => (await run()).commentAction(program.opts(), id, text.join(' '), o));
  program
    .command('edit')
    .description("change an action's text, due date or owners")
    .argument('<id>', 'action id')
    .option('--text <text>', 'new text')
    .option('--due <date>', 'new due date YYYY-MM-DD')
    .option('--no-due', 'remove the due date')
    .option('--owner <name>', 'owner (repeatable; replaces all owners)', collect)
    .option('--json', 'machine output')
    .action(async (id: string, o: unknown) => (await run()).editAction(program.opts(), id, o));
  program
    .command('drop')
    .description('not an action after all: drop it (kept when the minutes are uploaded again)')
    .argument('<id>', 'action id')
    .option('--note <text>', 'why')
    .option('--json', 'machine output')
    .action(async (id: string, o: unknown) => (await run()).dropAction(program.opts(), id, o));
}
