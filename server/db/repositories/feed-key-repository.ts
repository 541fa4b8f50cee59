import type { Db } from '../connection.js';

/** SQL of `due_feed_keys`: hashes of the personal calendar secrets, one per person. */
export function createFeedKeyRepository(db: Db) {
  const s = {
    put: db.prepare<[number, string, string]>(`INSERT INTO due_feed_keys (person_id, key_hash, created_at) VALUES (?, ?, ?)
      ON CONFLICT (person_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at`),
    get: db.prepare<[number], { key_hash: string; created_at: string }>('SELECT key_hash, created_at FROM due_feed_keys WHERE person_id = ?'),
    remove: db.prepare<[number]>('DELETE FROM due_feed_keys WHERE person_id = ?'),
  };
  return {
    /** Sets (or replaces) the key hash of a person. */
    async put(personId: number, keyHash: string, now: string): Promise<void> {
      await s.put.run(personId, keyHash, now);
    },
    async get(personId: number): Promise<{ keyHash: string; createdAt: string } | null> {
      const r = await s.get.get(personId);
      return r ? { keyHash: r.key_hash, createdAt: r.created_at } : null;
    },
    /** True when a key was removed. */
    async remove(personId: number): Promise<boolean> {
      return (await s.remove.run(personId)).changes > 0;
    },
  };
}

export type FeedKeyRepository = ReturnType<typeof createFeedKeyRepository>;
