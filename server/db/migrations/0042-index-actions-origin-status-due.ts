import type { Migration } from '../migrate.js';

/**
 * A series' open (done, dropped) actions by due date: `GET /api/actions?series=` pages them
 * from this index alone (meeting, status, due, id) instead of reading every matching row to
 * sort it. It covers what `actions_origin_status` served, which it replaces.
 */
const migration: Migration = {
  id: '0042-index-actions-origin-status-due',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS actions_origin_status_due ON actions(origin_meeting_id, status, due);
DROP INDEX IF EXISTS actions_origin_status;`);
  },
};

export default migration;
