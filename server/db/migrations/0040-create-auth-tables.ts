import type { Migration } from '../migrate.js';

/**
 * Accounts for the web app: a role per person (no row = member), browser sessions and
 * one-time sign-in links. Secrets (session ids, link tokens) are stored only as SHA-256 hex,
 * so a copy of the database cannot be used to sign in.
 */
const migration: Migration = {
  id: '0040-create-auth-tables',
  up(db) {
    db.exec(`
CREATE TABLE person_roles (
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'notetaker', 'member')),
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  id_hash TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions(person_id);

-- person_id NULL with role 'admin': the first-start link that creates the first admin.
CREATE TABLE sign_in_links (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
  bootstrap_role TEXT CHECK (bootstrap_role IN ('admin')),
  next_path TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
`);
  },
};

export default migration;
