import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Clock } from '../../clock.js';
import type { RateLimitRepository } from '../../db/repositories/rate-limit-repository.js';

/**
 * An express-rate-limit store over the database (`rate_limit_hits`), so every instance on one
 * database counts the same hits: five sign-in links asked through three servers are five, not
 * five per server. One store per limiter, told apart by `prefix`. Windows are per key (as
 * express-rate-limit's memory store): the first hit starts one of `windowMs`.
 */
export class DatabaseRateLimitStore implements Store {
  /** Keys are shared with the other instances of this store (no double-count false alarm). */
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastPurge = 0;

  constructor(
    readonly prefix: string,
    private readonly repo: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.repo.get(this.prefix + key, this.clock.now().toISOString());
    return row && { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = this.clock.now();
    const row = await this.repo.increment(this.prefix + key, now.toISOString(), new Date(now.getTime() + this.windowMs).toISOString());
    // Ended windows are deleted now and then (at most once per window per limiter), not per hit.
    if (now.getTime() - this.lastPurge >= this.windowMs) {
      this.lastPurge = now.getTime();
      await this.repo.purgeEnded(now.toISOString());
    }
    return { totalHits: row.hits, resetTime: new Date(row.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.repo.decrement(this.prefix + key, this.clock.now().toISOString());
  }

  async resetKey(key: string): Promise<void> {
    await this.repo.reset(this.prefix + key);
  }
}

/** Makes the store of one limiter (`prefix` names it: `sign-in-request:`, ...). */
export function createRateLimitStores(deps: { repo: RateLimitRepository; clock: Clock }): (prefix: string) => Store {
  return (prefix) => new DatabaseRateLimitStore(prefix, deps.repo, deps.clock);
}

export type RateLimitStores = ReturnType<typeof createRateLimitStores>;
