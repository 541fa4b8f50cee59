import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes agenda`: not built yet. */
export function register(program: Command): void {
  program
    .command('agenda')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'agenda is not implemented yet', 501);
    });
}
