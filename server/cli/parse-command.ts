import type { Command } from 'commander';

// The parser (and the option schema) load when the command runs: other commands never pay for remark.
const run = () => import('./parse-run.js');

/** `minutes parse FILE [--date D] [--json]`: prints ParsedMinutes, touching no database. */
export function register(program: Command): void {
  program
    .command('parse')
    .description('print what the parser reads in a minutes file (touches no database)')
    .argument('<file>', 'minutes file: Markdown or plain text')
    .option('--date <date>', 'meeting date (YYYY-MM-DD) when the file gives none or only a month')
    .option('--json', 'print the ParsedMinutes JSON')
    .action(async (file: string, o: { date?: string; json?: boolean }) => (await run()).parseCommand(file, o));
}
