import type { Db } from '../connection.js';

/** A key's count in its current window. */
export interface RateLimitCount {
  hits: number;
  /** When the window ends (ISO time). */
  resetAt: string;
}

/**
 * All SQL over `rate_limit_hits` (the sign-in limiters' counters, shared by every instance on
 * the database). Each write is one atomic statement, run without the writers' lock on
 * PostgreSQL (`writersLock: false`): an upsert needs no one else's ordering, and a sign-in
 * must not wait behind a long import.
 */
export function createRateLimitRepository(db: Db) {
  // A hit: a new window when there is none or the last one ended, else one more in it.
  const hit = db.prepare<object, RateLimitCount>(`INSERT INTO rate_limit_hits (key, hits, reset_at) VALUES (@key, 1, @resetAt)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limit_hits.reset_at <= @now THEN 1 ELSE rate_limit_hits.hits + 1 END,
      reset_at = CASE WHEN rate_limit_hits.reset_at <= @now THEN excluded.reset_at ELSE rate_limit_hits.reset_at END
    RETURNING hits, reset_at AS resetAt`);
  const unhit = db.prepare(`UPDATE rate_limit_hits SET hits = hits - 1 WHERE key = @key AND hits > 0 AND reset_at > @now`);
  const byKey = db.prepare<object, RateLimitCount>(`SELECT hits, reset_at AS resetAt FROM rate_limit_hits WHERE key = @key AND reset_at > @now`);
  const remove = db.prepare('DELETE FROM rate_limit_hits WHERE key = ?');
  const purge = db.prepare('DELETE FROM rate_limit_hits WHERE reset_at <= ?');
  const alone = <T>(fn: () => Promise<T>) => db.transaction(fn, { writersLock: false });

  return {
    /** Counts a hit on `key` at `now`; a new window ends at `resetAt`. Answers the count after it. */
    async increment(key: string, now: string, resetAt: string): Promise<RateLimitCount> {
      return (await alone(() => hit.get({ key, now, resetAt })))!;
    },
    /** Takes back one hit of the current window (express-rate-limit's skip of successful requests). */
    async decrement(key: string, now: string): Promise<void> {
      await alone(() => unhit.run({ key, now }));
    },
    /** The count of the window running at `now`, if any. */
    async get(key: string, now: string): Promise<RateLimitCount | undefined> {
      return await byKey.get({ key, now });
    },
    async reset(key: string): Promise<void> {
      await alone(() => remove.run(key));
    },
    /** Deletes the counts of windows ended by `now`; answers how many. */
    async purgeEnded(now: string): Promise<number> {
      return (await alone(() => purge.run(now))).changes;
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
