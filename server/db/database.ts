/**
 * The one database interface the repositories and services use, with two drivers:
 * better-sqlite3 (`sqlite-database.ts`, the default) and PostgreSQL (`postgres-database.ts`).
 *
 * Everything is asynchronous. A transaction is carried by the async context
 * (AsyncLocalStorage): a repository call made while a service's `transaction(fn)` runs joins that
 * transaction without being handed a connection, and a nested `transaction` becomes a savepoint.
 *
 * SQL is written once, with `?` positional or `@name` named parameters; the PostgreSQL driver
 * translates them. Where the dialects differ, the caller branches on `dialect`.
 */
export type Dialect = 'sqlite' | 'postgres';

/** Positional values (`?`), or one object of named values (`@name`). */
export type BindArgs = unknown[];

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** Bind arguments as better-sqlite3 types them: a tuple of positional values, or one object. */
export type BindFor<P> = P extends unknown[] ? P : [P];

/**
 * A statement prepared once and run many times, with better-sqlite3's call shapes and type
 * parameters (`prepare<[number], Row>(sql)`).
 */
export interface Statement<P extends unknown[] | object = unknown[], Row = unknown> {
  all(...args: BindFor<P>): Promise<Row[]>;
  get(...args: BindFor<P>): Promise<Row | undefined>;
  run(...args: BindFor<P>): Promise<RunResult>;
  /** The same statement answering the first column of each row (type it with `as`). */
  pluck<T = Row>(): Statement<P, T>;
  /** The same statement answering each row as an array of its columns, in select order. */
  raw<T = Row>(toggle?: true): Statement<P, T>;
}

export interface TransactionOptions {
  /**
   * A transaction that only reads: SQLite begins it DEFERRED instead of IMMEDIATE, PostgreSQL
   * skips the writers' lock. Every other transaction takes the write lock when it begins, so two
   * writers never interleave (on PostgreSQL across every instance), as they never could on the
   * one-file database.
   */
  readOnly?: boolean;
  /**
   * `false`: a write transaction that does NOT take the writers' lock (PostgreSQL; SQLite has
   * one writer at a time anyway and ignores it). Only for work that is safe under concurrent
   * writers on its own: a single atomic statement (an upsert), or rows claimed with
   * `FOR UPDATE SKIP LOCKED`. Everything that reads, decides and writes keeps the lock.
   */
  writersLock?: boolean;
  /**
   * Plan each statement for the values it is given (PostgreSQL; SQLite always does). The
   * PostgreSQL driver keeps prepared statements' generic plans (see `createPool`), which suits
   * lookups by id. Full-text search needs the query text to plan: a generic plan cannot tell a
   * word in every row from one in none (no GIN index), and calls the PL/pgSQL
   * `search_query()` once per row it checks. The reminder pass's big reads over date and id
   * ranges are planned per call too. Ignored by a nested transaction (a savepoint).
   */
  customPlans?: boolean;
}

export interface Database {
  readonly dialect: Dialect;
  prepare<P extends unknown[] | object = unknown[], Row = unknown>(sql: string): Statement<P, Row>;
  all<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row[]>;
  get<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row | undefined>;
  run(sql: string, ...args: BindArgs): Promise<RunResult>;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when its promise resolves, rolled back when it
   * rejects (the rejection is passed on). Nested calls are savepoints. `fn` must await only
   * database work: the connection is held until it settles.
   */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` while holding the lock `name`, held by at most one caller at a time: on
   * PostgreSQL across every instance (a session advisory lock on a connection of its own, for
   * the whole of `fn`; released when `fn` settles, or by the server when the process dies),
   * on SQLite within this process. Answers null at once, without running `fn`, when someone
   * holds it. `fn` runs outside any transaction (it may start its own).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ value: T } | null>;
  /** True while the calling async context is inside `transaction`. */
  inTransaction(): boolean;
  close(): Promise<void>;
  /** An online copy of the whole database into `file` (SQLite only; PostgreSQL has pg_dump). */
  backup?(file: string): Promise<void>;
}

/** Thrown inside `transaction(fn)` to roll back on purpose (dry runs); `value` is the result. */
export class Rollback<T = unknown> extends Error {
  constructor(readonly value: T) {
    super('rolled back on purpose');
    this.name = 'Rollback';
  }
}

/** Runs `fn` in a transaction that is always rolled back, and answers what `fn` answered. */
export async function dryRun<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  try {
    const value = await db.transaction(async () => {
      throw new Rollback(await fn());
    });
    return value as never;
  } catch (err) {
    if (err instanceof Rollback) return err.value as T;
    throw err;
  }
}

/**
 * `read` in a read-only transaction planned for its values (`customPlans`): for the reads whose
 * best plan depends on them (full-text search, the reminder pass's ranges). `when` false (say,
 * no text filter): `read` as it is. Inside another transaction it simply runs in it (a savepoint
 * would cost two round trips and could not change the plans: the outer transaction asks for
 * custom plans itself when it needs them).
 */
export async function readPlannedForValues<T>(db: Database, read: () => Promise<T>, when = true): Promise<T> {
  if (!when || db.inTransaction()) return await read();
  return await db.transaction(read, { readOnly: true, customPlans: true });
}

/**
 * Normalises better-sqlite3-style bind arguments: `f(a, b)`, `f([a, b])` and `f({ name })`.
 * Answers an array of positional values or one object of named values, or undefined.
 */
export function bindValues(args: BindArgs): unknown[] | Record<string, unknown> | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1) {
    const only = args[0];
    if (Array.isArray(only)) return only;
    if (only !== null && typeof only === 'object' && !(only instanceof Uint8Array) && !(only instanceof Date)) {
      return only as Record<string, unknown>;
    }
  }
  return args;
}
