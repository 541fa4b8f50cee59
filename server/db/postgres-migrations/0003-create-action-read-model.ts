import type { PostgresMigration } from '../postgres-migrate.js';

/**
 * The action lists' read model, as SQLite's migration 0130-create-action-read-model (see there):
 * `action_views` (each action's view JSON up to `"overdue"`) and `action_owner_keys` (one row
 * per owner with the action's status, due date and series), kept by triggers.
 *
 * `json_head` is written by concatenation with `to_json(text)` for each string, so its bytes
 * are those of `JSON.stringify` (and of SQLite's `json_object`): `json_build_object` spaces its
 * output. The triggers do nothing while `minutes.read_model_deferred` is `on` in the transaction
 * (the SQLite copier's bulk insert); `action_read_model_rebuild()` then writes every row at once.
 */
const migration: PostgresMigration = {
  id: '0003-create-action-read-model',
  sql: `
CREATE TABLE action_views (
  id BIGINT PRIMARY KEY,
  series_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  due TEXT,
  json_head TEXT NOT NULL
);
CREATE INDEX action_views_status ON action_views(status, (due IS NULL), due, id);
CREATE INDEX action_views_series ON action_views(series_id, status, (due IS NULL), due, id);

CREATE TABLE action_owner_keys (
  action_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  person_id BIGINT,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  due TEXT,
  series_id BIGINT NOT NULL,
  PRIMARY KEY (action_id, position)
);
CREATE INDEX action_owner_keys_person ON action_owner_keys(person_id, status, (due IS NULL), due, action_id, series_id);
CREATE INDEX action_owner_keys_unresolved ON action_owner_keys(lower(name)) WHERE person_id IS NULL;

-- The JSON head of each action in ids, written or rewritten.
CREATE FUNCTION action_views_refresh(ids BIGINT[]) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO action_views (id, series_id, status, due, json_head)
  SELECT a.id, m.series_id, a.status, a.due,
    '{"id":' || a.id
    || ',"text":' || to_json(a.text)::text
    || ',"due":' || coalesce(to_json(a.due)::text, 'null')
    || ',"status":' || to_json(a.status)::text
    || ',"owners":[' || coalesce((
      SELECT string_agg('{"personId":' || coalesce(o.person_id::text, 'null') || ',"name":' || to_json(coalesce(p.name, o.name))::text
        || ',"email":' || coalesce(to_json(p.email::text)::text, 'null') || '}', ',' ORDER BY o.position)
      FROM action_owners o LEFT JOIN people p ON p.id = o.person_id WHERE o.action_id = a.id), '') || ']'
    || ',"originMeeting":{"id":' || a.origin_meeting_id || ',"date":' || to_json(m.date)::text
    || ',"title":' || coalesce(to_json(m.title)::text, 'null') || ',"seriesSlug":' || to_json(s.slug)::text || '}'
    || ',"lastMeeting":{"id":' || a.last_meeting_id || ',"date":' || to_json(lm.date)::text || '}'
    || ',"carriedCount":' || a.carried_count
    || ',"snoozedUntil":' || coalesce(to_json(a.snoozed_until)::text, 'null')
    || ',"line":' || coalesce(a.line::text, 'null')
    || ',"topic":' || coalesce(to_json(a.topic)::text, 'null')
    || ',"createdAt":' || to_json(a.created_at)::text
    || ',"updatedAt":' || to_json(a.updated_at)::text
    || ',"closedAt":' || coalesce(to_json(a.closed_at)::text, 'null')
  FROM actions a
  JOIN meetings m ON m.id = a.origin_meeting_id
  JOIN series s ON s.id = m.series_id
  JOIN meetings lm ON lm.id = a.last_meeting_id
  WHERE a.id = ANY(ids)
  ON CONFLICT (id) DO UPDATE SET series_id = EXCLUDED.series_id, status = EXCLUDED.status, due = EXCLUDED.due, json_head = EXCLUDED.json_head;
$fn$;

CREATE FUNCTION action_read_model_deferred() RETURNS boolean LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(current_setting('minutes.read_model_deferred', true), '') = 'on';
$fn$;

-- Every row again, from the tables (after a bulk copy with the triggers deferred).
CREATE FUNCTION action_read_model_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM action_views;
  DELETE FROM action_owner_keys;
  PERFORM action_views_refresh(ARRAY(SELECT id FROM actions));
  INSERT INTO action_owner_keys (action_id, position, person_id, name, status, due, series_id)
    SELECT o.action_id, o.position, o.person_id, o.name, a.status, a.due, m.series_id
    FROM action_owners o JOIN actions a ON a.id = o.action_id JOIN meetings m ON m.id = a.origin_meeting_id;
END
$fn$;

CREATE FUNCTION action_views_on_action() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF action_read_model_deferred() THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM action_views WHERE id = OLD.id;
    DELETE FROM action_owner_keys WHERE action_id = OLD.id;
    RETURN NULL;
  END IF;
  PERFORM action_views_refresh(ARRAY[NEW.id]);
  IF TG_OP = 'UPDATE' THEN
    UPDATE action_owner_keys SET status = NEW.status, due = NEW.due, series_id = (SELECT series_id FROM meetings WHERE id = NEW.origin_meeting_id)
    WHERE action_id = NEW.id;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER action_views_on_action AFTER INSERT OR UPDATE OR DELETE ON actions FOR EACH ROW EXECUTE FUNCTION action_views_on_action();

CREATE FUNCTION action_views_on_owner() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF action_read_model_deferred() THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM action_owner_keys WHERE action_id = OLD.action_id AND position = OLD.position;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO action_owner_keys (action_id, position, person_id, name, status, due, series_id)
      SELECT NEW.action_id, NEW.position, NEW.person_id, NEW.name, a.status, a.due, m.series_id
      FROM actions a JOIN meetings m ON m.id = a.origin_meeting_id WHERE a.id = NEW.action_id
    ON CONFLICT (action_id, position) DO UPDATE SET person_id = EXCLUDED.person_id, name = EXCLUDED.name,
      status = EXCLUDED.status, due = EXCLUDED.due, series_id = EXCLUDED.series_id;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM action_views_refresh(ARRAY[NEW.action_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM action_views_refresh(ARRAY[OLD.action_id]);
  ELSE
    PERFORM action_views_refresh(ARRAY[OLD.action_id, NEW.action_id]);
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER action_views_on_owner AFTER INSERT OR UPDATE OR DELETE ON action_owners FOR EACH ROW EXECUTE FUNCTION action_views_on_owner();

CREATE FUNCTION action_views_on_person() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF action_read_model_deferred() THEN RETURN NULL; END IF;
  PERFORM action_views_refresh(ARRAY(SELECT action_id FROM action_owners WHERE person_id = NEW.id));
  RETURN NULL;
END
$fn$;
CREATE TRIGGER action_views_on_person AFTER UPDATE OF name, email ON people FOR EACH ROW EXECUTE FUNCTION action_views_on_person();

CREATE FUNCTION action_views_on_meeting() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF action_read_model_deferred() THEN RETURN NULL; END IF;
  PERFORM action_views_refresh(ARRAY(SELECT id FROM actions WHERE origin_meeting_id = NEW.id UNION SELECT id FROM actions WHERE last_meeting_id = NEW.id));
  UPDATE action_owner_keys SET series_id = NEW.series_id WHERE action_id IN (SELECT id FROM actions WHERE origin_meeting_id = NEW.id);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER action_views_on_meeting AFTER UPDATE OF date, title, series_id ON meetings FOR EACH ROW EXECUTE FUNCTION action_views_on_meeting();

CREATE FUNCTION action_views_on_series() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF action_read_model_deferred() THEN RETURN NULL; END IF;
  PERFORM action_views_refresh(ARRAY(SELECT a.id FROM actions a JOIN meetings m ON m.id = a.origin_meeting_id WHERE m.series_id = NEW.id));
  RETURN NULL;
END
$fn$;
CREATE TRIGGER action_views_on_series AFTER UPDATE OF slug ON series FOR EACH ROW EXECUTE FUNCTION action_views_on_series();

SELECT action_read_model_rebuild();
`,
};

export default migration;
