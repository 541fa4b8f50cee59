import type { BindArgs, Database, Dialect, RunResult, Statement, TransactionOptions } from '../../server/db/database.js';

/**
 * A database that becomes usable once `ready` resolves, for test worlds opened synchronously
 * (`openWorld`) on a PostgreSQL database that is still being created and migrated. Every call
 * waits for it, then goes to the real driver.
 */
export class DeferredDatabase implements Database {
  private resolved: Database | null = null;

  constructor(
    readonly dialect: Dialect,
    readonly ready: Promise<Database>,
  ) {
    ready.then((db) => (this.resolved = db), () => undefined);
  }

  prepare<P extends unknown[] | object = unknown[], Row = unknown>(sql: string): Statement<P, Row> {
    return deferredStatement<P, Row>(this.ready.then((db) => db.prepare<P, Row>(sql)));
  }

  all<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row[]> {
    return this.ready.then((db) => db.all<Row>(sql, ...args));
  }

  get<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row | undefined> {
    return this.ready.then((db) => db.get<Row>(sql, ...args));
  }

  run(sql: string, ...args: BindArgs): Promise<RunResult> {
    return this.ready.then((db) => db.run(sql, ...args));
  }

  exec(sql: string): Promise<void> {
    return this.ready.then((db) => db.exec(sql));
  }

  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.ready.then((db) => db.transaction(fn, options));
  }

  exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ value: T } | null> {
    return this.ready.then((db) => db.exclusive(name, fn));
  }

  inTransaction(): boolean {
    return this.resolved?.inTransaction() ?? false;
  }

  close(): Promise<void> {
    return this.ready.then((db) => db.close());
  }
}

function deferredStatement<P extends unknown[] | object, Row>(stmt: Promise<Statement<P, Row>>): Statement<P, Row> {
  return {
    all: (...args) => stmt.then((s) => s.all(...args)),
    get: (...args) => stmt.then((s) => s.get(...args)),
    run: (...args) => stmt.then((s) => s.run(...args)),
    pluck: <T = Row>() => deferredStatement<P, T>(stmt.then((s) => s.pluck<T>())),
    raw: <T = Row>() => deferredStatement<P, T>(stmt.then((s) => s.raw<T>())),
  };
}
