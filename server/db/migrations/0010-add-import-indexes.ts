import type { Migration } from '../migrate.js';

/**
 * Indexes the import needs: unresolved owners are looked up by the name as written
 * (carry-over candidates, `actions --owner`), case-insensitively.
 */
const migration: Migration = {
  id: '0010-add-import-indexes',
  up(db) {
    db.exec(`
CREATE INDEX action_owners_unresolved ON action_owners(name COLLATE NOCASE) WHERE person_id IS NULL;
`);
  },
};

export default migration;
