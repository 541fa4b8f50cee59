import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { closeMailWorld, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { createServices } from '../../server/container.js';
import type { Clock } from '../../server/clock.js';

/** A clock tests move by hand, so backoff is checked without waiting. */
function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let t = new Date(iso).getTime();
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

const email = (n: number) => ({
  dedupeKey: `test:${n}`,
  kind: 'test',
  to: `person${n}@example.org`,
  subject: `Subject ${n}`,
  text: `Body ${n}\n`,
  html: `<p>Body ${n}</p>`,
});

describe('outbox over a real SMTP server', () => {
  let sink: SmtpSink;
  let world: TestWorld;
  let clock: ReturnType<typeof movableClock>;

  beforeEach(async () => {
    sink = await startSmtpSink();
    clock = movableClock('2026-11-23T09:00:00Z');
    world = openWorld({ clock, env: { SMTP_URL: sink.url } });
  });
  afterEach(async () => {
    await closeMailWorld(world, sink);
  });

  it('sends an enqueued email once, with text and HTML twins and a stable Message-ID', async () => {
    const { outbox } = world.services;
    const first = await world.db.transaction(async () => outbox.enqueue(email(1)));
    const again = await world.db.transaction(async () => outbox.enqueue(email(1)));
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(await outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
    const [m] = sink.received;
    expect(m.to).toEqual(['person1@example.org']);
    expect(m.subject).toBe('Subject 1');
    expect(m.text.trim()).toBe('Body 1');
    expect(m.html).toContain('<p>Body 1</p>');
    expect(m.messageId).toBe((await outbox.get(first.id))!.messageId);
    expect((await outbox.get(first.id))!.status).toBe('sent');
  });

  it('nothing is written when the deciding transaction rolls back', async () => {
    const { outbox } = world.services;
    await expect(world.db.transaction(async () => {
        await outbox.enqueue(email(2));
        throw new Error('decided otherwise');
      })).rejects.toThrow('decided otherwise');
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(0);
  });

  it('retries a 451 with exponential backoff, then delivers', async () => {
    const { outbox } = world.services;
    sink.plan = ['temp-fail', 'temp-fail'];
    const { id } = await outbox.enqueue(email(3));
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const r1 = (await outbox.get(id))!;
    expect(r1.status).toBe('pending');
    expect(r1.lastError).toMatch(/^451/);
    expect(r1.nextAttemptAt).toBe('2026-11-23T09:01:00.000Z');
    // Not due yet: nothing happens.
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(60_000);
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outbox.get(id))!.nextAttemptAt).toBe('2026-11-23T09:03:00.000Z');
    clock.advance(120_000);
    expect(await outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
    expect(sink.attempts).toBe(3);
    expect((await outbox.get(id))!.attempts).toBe(3);
  });

  it('retries after the server hangs up mid-message', async () => {
    const { outbox } = world.services;
    sink.plan = ['disconnect'];
    const { id } = await outbox.enqueue(email(4));
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outbox.get(id))!.status).toBe('pending');
    clock.advance(60_000);
    expect(await outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received.map((m) => m.subject)).toEqual(['Subject 4']);
  });

  it('retries when the server refuses connections', async () => {
    const { outbox } = world.services;
    const port = sink.port;
    await sink.close();
    const { id } = await outbox.enqueue(email(5));
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outbox.get(id))!.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
    sink = await startSmtpSink(port);
    clock.advance(60_000);
    expect(await outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it('marks a 550 failed, lists it, and sends it only after a manual retry', async () => {
    const { outbox } = world.services;
    sink.plan = ['perm-fail'];
    const { id } = await outbox.enqueue(email(6));
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 1 });
    clock.advance(24 * 3_600_000);
    expect(await outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await outbox.listFailed()).map((r) => [r.id, r.status, r.lastError?.slice(0, 3)])).toEqual([[id, 'failed', '550']]);
    await expect(outbox.retry(9999)).rejects.toThrow(/does not exist/);
    await outbox.retry(id);
    await expect(outbox.retry(id)).rejects.toThrow(/only failed emails/);
    expect(await outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await outbox.listFailed()).toEqual([]);
    expect(sink.received).toHaveLength(1);
  });

  it('a sender killed between enqueue and send delivers exactly once after restart', async () => {
    // Process 1 enqueues and commits, then dies before flushing.
    await world.db.transaction(async () => {
      await world.services.outbox.enqueue(email(7));
      await world.services.outbox.enqueue(email(8));
    });
    world.services.mailer.close();
    // Process 2: fresh services on the same database file.
    const restarted = createServices({ db: world.db, config: world.config, clock });
    expect(await restarted.outbox.flush()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(await restarted.outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    restarted.mailer.close();
    expect(sink.received.map((m) => m.subject).sort()).toEqual(['Subject 7', 'Subject 8']);
  });

  it('a sender killed after claiming re-sends after the lease, with the same Message-ID', async () => {
    const { outbox } = world.services;
    const { id } = await outbox.enqueue(email(9));
    // Simulate the crash: the row was claimed ('sending') and the process died before SMTP.
    await world.db.prepare(`UPDATE outbox SET status = 'sending', attempts = 1, next_attempt_at = ? WHERE id = ?`)
      .run('2026-11-23T09:10:00.000Z', id);
    const restarted = createServices({ db: world.db, config: world.config, clock });
    // Within the lease another sender leaves it alone (the first might still be talking SMTP).
    expect(await restarted.outbox.flush()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(10 * 60_000);
    expect(await restarted.outbox.flush()).toEqual({ sent: 1, retried: 0, failed: 0 });
    restarted.mailer.close();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].messageId).toBe((await outbox.get(id))!.messageId);
  });
});

