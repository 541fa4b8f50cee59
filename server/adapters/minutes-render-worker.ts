/** Worker thread entry: renders minutes Markdown to HTML for `minutes-renderer.ts`. */
import { parentPort } from 'node:worker_threads';
import { renderMinutesHtml, type MarkedItem } from './minutes-html.js';

parentPort?.on('message', (msg: { id: number; job: { text: string; items: MarkedItem[] } }) => {
  let outcome: { html: string } | { error: string };
  try {
    outcome = { html: renderMinutesHtml(msg.job.text, msg.job.items) };
  } catch (err) {
    outcome = { error: (err as Error).message };
  }
  parentPort!.postMessage({ id: msg.id, outcome });
});
