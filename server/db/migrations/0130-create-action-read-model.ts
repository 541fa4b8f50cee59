import type { Migration } from '../migrate.js';

/**
 * The action lists' read model: what `GET /api/actions` pages and sends, kept by triggers in the
 * same transaction as every write, so it is never stale and never a cache.
 *
 * - `action_views`: one row per action: the JSON of its `ActionView` (action-views.ts) up to,
 *   not including, `"overdue"` and the closing brace (`json_head`; overdue depends on the day and
 *   is appended when read), with the action's status, due date and series to page on.
 * - `action_owner_keys`: one row per owner of an action (as `action_owners`), with the action's
 *   status, due date and series: one owner's page is one walk of an index, in list order.
 *
 * The triggers rewrite an action's row when the action, one of its owners, an owner's person
 * (name, email), one of its two meetings (date, title, series) or its series (slug) changes.
 * `json_head` has the view's keys in `toView`'s order and `JSON.stringify`'s escaping: a change
 * of the view's shape needs a migration that replaces `action_view_rows` (and these triggers,
 * if what it depends on changes) and rewrites the rows
 * (tests compare the rows with the views after every test world: tests/helpers/read-model.ts).
 *
 * PostgreSQL has the same tables (its migration 0003, in PL/pgSQL), which `migrate-to-postgres`
 * rebuilds from the copied rows instead of copying them.
 */

/**
 * The rows `action_views` must hold, computed from the tables: one place for the JSON, which
 * every trigger below reads through (`refresh`), so the schema, parsed by every connection,
 * holds it once. `rtrim` drops exactly the closing brace: the last key, `closedAt`, ends in `"`
 * or `null`. `origin_meeting_id` and `last_meeting_id` are there to choose rows by.
 */
const VIEW_ROWS = `CREATE VIEW action_view_rows AS
  SELECT a.id AS id, m.series_id AS series_id, a.status AS status, a.due AS due,
    a.origin_meeting_id AS origin_meeting_id, a.last_meeting_id AS last_meeting_id, rtrim(json_object(
      'id', a.id, 'text', a.text, 'due', a.due, 'status', a.status,
      'owners', json((SELECT json_group_array(json_object('personId', o.person_id, 'name', coalesce(p.name, o.name), 'email', p.email) ORDER BY o.position)
        FROM action_owners o LEFT JOIN people p ON p.id = o.person_id WHERE o.action_id = a.id)),
      'originMeeting', json_object('id', a.origin_meeting_id, 'date', m.date, 'title', m.title, 'seriesSlug', s.slug),
      'lastMeeting', json_object('id', a.last_meeting_id, 'date', lm.date),
      'carriedCount', a.carried_count, 'snoozedUntil', a.snoozed_until, 'line', a.line, 'topic', a.topic,
      'createdAt', a.created_at, 'updatedAt', a.updated_at, 'closedAt', a.closed_at), '}') AS json_head
  FROM actions a
  JOIN meetings m ON m.id = a.origin_meeting_id
  JOIN series s ON s.id = m.series_id
  JOIN meetings lm ON lm.id = a.last_meeting_id;`;

/** `action_views` rows of each action matching `where` (over `action_view_rows`), written or rewritten. */
function refresh(where: string): string {
  return `INSERT OR REPLACE INTO action_views (id, series_id, status, due, json_head)
  SELECT id, series_id, status, due, json_head FROM action_view_rows WHERE ${where};`;
}

/** The key row of one `action_owners` row (`o`: NEW or OLD), with its action's status, due date and series. */
function ownerKey(o: string): string {
  return `INSERT OR REPLACE INTO action_owner_keys (action_id, position, person_id, name, status, due, series_id)
  SELECT ${o}.action_id, ${o}.position, ${o}.person_id, ${o}.name, a.status, a.due, m.series_id
  FROM actions a JOIN meetings m ON m.id = a.origin_meeting_id WHERE a.id = ${o}.action_id;`;
}

const migration: Migration = {
  id: '0130-create-action-read-model',
  up(db) {
    db.exec(`CREATE TABLE action_views (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  due TEXT,
  json_head TEXT NOT NULL
);
CREATE INDEX action_views_status ON action_views(status, due IS NULL, due, id);
CREATE INDEX action_views_series ON action_views(series_id, status, due IS NULL, due, id);

CREATE TABLE action_owner_keys (
  action_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  person_id INTEGER,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  due TEXT,
  series_id INTEGER NOT NULL,
  PRIMARY KEY (action_id, position)
) WITHOUT ROWID;
CREATE INDEX action_owner_keys_person ON action_owner_keys(person_id, status, due IS NULL, due, action_id, series_id);
CREATE INDEX action_owner_keys_unresolved ON action_owner_keys(name COLLATE NOCASE) WHERE person_id IS NULL;

${VIEW_ROWS}

CREATE TRIGGER action_views_on_action_insert AFTER INSERT ON actions BEGIN
  ${refresh('id = NEW.id')}
END;
CREATE TRIGGER action_views_on_action_update AFTER UPDATE ON actions BEGIN
  ${refresh('id = NEW.id')}
  UPDATE action_owner_keys SET status = NEW.status, due = NEW.due, series_id = (SELECT series_id FROM meetings WHERE id = NEW.origin_meeting_id)
  WHERE action_id = NEW.id;
END;
CREATE TRIGGER action_views_on_action_delete AFTER DELETE ON actions BEGIN
  DELETE FROM action_views WHERE id = OLD.id;
  DELETE FROM action_owner_keys WHERE action_id = OLD.id;
END;
CREATE TRIGGER action_views_on_owner_insert AFTER INSERT ON action_owners BEGIN
  ${ownerKey('NEW')}
  ${refresh('id = NEW.action_id')}
END;
CREATE TRIGGER action_views_on_owner_update AFTER UPDATE ON action_owners BEGIN
  DELETE FROM action_owner_keys WHERE action_id = OLD.action_id AND position = OLD.position;
  ${ownerKey('NEW')}
  ${refresh('id IN (OLD.action_id, NEW.action_id)')}
END;
CREATE TRIGGER action_views_on_owner_delete AFTER DELETE ON action_owners BEGIN
  DELETE FROM action_owner_keys WHERE action_id = OLD.action_id AND position = OLD.position;
  ${refresh('id = OLD.action_id')}
END;
CREATE TRIGGER action_views_on_person_update AFTER UPDATE OF name, email ON people BEGIN
  ${refresh('id IN (SELECT action_id FROM action_owners WHERE person_id = NEW.id)')}
END;
CREATE TRIGGER action_views_on_meeting_update AFTER UPDATE OF date, title, series_id ON meetings BEGIN
  ${refresh('id IN (SELECT id FROM actions WHERE origin_meeting_id = NEW.id UNION SELECT id FROM actions WHERE last_meeting_id = NEW.id)')}
  UPDATE action_owner_keys SET series_id = NEW.series_id WHERE action_id IN (SELECT id FROM actions WHERE origin_meeting_id = NEW.id);
END;
CREATE TRIGGER action_views_on_series_update AFTER UPDATE OF slug ON series BEGIN
  ${refresh('origin_meeting_id IN (SELECT id FROM meetings WHERE series_id = NEW.id)')}
END;

${refresh('true')}
INSERT INTO action_owner_keys (action_id, position, person_id, name, status, due, series_id)
  SELECT o.action_id, o.position, o.person_id, o.name, a.status, a.due, m.series_id
  FROM action_owners o JOIN actions a ON a.id = o.action_id JOIN meetings m ON m.id = a.origin_meeting_id;`);
  },
};

export default migration;
