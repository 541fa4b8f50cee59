import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes series`: not built yet. */
export function register(program: Command): void {
  program
    .command('series')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'series is not implemented yet', 501);
    });
}
