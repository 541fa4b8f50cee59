import type { Db } from './connection.js';
import { SqliteDatabase } from './sqlite-database.js';

/**
 * A reader of the database's change counter, for caches valid while nothing changed:
 * `PRAGMA data_version` (bumped by commits of other connections: the CLI, another server) plus
 * `total_changes()` (writes of this connection, including rolled-back dry runs:
 * over-invalidating is safe). Both statements are prepared once; a read takes microseconds.
 * Null where the database has no such counter (PostgreSQL): callers then do without a cache.
 */
export function createDataVersion(db: Db): (() => string) | null {
  if (!(db instanceof SqliteDatabase)) return null;
  const dataVersion = db.handle.prepare('PRAGMA data_version').pluck();
  const changes = db.handle.prepare('SELECT total_changes()').pluck();
  return () => `${dataVersion.get() as number}:${changes.get() as number}`;
}
