import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes token`: not built yet. */
export function register(program: Command): void {
  program
    .command('token')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'token is not implemented yet', 501);
    });
}
