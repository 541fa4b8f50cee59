import type { Migration } from '../migrate.js';

/**
 * Agenda items proposed for one meeting of a series, and the record of each agenda sent to
 * the series' list (one per series and meeting date, so `--send` twice sends once).
 */
const migration: Migration = {
  id: '0030-create-agenda-tables',
  up(db) {
    db.exec(`
CREATE TABLE agenda_items (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  meeting_date TEXT NOT NULL,
  text TEXT NOT NULL,
  proposed_by TEXT,
  proposed_by_person_id INTEGER REFERENCES people(id),
  created_at TEXT NOT NULL
);
CREATE INDEX agenda_items_series_date ON agenda_items(series_id, meeting_date);

CREATE TABLE agenda_sends (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  meeting_date TEXT NOT NULL,
  outbox_id INTEGER REFERENCES outbox(id),
  to_address TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (series_id, meeting_date)
);

-- The agenda reads a series' actions by origin meeting and status.
CREATE INDEX actions_origin_status ON actions(origin_meeting_id, status);
`);
  },
};

export default migration;
