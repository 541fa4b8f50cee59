/**
 * Threat: whoever sees a digest's reply address (a forwarded reminder, a list archive) writes
 * to it with a forged `From:` and closes the owner's actions. Before the fix the From header
 * alone decided. Now a reply acts only when the From is the owner's address and, when the
 * relay in front recorded `Authentication-Results`, DKIM, SPF or DMARC passed for it; any
 * other reply is held, and the owner is mailed a link to confirm it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { freePort, tempDataDir } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { daysAgo, seeder } from '../helpers/reminder-seed.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/index.js';


describe('reply-by-email verification, over the real reply listener', () => {
  let sink: SmtpSink;
  let running: RunningServer;
  let data: ReturnType<typeof tempDataDir>;
  let inboundPort: number;
  let replyTo: string;
  let ids: { a1: number; a2: number; a3: number };
  let baseUrl: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    data = tempDataDir();
    inboundPort = await freePort();
    const config = loadConfig({
      MINUTES_DATA_DIR: data.dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', PORT: '0',
      SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort), MAIL_FROM: 'Minutes <minutes@minutes.example.org>',
    });
    running = await startServer(config);
    baseUrl = running.url.replace(/\/+$/, '');
    const s = seeder(running.services.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    const m = await s.meeting(await s.series('openxt', 'OpenXT'), daysAgo(10));
    ids = {
      a1: await s.action({ meetingId: m, text: 'first thing', owners: [ross] }),
      a2: await s.action({ meetingId: m, text: 'second thing', owners: [ross] }),
      a3: await s.action({ meetingId: m, text: 'third thing', owners: [ross] }),
    };
    await running.services.reminders.run();
    const digest = (await sink.waitFor(1))[0];
    replyTo = digest.parsed.replyTo?.value[0].address ?? '';
  });
  afterAll(async () => {
    await running.close();
    await sink.close();
    data.cleanup();
  });

  const reply = async (text: string, opts: { from?: string; authResults?: string[] } = {}) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    const headers = (opts.authResults ?? []).map((value) => ({ key: 'Authentication-Results', value }));
    try {
      return await t.sendMail({ from: opts.from ?? 'ross@example.org', to: replyTo, subject: 'Re: reminder', text, headers });
    } finally {
      t.close();
    }
  };
  const status = async (id: number) => (await running.services.actions.get(id)).status;
  /** The confirmation email the owner got for the latest held reply. */
  const confirmMail = async (count: number) => {
    const all = await sink.waitFor(count);
    const m = all[count - 1];
    expect(m.to).toEqual(['ross@example.org']);
    return { mail: m, url: /(http\S+\/act\/reply\/\S+)/.exec(m.text)![1] };
  };

  it('a forged From is held, never acted on; the owner confirms it by the link emailed to them', async () => {
    const answer = await reply('done 1', { from: 'mallory@evil.example' });
    expect(answer.response).toMatch(/held/);
    expect(await status(ids.a1)).toBe('open');

    const { mail, url } = await confirmMail(2);
    expect(mail.subject).toBe('A reply to your reminder is waiting for you to confirm it');
    expect(mail.text).toContain('it came from mallory@evil.example, not from your address');
    expect(mail.text).toContain('    done 1');
    // A mail scanner fetching the link changes nothing.
    const page = await fetch(url.replace(/^http:\/\/localhost:\d+/, baseUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Is this reply yours?');
    expect(await status(ids.a1)).toBe('open');
    // The owner's POST applies it, once.
    const post = await fetch(url.replace(/^http:\/\/localhost:\d+/, baseUrl), { method: 'POST' });
    expect(await post.text()).toContain('The action is marked done.');
    expect(await status(ids.a1)).toBe('done');
    const again = await fetch(url.replace(/^http:\/\/localhost:\d+/, baseUrl), { method: 'POST' });
    expect(await again.text()).toContain('Already confirmed');
  });

  it('the owner\'s From with a relay\'s DKIM and SPF failing is held', async () => {
    const answer = await reply('done 2', {
      authResults: ['mx.minutes.example.org; dkim=fail header.d=example.org; spf=fail smtp.mailfrom=ross@example.org; dmarc=fail header.from=example.org'],
    });
    expect(answer.response).toMatch(/held/);
    expect(await status(ids.a2)).toBe('open');
    const { mail } = await confirmMail(3);
    expect(mail.text).toMatch(/could not be verified for ross@example\.org \(dkim=fail/);
  });

  it('a forged passing result below the relay\'s own failing one does not count', async () => {
    const answer = await reply('done 2', {
      authResults: [
        'mx.minutes.example.org; spf=softfail smtp.mailfrom=ross@example.org',
        'mx.minutes.example.org; dkim=pass header.d=example.org',
      ],
    });
    expect(answer.response).toMatch(/held/);
    expect(await status(ids.a2)).toBe('open');
  });

  it('the owner\'s From with DKIM passing for the From domain is acted on at once', async () => {
    const answer = await reply('done 2', { authResults: ['mx.minutes.example.org; dkim=pass header.d=example.org header.s=s1; spf=none'] });
    expect(answer.response).toMatch(/OK done action/);
    expect(await status(ids.a2)).toBe('done');
  });

  it('DKIM passing for another domain than the From is not a pass', async () => {
    const answer = await reply('done 3', { authResults: ['mx.minutes.example.org; dkim=pass header.d=evil.example; spf=fail smtp.mailfrom=x@evil.example'] });
    expect(answer.response).toMatch(/held/);
    expect(await status(ids.a3)).toBe('open');
  });

  it('stops mailing the owner after a few waiting forged replies (no mail bombing through the listener)', async () => {
    // Three replies of this digest are waiting by now; the next forged one is refused.
    const err = await reply('done 3', { from: 'mallory@evil.example' }).catch((e: { responseCode: number; response: string }) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    expect(await status(ids.a3)).toBe('open');
  });
});
