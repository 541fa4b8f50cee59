import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { openDatabase } from '../../db/connection.js';
import { connectDatabaseUrl, databaseWhere } from '../../db/open.js';
import { copySqliteToPostgres, CopyRefused, type CopyProgress, type CopyResult } from '../../db/postgres-copy.js';

export interface MigrationReport extends CopyResult {
  /** The SQLite file read. */
  from: string;
  /** Host, port and database of the target (never its password). */
  to: string;
  ms: number;
}

/**
 * `minutes migrate-to-postgres --from FILE`: the SQLite database FILE (or the `minutes.db` of a
 * data folder) copied into the empty PostgreSQL database at `databaseUrl`, whose schema is
 * migrated first. Refuses, changing nothing, when the source is missing or not a Minutes
 * database, or when the target already holds data; the copy itself is one transaction
 * (see db/postgres-copy.ts), so a failure leaves the target as empty as it was.
 *
 * The source is first brought up to this version's SQLite schema, as any command opening it
 * would, so both sides have the same tables and columns.
 */
export async function migrateSqliteToPostgres(opts: {
  from: string;
  databaseUrl: string;
  onProgress?: (p: CopyProgress) => void;
}): Promise<MigrationReport> {
  const started = performance.now();
  const file = sourceFile(opts.from);
  checkMinutesDatabase(file, opts.from);
  const source = openDatabase(file);
  try {
    const target = await connectDatabaseUrl(opts.databaseUrl);
    try {
      const result = await copySqliteToPostgres(source.handle, target, { onProgress: opts.onProgress });
      return { ...result, from: file, to: databaseWhere(opts.databaseUrl), ms: performance.now() - started };
    } catch (err) {
      if (err instanceof CopyRefused) throw new AppError('migration-refused', err.message, 409);
      throw err;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** The database file `from` names: a file, or a data folder holding minutes.db. */
function sourceFile(from: string): string {
  const path = resolve(from);
  if (!existsSync(path)) throw new AppError('path-not-found', `--from ${from}: no such file`);
  if (statSync(path).isDirectory()) {
    const inside = join(path, 'minutes.db');
    if (!existsSync(inside)) throw new AppError('bad-input', `--from ${from} is a folder without minutes.db; give the SQLite database file`);
    return inside;
  }
  return path;
}

/** Opened read-only first: a file that is not a Minutes database is refused before anything writes to it. */
function checkMinutesDatabase(file: string, from: string): void {
  let db: BetterSqlite3.Database | undefined;
  let tables: string[];
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  } catch (err) {
    throw new AppError('bad-input', `--from ${from} is not a SQLite database (${(err as Error).message})`);
  } finally {
    db?.close();
  }
  for (const t of ['schema_migrations', 'meetings', 'actions', 'people']) {
    if (!tables.includes(t)) throw new AppError('bad-input', `--from ${from} is not a Minutes database (it has no ${t} table)`);
  }
}
