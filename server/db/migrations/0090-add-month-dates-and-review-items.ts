import type { Migration } from '../migrate.js';

/**
 * Month-only minutes ("September 2017 OpenXT Community Call") and the review queue.
 *
 * - `meetings.date_precision`: `day` (the date is `YYYY-MM-DD`) or `month` (the date is
 *   `YYYY-MM`, the day is still to confirm). `YYYY-MM` sorts before every day of its month
 *   and after every day of the month before, so date comparisons (carry-over, agenda "since
 *   the last meeting") keep working; `UNIQUE (series_id, date)` allows one unconfirmed
 *   meeting per series and month.
 * - `meetings.stated_month`: the month the text gave, kept after a day is confirmed, so a
 *   later import of the same (month-only) minutes finds the meeting again.
 * - `review_items`: suggestions and dates to confirm from every import, accepted or
 *   dismissed once; keyed by meeting + kind + normalised text so a re-import does not bring
 *   back what a person dismissed.
 */
const migration: Migration = {
  id: '0090-add-month-dates-and-review-items',
  up(db) {
    db.exec(`ALTER TABLE meetings ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'day' CHECK (date_precision IN ('day', 'month'));
ALTER TABLE meetings ADD COLUMN stated_month TEXT;
CREATE INDEX meetings_stated_month ON meetings(series_id, stated_month) WHERE stated_month IS NOT NULL;
CREATE TABLE review_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('suggestion', 'date')),
  item_key TEXT NOT NULL,
  data TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed', 'gone')),
  resolved_by TEXT,
  result TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (meeting_id, kind, item_key)
);
CREATE INDEX review_items_open ON review_items(status, id);`);
  },
};

export default migration;
