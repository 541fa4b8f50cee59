/**
 * Values kept while the database is unchanged: `get(key, build)` answers the value kept for
 * `key` when `dataVersion` (the database's change counter, `db/data-version.ts`) has not moved
 * since it was built, else builds it (and keeps it; the oldest entry goes past `max`).
 *
 * - The version is read before building, so a value is never staler than the last commit.
 * - A request for a key being built waits for that build: with a slow database, 50
 *   connections asking for the same hot list would otherwise all build it.
 * - A failed build is passed to its waiters and not kept; a value built while another request
 *   saw a newer version is not filed under it.
 *
 * The API's response cache and the dashboard's counts use it.
 */
export function createVersionedCache<T>(dataVersion: () => string | Promise<string>, opts: { max?: number } = {}) {
  const max = opts.max ?? 200;
  const entries = new Map<string, T>();
  const building = new Map<string, Promise<T>>();
  let version = '';
  const stats = { hits: 0, misses: 0 };

  async function get(key: string, build: () => T | Promise<T>): Promise<T> {
    const read = dataVersion();
    const now = typeof read === 'string' ? read : await read;
    if (now !== version) {
      entries.clear();
      building.clear();
      version = now;
    }
    if (entries.has(key)) {
      stats.hits++;
      return entries.get(key)!;
    }
    const pending = building.get(key);
    if (pending !== undefined) {
      stats.hits++;
      return await pending;
    }
    stats.misses++;
    const made = (async () => await build())();
    building.set(key, made);
    try {
      const value = await made;
      if (version === now) {
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(key, value);
      }
      return value;
    } finally {
      if (building.get(key) === made) building.delete(key);
    }
  }

  return {
    get,
    clear(): void {
      entries.clear();
    },
    /** Answers given without building (kept, or by waiting for the same build) and built, since the cache was made. */
    stats(): { hits: number; misses: number } {
      return { ...stats };
    },
  };
}

export type VersionedCache<T> = ReturnType<typeof createVersionedCache<T>>;
