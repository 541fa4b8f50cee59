import type { Migration } from '../migrate.js';

/**
 * Small facts the server records for the CLI, one row each. First: `served_base_url`, the
 * URL `minutes serve` answers on, so `minutes remind` started with another environment
 * writes links to the running server (or warns that its own MINUTES_BASE_URL differs).
 */
const migration: Migration = {
  id: '0062-create-settings',
  up(db) {
    db.exec(`
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`);
  },
};

export default migration;
