import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectPostgres } from '../../server/db/postgres-database.js';
import { postgresFor, testDialect } from './env.js';

/**
 * Runs one query on the database of a data folder the spawned CLI wrote (its SQLite file, or
 * on PostgreSQL the folder's own database) and answers the rows: what a test reads behind the
 * CLI's back. Write the query portably (see /work/prompts/pg-sql-audit.md, e.g. `count(*) AS n`).
 */
export async function dataDirRows<Row = Record<string, unknown>>(dataDir: string, query: string, ...args: unknown[]): Promise<Row[]> {
  if (testDialect === 'postgres') {
    const db = await connectPostgres(await postgresFor(dataDir), { migrate: false });
    try {
      return await db.all<Row>(query, ...args);
    } finally {
      await db.close();
    }
  }
  const db = new Database(join(dataDir, 'minutes.db'), { readonly: true });
  try {
    return db.prepare(query).all(...args) as Row[];
  } finally {
    db.close();
  }
}

/** Runs one write on the database of a data folder from a connection of its own (another process's, say). */
export async function dataDirRun(dataDir: string, query: string, ...args: unknown[]): Promise<number> {
  if (testDialect === 'postgres') {
    const db = await connectPostgres(await postgresFor(dataDir), { migrate: false });
    try {
      return (await db.run(query, ...args)).changes;
    } finally {
      await db.close();
    }
  }
  const db = new Database(join(dataDir, 'minutes.db'));
  try {
    return db.prepare(query).run(...args).changes;
  } finally {
    db.close();
  }
}

/**
 * The environment a process spawned by a test (not through `runCli`, e.g. `minutes serve`)
 * needs to open the data folder's database: its `DATABASE_URL` on PostgreSQL, nothing on SQLite.
 */
export async function dataDirEnv(dataDir: string): Promise<Record<string, string>> {
  return testDialect === 'postgres' ? { DATABASE_URL: await postgresFor(dataDir) } : {};
}
