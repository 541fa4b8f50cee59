import type { Db } from '../connection.js';

/** All SQL over `settings`: one value per key. */
export function createSettingsRepository(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const set = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  return {
    async get(key: string): Promise<string | null> {
      return (await get.get(key))?.value ?? null;
    },
    async set(key: string, value: string, now: string): Promise<void> {
      await set.run(key, value, now);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
