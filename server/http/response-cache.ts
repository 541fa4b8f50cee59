import type { Db } from '../db/connection.js';

/**
 * A small cache of serialised JSON answers for hot read-only API lists, valid while the
 * database is unchanged. The version is `PRAGMA data_version` (bumped by commits of other
 * connections: the CLI, another server) plus `total_changes()` (writes of this connection,
 * including rolled-back dry runs: over-invalidating is safe). Both are read per request, a few
 * microseconds, so an answer is never staler than the last commit.
 */
export function createResponseCache(db: Db, opts: { max?: number } = {}) {
  const max = opts.max ?? 200;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const changes = db.prepare('SELECT total_changes()').pluck();
  const entries = new Map<string, string>();
  let version = '';

  return {
    /**
     * The JSON text for `key`: from the cache when the database has not changed since it was
     * made, else from `build()` (then kept; the oldest entry goes when full).
     */
    json(key: string, build: () => unknown): string {
      const now = `${dataVersion.get() as number}:${changes.get() as number}`;
      if (now !== version) {
        entries.clear();
        version = now;
      }
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const text = JSON.stringify(build());
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, text);
      return text;
    },
    clear(): void {
      entries.clear();
    },
  };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
