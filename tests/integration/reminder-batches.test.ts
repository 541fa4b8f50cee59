import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSecondConnection, openWorld, type TestWorld } from '../helpers/env.js';
import { closeMailWorld, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { seeder } from '../helpers/reminder-seed.js';
import { fixedClock, type Clock } from '../../server/clock.js';
import { createServices, type Services } from '../../server/container.js';
import { createReminderRepository } from '../../server/db/repositories/reminder-repository.js';
import { ActionRepository } from '../../server/db/repositories/action-repository.js';
import { createReminderService } from '../../server/services/mail/reminder-service.js';
import type { EmailTemplateService } from '../../server/services/mail/email-template-service.js';
import { formatRun } from '../../server/cli/remind-run.js';

const PEOPLE = 7;

/** PEOPLE owners (Owner 1..7, owner1@example.org...), each with one overdue action; a chair last. */
async function seedOwners(world: TestWorld): Promise<number[]> {
  const s = seeder(world.db);
  const series = await s.series('call', 'The Call');
  const meeting = await s.meeting(series, '2026-11-05');
  const ids: number[] = [];
  for (let i = 1; i <= PEOPLE; i++) {
    const p = await s.person(`Owner ${i}`, { email: `owner${i}@example.org` });
    await s.action({ meetingId: meeting, text: `task of owner ${i}`, owners: [p], due: '2026-11-10' });
    ids.push(p);
  }
  const chair = await s.person('The Chair', { email: 'chair@example.org' });
  await world.db.prepare('UPDATE series SET chair_person_id = ? WHERE id = ?').run(chair, series);
  return ids;
}

/** A reminder service like the real one whose digest for `name` fails to render (a crash mid-pass). */
function dyingService(world: TestWorld, name: string) {
  const real = world.services.emailTemplates;
  const failing: EmailTemplateService = {
    ...real,
    render(template, data) {
      if (template === 'digest' && data.name === name) throw new Error(`crash at ${name}`);
      return real.render(template, data);
    },
  };
  return createReminderService({
    db: world.db, repo: createReminderRepository(world.db), actions: new ActionRepository(world.db), outbox: world.services.outbox, templates: failing,
    tokens: world.services.linkTokens, config: world.config, clock: world.services.clock,
  });
}

/** How many mails each address received, sorted by address. */
function perAddress(sink: SmtpSink): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of sink.received) for (const to of m.to) out[to] = (out[to] ?? 0) + 1;
  return out;
}

const everyoneOnce = () => Object.fromEntries(Array.from({ length: PEOPLE }, (_, i) => [`owner${i + 1}@example.org`, 1]));

describe('a reminder pass in batches', () => {
  let sink: SmtpSink;
  let world: TestWorld;
  let other: Services | null;

  beforeEach(async () => {
    sink = await startSmtpSink();
    world = openWorld({ clock: fixedClock('2026-11-23T23:59:58Z'), env: { SMTP_URL: sink.url } });
    other = null;
  });
  afterEach(async () => {
    if (other) {
      other.mailer.close();
      await other.db.close();
    }
    await closeMailWorld(world, sink);
  });

  /** A second process's view: its own connection to the same database file, its own clock. */
  function secondInstance(clock: Clock): Services {
    const db = openSecondConnection(world);
    other = createServices({ db, config: world.config, clock });
    return other;
  }

  it('two passes at once (scheduler and `minutes remind`) remind each person once, even across midnight', async () => {
    await seedOwners(world);
    // The second pass runs in the next day: another period key, so only the re-check of the
    // person's last digest inside each batch keeps it from deciding a second digest.
    const b = secondInstance(fixedClock('2026-11-24T00:00:02Z'));
    // Different batch sizes, so the two passes reach the same people at different turns.
    const [ra, rb] = await Promise.all([
      world.services.reminders.run({ batchSize: 1 }),
      b.reminders.run({ batchSize: 3 }),
    ]);
    expect(ra.digests.length + rb.digests.length).toBe(PEOPLE);
    if (world.db.dialect === 'postgres') {
      // PostgreSQL: the reminder pass is held for every instance (Database.exclusive), so the
      // second one skips at once and says why (tests/integration/reminder-exclusive.test.ts).
      expect([ra.skipped, rb.skipped].filter(Boolean)).toEqual(['another instance is running the reminder pass']);
    } else {
      // SQLite: the guard is per process, so both really ran interleaved: each decided some.
      expect(ra.digests.length).toBeGreaterThan(0);
      expect(rb.digests.length).toBeGreaterThan(0);
    }
    await world.services.outbox.flush();
    expect(perAddress(sink)).toEqual(everyoneOnce());
    const digests = await world.db.prepare('SELECT person_id, count(*) AS n FROM reminder_digests GROUP BY person_id').all() as { n: number }[];
    expect(digests.map((d) => d.n)).toEqual(Array(PEOPLE).fill(1));
  });

  it('a pass that dies in its second batch keeps the first; the next pass sends the rest, nobody twice', async () => {
    await seedOwners(world);
    // The fault: rendering the digest of Owner 3 (in the second batch of two) throws.
    await expect(dyingService(world, 'Owner 3').run({ batchSize: 2 })).rejects.toThrow('crash at Owner 3');

    // Batch 1 was committed with its outbox rows; batch 2 left nothing behind.
    await world.services.outbox.flush();
    expect(perAddress(sink)).toEqual({ 'owner1@example.org': 1, 'owner2@example.org': 1 });
    const recorded = await world.db.prepare('SELECT count(*) FROM reminder_digests').pluck().get();
    expect(recorded).toBe(2);

    const rerun = await world.services.reminders.run({ batchSize: 2 });
    expect(rerun.digests.map((d) => d.name)).toEqual(['Owner 3', 'Owner 4', 'Owner 5', 'Owner 6', 'Owner 7']);
    expect(perAddress(sink)).toEqual(everyoneOnce());
  });

  it('escalations count the digests a dying pass recorded: the next pass tells the chair about everyone, once', async () => {
    world.services.mailer.close();
    world.close();
    world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: sink.url, ESCALATE_AFTER: '1' } });
    await seedOwners(world);
    await expect(dyingService(world, 'Owner 3').run({ batchSize: 2 })).rejects.toThrow('crash at Owner 3');
    const r = await world.services.reminders.run({ batchSize: 2 });
    expect(r.escalations.map((e) => [e.chair.email, e.actions.length])).toEqual([['chair@example.org', PEOPLE]]);
    expect((await world.services.reminders.run()).escalations).toEqual([]);
    await world.services.outbox.flush();
    expect(perAddress(sink)).toEqual({ ...everyoneOnce(), 'chair@example.org': 1 });
  });

  it('a batch out of time commits what it decided and the next one goes on from there', async () => {
    await seedOwners(world);
    // A zero budget: every transaction decides one digest, then commits and yields.
    const r = await world.services.reminders.run({ batchSize: 5, budgetMs: 0 });
    expect(r.digests.map((d) => d.name)).toEqual(Array.from({ length: PEOPLE }, (_, i) => `Owner ${i + 1}`));
    expect(perAddress(sink)).toEqual(everyoneOnce());
  });

  it('an owner whose address is not an address is skipped and listed as "invalid address"', async () => {
    const s = seeder(world.db);
    const series = await s.series('call', 'The Call');
    const meeting = await s.meeting(series, '2026-11-05');
    const bad = [
      await s.person('No At', { email: 'noat.example.org' }),
      await s.person('Two Addresses', { email: 'a@example.org, b@example.org' }),
      await s.person('Spaced', { email: 'spaced @example.org' }),
    ];
    const good = await s.person('Good Owner', { email: 'good@example.org' });
    for (const p of [...bad, good]) await s.action({ meetingId: meeting, text: 'a task', owners: [p] });

    const r = await world.services.reminders.run();
    expect(r.digests.map((d) => d.to)).toEqual(['good@example.org']);
    expect(perAddress(sink)).toEqual({ 'good@example.org': 1 });
    const listed = r.withoutEmail.map((o) => [o.name, o.reason, o.email]);
    expect(listed).toEqual([
      ['No At', 'invalid address', 'noat.example.org'],
      ['Spaced', 'invalid address', 'spaced @example.org'],
      ['Two Addresses', 'invalid address', 'a@example.org, b@example.org'],
    ]);
    expect(await world.services.reminders.ownersWithoutEmail()).toEqual(r.withoutEmail);
    // What `minutes remind` prints.
    expect(formatRun(r)).toContain("  No At (invalid address 'noat.example.org'): 1 open action\n");
  });
});
