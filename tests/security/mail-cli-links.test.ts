/**
 * Smaller mail and data holes, each against the built CLI or a real server:
 * - `PORT=3101 npm start` and then `minutes remind` wrote every email link to port 3000;
 * - `minutes remind` exited 0 when every email failed, so cron never told anyone;
 * - snooze accepted dates in the past (a snooze that silently does nothing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, repoRoot, runCli, tempDataDir } from '../helpers/env.js';
import { daysAgo, seeder } from '../helpers/reminder-seed.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { openDatabase } from '../../server/db/connection.js';
import { startTestServer, type TestServer } from '../integration/http-support.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A data folder with one owner who has an open action due a reminder. */
async function seededDataDir(): Promise<string> {
  const d = tempDataDir();
  cleanups.push(() => d.cleanup());
  const db = openDatabase(join(d.dir, 'minutes.db'));
  const s = seeder(db);
  const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
  await s.action({ meetingId: await s.meeting(await s.series('x', 'X Call'), daysAgo(10)), text: 'write the doc', owners: [ross] });
  await db.close();
  return d.dir;
}

/** Runs `minutes serve` with `env` until it says it listens, then stops it. */
async function serveOnce(dataDir: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', dataDir, 'serve'], {
    env: { ...process.env, MINUTES_SECRET: SECRET, SMTP_URL: '', MINUTES_BASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  return url;
}

describe('the CLI writes links to the server that runs', () => {
  it('`minutes remind` uses the URL the server recorded; an explicit different MINUTES_BASE_URL is used with a warning', async () => {
    const dir = await seededDataDir();
    const port = await freePort();
    await serveOnce(dir, { PORT: String(port) });
    const sink: SmtpSink = await startSmtpSink();
    cleanups.push(() => sink.close());

    const r = await runCli(['remind'], { dataDir: dir, env: { SMTP_URL: sink.url, PORT: '', MINUTES_BASE_URL: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const [mail] = await sink.waitFor(1);
    expect(mail.text).toContain(`http://localhost:${port}/act/`);
    expect(mail.text).not.toContain('localhost:3000');

    // Another pass, with its own explicit base URL: it wins, and says that it differs.
    const r2 = await runCli(['agenda', '--series', 'x', '--date', '2030-01-03'], { dataDir: dir, env: { MINUTES_BASE_URL: 'https://minutes.example.org' } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(`minutes: warning: MINUTES_BASE_URL is https://minutes.example.org but the server last started on http://localhost:${port}`);
    expect(r2.stdout).toContain('https://minutes.example.org/meetings/');
  }, 60_000);
});

describe('`minutes remind` exit status', () => {
  it('exits non-zero and says so when every email failed', async () => {
    const dir = await seededDataDir();
    const closedPort = await freePort();
    const r = await runCli(['remind'], { dataDir: dir, env: { SMTP_URL: `smtp://127.0.0.1:${closedPort}` } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Delivery: 0 sent, 1 to retry, 0 failed.');
    expect(r.stderr.trim()).toBe(
      'minutes: remind: none of the 1 emails could be sent (0 failed, 1 to retry); check SMTP_URL and the outbox on the dashboard',
    );
  }, 60_000);

  it('exits 0 when the emails went out', async () => {
    const dir = await seededDataDir();
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const r = await runCli(['remind'], { dataDir: dir, env: { SMTP_URL: sink.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Delivery: 1 sent');
  }, 60_000);
});

describe('snooze', () => {
  let s: TestServer;
  it('refuses a date in the past or today, on the API and the page, and changes nothing', async () => {
    s = await startTestServer();
    cleanups.push(() => s.close());
    const seed = seeder(s.world.db);
    const id = await seed.action({ meetingId: await seed.meeting(await seed.series('x', 'X'), daysAgo(3)), text: 'a thing', owners: ['Nobody'] });
    const today = new Date().toISOString().slice(0, 10);
    for (const until of [daysAgo(1), today]) {
      const res = await s.api('notetaker', `/api/actions/${id}/snooze`, { method: 'POST', json: { until } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad-input');
      expect(body.error.message).toBe(`snooze date must be after today (${today}), got ${until}`);
    }
    const { browser } = await s.personWithRole('notetaker', 'Nora Notes', 'nora@example.org');
    await browser.get(`/actions/${id}`);
    const posted = await browser.post(`/actions/${id}/snooze`, { until: daysAgo(5) });
    const page = await browser.get(posted.res.headers.get('location') ?? `/actions/${id}`);
    expect(page.html).toContain('Snooze date must be after today');
    expect((await s.world.services.actions.get(id)).snoozedUntil).toBeNull();
    const ok = await s.api('notetaker', `/api/actions/${id}/snooze`, { method: 'POST', json: { until: '2999-01-01' } });
    expect(ok.status).toBe(200);
  });
});
