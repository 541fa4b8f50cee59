import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError, badInput } from '../../errors.js';
import { decodeCursor, pageOf, MAX_PAGE_SIZE, PAGE_SIZE, type Page } from '../../../domain/cursor.js';
import type { Mailer } from '../../adapters/mailer.js';
import { mailDomain } from '../../adapters/mailer.js';
import { backoffMs, classifyDeliveryError, MAX_ATTEMPTS } from '../../adapters/delivery-errors.js';
import type { OutboxRepository, OutboxRow } from '../../db/repositories/outbox-repository.js';
import { createOutboxSeal } from './outbox-seal.js';

/** What a caller enqueues. `dedupeKey` makes the enqueue idempotent (e.g. `digest:42:2026-11-23`). */
export interface OutgoingEmail {
  dedupeKey: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Extra headers; `Reply-To` is honoured as the reply address. */
  headers?: Record<string, string>;
}

export interface FlushResult {
  sent: number;
  retried: number;
  failed: number;
}

/** How long a claimed row stays ours; longer than any SMTP timeout of the mailer. */
const LEASE_MS = 10 * 60_000;
const CONCURRENCY = 5;

/**
 * The outbox (DESIGN.md: every email goes through it). `enqueue` is synchronous and only
 * writes a row, so callers put it inside the `db.transaction` that decides the email; `flush`
 * sends due rows after commit.
 *
 * Stored sealed: text, HTML and headers are encrypted under a key derived from the server
 * secret (`outbox-seal.ts`), so the database holds no usable sign-in, action or reply link.
 * Rows are opened only to send them, or when a caller asks for one (`get`, lists).
 *
 * Delivery (README, "Delivery: at most once where SMTP allows"): a row is claimed ('sending',
 * lease with this sender's id) right before the SMTP transaction; the server's 250 is recorded
 * at once in its own tiny transaction (`accepted_at`, queue id), and a recorded row is never
 * claimed again, whoever held the lease. A sender killed before the 250 leaves a 'sending'
 * row whose lease runs out: the server has not accepted it, or accepted it in the one window
 * left (after our final "." and before our UPDATE commits); it is sent again with the same
 * Message-ID, so a duplicate is recognisable. Nothing is lost.
 */
export function createOutboxService(deps: { repo: OutboxRepository; mailer: Mailer; clock: Clock; secret: string }) {
  const { repo, mailer, clock } = deps;
  const domain = mailDomain(mailer.from);
  const sealer = createOutboxSeal(deps.secret);
  /** This process as a lease holder. */
  const owner = `${process.pid}-${randomUUID()}`;

  /** The row with its body opened (rows from before migration 0060 are read as stored). */
  const open = (row: OutboxRow): OutboxRow => (row.sealed ? { ...row, ...sealer.open(row.sealed) } : row);
  /** For lists: a row sealed under another secret shows its metadata, an empty body. */
  const openForList = (row: OutboxRow): OutboxRow => {
    try {
      return open(row);
    } catch {
      return { ...row, text: '', html: null, headers: {} };
    }
  };
  const UNREADABLE = 'the stored email cannot be opened: it was sealed under a different server secret';

  // Rows written before bodies were sealed: sealed when the server starts, and by the first
  // flush of any process (migrations do not know the secret).
  let sealedOld: Promise<void> | null = null;
  const sealOld = (): Promise<void> =>
    (sealedOld ??= (async () => {
      for (const id of await repo.unsealedIds()) {
        const row = (await repo.get(id))!;
        await repo.seal(id, sealer.seal({ text: row.text, html: row.html, headers: row.headers }));
      }
    })().catch((err: unknown) => {
      sealedOld = null;
      throw err;
    }));
  let running: Promise<FlushResult> | null = null;
  let again = false;

  async function sendOne(claimed: OutboxRow, total: FlushResult): Promise<void> {
    let row: OutboxRow;
    try {
      row = open(claimed);
    } catch {
      await repo.markFailed(claimed.id, UNREADABLE, owner);
      total.failed++;
      return;
    }
    const headers = { ...row.headers };
    let replyTo: string | undefined;
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === 'reply-to') {
        replyTo = headers[k];
        delete headers[k];
      }
    }
    try {
      const result = await mailer.send({
        to: row.to,
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: row.messageId ?? `<outbox-${row.id}@${domain}>`,
        headers,
        replyTo,
        outboxId: row.id,
      });
      await repo.markSent(row.id, clock.now().toISOString(), result.response?.slice(0, 500) ?? null);
      total.sent++;
    } catch (err) {
      const failure = classifyDeliveryError(err);
      if (failure.permanent || row.attempts >= MAX_ATTEMPTS) {
        const why = failure.permanent ? failure.message : `gave up after ${row.attempts} attempts: ${failure.message}`;
        await repo.markFailed(row.id, why, owner);
        total.failed++;
      } else {
        const next = new Date(clock.now().getTime() + backoffMs(row.attempts)).toISOString();
        await repo.markRetry(row.id, next, failure.message, owner);
        total.retried++;
      }
    }
  }

  /**
   * Workers claim one row at a time, right before sending it, so a lease only ever covers a
   * message in flight (at most the mailer's timeouts, far below LEASE_MS): a row is never
   * claimed and then left waiting in a local queue while its lease runs out.
   */
  async function flushOnce(): Promise<FlushResult> {
    const total: FlushResult = { sent: 0, retried: 0, failed: 0 };
    const worker = async () => {
      for (;;) {
        const now = clock.now();
        const [row] = await repo.claimDue(now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), 1, owner);
        if (!row) return;
        await sendOne(row, total);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return total;
  }

  function flush(): Promise<FlushResult> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      const total: FlushResult = { sent: 0, retried: 0, failed: 0 };
      try {
        await sealOld();
        do {
          again = false;
          const r = await flushOnce();
          total.sent += r.sent;
          total.retried += r.retried;
          total.failed += r.failed;
        } while (again);
        return total;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    /**
     * Writes one email to the outbox unless its dedupe key is already there. Synchronous, no
     * I/O besides SQLite: safe inside `db.transaction`. Call `flush()` after the commit.
     */
    async enqueue(email: OutgoingEmail): Promise<{ id: number; created: boolean }> {
      if (!email.to.includes('@')) throw new AppError('bad-address', `cannot send to '${email.to}': not an email address`);
      const { row, created } = await repo.insert({
        dedupeKey: email.dedupeKey,
        kind: email.kind,
        to: email.to,
        subject: email.subject,
        sealed: sealer.seal({ text: email.text, html: email.html ?? null, headers: email.headers ?? {} }),
        messageId: `<${randomUUID()}@${domain}>`,
        now: clock.now().toISOString(),
      });
      return { id: row.id, created };
    },

    /**
     * Sends every due row (pending whose time has come, or 'sending' whose lease expired).
     * One flush at a time per process: a call during a running flush makes it go round once
     * more and shares its result.
     */
    flush,

    /** Resolves when no flush is running (before closing the database on shutdown). */
    async idle(): Promise<void> {
      while (running) await running.catch(() => undefined);
    },

    /** Seals rows an older version stored in clear (once per process; the server calls it at start). */
    sealStored: sealOld,

    /** Starts a flush in the background (after a web request commits); errors are logged. */
    kick(): void {
      flush().catch((err: unknown) => console.error('outbox flush failed:', err));
    },

    /** Permanently failed emails, newest first (for the dashboard). */
    async listFailed(limit = 100): Promise<OutboxRow[]> {
      return (await repo.listFailed(limit)).map(openForList);
    },

    async listRecent(limit = 100): Promise<OutboxRow[]> {
      return (await repo.listRecent(limit)).map(openForList);
    },

    /** One page of emails, newest first (default 50, at most 500), failed only or all, after `cursor`. */
    async page(opts: { failedOnly: boolean; cursor?: string; limit?: number }): Promise<Page<OutboxRow>> {
      let before: number | null = null;
      if (opts.cursor) {
        const key = decodeCursor(opts.cursor, ['n']);
        if (!key) throw badInput('cursor: not a cursor of this list (use the "next" of the previous page)');
        before = key[0] as number;
      }
      const limit = Math.min(Math.max(opts.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
      const counts = await repo.countByStatus();
      const total = opts.failedOnly ? counts.failed : Object.values(counts).reduce((a, b) => a + b, 0);
      return pageOf(await repo.page(opts.failedOnly, before, limit + 1), limit, total, (r) => [r.id]);
    },

    /** One email, its body opened. */
    async get(id: number): Promise<OutboxRow | undefined> {
      const row = await repo.get(id);
      return row && open(row);
    },

    async counts() {
      return await repo.countByStatus();
    },

    /** Puts a failed email back in the queue (by hand only). Call `flush()` after. */
    async retry(id: number): Promise<void> {
      const row = await repo.get(id);
      if (!row) throw new AppError('not-found', `outbox email ${id} does not exist`, 404);
      if (!await repo.retry(id, clock.now().toISOString())) {
        throw new AppError('not-failed', `outbox email ${id} is ${row.status}, only failed emails can be retried`, 409);
      }
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
