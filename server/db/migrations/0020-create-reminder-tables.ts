import type { Migration } from '../migrate.js';

/**
 * Reminder bookkeeping. A digest is one reminder email to one owner in one
 * period; its items keep the order the actions were listed in, so a reply "done 2" finds the
 * second one, and count how often an action was reminded while overdue (escalation).
 * Escalations record the one summary a series chair gets per overdue action.
 */
const migration: Migration = {
  id: '0020-create-reminder-tables',
  up(db) {
    db.exec(`
CREATE TABLE reminder_digests (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  period_key TEXT NOT NULL,
  to_address TEXT NOT NULL,
  had_overdue INTEGER NOT NULL DEFAULT 0,
  outbox_id INTEGER REFERENCES outbox(id),
  created_at TEXT NOT NULL,
  UNIQUE (person_id, period_key)
);
CREATE INDEX reminder_digests_person_time ON reminder_digests(person_id, created_at);

CREATE TABLE reminder_digest_items (
  digest_id INTEGER NOT NULL REFERENCES reminder_digests(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
  overdue INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (digest_id, position)
);
CREATE INDEX reminder_digest_items_overdue ON reminder_digest_items(action_id) WHERE overdue = 1;

CREATE TABLE reminder_escalations (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL UNIQUE REFERENCES actions(id) ON DELETE CASCADE,
  chair_person_id INTEGER NOT NULL REFERENCES people(id),
  series_id INTEGER NOT NULL REFERENCES series(id),
  outbox_id INTEGER REFERENCES outbox(id),
  created_at TEXT NOT NULL
);
`);
  },
};

export default migration;
