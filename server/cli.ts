import { Command, CommanderError } from 'commander';
import { AppError } from './errors.js';
import { register as parse } from './cli/parse-command.js';
import { register as importCmd } from './cli/import-command.js';
import { register as series } from './cli/series-command.js';
import { register as people } from './cli/people-command.js';
import { register as actions } from './cli/actions-command.js';
import { register as remind } from './cli/remind-command.js';
import { register as agenda } from './cli/agenda-command.js';
import { register as token } from './cli/token-command.js';
import { register as serve } from './cli/serve-command.js';
import { register as backup } from './cli/backup-command.js';
import { register as decisions } from './cli/decisions-command.js';
import { register as actionChange } from './cli/action-change-command.js';
import { register as outbox } from './cli/outbox-command.js';
import { register as review } from './cli/review-command.js';
import { register as evalCmd } from './cli/eval-command.js';

/** Builds the `minutes` command. Each command file registers itself; actions stay thin. */
export function buildProgram(): Command {
  const program = new Command('minutes')
    .description('Meeting minutes and action items for open-source community calls')
    .option('--data-dir <dir>', 'data folder (default $MINUTES_DATA_DIR or ./data)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const reg of [parse, importCmd, series, people, actions, remind, agenda, token, serve, backup, decisions, actionChange, outbox, review, evalCmd]) reg(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 for a failed command (one line on
 * stderr naming the problem), 2 for a usage error.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
