import type { Db } from './connection.js';
import { SqliteDatabase } from './sqlite-database.js';

/** The database's change counter: equal answers mean no commit happened in between. */
export type DataVersion = () => string | Promise<string>;

/**
 * A reader of the database's change counter, for caches valid while nothing changed.
 *
 * SQLite: `PRAGMA data_version` (bumped by commits of other connections: the CLI, another
 * server) plus `total_changes()` (writes of this connection, including rolled-back dry runs:
 * over-invalidating is safe) plus the connection's count of committed transactions (a reader
 * thread answers from committed data only, so an answer built while a transaction is open must
 * not outlive its COMMIT). Both statements are prepared once; a read takes microseconds and
 * answers at once (no promise).
 *
 * PostgreSQL: the text of `pg_current_snapshot()` (xmin:xmax:in-progress xids), one round trip
 * that writes nothing. Which commits a reader sees is exactly what its snapshot says, so two
 * equal snapshots mean no writing transaction committed in between — on any instance, since
 * they all share the server's transaction ids. (Since PostgreSQL 14 xmax is one past the last
 * *completed* transaction, so it moves with every commit; before, it was the next id to hand
 * out and a transaction that got its id before a read and committed after it showed only by
 * leaving the in-progress list: the whole text covers both.) Writes in other databases of the
 * same cluster change it too (over-invalidating, safe). Cheaper than a counter row bumped by
 * statement triggers on every table the lists read: readers pay the same one round trip,
 * writers pay nothing (a trigger row would also be one more row every writer updates).
 */
export function createDataVersion(db: Db): DataVersion | null {
  if (db instanceof SqliteDatabase) {
    const dataVersion = db.handle.prepare('PRAGMA data_version').pluck();
    const changes = db.handle.prepare('SELECT total_changes()').pluck();
    return () => `${dataVersion.get() as number}:${changes.get() as number}:${db.commits}`;
  }
  if (db.dialect === 'postgres') {
    const snapshot = db.prepare<[], string>('SELECT pg_current_snapshot()::text').pluck<string>();
    return async () => (await snapshot.get())!;
  }
  return null;
}
