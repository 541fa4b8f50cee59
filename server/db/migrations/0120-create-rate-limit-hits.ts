import type { Migration } from '../migrate.js';

/**
 * `rate_limit_hits`: the sign-in rate limiters' counters (express-rate-limit's store, see
 * services/auth/rate-limit-store.ts), in the database so every instance on it counts the same
 * hits (several servers on one PostgreSQL; on SQLite the counters also survive a restart).
 *
 * - `key`: the limiter's prefix and the client's key (`sign-in:ip:…`, `sign-in-address:…`).
 * - `hits`: requests counted in the current window; `reset_at`: when the window ends (ISO time).
 *   A hit after `reset_at` starts a new window; rows past it are purged now and then.
 */
const migration: Migration = {
  id: '0120-create-rate-limit-hits',
  up(db) {
    db.exec(`CREATE TABLE rate_limit_hits (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  reset_at TEXT NOT NULL
);
CREATE INDEX rate_limit_hits_reset_at ON rate_limit_hits(reset_at);`);
  },
};

export default migration;
