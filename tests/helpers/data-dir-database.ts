import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectPostgres } from '../../server/db/postgres-database.js';
import { postgresFor, testDialect } from './env.js';

/**
 * Runs `work` on the database of a data folder the spawned CLI wrote, from a connection of its
 * own (another process's, say): its SQLite file, or on PostgreSQL the folder's own database.
 */
async function onDataDir<T>(dataDir: string, readonly: boolean, work: (db: { all: (q: string, ...a: unknown[]) => Promise<unknown[]>; run: (q: string, ...a: unknown[]) => Promise<number> }) => Promise<T>): Promise<T> {
  if (testDialect === 'postgres') {
    const db = await connectPostgres(await postgresFor(dataDir), { migrate: false });
    try {
      return await work({ all: (q, ...a) => db.all(q, ...a), run: async (q, ...a) => (await db.run(q, ...a)).changes });
    } finally {
      await db.close();
    }
  }
  const db = new Database(join(dataDir, 'minutes.db'), { readonly });
  try {
    return await work({ all: async (q, ...a) => db.prepare(q).all(...a), run: async (q, ...a) => db.prepare(q).run(...a).changes });
  } finally {
    db.close();
  }
}

/**
 * The rows of one query on a data folder's database: what a test reads behind the CLI's back.
 * Write the query so both databases read it alike (e.g. `count(*) AS n`, not a bare `count(*)`).
 */
export async function dataDirRows<Row = Record<string, unknown>>(dataDir: string, query: string, ...args: unknown[]): Promise<Row[]> {
  return (await onDataDir(dataDir, true, (db) => db.all(query, ...args))) as Row[];
}

/** Runs one write on a data folder's database; answers how many rows it changed. */
export async function dataDirRun(dataDir: string, query: string, ...args: unknown[]): Promise<number> {
  return await onDataDir(dataDir, false, (db) => db.run(query, ...args));
}

/**
 * The environment a process spawned by a test (not through `runCli`, e.g. `minutes serve`)
 * needs to open the data folder's database: its `DATABASE_URL` on PostgreSQL, nothing on SQLite.
 */
export async function dataDirEnv(dataDir: string): Promise<Record<string, string>> {
  return testDialect === 'postgres' ? { DATABASE_URL: await postgresFor(dataDir) } : {};
}
