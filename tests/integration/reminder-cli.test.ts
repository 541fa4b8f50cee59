import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorld, runCli, type TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { seeder } from '../helpers/reminder-seed.js';

/** `minutes remind` as a user runs it (the built CLI, a real SMTP server on loopback). */
describe('minutes remind', () => {
  let sink: SmtpSink;
  let world: TestWorld;

  beforeEach(async () => {
    sink = await startSmtpSink();
    world = openWorld();
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    const chris = await s.person('Chris Rogers');
    const m = await s.meeting(await s.series('openxt', 'OpenXT Community Call'), '2026-11-05');
    await s.action({ meetingId: m, text: 'write a doc', owners: [ross], due: '2026-11-10' });
    await s.action({ meetingId: m, text: 'create a wiki page', owners: [chris, 'Someone Else'] });
    // The world stays open while the CLI runs: on PostgreSQL closing it drops its database.
  });
  afterEach(async () => {
    await world.close();
    await sink.close();
  });

  const env = () => ({ SMTP_URL: sink.url, MINUTES_BASE_URL: 'https://minutes.example.org' });

  it('--dry-run prints who gets what and the owners without an address, and sends nothing', async () => {
    const r = await runCli(['remind', '--dry-run', '--now', '2026-11-23T09:00:00Z'], { dataDir: world.dir, env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reminder pass for 2026-11-23 (dry run: nothing recorded or sent)');
    expect(r.stdout).toContain('Ross Philipson <ross@example.org>: 1 action, 1 overdue');
    expect(r.stdout).toMatch(/1\. #\d+ write a doc \[overdue since 2026-11-10; Community Call 2026-11-05, 2026-11-05\]/);
    expect(r.stdout).toContain('Owners without an email address (2), not reminded:');
    expect(r.stdout).toContain('Chris Rogers (no email): 1 open action');
    expect(r.stdout).toContain('Someone Else (name not in the directory): 1 open action');
    expect(sink.received).toHaveLength(0);
  });

  it('sends, then sends nothing more in the same period; --json gives the plan', async () => {
    const r = await runCli(['remind', '--now', '2026-11-23T09:00:00Z'], { dataDir: world.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Enqueued 1 email.');
    expect(r.stdout).toContain('Delivery: 1 sent, 0 to retry, 0 failed.');
    expect(sink.received.map((m) => m.to[0])).toEqual(['ross@example.org']);
    const again = await runCli(['remind', '--now', '2026-11-25T09:00:00Z', '--json'], { dataDir: world.dir, env: env() });
    const json = JSON.parse(again.stdout) as { digests: unknown[]; enqueued: number; withoutEmail: unknown[] };
    expect(json.digests).toEqual([]);
    expect(json.enqueued).toBe(0);
    expect(json.withoutEmail).toHaveLength(2);
    const week = await runCli(['remind', '--now', '2026-11-30T09:00:00Z'], { dataDir: world.dir, env: env() });
    expect(week.stdout).toContain('Delivery: 1 sent');
    expect(sink.received).toHaveLength(2);
  });

  it('without SMTP_URL the mail is captured as .eml files in data/outbox', async () => {
    const r = await runCli(['remind', '--now', '2026-11-23T09:00:00Z'], { dataDir: world.dir, env: { SMTP_URL: '' } });
    expect(r.code).toBe(0);
    const dir = join(world.dir, 'outbox');
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });

  it('rejects a bad --now with a one-line error', async () => {
    const r = await runCli(['remind', '--now', 'next tuesday'], { dataDir: world.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("minutes: --now must be an ISO date-time like 2026-11-23T09:00:00Z, got 'next tuesday'\n");
  });
});
