/** The CLI twins of web and API changes: snooze, comment, edit, people pause/resume, outbox, series show. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorld, runCli, type TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let world: TestWorld;
let data: string;
const cli = (...args: string[]) => runCli(args, { dataDir: data });
let ids: number[];

beforeAll(async () => {
  world = openWorld();
  data = world.dir;
  await world.services.people.create({ name: 'Ada Lovelace', email: 'ada@example.org', aliases: ['Ada'] });
  await world.services.people.create({ name: 'Grace Hopper', email: 'grace@example.org' });
  await world.services.series.upsert({ slug: 'build', name: 'Build call', cadence: 'FREQ=WEEKLY;BYDAY=TH', timezone: 'Europe/London', chairName: 'Grace Hopper', listEmail: 'build@lists.example.org', standingItems: ['CI status', 'Releases'] });
  const r = await world.services.imports.importText(
    '# Build call 2026-10-01\n\n## Attendees\n\n- Ada Lovelace\n- Grace Hopper\n\n## Build\n\nACTION: Ada to fix the nightly build\n\nACTION: Grace to tag the release\n',
    { series: 'build', date: null, filename: '2026-10-01.md', dryRun: false, uploadedBy: 'test', source: 'cli' },
  );
  ids = r.actions.map((a: { id: number }) => a.id);
});
afterAll(() => world.close());

const history = async (id: number) => JSON.parse((await cli('actions', '--status', 'all', '--json')).stdout).find((a: { id: number }) => a.id === id);

describe('snooze, comment, edit', () => {
  it('snooze ID --until D, and --clear; bad dates and closed actions are one-line errors', async () => {
    const ok = await cli('snooze', String(ids[0]), '--until', '2026-12-01');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^snoozed until 2026-12-01: #${ids[0]} \\[open\\]`));
    expect((await history(ids[0])).snoozedUntil).toBe('2026-12-01');

    const bad = await cli('snooze', String(ids[0]), '--until', '2026-02-30');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("minutes: --until must be a calendar date YYYY-MM-DD, got '2026-02-30'\n");
    const none = await cli('snooze', String(ids[0]));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^minutes: give --until/);

    const cleared = await cli('snooze', String(ids[0]), '--clear', '--json');
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout).snoozedUntil).toBeNull();
    expect((await cli('snooze', '999999', '--until', '2026-12-01')).stderr).toBe('minutes: action 999999 does not exist\n');
  });

  it('comment ID TEXT is recorded in the history with the CLI as actor', async () => {
    const r = await cli('comment', String(ids[1]), 'waiting', 'for', 'the', 'CI');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^commented on #${ids[1]} `));
    const events = (await world.services.actions.get(ids[1])).events;
    expect(events.at(-1)).toMatchObject({ kind: 'commented', note: 'waiting for the CI', actor: { source: 'cli' } });
  });

  it('edit ID --text --due --owner, then --no-due; nothing to change and bad input refused without a write', async () => {
    const r = await cli('edit', String(ids[1]), '--text', 'tag release 7.1', '--due', '2099-11-15', '--owner', 'Ada', '--owner', 'Grace Hopper');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`edited #${ids[1]} [open] due 2099-11-15 Ada Lovelace, Grace Hopper: tag release 7.1 (build 2026-10-01)\n`);
    const noDue = await cli('edit', String(ids[1]), '--no-due', '--json');
    expect(JSON.parse(noDue.stdout)).toMatchObject({ id: ids[1], due: null, changed: true });

    const before = await world.services.actions.get(ids[1]);
    for (const [args, msg] of [
      [[], 'minutes: give at least one of --text, --due, --no-due, --owner'],
      [['--due', 'tomorrow'], "minutes: --due must be a calendar date YYYY-MM-DD, got 'tomorrow'"],
      [['--text', '  '], 'minutes: --text must not be empty'],
    ] as const) {
      const bad = await cli('edit', String(ids[1]), ...args);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(msg + '\n');
    }
    expect((await world.services.actions.get(ids[1])).events.length).toBe(before.events.length);
    expect((await cli('edit', 'x1', '--text', 'a')).stderr).toBe("minutes: action id must be a positive number, got 'x1'\n");
  });
});

describe('people pause / resume', () => {
  it('pauses until a date or until resumed, shown in people list; a past date is refused', async () => {
    const until = await cli('people', 'pause', 'Ada', '--until', '2099-01-31');
    expect(until.code, until.stderr).toBe(0);
    expect(until.stdout).toMatch(/^reminders paused until 2099-01-31 \(inclusive\): #\d+ Ada Lovelace/);
    expect((await world.services.people.find('Ada')).remindersPausedUntil).toBe('2099-01-31');
    const forever = await cli('people', 'pause', 'Grace Hopper');
    expect(forever.stdout).toMatch(/^reminders paused until resumed: .*reminders paused\)$/m);
    expect((await cli('people', 'list')).stdout).toContain('reminders paused until 2099-01-31');
    const past = await cli('people', 'pause', 'Ada', '--until', '2001-01-01');
    expect(past.code).toBe(1);
    expect(past.stderr).toBe('minutes: --until 2001-01-01 is in the past; reminders would not pause\n');
    expect((await cli('people', 'pause', 'Nobody')).stderr).toBe("minutes: no person named 'Nobody'\n");
    const resumed = await cli('people', 'resume', 'Grace Hopper');
    expect(resumed.stdout).toMatch(/^reminders resumed: #\d+ Grace Hopper \(grace@example.org\)$/m);
    expect((await world.services.people.find('Grace Hopper')).remindersPausedUntil).toBeNull();
  });
});

describe('series show', () => {
  it('prints the series with its next meeting and open actions, or JSON', async () => {
    const r = await cli('series', 'show', 'build');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name:           Build call\n');
    expect(r.stdout).toContain('cadence:        FREQ=WEEKLY;BYDAY=TH\n');
    expect(r.stdout).toContain('time zone:      Europe/London\n');
    expect(r.stdout).toContain('chair:          Grace Hopper <grace@example.org>\n');
    expect(r.stdout).toContain('open actions:   2\n');
    expect(r.stdout).toMatch(/next meeting:   \d{4}-\d{2}-\d{2}\n/);
    expect(r.stdout).toContain('standing items:\n  - CI status\n  - Releases\n');
    const j = JSON.parse((await cli('series', 'show', 'build', '--json')).stdout);
    expect(j).toMatchObject({ slug: 'build', openActions: 2, standingItems: ['CI status', 'Releases'] });
    expect((await cli('series', 'show', 'nope')).stderr).toBe("minutes: series 'nope' does not exist\n");
  });
});

describe('outbox', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('lists failed emails and retries one over SMTP', async () => {
    // A world of its own whose mailer talks to the sink, which refuses the first message for good.
    const mailWorld = openWorld({ env: { SMTP_URL: sink.url } });
    await mailWorld.services.outbox.enqueue({ dedupeKey: 'test:1', kind: 'digest', to: 'ada@example.org', subject: 'Your open actions', text: 'hello' });
    sink.plan.push('perm-fail');
    await mailWorld.services.outbox.flush();
    const id = (await mailWorld.services.outbox.listFailed())[0].id;
    mailWorld.services.mailer.close();
    const run = (...args: string[]) => runCli(args, { dataDir: mailWorld.dir, env: { SMTP_URL: sink.url } });
    try {
      const list = await run('outbox', '--failed');
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`^${id} failed digest to ada@example.org "Your open actions" \\(1 attempt: .*No such user`));
      const json = JSON.parse((await run('outbox', '--json')).stdout);
      expect(json.counts.failed).toBe(1);
      expect(json.emails[0]).toMatchObject({ id, status: 'failed' });
      expect(json.emails[0]).not.toHaveProperty('text');

      const retry = await run('outbox', 'retry', String(id));
      expect(retry.code, retry.stderr).toBe(0);
      expect(retry.stdout).toMatch(new RegExp(`^${id} sent digest to ada@example.org`));
      expect(sink.received.map((m) => m.subject)).toEqual(['Your open actions']);
      const again = await run('outbox', 'retry', String(id));
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(`minutes: outbox email ${id} is sent, only failed emails can be retried\n`);
      expect((await run('outbox', '--failed')).stdout).toBe('no failed emails\n');
    } finally {
      mailWorld.close();
    }
  });
});
