import type { Migration } from '../migrate.js';

/**
 * The secret of each person's due-date calendar (`/people/:id/due.ics?key=`): one per person,
 * stored as SHA-256 hex only (a copy of the database gives no working feed URL). Revoking
 * deletes the row; regenerating replaces it.
 */
const migration: Migration = {
  id: '0080-create-due-feed-keys',
  up(db) {
    db.exec(`
CREATE TABLE due_feed_keys (
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);`);
  },
};

export default migration;
