import type { Command } from 'commander';

// The command runs from outbox-run.ts, loaded when it runs.
const run = () => import('./outbox-run.js');

/** `minutes outbox [--failed] [--json]`, `minutes outbox retry ID`. */
export function register(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('emails waiting, sent and failed (newest first)')
    .option('--failed', 'only emails that failed for good')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', 'machine output')
    .action(async (o: unknown) => (await run()).listOutbox(program.opts(), o));
  outbox
    .command('retry')
    .description('queue a failed email again and try to send it now')
    .argument('<id>', 'outbox id (from minutes outbox --failed)')
    .option('--json', 'machine output')
    .action(async (id: string, o: unknown) => (await run()).retryOutbox(program.opts(), id, o));
}
