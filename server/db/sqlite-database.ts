import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteReadPool, type RowMode } from './sqlite-read-pool.js';
import {
  bindValues,
  type BindArgs,
  type BindFor,
  type Database,
  type RunResult,
  type Statement,
  type TransactionOptions,
} from './database.js';

interface Tx {
  savepoints: number;
}

/**
 * The better-sqlite3 driver. better-sqlite3 is synchronous and the process has one connection,
 * so a transaction that awaits between its statements must keep everyone else's statements out
 * of it: while a transaction holds the connection, statements and transactions from other async
 * contexts wait their turn (first come, first served). Outside a transaction a statement runs
 * at once, as before; the promise is already settled when it is returned.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly context = new AsyncLocalStorage<Tx>();
  private holder: Tx | null = null;
  private readonly held = new Set<string>();
  private readonly waiting: Array<{ tx: Tx; start: () => void } | { run: () => void }> = [];
  /** Reader threads for reads outside transactions (the server's), or none: all on this connection. */
  private pool: SqliteReadPool | null = null;
  private committed = 0;

  constructor(
    /** The better-sqlite3 handle, for SQLite-only work (pragmas, backup, migrations). */
    readonly handle: BetterSqlite3.Database,
  ) {}

  prepare<P extends unknown[] | object = unknown[], Row = unknown>(sql: string): Statement<P, Row> {
    return new SqliteStatement<P, Row>(this, this.handle.prepare(sql));
  }

  async all<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row[]> {
    return await this.prepare<unknown[], Row>(sql).all(...args);
  }

  async get<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row | undefined> {
    return await this.prepare<unknown[], Row>(sql).get(...args);
  }

  async run(sql: string, ...args: BindArgs): Promise<RunResult> {
    return await this.prepare(sql).run(...args);
  }

  async exec(sql: string): Promise<void> {
    return await this.when(() => {
      this.handle.exec(sql);
    });
  }

  /**
   * Sends reads made outside any transaction to `threads` reader threads, each with its own
   * connection (file databases only; `pragmas` are run on each new connection).
   */
  useReaders(threads: number, pragmas: string[] = []): void {
    if (threads < 1 || this.pool || this.handle.memory) return;
    this.pool = new SqliteReadPool(this.handle.name, threads, pragmas, this.handle.pragma('busy_timeout', { simple: true }) as number);
  }

  /**
   * The reader pool for a statement made now that only reads (`readOnly`: it answers rows and
   * writes nothing), or null when it runs on this connection.
   */
  readerFor(readOnly: boolean): SqliteReadPool | null {
    if (this.pool === null || !readOnly || !this.pool.usable) return null;
    const tx = this.context.getStore();
    return tx !== undefined && tx === this.holder ? null : this.pool;
  }

  /**
   * Transactions this connection has committed. `total_changes()` counts a transaction's writes
   * as they are made, before its COMMIT: a cache key read mid-transaction by another request,
   * whose read a reader thread answered from before the transaction, would otherwise still
   * match once the transaction commits (see `data-version.ts`).
   */
  get commits(): number {
    return this.committed;
  }

  inTransaction(): boolean {
    const tx = this.context.getStore();
    return tx !== undefined && tx === this.holder;
  }

  async transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const current = this.context.getStore();
    if (current !== undefined && current === this.holder) return this.savepoint(current, fn);
    const tx: Tx = { savepoints: 0 };
    await this.acquire(tx);
    try {
      this.handle.exec(options.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await this.context.run(tx, fn);
      } catch (err) {
        if (this.handle.inTransaction) this.handle.exec('ROLLBACK');
        throw err;
      }
      try {
        this.handle.exec('COMMIT');
        this.committed++;
      } catch (err) {
        // A failed COMMIT (disk full, I/O error) may leave the transaction open: close it, so the
        // connection is usable by whoever comes next.
        if (this.handle.inTransaction) this.handle.exec('ROLLBACK');
        throw err;
      }
      return result;
    } finally {
      this.release();
    }
  }

  /**
   * An in-process guard: one process has one connection, and other processes on the same file
   * (the CLI, a second server) are kept correct by the write lock and the callers' own dedupe
   * (e.g. one digest per person and period, INSERT ... ON CONFLICT DO NOTHING).
   */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.held.has(name)) return null;
    this.held.add(name);
    try {
      return { value: await fn() };
    } finally {
      this.held.delete(name);
    }
  }

  async backup(file: string): Promise<void> {
    await this.handle.backup(file);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
    if (this.handle.open) this.handle.close();
  }

  /** Runs `work` now when the calling context may use the connection, else when it may. */
  async when<T>(work: () => T): Promise<T> {
    if (this.holder === null || this.context.getStore() === this.holder) {
      try {
        return await Promise.resolve(work());
      } catch (err) {
        return await Promise.reject(err);
      }
    }
    return new Promise<T>((resolve, reject) =>
      this.waiting.push({
        run: () => {
          try {
            resolve(work());
          } catch (err) {
            reject(err);
          }
        },
      }),
    );
  }

  private async savepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
    const name = `sp${++tx.savepoints}`;
    this.handle.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      this.handle.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      this.handle.exec(`ROLLBACK TO ${name}`);
      this.handle.exec(`RELEASE ${name}`);
      throw err;
    } finally {
      tx.savepoints--;
    }
  }

  private async acquire(tx: Tx): Promise<void> {
    if (this.holder === null) {
      this.holder = tx;
      return await Promise.resolve();
    }
    return new Promise<void>((start) => this.waiting.push({ tx, start }));
  }

  private release(): void {
    this.holder = null;
    // Run the statements queued before the next transaction, then hand it the connection.
    while (this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      if ('run' in next) {
        next.run();
        continue;
      }
      this.holder = next.tx;
      next.start();
      return;
    }
  }
}

class SqliteStatement<P extends unknown[] | object, Row> implements Statement<P, Row> {
  /** The pluck and raw shapes, prepared on first use and kept: a listing asks for them per call. */
  private shapes?: { pluck?: SqliteStatement<P, unknown>; raw?: SqliteStatement<P, unknown> };

  /** Answers rows and writes nothing (`INSERT … RETURNING` answers rows but writes): a reader thread may run it. */
  private readonly readOnly: boolean;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly stmt: BetterSqlite3.Statement,
    private readonly mode: RowMode = 'rows',
  ) {
    this.readOnly = stmt.reader && stmt.readonly;
  }

  async all(...args: BindFor<P>): Promise<Row[]> {
    const pool = this.db.readerFor(this.readOnly);
    if (pool) return await pool.read<Row[]>(this.stmt.source, this.mode, false, bind(args));
    return await this.db.when(() => this.stmt.all(...bind(args)) as Row[]);
  }

  async get(...args: BindFor<P>): Promise<Row | undefined> {
    const pool = this.db.readerFor(this.readOnly);
    if (pool) return await pool.read<Row | undefined>(this.stmt.source, this.mode, true, bind(args));
    return await this.db.when(() => this.stmt.get(...bind(args)) as Row | undefined);
  }

  async run(...args: BindFor<P>): Promise<RunResult> {
    return await this.db.when(() => ({ changes: this.stmt.run(...bind(args)).changes }));
  }

  /**
   * better-sqlite3's pluck/raw switch the statement object itself; each shape gets its own
   * statement so `prepare(sql)` and `prepare(sql).pluck()` can be kept side by side.
   */
  pluck<T = Row>(): Statement<P, T> {
    return this.shape('pluck') as Statement<P, T>;
  }

  raw<T = Row>(): Statement<P, T> {
    return this.shape('raw') as Statement<P, T>;
  }

  private shape(kind: 'pluck' | 'raw'): SqliteStatement<P, unknown> {
    this.shapes ??= {};
    return (this.shapes[kind] ??= new SqliteStatement<P, unknown>(this.db, this.stmt.database.prepare(this.stmt.source)[kind](true), kind));
  }
}

function bind(args: BindArgs | BindFor<never>): unknown[] {
  const values = bindValues(args as BindArgs);
  return values === undefined ? [] : [values];
}
