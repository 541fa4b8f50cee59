import type { Command } from 'commander';

// The import (services, parser threads, progress bar) loads when the command runs.
const run = () => import('./import-run.js');

/**
 * `minutes import PATH... [--series S] [--dry-run] [--json] [--date D] [--corrections FILE.json]`:
 * files and folders; one line per meeting (failures on stderr), then a summary. Exits 1 when
 * any file failed. With `--corrections`, one file (or `-`, stdin) only.
 */
export function register(program: Command): void {
  program
    .command('import')
    .description('import minutes files and folders (.md, .markdown, .txt) into the database')
    .argument('<paths...>', 'files or folders')
    .option('--series <slug>', 'series of the meetings (default: front matter `series`, else "default")')
    .option('--date <YYYY-MM-DD>', 'meeting date when a file gives none or only a month')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--json', 'machine output: every file result and the summary')
    .option('--threads <n>', 'parser threads (0: parse in the main thread)')
    .option('--corrections <file.json>', 'corrections of the extracted items (JSON; - reads stdin) for one minutes file (or - for stdin)')
    .action(async (paths: string[], raw: unknown) => (await run()).importCommand(program.opts(), paths, raw));
}
