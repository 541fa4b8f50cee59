import { Command, CommanderError } from 'commander';
import { AppError } from './errors.js';

type Registration = { register(program: Command): void };

/**
 * Each command's registration module by the top-level names it registers. A run loads only the
 * one it names (each registration is cheap, but fifteen of them and their option tables are
 * not free at start-up); help, an unknown name or none loads them all, in this order.
 */
const COMMANDS: [names: string[], load: () => Promise<Registration>][] = [
  [['parse'], () => import('./cli/parse-command.js')],
  [['import'], () => import('./cli/import-command.js')],
  [['series'], () => import('./cli/series-command.js')],
  [['people'], () => import('./cli/people-command.js')],
  [['actions', 'close', 'reopen'], () => import('./cli/actions-command.js')],
  [['remind'], () => import('./cli/remind-command.js')],
  [['agenda'], () => import('./cli/agenda-command.js')],
  [['token'], () => import('./cli/token-command.js')],
  [['serve'], () => import('./cli/serve-command.js')],
  [['backup'], () => import('./cli/backup-command.js')],
  [['decisions'], () => import('./cli/decisions-command.js')],
  [['snooze', 'comment', 'edit', 'drop'], () => import('./cli/action-change-command.js')],
  [['outbox'], () => import('./cli/outbox-command.js')],
  [['review'], () => import('./cli/review-command.js')],
  [['eval'], () => import('./cli/eval-command.js')],
  [['migrate-to-postgres'], () => import('./cli/migrate-to-postgres-command.js')],
];

/** The command a command line names: its first word after the global options, if any. */
export function commandName(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--data-dir') i++;
    else if (a === '--') return args[i + 1] ?? null;
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

/**
 * Builds the `minutes` command. Each command file registers itself; actions stay thin. With
 * `only` (a top-level command name), just the file registering it.
 */
export async function buildProgram(only: string | null = null): Promise<Command> {
  const program = new Command('minutes')
    .description('Meeting minutes and action items for open-source community calls')
    .option('--data-dir <dir>', 'data folder (default $MINUTES_DATA_DIR or ./data)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const named = COMMANDS.find(([names]) => only !== null && names.includes(only));
  const regs = await Promise.all((named ? [named] : COMMANDS).map(([, load]) => load()));
  for (const reg of regs) reg.register(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 for a failed command (one line on
 * stderr naming the problem), 2 for a usage error.
 */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(commandName(argv.slice(2)));
  // `minutes actions | head`: a closed pipe ends the listing quietly, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (help, version, usage errors).
      return err.exitCode === 0 ? 0 : 2;
    }
    const message = err instanceof AppError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`minutes: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
