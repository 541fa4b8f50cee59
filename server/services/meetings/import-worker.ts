/**
 * Worker thread entry: parses jobs posted by the import service (CPU-bound Markdown parsing
 * in parallel; the database stays in the main thread).
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseJob, type ParseJob } from './import-parse.js';

/**
 * Parser threads yield the CPU to the main thread, which writes every meeting one after the
 * other (and, in the server, answers requests): with two cores and three busy threads, the
 * writer got two thirds of a core and the parsers waited for it. Linux keeps a nice value per
 * thread, so this lowers this thread only (elsewhere it would lower the whole process: left).
 */
const PARSER_NICE = 10;
if (process.platform === 'linux') {
  try {
    setPriority(0, PARSER_NICE);
  } catch {
    // Not permitted here (a sandbox): parse at the same priority.
  }
}

parentPort?.on('message', (msg: { id: number; job: ParseJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, outcome: parseJob(msg.job) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, outcome: { ok: false, code: 'parse-failed', message: (err as Error).message } });
  }
});
