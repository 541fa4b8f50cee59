import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { withContext } from './context.js';

/**
 * `minutes backup FILE [--force]`: an online copy of the database (SQLite backup API: safe
 * while the server runs). Written to a temporary name and renamed, so FILE is never half a copy.
 */
export function register(program: Command): void {
  program
    .command('backup')
    .description('online copy of the database')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, o: { force?: boolean }) => {
      const target = resolve(file);
      if (existsSync(target)) {
        if (statSync(target).isDirectory()) throw new AppError('bad-input', `${file} is a folder; give a file name`);
        if (!o.force) throw new AppError('file-exists', `${file} already exists; pass --force to overwrite it`, 409);
      }
      await withContext(program.opts(), async ({ db, config }) => {
        if (resolve(config.dbFile) === target) throw new AppError('bad-input', 'the backup cannot replace the database itself');
        const tmp = `${target}.tmp-${process.pid}`;
        try {
          await db.backup(tmp);
          renameSync(tmp, target);
        } catch (err) {
          rmSync(tmp, { force: true });
          throw new AppError('backup-failed', `backup to ${file} failed: ${(err as Error).message}`, 500);
        }
        process.stdout.write(`backed up ${config.dbFile} to ${target} (${statSync(target).size} bytes)\n`);
      });
    });
}
