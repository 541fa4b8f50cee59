import type { PostgresMigration } from '../postgres-migrate.js';

/** `rate_limit_hits`, as SQLite's migration 0120-create-rate-limit-hits (see there). */
const migration: PostgresMigration = {
  id: '0002-create-rate-limit-hits',
  sql: `
CREATE TABLE rate_limit_hits (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  reset_at TEXT NOT NULL
);
CREATE INDEX rate_limit_hits_reset_at ON rate_limit_hits(reset_at);
`,
};

export default migration;
