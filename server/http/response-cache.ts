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
 * database is unchanged. `dataVersion` (the container's, see `db/data-version.ts`) changes
 * with every commit, of this instance or any other on the same database; it is read per
 * request (SQLite: a few microseconds, synchronously; PostgreSQL: one round trip), before the
 * answer is built, so an answer is never staler than the last commit.
 */
export function createResponseCache(dataVersion: () => string | Promise<string>, opts: { max?: number } = {}) {
  const max = opts.max ?? 200;
  const entries = new Map<string, CachedJson>();
  /**
   * Answers being built for `version`: a request for a key already being built waits for that
   * build instead of querying again (with a slow database, 50 connections asking for the same
   * hot list would otherwise all miss together).
   */
  const building = new Map<string, Promise<CachedJson>>();
  let version = '';
  const stats = { hits: 0, misses: 0 };

  async function body(key: string, build: () => string | Promise<string>): Promise<CachedJson> {
    const read = dataVersion();
    const now = typeof read === 'string' ? read : await read;
    if (now !== version) {
      entries.clear();
      building.clear();
      version = now;
    }
    const hit = entries.get(key) ?? building.get(key);
    if (hit !== undefined) {
      stats.hits++;
      return await hit;
    }
    stats.misses++;
    const made = (async () => toCachedBody(await build()))();
    building.set(key, made);
    try {
      const answer = await made;
      // Kept only if no request saw another version while this one was built: an answer built
      // from data older than a version read meanwhile must not be filed under it.
      if (version === now) {
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(key, answer);
      }
      return answer;
    } finally {
      if (building.get(key) === made) building.delete(key);
    }
  }

  return {
    /**
     * The JSON answer for `key`: from the cache when the database has not changed since it was
     * made, else from `build()` (then kept; the oldest entry goes when full). Bytes and ETag are
     * computed once per entry, not per request.
     */
    async json(key: string, build: () => unknown): Promise<CachedJson> {
      return body(key, async () => JSON.stringify(await build()));
    },
    /** As `json`, with `build` returning the JSON text itself. */
    body,
    clear(): void {
      entries.clear();
    },
    /**
     * Answers served without building (from the cache, or by waiting for the same answer being
     * built for another request) and built, since the cache was made (benchmarks report the rate).
     */
    stats(): { hits: number; misses: number } {
      return { ...stats };
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
