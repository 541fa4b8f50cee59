import type { Migration } from '../migrate.js';
import m0001 from './0001-create-schema.js';
import m0040 from './0040-create-auth-tables.js';
import m0041 from './0041-index-action-events-meeting.js';
import m0020 from './0020-create-reminder-tables.js';
import m0030 from './0030-create-agenda-tables.js';
import m0010 from './0010-add-import-indexes.js';
import m0042 from './0042-index-actions-origin-status-due.js';
import m0060 from './0060-seal-outbox-and-record-acceptance.js';
import m0061 from './0061-create-held-replies.js';
import m0062 from './0062-create-settings.js';
import m0070 from './0070-add-series-time-of-day.js';
import m0080 from './0080-create-due-feed-keys.js';
import m0090 from './0090-add-month-dates-and-review-items.js';
import m0110 from './0110-create-import-corrections.js';
import m0120 from './0120-create-rate-limit-hits.js';
import m0130 from './0130-create-action-read-model.js';

/** Every migration, in order. Append new ones; never edit or remove a landed one. */
export const migrations: Migration[] = [m0001, m0040, m0041, m0020, m0030, m0010, m0042, m0060, m0061, m0062, m0070, m0080, m0090, m0110, m0120, m0130];
