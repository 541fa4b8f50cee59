import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes parse`: not built yet. */
export function register(program: Command): void {
  program
    .command('parse')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'parse is not implemented yet', 501);
    });
}
