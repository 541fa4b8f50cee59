import type { Migration } from '../migrate.js';

/** The meeting page lists the actions each meeting created or restated: by event meeting. */
const migration: Migration = {
  id: '0041-index-action-events-meeting',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS action_events_meeting ON action_events(meeting_id, action_id) WHERE meeting_id IS NOT NULL;`);
  },
};

export default migration;
