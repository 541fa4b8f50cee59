import { createHash } from 'node:crypto';

/** A serialised answer: the bytes to send and their ETag, both made once per cache entry. */
export interface CachedJson {
  body: Buffer;
  etag: string;
}

/**
 * Serialises `value` and tags it the way Express does by default (weak, length + SHA-1), so
 * answers from the cache and from `res.json` carry the same ETag.
 */
export function toCachedJson(value: unknown): CachedJson {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"` };
}

/**
 * A small cache of serialised JSON answers for hot read-only API lists, valid while the
 * database is unchanged. `dataVersion` (the container's, see `db/data-version.ts`) changes
 * with every write; it is read per request, a few microseconds, so an answer is never staler
 * than the last commit.
 */
export function createResponseCache(dataVersion: () => string, opts: { max?: number } = {}) {
  const max = opts.max ?? 200;
  const entries = new Map<string, CachedJson>();
  let version = '';

  return {
    /**
     * The JSON answer for `key`: from the cache when the database has not changed since it was
     * made, else from `build()` (then kept; the oldest entry goes when full). Bytes and ETag are
     * computed once per entry, not per request.
     */
    json(key: string, build: () => unknown): CachedJson {
      const now = dataVersion();
      if (now !== version) {
        entries.clear();
        version = now;
      }
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const made = toCachedJson(build());
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, made);
      return made;
    },
    clear(): void {
      entries.clear();
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
