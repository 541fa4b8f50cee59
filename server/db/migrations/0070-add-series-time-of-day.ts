import type { Migration } from '../migrate.js';

/**
 * The wall-clock time of a series' calls (`HH:MM`, in the series' time zone), or NULL for a
 * series whose calendar stays all-day. Set from the series pages, the API and
 * `minutes series add --time`; the calendar gives timed events with a VTIMEZONE when present.
 */
const migration: Migration = {
  id: '0070-add-series-time-of-day',
  up(db) {
    db.exec(`ALTER TABLE series ADD COLUMN time_of_day TEXT CHECK (time_of_day IS NULL OR time_of_day GLOB '[0-2][0-9]:[0-5][0-9]')`);
  },
};

export default migration;
