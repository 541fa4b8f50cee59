import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  bindValues,
  type BindArgs,
  type BindFor,
  type Database,
  type RunResult,
  type Statement,
  type TransactionOptions,
} from './database.js';
import { runPostgresMigrations } from './postgres-migrate.js';

/**
 * The one advisory lock every write transaction takes (`pg_advisory_xact_lock`), on every
 * instance: the bytes of "minutes" as a 64-bit number. The services were written for SQLite,
 * where `BEGIN IMMEDIATE` lets one writer in at a time: they read, decide and write inside a
 * transaction and rely on nobody writing in between (no duplicate meeting for one series and
 * date, no action change lost to a concurrent one). PostgreSQL's READ COMMITTED would let two
 * instances interleave there; taking this lock first keeps the one-writer rule exactly, without
 * rewriting each read-modify-write with row locks or SERIALIZABLE retries. Readers never take it.
 */
export const WRITE_LOCK_KEY = '30796695599342963';

/** First key of the two-key advisory locks of `exclusive` ("Minu"); the second is hashtext(name). */
export const EXCLUSIVE_LOCK_CLASS = 0x4d696e75;

interface Tx {
  client: pg.PoolClient;
  savepoints: number;
  /** Settled: statements of this context made after the end go to the pool. */
  done: boolean;
  /** A statement failed on this client: it is destroyed, not returned to the pool. */
  failed: boolean;
}

type Shape = 'object' | 'pluck' | 'raw';

/** A SQL text translated to PostgreSQL's `$n` parameters. */
interface Translated {
  text: string;
  /** How many `?` there are (each its own `$n`, in order). */
  positional: number;
  /** `@name`s in `$n` order (a name used twice has one `$n`). */
  names: string[];
}

/**
 * The PostgreSQL driver over a `pg.Pool`, with the SQLite driver's behaviour: the same SQL
 * (`?` and `@name` parameters, translated once per SQL text), rows shaped like better-sqlite3's
 * (bigint and numeric as JS numbers), transactions carried by the async context with savepoints
 * for nesting.
 *
 * Outside a transaction a read goes to the pool; a `run` (a write) is a transaction of its own,
 * so it too waits for the writers' lock as a lone write waits for SQLite's write lock.
 */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly context = new AsyncLocalStorage<Tx>();
  /**
   * Per SQL text: its translation, and the name it is prepared under on each connection (from
   * the translated text), so PostgreSQL parses and plans each statement once per connection.
   */
  private readonly translations = new Map<string, Translated & { name: string }>();

  constructor(
    readonly pool: pg.Pool,
    /** The connection string it was opened with, if any (tests open a second pool on it). */
    readonly url: string | null = null,
  ) {}

  prepare<P extends unknown[] | object = unknown[], Row = unknown>(sql: string): Statement<P, Row> {
    return new PostgresStatement<P, Row>(this, sql, 'object');
  }

  all<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row[]> {
    return this.prepare<unknown[], Row>(sql).all(...args);
  }

  get<Row = unknown>(sql: string, ...args: BindArgs): Promise<Row | undefined> {
    return this.prepare<unknown[], Row>(sql).get(...args);
  }

  run(sql: string, ...args: BindArgs): Promise<RunResult> {
    return this.prepare(sql).run(...args);
  }

  /** Multi-statement SQL without parameters (the simple query protocol). */
  async exec(sql: string): Promise<void> {
    await this.send(sql, undefined, 'object');
  }

  inTransaction(): boolean {
    const tx = this.context.getStore();
    return tx !== undefined && !tx.done;
  }

  async transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const current = this.context.getStore();
    if (current !== undefined && !current.done) return this.savepoint(current, fn);
    const client = await this.pool.connect();
    const tx: Tx = { client, savepoints: 0, done: false, failed: false };
    // Set when the connection may be left mid-transaction or dead: it is destroyed, not reused.
    let broken: Error | undefined;
    try {
      try {
        // Readers see one snapshot throughout, as a SQLite read transaction does; writers read
        // what was committed before they got the lock (READ COMMITTED: a snapshot per statement).
        const begin = options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN';
        // One round trip: a simple query may hold both statements.
        await client.query(options.customPlans ? `${begin}; SET LOCAL plan_cache_mode = force_custom_plan` : begin);
        // `writersLock: false` (see TransactionOptions): the caller's statements are safe among
        // concurrent writers by themselves (row locks, SKIP LOCKED, an atomic upsert).
        if (!options.readOnly && options.writersLock !== false) await client.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`);
      } catch (err) {
        broken = err as Error;
        throw err;
      }
      let result: T;
      try {
        result = await this.context.run(tx, fn);
      } catch (err) {
        tx.done = true;
        if (tx.failed) broken = err as Error;
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw err;
      }
      tx.done = true;
      try {
        await client.query('COMMIT');
      } catch (err) {
        // A refused COMMIT (a deferred constraint) ends the transaction; a lost connection does not.
        if (isConnectionError(err)) broken = err as Error;
        throw err;
      }
      return result;
    } finally {
      tx.done = true;
      client.release(broken);
    }
  }

  /**
   * A session advisory lock (`pg_try_advisory_lock`) taken on a connection kept for the whole of
   * `fn`, so the lock lives exactly as long as the work: released in `finally`, and if the
   * process dies the server ends the session and the lock goes with it. The two-key form
   * (EXCLUSIVE_LOCK_CLASS, hash of `name`) never meets the writers' one-key lock.
   */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ value: T } | null> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // The connection sits idle while `fn` runs: if it is lost then (the server restarted, the
    // session was terminated) the lock is gone with it and the client says so by an 'error'
    // event, which must not end the process; the pass goes on (its dedupe keeps it correct).
    const lost = (err: Error) => {
      broken ??= err;
    };
    client.on('error', lost);
    try {
      const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [EXCLUSIVE_LOCK_CLASS, name]);
      if (!got.rows[0]?.got) return null;
      try {
        // `fn` runs in the caller's context, not in a transaction: its statements use the pool.
        return { value: await fn() };
      } finally {
        try {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [EXCLUSIVE_LOCK_CLASS, name]);
        } catch (err) {
          // Not knowing whether the lock went: the connection is destroyed, which ends it.
          broken = err as Error;
        }
      }
    } catch (err) {
      if (isConnectionError(err)) broken ??= err as Error;
      throw err;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The SQL text with `$n` parameters, the values in `$n` order, and its statement name. */
  bind(sql: string, args: BindArgs): { text: string; values: unknown[]; name: string } {
    let t = this.translations.get(sql);
    if (t === undefined) {
      const translated = translate(sql);
      t = { ...translated, name: `m${createHash('sha1').update(translated.text).digest('hex').slice(0, 24)}` };
      this.translations.set(sql, t);
    }
    return { text: t.text, values: orderValues(t, args), name: t.name };
  }

  /**
   * Sends one query on the context's transaction client, or on the pool: prepared under `name`
   * when one is given (the repositories' statements, see `bind`), else parsed as sent.
   */
  async send(text: string, values: unknown[] | undefined, shape: Shape, name?: string): Promise<pg.QueryResult> {
    const tx = this.context.getStore();
    const config: pg.QueryConfig = name === undefined ? { text, values } : { name, text, values };
    if (shape !== 'object') (config as pg.QueryArrayConfig).rowMode = 'array';
    if (tx === undefined || tx.done) return this.pool.query(config);
    try {
      return await tx.client.query(config);
    } catch (err) {
      tx.failed = true;
      throw err;
    }
  }

  private async savepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
    const name = `sp${++tx.savepoints}`;
    await tx.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      await tx.client.query(`RELEASE ${name}`);
      return result;
    } catch (err) {
      await tx.client.query(`ROLLBACK TO ${name}`);
      await tx.client.query(`RELEASE ${name}`);
      throw err;
    } finally {
      tx.savepoints--;
    }
  }
}

class PostgresStatement<P extends unknown[] | object, Row> implements Statement<P, Row> {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly sql: string,
    private readonly shape: Shape,
  ) {}

  async all(...args: BindFor<P>): Promise<Row[]> {
    const { text, values, name } = this.db.bind(this.sql, args as BindArgs);
    const result = await this.db.send(text, values, this.shape, name);
    return this.shape === 'pluck' ? (result.rows as unknown[][]).map((r) => r[0] as Row) : (result.rows as Row[]);
  }

  async get(...args: BindFor<P>): Promise<Row | undefined> {
    return (await this.all(...args))[0];
  }

  run(...args: BindFor<P>): Promise<RunResult> {
    const { text, values, name } = this.db.bind(this.sql, args as BindArgs);
    const write = async (): Promise<RunResult> => ({ changes: (await this.db.send(text, values, 'object', name)).rowCount ?? 0 });
    return this.db.inTransaction() ? write() : this.db.transaction(write);
  }

  pluck<T = Row>(): Statement<P, T> {
    return new PostgresStatement<P, T>(this.db, this.sql, 'pluck');
  }

  raw<T = Row>(): Statement<P, T> {
    return new PostgresStatement<P, T>(this.db, this.sql, 'raw');
  }
}

/**
 * `?` and `@name` to `$1..$n`, once per SQL text, and camelCase names quoted (`AS personId`
 * answers the key `personId` on both databases). String literals ('it''s'), quoted identifiers
 * ("a?"), dollar-quoted bodies and comments (-- and /* *\/) are copied untouched.
 */
export function translate(sql: string): Translated {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= n) break;
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? n : j;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? n : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '$' && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))![0];
      const j = sql.indexOf(tag, i + tag.length);
      const end = j < 0 ? n : j + tag.length;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      positional++;
      out += `$${positional + names.length}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let k = names.indexOf(name);
      if (k < 0) k = names.push(name) - 1;
      out += `$${positional + k + 1}`;
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      // A word: camelCase ones (aliases such as `AS personId`, and references to them) are
      // quoted, since PostgreSQL folds unquoted names to lower case and SQLite keeps them as written.
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      out += /^[a-z_][A-Za-z0-9_]*$/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_.]/.test(sql[j]!)) j++;
      out += sql.slice(i, j);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) {
    throw new TypeError('SQL mixes ? and @name parameters; use one kind per statement');
  }
  return { text: out, positional, names };
}

/**
 * The bind arguments in `$n` order, checked as better-sqlite3 checks them: a named parameter
 * absent from the object, or too few or too many positional values, is an error; `undefined`
 * binds as NULL, a boolean (or any other object than a Buffer) is refused.
 */
function orderValues(t: Translated, args: BindArgs): unknown[] {
  const bound = bindValues(args);
  let values: unknown[];
  if (t.names.length > 0) {
    if (bound === undefined || Array.isArray(bound)) throw new RangeError(`Missing named parameter "${t.names[0]}"`);
    values = t.names.map((name) => {
      if (!(name in bound)) throw new RangeError(`Missing named parameter "${name}"`);
      return bound[name];
    });
  } else {
    values = bound === undefined || !Array.isArray(bound) ? [] : bound;
    if (values.length < t.positional) throw new RangeError('Too few parameter values were provided');
    if (values.length > t.positional) throw new RangeError('Too many parameter values were provided');
  }
  return values.map(checkValue);
}

function checkValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null');
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  // PostgreSQL's own errors have a five-character SQLSTATE; others (ECONNRESET, ...) are the socket's.
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57');
}

/** bigint (count(*), sum) and numeric as JS numbers, as better-sqlite3 answers them. */
function poolTypes(): pg.CustomTypesConfig {
  const parsers: Record<number, (v: string) => unknown> = {
    20: Number, // int8
    1700: Number, // numeric
  };
  return {
    getTypeParser: ((oid: number, format?: string) =>
      parsers[oid] && format !== 'binary' ? parsers[oid] : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** A pool on `url` with the pool-own type parsers (the global `pg.types` is left alone). */
export function createPool(url: string, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max,
    application_name: 'minutes',
    types: poolTypes(),
    // Statements are prepared once per connection (see `translations`); by default PostgreSQL
    // still plans each execution anew for the parameters given (0.3-0.5 ms for a listing, as
    // much as running it), since the cached generic plan is estimated dearer. The app's plans
    // do not hinge on parameter values (ids and lists go through indexes either way), so the
    // generic plan is kept. Set on each new connection before the pool hands it out; a URL's
    // own `options` stay as given. A server that refuses it plans as before.
    onConnect: async (client) => {
      await client.query('SET plan_cache_mode = force_generic_plan').catch(() => {});
    },
  });
}

/**
 * Opens the PostgreSQL database at `url` (DATABASE_URL) and brings its schema up to date.
 * Two instances starting together do not race: each migration runs in a write transaction,
 * under the writers' advisory lock.
 */
export async function connectPostgres(url: string, { migrate = true }: { migrate?: boolean } = {}): Promise<PostgresDatabase> {
  const pool = createPool(url);
  // An idle connection the server dropped (restart, failover) is discarded by the pool; the
  // next query opens a new one. Without a listener the event would end the process.
  pool.on('error', () => {});
  const db = new PostgresDatabase(pool, url);
  try {
    if (migrate) await runPostgresMigrations(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
