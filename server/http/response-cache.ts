import { createHash } from 'node:crypto';
import { createVersionedCache } from '../versioned-cache.js';

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
  return toCachedBody(JSON.stringify(value));
}

/** As `toCachedJson`, for JSON already serialised. */
export function toCachedBody(json: string): CachedJson {
  const body = Buffer.from(json, 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"` };
}

/**
 * A small cache of serialised JSON answers for hot read-only API lists, valid while the
 * database is unchanged: a `createVersionedCache` (`versioned-cache.ts`) of answers as bytes
 * with their ETag, so both are computed once per entry, not per request. `dataVersion` (the
 * container's) changes with every commit, of this instance or any other on the same database.
 */
export function createResponseCache(dataVersion: () => string | Promise<string>, opts: { max?: number } = {}) {
  const cache = createVersionedCache<CachedJson>(dataVersion, opts);
  const body = async (key: string, build: () => string | Promise<string>): Promise<CachedJson> => await cache.get(key, async () => toCachedBody(await build()));
  return {
    /**
     * The JSON answer for `key`: from the cache when the database has not changed since it was
     * made, else from `build()` (then kept; the oldest entry goes when full).
     */
    async json(key: string, build: () => unknown): Promise<CachedJson> {
      return await body(key, async () => JSON.stringify(await build()));
    },
    /** As `json`, with `build` returning the JSON text itself. */
    body,
    clear: cache.clear,
    /**
     * Answers served without building (from the cache, or by waiting for the same answer being
     * built for another request) and built, since the cache was made (benchmarks report the rate).
     */
    stats: cache.stats,
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
