import type { Command } from 'commander';

// The scoring (and the parser it runs) loads when the command runs.
const run = () => import('./eval-run.js');

/**
 * `minutes eval [DIR...] [--verbose] [--json]`: parser accuracy against labelled minutes.
 * Default folders: `../shared/dev-set` beside the package and `tests/fixtures/corpus-labels`.
 * A report, so it exits 0 whatever the figures; a missing folder is a one-line error (exit 1).
 */
export function register(program: Command): void {
  program
    .command('eval')
    .description('parser accuracy against labelled minutes (default ../shared/dev-set and the labelled corpus files)')
    .argument('[dirs...]', 'folders of NAME.md + NAME.gold.json')
    .option('--verbose', 'list every miss, extra and wrong field with file and line')
    .option('--json', 'machine output')
    .action(async (dirs: string[], opts: { verbose?: boolean; json?: boolean }) => (await run()).evalCommand(dirs, opts));
}
