/**
 * `minutes migrate-to-postgres` speed: a SQLite database of 100,000 actions (the HTTP bench's,
 * ~220,000 rows with owners, plus ~100,000 search entries the triggers write) copied into an
 * empty PostgreSQL database, in one transaction, with batched multi-row INSERTs (1,000 rows a
 * statement) against the baseline of one INSERT per row, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/connection.js';
import { connectPostgres } from '../../server/db/postgres-database.js';
import { copySqliteToPostgres } from '../../server/db/postgres-copy.js';
import { seedActions, BENCH_SHAPE } from './bench-seed.js';
import { benchPostgres } from './bench-postgres.js';

export async function run(): Promise<void> {
  const server = await benchPostgres();
  if (server === null) {
    console.log('PostgreSQL is off (BENCH_POSTGRES=off), or not installed and MINUTES_TEST_DATABASE_URL is unset: nothing to measure');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'minutes-migrate-bench-'));
  try {
    const source = openDatabase(join(dir, 'minutes.db'));
    const t0 = performance.now();
    await seedActions(source);
    console.log(`seeded ${BENCH_SHAPE.actions.toLocaleString('en')} actions into SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s; PostgreSQL: ${server.label}`);
    const copy = async (batchRows: number) => {
      const target = await connectPostgres(await server.fresh());
      try {
        const start = performance.now();
        const r = await copySqliteToPostgres(source.handle, target, { batchRows });
        return { ms: performance.now() - start, rows: r.rows, search: r.searchRows };
      } finally {
        await target.close();
      }
    };
    const batched = await copy(1000);
    const single = await copy(1);
    const line = (name: string, r: { ms: number; rows: number; search: number }) =>
      `${name.padEnd(26)} ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en').padStart(8)} rows/s  (${r.rows.toLocaleString('en')} rows, ${r.search.toLocaleString('en')} search entries)`;
    console.log(line('one INSERT per row', single));
    console.log(line('1,000 rows per INSERT', batched) + `  ${(single.ms / batched.ms).toFixed(1)}x faster`);
    await source.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.stop();
  }
}
