import type { Db } from './connection.js';
import { SqliteDatabase } from './sqlite-database.js';

/** The database's change counter: equal answers mean no commit happened in between. */
export type DataVersion = () => string | Promise<string>;

/**
 * A reader of the database's change counter, for caches valid while nothing changed.
 *
 * SQLite: `PRAGMA data_version` (bumped by commits of other connections: the CLI, another
 * server) plus `total_changes()` (writes of this connection, including rolled-back dry runs:
 * over-invalidating is safe). Both statements are prepared once; a read takes microseconds
 * and answers at once (no promise).
 *
 * PostgreSQL: the text of `pg_current_snapshot()` (xmin:xmax:in-progress xids), one round trip
 * that writes nothing. Which commits a reader sees is exactly what its snapshot says, so two
 * equal snapshots mean no writing transaction committed in between — on any instance, since
 * they all share the server's transaction ids. xmax alone would not do: a transaction that got
 * its id before the first read and commits after it leaves xmax as it was; it leaves the
 * in-progress list, so the whole text changes. Writes in other databases of the same cluster
 * also change it (over-invalidating, safe). Cheaper than a counter row bumped by triggers on
 * every table the lists read: readers pay the same one round trip, writers pay nothing.
 */
export function createDataVersion(db: Db): DataVersion | null {
  if (db instanceof SqliteDatabase) {
    const dataVersion = db.handle.prepare('PRAGMA data_version').pluck();
    const changes = db.handle.prepare('SELECT total_changes()').pluck();
    return () => `${dataVersion.get() as number}:${changes.get() as number}`;
  }
  if (db.dialect === 'postgres') {
    const snapshot = db.prepare<[], string>('SELECT pg_current_snapshot()::text').pluck<string>();
    return async () => (await snapshot.get())!;
  }
  return null;
}
