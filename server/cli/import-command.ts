import type { Command } from 'commander';
import { AppError } from '../errors.js';

/** `minutes import`: not built yet. */
export function register(program: Command): void {
  program
    .command('import')
    .description('not available yet')
    .allowUnknownOption()
    .action(() => {
      throw new AppError('not-implemented', 'import is not implemented yet', 501);
    });
}
