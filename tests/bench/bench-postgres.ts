import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DATABASE_URL_ENV, postgresBinDir, startCluster } from '../helpers/postgres-cluster.js';
import type { SqliteDatabase } from '../../server/db/sqlite-database.js';
import type { PostgresDatabase } from '../../server/db/postgres-database.js';

/**
 * The PostgreSQL database of `url` holding the rows of `sqlite`, copied as `minutes
 * migrate-to-postgres` does (the copy ends with ANALYZE), answered on connections opened after
 * the copy, as a server started after the migration would. (Searches over the copier's own
 * connections ran 5-10x slower, unexplained; no real install reads through them.)
 */
export async function postgresCopyOf(sqlite: SqliteDatabase, url: string): Promise<PostgresDatabase> {
  const { connectPostgres } = await import('../../server/db/postgres-database.js');
  const { copySqliteToPostgres } = await import('../../server/db/postgres-copy.js');
  const copier = await connectPostgres(url);
  try {
    await copySqliteToPostgres(sqlite.handle, copier);
  } finally {
    await copier.close();
  }
  return await connectPostgres(url, { migrate: false });
}

/**
 * PostgreSQL for the benches: the server of MINUTES_TEST_DATABASE_URL, else a throw-away cluster
 * (tests/helpers/postgres-cluster.ts: loopback, fsync off — as the test suite runs it). null
 * when neither exists (the benches then measure SQLite only, saying so).
 */
export interface BenchPostgres {
  /** A new empty database (byte-order text, UTF-8), its URL. */
  fresh(): Promise<string>;
  stop(): void;
  /** Where it runs, for the printout. */
  label: string;
}

export async function benchPostgres(): Promise<BenchPostgres | null> {
  // BENCH_POSTGRES=off measures SQLite only (quicker, while working on the SQLite side).
  if (process.env.BENCH_POSTGRES === 'off') return null;
  let url = process.env[DATABASE_URL_ENV] || null;
  let stop = () => {};
  let label = `server of ${DATABASE_URL_ENV}`;
  if (url === null) {
    const bin = postgresBinDir();
    if (bin === null) return null;
    const cluster = await startCluster(bin);
    url = cluster.url;
    stop = () => cluster.stop();
    label = `throw-away cluster (${bin.split('/').at(-2)}, fsync off)`;
  }
  const admin = url;
  return {
    label,
    stop,
    async fresh() {
      const name = `bench_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
      } finally {
        await client.end();
      }
      const u = new URL(admin);
      u.pathname = `/${name}`;
      return u.toString();
    },
  };
}
