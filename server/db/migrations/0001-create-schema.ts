import type { Migration } from '../migrate.js';

/**
 * The domain of DESIGN.md. Times are ISO-8601 UTC strings (`2026-11-21T09:00:00.000Z`), dates
 * `YYYY-MM-DD`. `*_key` columns hold a folded form of a name (lower case, accents and
 * punctuation removed) for case- and accent-insensitive lookups.
 */
const migration: Migration = {
  id: '0001-create-schema',
  up(db) {
    db.exec(`
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  email TEXT COLLATE NOCASE UNIQUE,
  org TEXT,
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'group')),
  reminders_paused_until TEXT,
  merged_into_id INTEGER REFERENCES people(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX people_name_key ON people(name_key);

CREATE TABLE person_aliases (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  alias_key TEXT NOT NULL,
  UNIQUE (person_id, alias_key)
);
CREATE INDEX person_aliases_key ON person_aliases(alias_key);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  cadence TEXT,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  chair_person_id INTEGER REFERENCES people(id),
  list_email TEXT,
  standing_items TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id),
  date TEXT NOT NULL,
  title TEXT,
  current_revision_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (series_id, date)
);
CREATE INDEX meetings_date ON meetings(date);

CREATE TABLE minutes_revisions (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  text TEXT NOT NULL,
  hash TEXT NOT NULL,
  filename TEXT,
  uploaded_by TEXT,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (meeting_id, revision)
);
CREATE INDEX minutes_revisions_hash ON minutes_revisions(meeting_id, hash);

CREATE TABLE attendance (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  person_id INTEGER REFERENCES people(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'absent')),
  role TEXT,
  org TEXT,
  handle TEXT
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);
CREATE INDEX attendance_person ON attendance(person_id);

CREATE TABLE topics (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  line INTEGER NOT NULL,
  deferred_to TEXT
);
CREATE INDEX topics_meeting ON topics(meeting_id);
CREATE INDEX topics_deferred ON topics(deferred_to) WHERE deferred_to IS NOT NULL;

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  topic TEXT,
  line INTEGER NOT NULL,
  superseded_by_id INTEGER REFERENCES decisions(id),
  removed_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id);

CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL,
  due TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  origin_meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  last_meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  topic TEXT,
  line INTEGER,
  carried_count INTEGER NOT NULL DEFAULT 0,
  snoozed_until TEXT,
  closed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX actions_status ON actions(status, due);
CREATE INDEX actions_origin ON actions(origin_meeting_id);
CREATE INDEX actions_last ON actions(last_meeting_id);

-- Owners in the order written; person_id is NULL while the name is unresolved.
CREATE TABLE action_owners (
  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  person_id INTEGER REFERENCES people(id),
  name TEXT NOT NULL,
  PRIMARY KEY (action_id, position)
);
CREATE INDEX action_owners_person ON action_owners(person_id, action_id);

CREATE TABLE action_events (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN
    ('created', 'edited', 'carried', 'reminded', 'snoozed', 'closed', 'reopened', 'commented', 'dropped')),
  actor_person_id INTEGER REFERENCES people(id),
  actor TEXT,
  source TEXT NOT NULL CHECK (source IN ('import', 'web', 'api', 'cli', 'email', 'reply', 'system')),
  meeting_id INTEGER REFERENCES meetings(id),
  note TEXT,
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX action_events_action ON action_events(action_id, id);
CREATE INDEX action_events_kind_time ON action_events(kind, created_at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT,
  headers TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  message_id TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'notetaker', 'member')),
  name TEXT,
  person_id INTEGER REFERENCES people(id),
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

-- Full text over minutes (current revision), decisions and actions. The rowid encodes the
-- row it indexes (ref_id * 4 + 1 minutes, + 2 decision, + 3 action) so triggers reach it
-- by rowid instead of scanning.
CREATE VIRTUAL TABLE search_fts USING fts5(
  body,
  kind UNINDEXED,
  ref_id UNINDEXED,
  meeting_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER meetings_fts_ai AFTER INSERT ON meetings WHEN NEW.current_revision_id IS NOT NULL BEGIN
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id)
    SELECT NEW.id * 4 + 1, text, 'minutes', NEW.id, NEW.id FROM minutes_revisions WHERE id = NEW.current_revision_id;
END;
CREATE TRIGGER meetings_fts_au AFTER UPDATE OF current_revision_id ON meetings BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 1;
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id)
    SELECT NEW.id * 4 + 1, text, 'minutes', NEW.id, NEW.id FROM minutes_revisions WHERE id = NEW.current_revision_id;
END;
CREATE TRIGGER meetings_fts_ad AFTER DELETE ON meetings BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 1;
END;

CREATE TRIGGER decisions_fts_ai AFTER INSERT ON decisions BEGIN
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id) VALUES (NEW.id * 4 + 2, NEW.text, 'decision', NEW.id, NEW.meeting_id);
END;
CREATE TRIGGER decisions_fts_au AFTER UPDATE OF text ON decisions BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 2;
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id) VALUES (NEW.id * 4 + 2, NEW.text, 'decision', NEW.id, NEW.meeting_id);
END;
CREATE TRIGGER decisions_fts_ad AFTER DELETE ON decisions BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 2;
END;

CREATE TRIGGER actions_fts_ai AFTER INSERT ON actions BEGIN
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id) VALUES (NEW.id * 4 + 3, NEW.text, 'action', NEW.id, NEW.origin_meeting_id);
END;
CREATE TRIGGER actions_fts_au AFTER UPDATE OF text ON actions BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 3;
  INSERT INTO search_fts (rowid, body, kind, ref_id, meeting_id) VALUES (NEW.id * 4 + 3, NEW.text, 'action', NEW.id, NEW.origin_meeting_id);
END;
CREATE TRIGGER actions_fts_ad AFTER DELETE ON actions BEGIN
  DELETE FROM search_fts WHERE rowid = OLD.id * 4 + 3;
END;
`);
  },
};

export default migration;
