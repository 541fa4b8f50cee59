/**
 * Writing many parsed files in few commits. A commit writes every page the transaction changed
 * (table and index pages, the full-text segment): one commit per meeting was a quarter of the
 * writer's time in a bulk import, and consecutive meetings change mostly the same pages. So the
 * files already parsed are written together, in one transaction of at most `BATCH_FILES` files
 * or `BATCH_MS` of writing (other requests wait no longer than that, as for a reminder batch),
 * each file in a savepoint of its own: a file that fails is rolled back alone, as before.
 *
 * The batch's results are reported once it is committed. If the batch's own BEGIN or COMMIT
 * fails (the database busy, the disk full), its files are written again one transaction each,
 * so each file's result says what happened to it. SQLite only: on PostgreSQL each file keeps
 * its own transaction (see `writeInBatches`).
 */
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import type { Db } from '../../db/connection.js';

export const BATCH_FILES = 64;
export const BATCH_MS = 50;

export interface BatchSource<T> {
  /** How many items there are, in order. */
  count: number;
  /** Item `k`, waited for (it is parsed outside any transaction). */
  next(k: number): Promise<T>;
  /** Item `k` if it is ready now, else undefined. */
  ready(k: number): T | undefined;
}

/**
 * Writes each item with `write` in order, in batches as described above, and calls `done` with
 * each result once it is committed. `write` opens its own transaction (a savepoint inside the
 * batch's) and must not throw for a failing item: it reports the failure in its result.
 */
export async function writeInBatches<T, R>(db: Db, source: BatchSource<T>, write: (item: T, k: number) => Promise<R>, done: (result: R, k: number) => void): Promise<void> {
  if (db.dialect !== 'sqlite') {
    // PostgreSQL: each file in its own transaction, as before. Batched, the bench's import took
    // the same CPU per file (13.0 vs 13.1 ms; its cluster runs with fsync off, so a commit costs
    // little there), while a savepoint per file costs two round trips and past 64
    // subtransactions in one transaction other sessions' snapshots must read pg_subtrans.
    for (let k = 0; k < source.count; k++) done(await write(await source.next(k), k), k);
    return;
  }
  for (let first = 0; first < source.count; ) {
    const items: T[] = [await source.next(first)];
    let results: R[];
    try {
      results = await db.transaction(async () => {
        const t0 = performance.now();
        const out = [await write(items[0], first)];
        for (let k = first + 1; k < source.count && out.length < BATCH_FILES && performance.now() - t0 < BATCH_MS; k++) {
          // Results from the parser threads arrive as events: let them in before looking.
          await setImmediate();
          const item = source.ready(k);
          if (item === undefined) break; // not parsed yet: commit what is written rather than hold the lock
          items.push(item);
          out.push(await write(item, k));
        }
        return out;
      });
    } catch {
      // Each write runs its own transactions when none is open.
      results = [];
      for (let j = 0; j < items.length; j++) results.push(await write(items[j], first + j));
    }
    results.forEach((r, j) => done(r, first + j));
    first += items.length;
  }
}
