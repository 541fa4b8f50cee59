/**
 * Minutes Markdown -> HTML for pages, never on the event loop: rendering runs in a worker
 * thread (`minutes-render-worker.ts`) with a time and memory bound, after a cheap nesting-depth
 * check; results are cached by content hash. Text that is nested too deep, or that the
 * renderer cannot finish in time, is shown as escaped plain text with the reason.
 */
import { createHash } from 'node:crypto';
import { compiledScript, createBoundedWorker, type BoundedWorker } from './bounded-worker.js';
import { renderMinutesHtml, type MarkedItem } from './minutes-html.js';
import { escapeHtml } from '../../domain/html-text.js';

/** Deepest nesting (lists, block quotes) rendered as HTML; real minutes stay under 10. */
export const MAX_RENDER_DEPTH = 64;
/** Longest a render may take; real minutes of 200 KB take ~0.3 s. */
export const RENDER_TIMEOUT_MS = 3000;
const RENDER_MEMORY_MB = 256;
/** Cached HTML, in characters (about 2 bytes each). */
const CACHE_CHARS = 32 * 1024 * 1024;
/** How long a text that could not be formatted is shown as plain text without trying again. */
const FAILURE_TTL_MS = 10 * 60_000;

export interface RenderedMinutes {
  html: string;
  /** Set when the text is shown as plain text: why it was not formatted. */
  plainReason: string | null;
}

export interface MinutesRenderer {
  render(text: string, items?: MarkedItem[]): Promise<RenderedMinutes>;
  close(): Promise<void>;
}


/** The text as escaped, preformatted plain text, under a note saying why. */
export const plainHtml = (text: string, why: string) =>
  `<p class="flash flash-info minutes-plain-note" role="note">These minutes are shown as plain text: ${escapeHtml(why)}.</p>\n<pre class="minutes-plain">${escapeHtml(text)}</pre>`;

/**
 * How deep the text nests, read line by line without parsing: block-quote and list markers
 * at the start of a line, plus its indentation in steps of two columns (a tab counts four).
 * Stops counting past `limit`.
 */
export function markdownDepth(text: string, limit = Infinity): number {
  let max = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let depth = 0;
    let cols = 0;
    let i = start;
    // Leading whitespace, then any run of `>`, `-`, `*`, `+`, `1.` / `1)` markers and spaces.
    for (; i < end && depth + (cols >> 1) <= limit; i++) {
      const c = text.charCodeAt(i);
      // Indentation counts before the first marker only (the space after a marker is syntax).
      if (c === 32) cols += depth === 0 ? 1 : 0;
      else if (c === 9) cols += depth === 0 ? 4 : 0;
      else if (c === 62 /* > */) depth++;
      else if ((c === 45 || c === 42 || c === 43) && (i + 1 === end || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) depth++;
      else if (c >= 48 && c <= 57) {
        let j = i;
        while (j < end && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
        const m = text.charCodeAt(j);
        if ((m === 46 || m === 41) && (j + 1 === end || text.charCodeAt(j + 1) === 32)) {
          depth++;
          i = j;
        } else break;
      } else break;
    }
    depth += Math.floor(cols / 2);
    if (depth > max) max = depth;
    if (max > limit) return max;
    start = end + 1;
  }
  return max;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * The renderer. Without a compiled worker script (running from source with no `dist/`), it
 * renders in-thread: still with the depth check, but without the time bound.
 */
export function createMinutesRenderer(opts: { timeoutMs?: number } = {}): MinutesRenderer {
  const script = compiledScript(import.meta.url, 'minutes-render-worker.js', 'adapters');
  const timeoutMs = opts.timeoutMs ?? RENDER_TIMEOUT_MS;
  let worker: BoundedWorker<{ text: string; items: MarkedItem[] }, { html: string } | { error: string }> | null = null;
  const cache = new Map<string, RenderedMinutes>();
  let cachedChars = 0;
  const inFlight = new Map<string, Promise<RenderedMinutes>>();
  const failedAt = new Map<string, number>();

  const remember = (key: string, r: RenderedMinutes) => {
    cache.set(key, r);
    cachedChars += r.html.length;
    // Oldest first out (Map keeps insertion order; hits are re-inserted below).
    for (const [k, v] of cache) {
      if (cachedChars <= CACHE_CHARS) break;
      cache.delete(k);
      cachedChars -= v.html.length;
    }
  };
  const lookup = (key: string) => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
    }
    return hit;
  };

  async function renderNow(text: string, items: MarkedItem[], textKey: string): Promise<RenderedMinutes> {
    if (markdownDepth(text, MAX_RENDER_DEPTH) > MAX_RENDER_DEPTH) {
      const why = `they nest more than ${MAX_RENDER_DEPTH} levels deep (lists or quotes)`;
      return { html: plainHtml(text, why), plainReason: why };
    }
    if (!script) return { html: renderMinutesHtml(text, items), plainReason: null };
    worker ??= createBoundedWorker(script, { timeoutMs, maxMemoryMb: RENDER_MEMORY_MB });
    const out = await worker.run({ text, items });
    if (out.ok && 'html' in out.value) return { html: out.value.html, plainReason: null };
    const why = out.ok ? `the formatter failed (${'error' in out.value ? out.value.error : 'no output'})` : out.reason === 'timeout' ? `formatting took longer than ${timeoutMs / 1000} s` : 'the formatter ran out of memory';
    const failed = { html: plainHtml(text, why), plainReason: why };
    // A text that cannot be formatted cannot be with other marks either: remembered by text,
    // for FAILURE_TTL_MS (a busy machine may format it next time).
    remember(`plain:${textKey}`, failed);
    failedAt.set(textKey, Date.now());
    return failed;
  }

  return {
    render(text, items = []) {
      const textKey = hash(text);
      const failed = lookup(`plain:${textKey}`);
      if (failed && Date.now() - (failedAt.get(textKey) ?? 0) < FAILURE_TTL_MS) return Promise.resolve(failed);
      if (failed) {
        cache.delete(`plain:${textKey}`);
        cachedChars -= failed.html.length;
        failedAt.delete(textKey);
      }
      const key = `${textKey}:${hash(JSON.stringify(items))}`;
      const hit = lookup(key);
      if (hit) return Promise.resolve(hit);
      let p = inFlight.get(key);
      if (!p) {
        p = renderNow(text, items, textKey).then(
          (r) => {
            inFlight.delete(key);
            if (!r.plainReason || !cache.has(`plain:${textKey}`)) remember(key, r);
            return r;
          },
          (err: unknown) => {
            inFlight.delete(key);
            throw err;
          },
        );
        inFlight.set(key, p);
      }
      return p;
    },
    async close() {
      await worker?.close();
    },
  };
}
