import type { Migration } from '../migrate.js';

/**
 * The outbox no longer keeps usable links in clear, and records the SMTP server's acceptance.
 * - `sealed`: text, HTML and headers (Reply-To carries a reply token) encrypted under a key
 *   derived from the server secret (services/mail/outbox-seal.ts); `text`/`html`/`headers`
 *   stay empty for new rows. Sent rows' bodies are dropped here (they are delivered and links
 *   in them are what a copy of the database must not give away); unsent ones are sealed by
 *   the outbox service at its next start, since migrations do not know the secret.
 * - `lease_owner`: which sender holds a 'sending' row, so a late answer of a sender whose
 *   lease ran out cannot overwrite the row another sender has claimed since.
 * - `accepted_at`, `smtp_response`: the server's 250 and its queue id, written in their own
 *   tiny transaction the moment it arrives.
 */
const migration: Migration = {
  id: '0060-seal-outbox-and-record-acceptance',
  up(db) {
    db.exec(`
ALTER TABLE outbox ADD COLUMN sealed BLOB;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN accepted_at TEXT;
ALTER TABLE outbox ADD COLUMN smtp_response TEXT;
UPDATE outbox SET text = '', html = NULL, headers = '{}' WHERE status = 'sent';
UPDATE outbox SET accepted_at = sent_at WHERE status = 'sent';
`);
  },
};

export default migration;
