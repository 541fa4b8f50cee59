import type { Migration } from '../migrate.js';

/**
 * `import_corrections`: what a person corrected of the actions and decisions a meeting's
 * minutes gave (upload preview, API/CLI `corrections`, later edits of an action on the web, API
 * or CLI), kept on top of the minutes so a later revision re-applies them.
 *
 * - `item_key`: the item's identity, its extracted text folded (`foldName`), so a correction
 *   survives lines moving; one correction per meeting, kind and item.
 * - `extracted`: JSON, what the parser gave for the corrected fields when the correction was
 *   made (`owners`, `due`): a revision whose text gives other values for them overrides it.
 * - `correction`: JSON, the corrected values (`owners`, `due`, `text`, `drop`).
 * - `action_id`: the stored action the correction concerns (null for an item never stored,
 *   e.g. an action dropped on the preview).
 *
 * Suggestions promoted or dropped are not here: the review queue (`review_items`, accepted or
 * dismissed) is their store.
 */
const migration: Migration = {
  id: '0110-create-import-corrections',
  up(db) {
    db.exec(`CREATE TABLE import_corrections (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('action', 'decision')),
  item_key TEXT NOT NULL,
  item_text TEXT NOT NULL,
  extracted TEXT NOT NULL,
  correction TEXT NOT NULL,
  action_id INTEGER REFERENCES actions(id) ON DELETE SET NULL,
  created_by TEXT,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (meeting_id, kind, item_key)
);
CREATE INDEX import_corrections_action ON import_corrections(action_id) WHERE action_id IS NOT NULL;`);
  },
};

export default migration;
