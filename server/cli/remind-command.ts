import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes remind`: not built yet. */
export function register(program: Command): void {
  program
    .command('remind')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'remind is not implemented yet', 501);
    });
}
