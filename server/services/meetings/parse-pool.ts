/**
 * A small pool of worker threads running `parseJob`. Workers need compiled JavaScript: the
 * pool uses `import-worker.js` beside this module (running from `dist/`) or the built copy in
 * `dist/` (running from source under tsx/vitest); without either, parsing stays in-thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../paths.js';
import { parseJob, type ParseJob, type ParseOutcome } from './import-parse.js';

/** The compiled worker script, or null when none is built. */
export function workerScript(): string | null {
  const here = fileURLToPath(new URL('./import-worker.js', import.meta.url));
  if (here.endsWith('.js') && existsSync(here) && import.meta.url.endsWith('.js')) return here;
  const built = join(packageRoot, 'dist', 'server', 'services', 'meetings', 'import-worker.js');
  return existsSync(built) ? built : null;
}

export interface Parser {
  parse(job: ParseJob): Promise<ParseOutcome>;
  close(): Promise<void>;
  readonly threads: number;
}

/** Parses in the calling thread. */
export const inThreadParser: Parser = {
  threads: 0,
  parse: (job) => Promise.resolve(parseJob(job)),
  close: () => Promise.resolve(),
};

/**
 * A pool of `threads` workers, or the in-thread parser when workers are unavailable or
 * pointless. Default: one worker per core, at most 4 (the main thread's database writes cost
 * about half a parse, so the cores are shared rather than one left to the writer). Even one
 * worker helps: parsing runs while the main thread writes.
 */
export function createParsePool(threads = Math.min(availableParallelism(), 4)): Parser {
  const script = workerScript();
  if (!script || threads < 1) return inThreadParser;
  const workers = Array.from({ length: threads }, () => new Worker(script));
  const waiting = new Map<number, { worker: number; done: (o: ParseOutcome) => void }>();
  const load = workers.map(() => 0);
  const dead = workers.map(() => false);
  let next = 0;
  // Workers stay referenced while the pool is open (the import awaits them); close() ends them.
  workers.forEach((w, i) => {
    w.on('message', (m: { id: number; outcome: ParseOutcome }) => {
      load[i]--;
      waiting.get(m.id)?.done(m.outcome);
      waiting.delete(m.id);
    });
    // A worker that dies fails its own jobs; later jobs go to the others, or in-thread.
    const fail = (why: string) => {
      if (dead[i]) return;
      dead[i] = true;
      for (const [id, job] of waiting) {
        if (job.worker !== i) continue;
        job.done({ ok: false, code: 'parse-failed', message: `parser thread failed: ${why}` });
        waiting.delete(id);
      }
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exited with code ${code}`));
  });
  return {
    threads,
    parse(job) {
      // Least-loaded live worker: files differ a lot in size.
      let best = -1;
      for (let i = 0; i < workers.length; i++) if (!dead[i] && (best < 0 || load[i] < load[best])) best = i;
      if (best < 0) return inThreadParser.parse(job);
      const id = next++;
      load[best]++;
      return new Promise((resolve) => {
        waiting.set(id, { worker: best, done: resolve });
        workers[best].postMessage({ id, job });
      });
    },
    async close() {
      dead.fill(true);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
