import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { closeMailWorld, startSmtpSink, type SmtpSink, type ReceivedMail } from '../helpers/smtp-sink.js';
import { movableClock, seeder } from '../helpers/reminder-seed.js';

const MINUTES = [
  '# Community Call - 5th November 2026',
  '',
  '* Ross and James to write a doc so that Rich can start the upstream discussion',
  '* Ross to check tboot with UEFI',
].join('\n');

/** The world of these tests: one series, a chair, owners in every state the policy cares about. */
async function seedWorld(world: TestWorld) {
  const s = seeder(world.db);
  const rich = await s.person('Rich Persaud', { email: 'rich@example.org' });
  const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
  const james = await s.person('James McKenzie', { email: 'james@example.org' });
  const chris = await s.person('Chris Rogers');
  const pete = await s.person('Pete Paused', { email: 'pete@example.org', pausedUntil: '2026-12-31' });
  const ais = await s.person('AIS Burlington', { email: 'ais@example.org', kind: 'group' });
  const chairs = await s.person('Chairs', { kind: 'group' });
  const openxt = await s.series('openxt', 'OpenXT Community Call', rich);
  const m1 = await s.meeting(openxt, '2026-11-05', MINUTES, 'Community Call - 5th November 2026');
  const m2 = await s.meeting(openxt, '2026-11-22');
  const a = {
    doc: await s.action({ meetingId: m1, text: 'write a doc so that Rich can start the upstream discussion', owners: [ross, james], due: '2026-11-10', line: 3, carried: 2 }),
    tboot: await s.action({ meetingId: m1, text: 'check tboot with UEFI', owners: [ross], due: '2026-12-15', line: 4 }),
    done: await s.action({ meetingId: m1, text: 'already done thing', owners: [ross], status: 'done' }),
    dropped: await s.action({ meetingId: m1, text: 'dropped thing', owners: [ross], status: 'dropped' }),
    snoozed: await s.action({ meetingId: m1, text: 'snoozed thing', owners: [ross], snoozedUntil: '2026-11-30' }),
    recent: await s.action({ meetingId: m2, text: 'fresh from yesterday', owners: [ross] }),
    paused: await s.action({ meetingId: m1, text: 'paused person thing', owners: [pete] }),
    group: await s.action({ meetingId: m1, text: 'host the build server', owners: [ais] }),
    chris: await s.action({ meetingId: m1, text: 'create a wiki page', owners: [chris] }),
    unknown: await s.action({ meetingId: m1, text: 'ask around', owners: ['Someone Else'] }),
    chairsGroup: await s.action({ meetingId: m1, text: 'pick a date', owners: [chairs] }),
    undated: await s.action({ meetingId: m1, text: 'undated thing', owners: [ross] }),
    snoozeOver: await s.action({ meetingId: m1, text: 'snooze ended today', owners: [ross], snoozedUntil: '2026-11-23' }),
  };
  return { s, people: { rich, ross, james, chris, pete, ais }, a };
}

const byTo = (mails: ReceivedMail[], to: string) => mails.filter((m) => m.to.includes(to));

describe('reminder digests over a real SMTP server', () => {
  let sink: SmtpSink;
  let world: TestWorld;
  let clock: ReturnType<typeof movableClock>;
  let seed: Awaited<ReturnType<typeof seedWorld>>;

  beforeEach(async () => {
    sink = await startSmtpSink();
    clock = movableClock('2026-11-23T09:00:00Z');
    world = openWorld({ clock, env: { SMTP_URL: sink.url, MINUTES_BASE_URL: 'https://minutes.example.org' } });
    seed = await seedWorld(world);
  });
  afterEach(async () => {
    await closeMailWorld(world, sink);
  });

  it('sends each owner one digest with all their open actions, overdue first, and nothing else', async () => {
    const r = await world.services.reminders.run();
    expect(r.delivery).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual(['ais@example.org', 'james@example.org', 'ross@example.org']);

    const [ross] = byTo(sink.received, 'ross@example.org');
    expect(ross.subject).toBe('4 open actions, 1 overdue - reminder from Minutes');
    const items = ross.text.match(/^\d+\. .*$/gm);
    expect(items).toEqual([
      '1. OVERDUE write a doc so that Rich can start the upstream discussion',
      '2. check tboot with UEFI',
      '3. undated thing',
      '4. snooze ended today',
    ]);
    expect(ross.text).toContain('Due:     2026-11-10 (overdue)');
    expect(ross.text).toContain('From:    Community Call - 5th November 2026, 2026-11-05, line 3');
    expect(ross.text).toContain('Minutes: "Ross and James to write a doc so that Rich can start the\n            upstream discussion"');
    expect(ross.text).toContain('Carried over 2 times.');
    expect(ross.text).toMatch(/Mark done:\n   https:\/\/minutes\.example\.org\/act\/[\w-]+\.[\w-]+\?do=done\n/);
    expect(ross.text).toMatch(/Snooze a week:\n   https:\/\/minutes\.example\.org\/act\/[\w-]+\.[\w-]+\?do=snooze\n/);
    expect(ross.text).toContain('All your actions:\nhttps://minutes.example.org/actions?owner=Ross%20Philipson');
    for (const gone of ['already done', 'dropped thing', 'snoozed thing', 'fresh from yesterday', 'paused person']) {
      expect(ross.text).not.toContain(gone);
    }
    // Plain text reads well: short lines except full URLs.

    for (const line of ross.text.split('\n')) if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(78);
    // The HTML twin carries the same actions and links.
    expect(ross.html).toContain('write a doc so that Rich can start the upstream discussion');
    expect(ross.html).toMatch(/href="https:\/\/minutes\.example\.org\/act\/[\w.-]+\?do=done"/);

    const [james] = byTo(sink.received, 'james@example.org');
    expect(james.text.match(/^\d+\. .*$/gm)).toEqual(['1. OVERDUE write a doc so that Rich can start the upstream discussion']);
    const [ais] = byTo(sink.received, 'ais@example.org');
    expect(ais.text).toContain('Hello AIS Burlington');
    expect(ais.text).toContain('because actions were given to the group');
    expect(ais.text).toContain('1. host the build server');

    expect(r.withoutEmail.map((o) => [o.name, o.kind, o.openActions])).toEqual([
      ['Chairs', 'group', 1],
      ['Chris Rogers', 'person', 1],
      ['Someone Else', 'unresolved', 1],
    ]);
    expect(await world.services.reminders.ownersWithoutEmail()).toEqual(r.withoutEmail);
  });

  it('a dry run records and sends nothing', async () => {
    const r = await world.services.reminders.run({ dryRun: true });
    expect(r.digests.map((d) => d.to).sort()).toEqual(['ais@example.org', 'james@example.org', 'ross@example.org']);
    expect(r.enqueued).toBe(0);
    expect(await world.services.outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0 });
    const again = await world.services.reminders.run({ dryRun: true });
    expect(again.digests).toHaveLength(3);
    expect(sink.received).toHaveLength(0);
  });

  it('keeps the cadence over simulated weeks, reflects closes, and never sends twice a period', async () => {
    const dates: Record<string, string[]> = {};
    for (let day = 0; day < 28; day++) {
      const now = new Date(Date.parse('2026-11-23T09:00:00Z') + day * 86_400_000);
      clock.set(now.toISOString());
      if (now.toISOString().startsWith('2026-12-01')) {
        await world.db.prepare(`UPDATE actions SET status = 'done' WHERE id = ?`).run(seed.a.doc);
      }
      const r = await world.services.reminders.run();
      // A second pass the same day (the CLI beside the scheduler) decides nothing new.
      const again = await world.services.reminders.run();
      expect(again.enqueued).toBe(0);
      for (const d of r.digests) (dates[d.to] ??= []).push(`${r.today}:${d.actions.length}`);
    }
    expect(dates['ross@example.org']).toEqual(['2026-11-23:4', '2026-11-30:6', '2026-12-07:5', '2026-12-14:5']);
    // James's only action closed on 12-01: the digest of 11-30 was his last.
    expect(dates['james@example.org']).toEqual(['2026-11-23:1', '2026-11-30:1']);
    expect(dates['ais@example.org']).toHaveLength(4);
    expect(dates['pete@example.org']).toBeUndefined();
    const rossMails = byTo(sink.received, 'ross@example.org');
    expect(rossMails).toHaveLength(4);
    expect(rossMails[2].text).not.toContain('write a doc');
    // Snoozed until 11-30 and the action from the 11-22 meeting join on 11-30.
    expect(rossMails[1].text).toContain('snoozed thing');
    expect(rossMails[1].text).toContain('fresh from yesterday');
  });

  it('tells the series chair once, after ESCALATE_AFTER digests with the action overdue', async () => {
    const weeks = ['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21'];
    const escalations: string[][] = [];
    for (const d of weeks) {
      clock.set(`${d}T09:00:00Z`);
      const r = await world.services.reminders.run();
      escalations.push(r.escalations.flatMap((e) => e.actions.map((a) => `${e.chair.name}:${a.id}`)));
    }
    // The doc was overdue in digests on 11-23, 11-30 and 12-07: the third one escalates it.
    // tboot is due 12-15: overdue on 12-21 only once, so not yet.
    expect(escalations).toEqual([[], [], [`Rich Persaud:${seed.a.doc}`], [], []]);
    const toRich = byTo(sink.received, 'rich@example.org');
    expect(toRich).toHaveLength(1);
    expect(toRich[0].subject).toBe('1 action overdue in OpenXT Community Call');
    expect(toRich[0].text).toContain('1. Ross Philipson, James McKenzie: write a doc so that Rich can start\n   the upstream discussion\n   Due:      2026-11-10\n');
    expect(toRich[0].text).toContain('Reminded: 3 times while overdue');
    expect(toRich[0].text).toContain(`https://minutes.example.org/actions/${seed.a.doc}`);
  });

  it('a person whose reminders are paused gets digests again when the pause ends', async () => {
    clock.set('2027-01-04T09:00:00Z');
    const r = await world.services.reminders.run();
    expect(r.digests.map((d) => d.to)).toContain('pete@example.org');
  });
});
