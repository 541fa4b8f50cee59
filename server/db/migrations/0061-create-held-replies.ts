import type { Migration } from '../migrate.js';

/**
 * Replies to a digest that could not be verified (the From is not the owner's address, or the
 * relay's Authentication-Results show no DKIM/SPF/DMARC pass for it). They are never acted on:
 * the owner gets a signed link by email and the reply applies only once they confirm it.
 */
const migration: Migration = {
  id: '0061-create-held-replies',
  up(db) {
    db.exec(`
CREATE TABLE held_replies (
  id INTEGER PRIMARY KEY,
  digest_id INTEGER NOT NULL REFERENCES reminder_digests(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id),
  from_address TEXT NOT NULL,
  body TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE INDEX held_replies_digest ON held_replies(digest_id);
`);
  },
};

export default migration;
