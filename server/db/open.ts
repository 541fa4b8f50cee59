import type { Db } from './connection.js';
import type { PostgresDatabase } from './postgres-database.js';
import { AppError } from '../errors.js';

/**
 * The configured database: PostgreSQL when `DATABASE_URL` is set, else the SQLite file in the
 * data folder. The server and every CLI command open it here. The PostgreSQL driver (and `pg`)
 * is loaded only when it is used.
 */
export async function openConfiguredDatabase(config: { databaseUrl: string | null; dbFile: string }): Promise<Db> {
  if (config.databaseUrl) return await connectDatabaseUrl(config.databaseUrl);
  const { openDatabase } = await import('./connection.js');
  return openDatabase(config.dbFile);
}

/**
 * Connects to the PostgreSQL database of `DATABASE_URL`; a failure is a 503 naming its host,
 * port and database (never the password).
 */
export async function connectDatabaseUrl(url: string): Promise<PostgresDatabase> {
  const { connectPostgres } = await import('./postgres-database.js');
  try {
    return await connectPostgres(url);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('database-unreachable', `cannot use the PostgreSQL database of DATABASE_URL (${databaseWhere(url)}): ${(err as Error).message}`, 503);
  }
}

/** Host, port and database name of a URL, never its password. */
export function databaseWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}
