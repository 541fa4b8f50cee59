import type { Db } from '../connection.js';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One email in the outbox, camelCase. */
export interface OutboxRow {
  id: number;
  dedupeKey: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Text, HTML and headers encrypted (services/mail/outbox-seal.ts); null only on rows from before 0060. */
  sealed: Buffer | null;
  /** When the SMTP server answered 250, and what it answered (queue id). */
  acceptedAt: string | null;
  smtpResponse: string | null;
}

/** What `insert` needs: the message as stored, its Message-ID and the time. */
export type NewOutboxRow = Pick<OutboxRow, 'dedupeKey' | 'kind' | 'to' | 'subject' | 'sealed'> & {
  messageId: string;
  now: string;
};

interface RawRow {
  id: number;
  dedupe_key: string;
  kind: string;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  headers: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
  sealed: Buffer | null;
  accepted_at: string | null;
  smtp_response: string | null;
}

const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  kind: r.kind,
  to: r.to_address,
  subject: r.subject,
  text: r.text,
  html: r.html,
  headers: JSON.parse(r.headers) as Record<string, string>,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  messageId: r.message_id,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  sealed: r.sealed,
  acceptedAt: r.accepted_at,
  smtpResponse: r.smtp_response,
});

/** All SQL over the `outbox` table. */
export function createOutboxRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO outbox
    (dedupe_key, kind, to_address, subject, text, html, headers, sealed, status, attempts, next_attempt_at, message_id, created_at)
    VALUES (@dedupeKey, @kind, @to, @subject, '', NULL, '{}', @sealed, 'pending', 0, @now, @messageId, @now)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const byKey = db.prepare('SELECT * FROM outbox WHERE dedupe_key = ?');
  const byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
  // Due = pending and its time has come, or 'sending' whose lease ran out (the sender died).
  const dueIds = db.prepare(`SELECT id FROM outbox
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?
    ORDER BY next_attempt_at, id LIMIT ?`);
  // A 'sending' row the server already accepted (250 recorded) is never claimed again.
  const claimOne = db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = @leaseUntil,
      lease_owner = @owner
    WHERE id = @id AND status IN ('pending', 'sending') AND accepted_at IS NULL AND next_attempt_at <= @now RETURNING *`);
  // PostgreSQL: the same claim in one statement. The due rows are locked as they are chosen;
  // rows another instance is claiming right now are skipped, not waited for, and a row whose
  // claim committed meanwhile is re-checked on its new version (lease in the future: no longer due).
  const claimSkipLocked = db.dialect !== 'postgres' ? null : db.prepare(`WITH due AS (
      SELECT id, next_attempt_at AS was FROM outbox
      WHERE status IN ('pending', 'sending') AND accepted_at IS NULL AND next_attempt_at <= @now
      ORDER BY next_attempt_at, id LIMIT @limit
      FOR UPDATE SKIP LOCKED)
    UPDATE outbox SET status = 'sending', attempts = outbox.attempts + 1, next_attempt_at = @leaseUntil, lease_owner = @owner
    FROM due WHERE outbox.id = due.id
    RETURNING outbox.*, due.was`);
  // The 250 is the whole truth: recorded whoever holds the lease now, so no one sends it again.
  const markSent = db.prepare(`UPDATE outbox SET status = 'sent', sent_at = @now, accepted_at = @now, smtp_response = @response,
      last_error = NULL, lease_owner = NULL
    WHERE id = @id AND status <> 'sent' AND accepted_at IS NULL`);
  const markRetry = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = @nextAttemptAt, last_error = @error,
      lease_owner = NULL
    WHERE id = @id AND status = 'sending' AND lease_owner = @owner`);
  const markFailed = db.prepare(`UPDATE outbox SET status = 'failed', last_error = @error, lease_owner = NULL
    WHERE id = @id AND status = 'sending' AND lease_owner = @owner`);
  const unsealedIds = db.prepare(`SELECT id FROM outbox WHERE sealed IS NULL AND status <> 'sent' AND (text <> '' OR html IS NOT NULL OR headers <> '{}')`);
  const sealRow = db.prepare(`UPDATE outbox SET sealed = @sealed, text = '', html = NULL, headers = '{}' WHERE id = @id AND sealed IS NULL`);
  const retry = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = @now, attempts = 0
    WHERE id = @id AND status = 'failed'`);
  const failed = db.prepare(`SELECT * FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?`);
  const recent = db.prepare(`SELECT * FROM outbox ORDER BY id DESC LIMIT ?`);
  const counts = db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`);
  // Keyset page, newest first: rows below id @before (all when null), failed ones only or all.
  // (The CASTs give PostgreSQL the parameter's type, which `@before IS NULL` alone does not.)
  const page = db.prepare(`SELECT * FROM outbox WHERE (@failed = 0 OR status = 'failed') AND (CAST(@before AS BIGINT) IS NULL OR id < CAST(@before AS BIGINT))
    ORDER BY id DESC LIMIT @limit`);

  return {
    /** Inserts unless the dedupe key exists; returns the row and whether it is new. */
    async insert(row: NewOutboxRow): Promise<{ row: OutboxRow; created: boolean }> {
      const info = await insert.run(row);
      const stored = await byKey.get(row.dedupeKey) as RawRow;
      return { row: toRow(stored), created: info.changes === 1 };
    },
    async get(id: number): Promise<OutboxRow | undefined> {
      const r = await byId.get(id) as RawRow | undefined;
      return r && toRow(r);
    },
    /**
     * Claims up to `limit` due rows for this sender: each becomes 'sending' with a lease until
     * `leaseUntil`, in one IMMEDIATE transaction so two senders never claim the same row.
     */
    async claimDue(now: string, leaseUntil: string, limit: number, owner: string): Promise<OutboxRow[]> {
      if (claimSkipLocked !== null) {
        // Without the writers' lock, so every instance drains the outbox at once and a claim
        // never waits behind a long write (a reminder batch, an import). Safe without it: the
        // claim is one statement whose row locks (FOR UPDATE) make two instances' claims
        // disjoint (SKIP LOCKED: each takes rows the other has not locked), and what it writes
        // is the lease: until `leaseUntil` the row is not due, so no one else claims it after
        // this commits either; only the lease holder may give it back (markRetry/markFailed).
        const rows = await db.transaction(async () => await claimSkipLocked.all({ now, leaseUntil, limit, owner }) as (RawRow & { was: string })[], { writersLock: false });
        rows.sort((a, b) => (a.was < b.was ? -1 : a.was > b.was ? 1 : a.id - b.id));
        return rows.map(toRow);
      }
      return await db
        .transaction(async () => {
          const ids = await dueIds.all(now, limit) as { id: number }[];
          const claimed: OutboxRow[] = [];
          for (const { id } of ids) {
            const r = await claimOne.get({ id, now, leaseUntil, owner }) as RawRow | undefined;
            if (r) claimed.push(toRow(r));
          }
          return claimed;
        });
    },
    /** Records the server's 250 (and its queue id) at once, in its own tiny transaction. */
    async markSent(id: number, now: string, response: string | null): Promise<void> {
      await markSent.run({ id, now, response });
    },
    /** Only the sender holding the lease may give the row back or fail it. */
    async markRetry(id: number, nextAttemptAt: string, error: string, owner: string): Promise<void> {
      await markRetry.run({ id, nextAttemptAt, error, owner });
    },
    async markFailed(id: number, error: string, owner: string): Promise<void> {
      await markFailed.run({ id, error, owner });
    },
    /** Rows written before 0060 whose body is still in clear (the service seals them). */
    async unsealedIds(): Promise<number[]> {
      return (await unsealedIds.all() as { id: number }[]).map((r) => r.id);
    },
    async seal(id: number, sealed: Buffer): Promise<void> {
      await sealRow.run({ id, sealed });
    },
    /** A failed row back to pending; false when the row is not failed. */
    async retry(id: number, now: string): Promise<boolean> {
      return (await retry.run({ id, now })).changes === 1;
    },
    async listFailed(limit = 100): Promise<OutboxRow[]> {
      return (await failed.all(limit) as RawRow[]).map(toRow);
    },
    /** Newest first below id `before` (null: from the newest), failed only or all; at most `limit`. */
    async page(failedOnly: boolean, before: number | null, limit: number): Promise<OutboxRow[]> {
      return (await page.all({ failed: failedOnly ? 1 : 0, before, limit }) as RawRow[]).map(toRow);
    },
    async listRecent(limit = 100): Promise<OutboxRow[]> {
      return (await recent.all(limit) as RawRow[]).map(toRow);
    },
    async countByStatus(): Promise<Record<OutboxStatus, number>> {
      const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const r of await counts.all() as { status: OutboxStatus; n: number }[]) out[r.status] = r.n;
      return out;
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
