/**
 * One worker thread that runs jobs one at a time, each within a time bound: a job that runs
 * over it (or a worker that runs out of memory or crashes) ends the thread, and the next job
 * gets a fresh one. CPU-heavy work on untrusted text (Markdown rendering and parsing) runs
 * here so it can never stall the server's event loop.
 *
 * Protocol (shared with `services/meetings/import-worker.ts`): the worker receives
 * `{ id, job }` and answers `{ id, outcome }`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.js';

/**
 * The compiled script `name` of the module at `moduleUrl`: beside it when running from
 * `dist/`, else its built copy `dist/server/<dir>/<name>` (running from source under
 * tsx/vitest); null when neither exists.
 */
export function compiledScript(moduleUrl: string, name: string, dir: string): string | null {
  const here = fileURLToPath(new URL(`./${name}`, moduleUrl));
  if (moduleUrl.endsWith('.js') && existsSync(here)) return here;
  const built = join(packageRoot, 'dist', 'server', dir, name);
  return existsSync(built) ? built : null;
}

export type BoundedOutcome<R> = { ok: true; value: R } | { ok: false; reason: 'timeout' | 'crashed'; message: string };

export interface BoundedWorker<J, R> {
  run(job: J): Promise<BoundedOutcome<R>>;
  close(): Promise<void>;
}

interface Pending<J, R> {
  id: number;
  job: J;
  done: (o: BoundedOutcome<R>) => void;
}

/**
 * A worker over `script` with a time bound per job and a heap bound per thread. The thread
 * starts on the first job and does not keep the process alive while idle.
 */
export function createBoundedWorker<J, R>(script: string, opts: { timeoutMs: number; maxMemoryMb: number }): BoundedWorker<J, R> {
  let worker: Worker | null = null;
  let busy: (Pending<J, R> & { timer: NodeJS.Timeout | undefined; worker: Worker }) | null = null;
  const ready = new WeakSet<Worker>();
  const queue: Pending<J, R>[] = [];
  let nextId = 0;
  let closed = false;

  const finish = (o: BoundedOutcome<R>) => {
    if (!busy) return;
    clearTimeout(busy.timer);
    const { done } = busy;
    busy = null;
    done(o);
    pump();
  };
  const kill = (w: Worker) => {
    if (worker === w) worker = null;
    void w.terminate();
  };
  const spawn = (): Worker => {
    // The thread lowers its own CPU priority (on Linux a thread's nice value is its own) before
    // loading the script, so a long job yields the cores to the event loop that serves requests.
    // It says when the script is loaded: the time bound counts from then (a cold start on a
    // busy machine must not fail the first job).
    const boot =
      `try { require('node:os').setPriority(19); } catch {} ` +
      `import(${JSON.stringify(pathToFileURL(script).href)}).then(() => require('node:worker_threads').parentPort.postMessage({ ready: true }));`;
    const w = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb } });
    w.on('message', (m: { id: number; outcome: R } | { ready: true }) => {
      if ('ready' in m) {
        ready.add(w);
        if (busy?.worker === w) startTimer();
      } else if (busy && m.id === busy.id) finish({ ok: true, value: m.outcome });
    });
    // Only the job this thread was running fails with it (a thread ended on a timeout exits
    // after the next job has started on a fresh one).
    w.on('error', (err) => {
      kill(w);
      if (busy?.worker === w) finish({ ok: false, reason: 'crashed', message: err.message });
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (busy?.worker === w) finish({ ok: false, reason: 'crashed', message: `worker exited with code ${code}` });
    });
    return w;
  };
  const pump = () => {
    if (busy || closed) return;
    const next = queue.shift();
    if (!next) {
      worker?.unref();
      return;
    }
    worker ??= spawn();
    const w = worker;
    w.ref();
    busy = { ...next, timer: undefined, worker: w };
    if (ready.has(w)) startTimer();
    w.postMessage({ id: next.id, job: next.job });
  };
  const startTimer = () => {
    const job = busy!;
    if (job.timer) return;
    job.timer = setTimeout(() => {
      kill(job.worker);
      if (busy === job) finish({ ok: false, reason: 'timeout', message: `took longer than ${opts.timeoutMs} ms` });
    }, opts.timeoutMs);
  };

  return {
    run(job) {
      if (closed) return Promise.resolve({ ok: false, reason: 'crashed', message: 'worker closed' });
      return new Promise((done) => {
        queue.push({ id: nextId++, job, done });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.done({ ok: false, reason: 'crashed', message: 'worker closed' });
      finish({ ok: false, reason: 'crashed', message: 'worker closed' });
      if (worker) await worker.terminate();
      worker = null;
    },
  };
}
