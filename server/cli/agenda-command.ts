import type { Command } from 'commander';

// The command's work (validation, services, database) is in agenda-run.ts, loaded when it runs.
const run = () => import('./agenda-run.js');

/**
 * `minutes agenda --series S [--date D] [--format md|html|json] [--skeleton] [--send]`: the
 * agenda of the next (or given) meeting on stdout, the note-taker's minutes skeleton, or the
 * agenda sent to the series' mailing list (once per meeting).
 */
export function register(program: Command): void {
  program
    .command('agenda')
    .description("the agenda of a series' next (or given) meeting")
    .requiredOption('--series <slug>', 'the series')
    .option('--date <YYYY-MM-DD>', 'meeting date (default: next date of the cadence)')
    .option('--format <format>', 'md, html or json', 'md')
    .option('--skeleton', "print a minutes skeleton for the note-taker instead")
    .option('--send', "send the agenda to the series' mailing list (once per meeting)")
    .option('--now <iso>', 'pretend the current time is this (for "next meeting")')
    .action(async (raw: Record<string, unknown>) => (await run()).agendaCommand(program.opts(), raw));
}

