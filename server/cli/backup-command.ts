import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes backup`: not built yet. */
export function register(program: Command): void {
  program
    .command('backup')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'backup is not implemented yet', 501);
    });
}
