import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, runCli, testDialect, type TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { seeder } from '../helpers/reminder-seed.js';
import { fixedClock } from '../../server/clock.js';
import { REMINDER_PASS_LOCK } from '../../server/services/mail/reminder-service.js';

/**
 * One reminder pass at a time (`Database.exclusive`): while the pass is held — by another
 * instance on PostgreSQL, by this process on SQLite — a pass records and sends nothing and says
 * why; once it is free the next pass does the work.
 */
describe('a reminder pass while another one runs', () => {
  let sink: SmtpSink;
  let world: TestWorld;

  beforeEach(async () => {
    sink = await startSmtpSink();
    world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: sink.url } });
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    const m = await s.meeting(await s.series('openxt', 'OpenXT Community Call'), '2026-11-05');
    await s.action({ meetingId: m, text: 'write a doc', owners: [ross], due: '2026-11-10' });
  });
  afterEach(async () => {
    world.services.mailer.close();
    await world.close();
    await sink.close();
  });

  /** Runs `fn` while this process holds the reminder pass, as a running pass would. */
  async function whileHeld<T>(fn: () => Promise<T>): Promise<T> {
    let result!: T;
    const held = await world.db.exclusive(REMINDER_PASS_LOCK, async () => {
      result = await fn();
    });
    expect(held).not.toBeNull();
    return result;
  }

  it('is skipped with a reason, records and sends nothing; the next one reminds', async () => {
    const skipped = await whileHeld(() => world.services.reminders.run());
    expect(skipped.skipped).toBe('another instance is running the reminder pass');
    expect(skipped).toMatchObject({ digests: [], escalations: [], enqueued: 0, delivery: null, today: '2026-11-23' });
    expect(await world.db.prepare('SELECT count(*) FROM reminder_digests').pluck().get()).toBe(0);
    expect(await world.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);

    const ran = await world.services.reminders.run();
    expect(ran.skipped).toBeUndefined();
    expect(ran.digests.map((d) => d.to)).toEqual(['ross@example.org']);
    expect(sink.received.map((m) => m.to)).toEqual([['ross@example.org']]);
  });

  // On SQLite the guard is per process: a `minutes remind` beside the server is kept right by
  // the per-period dedupe instead (tests/integration/reminder-batches.test.ts).
  it.skipIf(testDialect !== 'postgres')('minutes remind on another instance says it skipped, exits 0, and --json carries the reason', async () => {
    const [text, json] = await whileHeld(() =>
      Promise.all([
        runCli(['remind', '--now', '2026-11-23T09:00:00Z'], { dataDir: world.dir, env: { SMTP_URL: sink.url } }),
        runCli(['remind', '--now', '2026-11-23T09:00:00Z', '--json'], { dataDir: world.dir, env: { SMTP_URL: sink.url } }),
      ]),
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('Reminder pass for 2026-11-23 skipped: another instance is running the reminder pass; nothing recorded or sent.\n');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ skipped: 'another instance is running the reminder pass', digests: [], enqueued: 0 });
    expect(sink.received).toHaveLength(0);
  });
});
