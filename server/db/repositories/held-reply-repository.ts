import type { Db } from '../connection.js';

/** A reply held for its owner's confirmation. */
export interface HeldReply {
  id: number;
  digestId: number;
  personId: number;
  fromAddress: string;
  body: string;
  reason: string;
  createdAt: string;
  confirmedAt: string | null;
}

const COLUMNS = `id, digest_id AS digestId, person_id AS personId, from_address AS fromAddress, body, reason,
  created_at AS createdAt, confirmed_at AS confirmedAt`;

/** All SQL over `held_replies`. */
export function createHeldReplyRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO held_replies (digest_id, person_id, from_address, body, reason, created_at)
    VALUES (@digestId, @personId, @fromAddress, @body, @reason, @now) RETURNING id`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM held_replies WHERE id = ?`);
  const waiting = db.prepare(`SELECT count(*) AS n FROM held_replies WHERE digest_id = ? AND confirmed_at IS NULL`);
  const confirm = db.prepare(`UPDATE held_replies SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL`);
  return {
    async insert(row: Omit<HeldReply, 'id' | 'createdAt' | 'confirmedAt'> & { now: string }): Promise<number> {
      return ((await insert.get(row)) as { id: number }).id;
    },
    async get(id: number): Promise<HeldReply | undefined> {
      return await byId.get(id) as HeldReply | undefined;
    },
    /** Held replies of a digest not confirmed yet. */
    async countWaiting(digestId: number): Promise<number> {
      return (await waiting.get(digestId) as { n: number }).n;
    },
    /** Marks it confirmed; false when it already was (a second click). */
    async confirm(id: number, now: string): Promise<boolean> {
      return (await confirm.run(now, id)).changes === 1;
    },
  };
}

export type HeldReplyRepository = ReturnType<typeof createHeldReplyRepository>;
