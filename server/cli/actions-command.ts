import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes actions`: not built yet. */
export function register(program: Command): void {
  program
    .command('actions')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'actions is not implemented yet', 501);
    });
}
