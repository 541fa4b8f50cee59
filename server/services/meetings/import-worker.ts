/**
 * Worker thread entry: parses jobs posted by the import service (CPU-bound Markdown parsing
 * in parallel; the database stays in the main thread).
 */
import { parentPort } from 'node:worker_threads';
import { parseJob, type ParseJob } from './import-parse.js';

parentPort?.on('message', (msg: { id: number; job: ParseJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, outcome: parseJob(msg.job) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, outcome: { ok: false, code: 'parse-failed', message: (err as Error).message } });
  }
});
