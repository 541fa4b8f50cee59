import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes people`: not built yet. */
export function register(program: Command): void {
  program
    .command('people')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'people is not implemented yet', 501);
    });
}
