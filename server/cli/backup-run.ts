import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../errors.js';
import { type GlobalOptions, withContext } from './context.js';

/** `minutes backup FILE [--force]`: the online copy, written to a temporary name and renamed. */
export async function backupCommand(global: GlobalOptions, file: string, o: { force?: boolean }): Promise<void> {
  const target = resolve(file);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new AppError('bad-input', `${file} is a folder; give a file name`);
    if (!o.force) throw new AppError('file-exists', `${file} already exists; pass --force to overwrite it`, 409);
  }
  await withContext(global, async ({ db, config }) => {
    if (!db.backup) {
      throw new AppError('bad-input', 'minutes backup copies a SQLite database; back PostgreSQL up with pg_dump');
    }
    if (resolve(config.dbFile) === target) throw new AppError('bad-input', 'the backup cannot replace the database itself');
    const tmp = `${target}.tmp-${process.pid}`;
    try {
      // Owner-only like the database itself (SQLite keeps the mode of an existing file).
      closeSync(openSync(tmp, 'w', 0o600));
      await db.backup(tmp);
      chmodSync(tmp, 0o600);
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw new AppError('backup-failed', `backup to ${file} failed: ${(err as Error).message}`, 500);
    }
    process.stdout.write(`backed up ${config.dbFile} to ${target} (${statSync(target).size} bytes)\n`);
  });
}
