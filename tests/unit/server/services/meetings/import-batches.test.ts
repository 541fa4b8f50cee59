import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../../../server/db/database.js';
import { BATCH_FILES, writeInBatches, type BatchSource } from '../../../../../server/services/meetings/import-batches.js';
import { freshPostgres, testDatabaseUrl } from '../../../../helpers/postgres-cluster.js';
import { tempSqlite } from '../../../../helpers/env.js';

/**
 * A bulk import writes the files already parsed in one transaction, each in a savepoint (on
 * SQLite; one transaction per file on PostgreSQL): on both databases, a failing item is rolled
 * back alone, results come in order and only once committed, and a batch whose COMMIT is
 * refused is written again one transaction per item.
 */
const drivers = [
  {
    name: 'sqlite',
    skip: false,
    open: async (): Promise<Database> => tempSqlite('minutes-batches-'),
  },
  { name: 'postgres', skip: testDatabaseUrl() === null, open: (): Promise<Database> => freshPostgres() },
];

interface Written {
  item: number;
  ok: boolean;
  /** Whether a transaction was open when the result was reported. */
  reportedInTransaction?: boolean;
}

describe.each(drivers)('writeInBatches on $name', (driver) => {
  let db: Database;
  beforeAll(async () => {
    if (driver.skip) return;
    db = await driver.open();
    await db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    await db.exec('INSERT INTO parent (id) VALUES (1)');
  });
  afterAll(async () => {
    if (!driver.skip) await db.close();
  });
  beforeEach(async () => {
    if (!driver.skip) await db.exec('DELETE FROM item');
  });

  /** Items 1..n, all parsed already (`ready` answers each), except those in `late`. */
  const source = (n: number, late = new Set<number>()): BatchSource<number> => ({
    count: n,
    next: async (k) => k + 1,
    ready: (k) => (late.has(k + 1) ? undefined : k + 1),
  });
  /**
   * Writes item i as its own transaction (a savepoint inside a batch), as the import's writer
   * does, and reports a failure instead of throwing. `bad`: inserted twice (a unique violation,
   * at once); `orphan`: pointing at a missing parent (refused at COMMIT only).
   */
  const write = (bad: Set<number>, orphan = new Set<number>()) => async (i: number): Promise<Written> => {
    try {
      await db.transaction(async () => {
        await db.run('INSERT INTO item (id, parent_id) VALUES (@id, @parent)', { id: i, parent: orphan.has(i) ? 999 : 1 });
        if (bad.has(i)) await db.run('INSERT INTO item (id, parent_id) VALUES (@id, 1)', { id: i });
      });
      return { item: i, ok: true };
    } catch {
      return { item: i, ok: false };
    }
  };
  const stored = async () => (await db.prepare('SELECT id FROM item ORDER BY id').pluck().all()) as number[];

  it.skipIf(driver.skip)('rolls back a failing item alone and reports every result in order, after its commit', async () => {
    const results: Written[] = [];
    await writeInBatches(db, source(10), write(new Set([4])), (r, k) => {
      expect(k).toBe(r.item - 1);
      results.push({ ...r, reportedInTransaction: db.inTransaction() });
    });
    expect(results.map((r) => [r.item, r.ok, r.reportedInTransaction])).toEqual(
      Array.from({ length: 10 }, (_, k) => [k + 1, k + 1 !== 4, false]),
    );
    expect(await stored()).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10]);
  });

  it.skipIf(driver.skip)('waits for an item not parsed yet, and writes more items than one batch holds', async () => {
    const n = BATCH_FILES * 2 + 5;
    const results: Written[] = [];
    await writeInBatches(db, source(n, new Set([3, BATCH_FILES + 10])), write(new Set()), (r) => results.push(r));
    expect(results.map((r) => r.item)).toEqual(Array.from({ length: n }, (_, k) => k + 1));
    expect(await stored()).toEqual(Array.from({ length: n }, (_, k) => k + 1));
  });

  it.skipIf(driver.skip)('writes a batch whose COMMIT is refused again, one transaction per item', async () => {
    const results: Written[] = [];
    await writeInBatches(db, source(6), write(new Set(), new Set([3])), (r) => results.push(r));
    // Item 3's missing parent refuses the batch's COMMIT; written alone, only item 3 fails.
    expect(results.map((r) => [r.item, r.ok])).toEqual([[1, true], [2, true], [3, false], [4, true], [5, true], [6, true]]);
    expect(await stored()).toEqual([1, 2, 4, 5, 6]);
    expect(db.inTransaction()).toBe(false);
  });
});
