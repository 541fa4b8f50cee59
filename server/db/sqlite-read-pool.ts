import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How a statement answers: rows as objects, the first column only, or rows as arrays. */
export type RowMode = 'rows' | 'pluck' | 'raw';

/**
 * The reader thread: its own connection to the same file (WAL lets it read while the main
 * connection writes), `query_only`, with statements prepared on first use and kept. Plain
 * CommonJS run with `eval`, so it needs no compiled script (the same code runs from source,
 * from `dist/` and from the bundle); the driver's path comes from the main thread.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
for (const p of workerData.pragmas) db.pragma(p);
const kept = new Map();
// Whether an answer holds a BLOB (a Buffer), looked for here rather than on the thread serving HTTP.
const isBuffer = (v) => Buffer.isBuffer(v);
const rowHas = (r) => isBuffer(r) || (r !== null && typeof r === 'object' && Object.values(r).some(isBuffer));
const hasBuffer = (rows) => (Array.isArray(rows) && !isBuffer(rows) ? rows.some(rowHas) : rowHas(rows));
parentPort.on('message', (m) => {
  try {
    const key = m.mode + ' ' + m.sql;
    let s = kept.get(key);
    if (!s) {
      s = db.prepare(m.sql);
      if (m.mode !== 'rows') s[m.mode](true);
      if (kept.size >= 1000) kept.delete(kept.keys().next().value);
      kept.set(key, s);
    }
    const rows = m.one ? s.get(...m.args) : s.all(...m.args);
    parentPort.postMessage({ id: m.id, rows, blobs: hasBuffer(rows) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

/**
 * A BLOB crosses threads as a Uint8Array; better-sqlite3 answers it as a Buffer, so it becomes
 * one again (only in answers the reader says hold one: most hold none).
 */
function toBuffer(v: unknown): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

function withBuffers(rows: unknown): unknown {
  const row = (r: unknown): unknown => {
    if (r instanceof Uint8Array) return toBuffer(r);
    if (Array.isArray(r)) {
      for (let i = 0; i < r.length; i++) r[i] = toBuffer(r[i]);
    } else if (r !== null && typeof r === 'object') {
      const o = r as Record<string, unknown>;
      for (const k in o) o[k] = toBuffer(o[k]);
    }
    return r;
  };
  if (!Array.isArray(rows)) return row(rows);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (typeof r === 'object' && r !== null) rows[i] = row(r);
  }
  return rows;
}

interface Pending {
  worker: number;
  resolve: (rows: unknown) => void;
  reject: (err: Error) => void;
}

/** A failed read, shaped as better-sqlite3's `SqliteError` (message and `code`). */
class SqliteReadError extends Error {
  override name = 'SqliteError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Threads that answer reads made outside any transaction, each on its own connection, so the
 * SQL of requests runs beside the thread that serves HTTP instead of on it. A read sees every
 * transaction committed before it was sent (as a PostgreSQL read does).
 */
export class SqliteReadPool {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private closed = false;

  constructor(file: string, threads: number, pragmas: string[], busyTimeoutMs: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.workers = Array.from({ length: threads }, () => new Worker(READER, { eval: true, workerData: { driver, file, pragmas, busyTimeoutMs } }));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((w, i) => {
      w.on('message', (m: { id: number; rows?: unknown; blobs?: boolean; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (--this.load[i] === 0) w.unref();
        if (m.error) p.reject(new SqliteReadError(m.error.message, m.error.code));
        else p.resolve(m.blobs ? withBuffers(m.rows) : m.rows);
      });
      const fail = (why: string) => {
        if (this.load[i] === Number.POSITIVE_INFINITY) return;
        this.load[i] = Number.POSITIVE_INFINITY;
        if (!this.closed) console.error(`database reader thread ${i + 1} failed (${why}); ${this.usable ? 'the others answer its reads' : 'reads run on the main thread'}`);
        for (const [id, p] of this.pending) {
          if (p.worker !== i) continue;
          this.pending.delete(id);
          p.reject(new SqliteReadError(`database reader thread failed: ${why}`, undefined));
        }
      };
      w.on('error', (err) => fail(err.message));
      w.on('exit', (code) => fail(`exited with code ${code}`));
      w.unref();
    });
  }

  /** True while at least one reader thread is alive. */
  get usable(): boolean {
    return !this.closed && this.load.some((l) => l !== Number.POSITIVE_INFINITY);
  }

  read<T>(sql: string, mode: RowMode, one: boolean, args: unknown[]): Promise<T> {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[best]) best = i;
    const id = this.next++;
    if (this.load[best]++ === 0) this.workers[best].ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { worker: best, resolve: resolve as (rows: unknown) => void, reject });
      this.workers[best].postMessage({ id, sql, mode, one, args });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
