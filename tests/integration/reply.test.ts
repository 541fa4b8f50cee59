import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { freePort, tempDataDir } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../helpers/smtp-sink.js';
import { daysAgo, seeder } from '../helpers/reminder-seed.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/index.js';

const DAY = 86_400_000;

describe('replies to a digest, through the server reply listener', () => {
  let sink: SmtpSink;
  let running: RunningServer;
  let data: ReturnType<typeof tempDataDir>;
  let inboundPort: number;
  let digest: ReceivedMail;
  let replyTo: string;
  let ids: { ross: number; a1: number; a2: number; a3: number };

  beforeAll(async () => {
    sink = await startSmtpSink();
    data = tempDataDir();
    inboundPort = await freePort();
    const config = loadConfig({
      MINUTES_DATA_DIR: data.dir,
      MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789',
      PORT: '0',
      SMTP_URL: sink.url,
      INBOUND_SMTP_PORT: String(inboundPort),
      MAIL_FROM: 'Minutes <minutes@minutes.example.org>',
    });
    running = await startServer(config);
    const s = seeder(running.services.db);
    const ross = await s.person('Ross Philipson', { email: 'Ross@Example.org' });
    const m = await s.meeting(await s.series('openxt', 'OpenXT'), daysAgo(10));
    ids = {
      ross,
      a1: await s.action({ meetingId: m, text: 'first thing', owners: [ross], due: daysAgo(3) }),
      a2: await s.action({ meetingId: m, text: 'second thing', owners: [ross], due: daysAgo(1) }),
      a3: await s.action({ meetingId: m, text: 'third thing', owners: [ross] }),
    };
    await running.services.reminders.run();
    digest = (await sink.waitFor(1))[0];
    replyTo = (digest.parsed.replyTo?.value[0].address ?? '');
  });
  afterAll(async () => {
    await running.close();
    await sink.close();
    data.cleanup();
  });

  const reply = async (text: string, opts: { from?: string; to?: string; headers?: Record<string, string> } = {}) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    try {
      return await t.sendMail({ from: opts.from ?? 'ross@example.org', to: opts.to ?? replyTo, subject: `Re: ${digest.subject}`, text, headers: opts.headers });
    } finally {
      t.close();
    }
  };
  const action = (id: number) => running.services.actions.get(id);

  it('the digest carries a signed reply address and tells how to reply', () => {
    expect(replyTo).toMatch(/^reply\+d\d+-[0-9a-z]+-[0-9a-f]{20}@minutes\.example\.org$/);
    expect(replyTo.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(digest.text).toContain('"done" (or "done 2" for action 2) to close an action');
  });

  it('holds a reply from another address for the owner to confirm, changing nothing', async () => {
    expect((await reply('done', { from: 'mallory@example.org' })).response).toContain('held');
    expect((await action(ids.a1)).status).toBe('open');
  });

  it('rejects an altered reply address and an address that is not a reply address', async () => {
    const altered = replyTo.replace(/([0-9a-f])@/, (_m, c: string) => `${c === '0' ? '1' : '0'}@`);
    expect(altered).not.toBe(replyTo);
    await expect(reply('done', { to: altered })).rejects.toMatchObject({ responseCode: 550 });
    await expect(reply('done', { to: 'someone@minutes.example.org' })).rejects.toMatchObject({ responseCode: 550 });
    expect((await action(ids.a1)).status).toBe('open');
  });

  it('rejects "done 9" when the digest has three actions', async () => {
    const err = await reply('done 9').catch((e: { responseCode: number; response: string }) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    expect((err as { response: string }).response).toContain('there is no number 9');
  });

  it('ignores automatic replies (out of office)', async () => {
    expect(digest.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const info = await reply('I am out of the office until Monday.', { headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(info.response).toContain('automatic reply ignored');
    expect((await action(ids.a1)).events.some((e) => e.kind === 'commented')).toBe(false);
  });

  it('any other text becomes a comment on action 1, without the quoted digest', async () => {
    await reply(`Working on it, should be ready by Friday.\n\nOn Mon, Ross wrote:\n> ${digest.text.split('\n').join('\n> ')}`);
    const comment = (await action(ids.a1)).events.find((e) => e.kind === 'commented')!;
    expect(comment.note).toBe('Working on it, should be ready by Friday.');
    expect(comment.actor).toMatchObject({ personId: ids.ross, source: 'reply' });
    expect((await action(ids.a1)).status).toBe('open');
  });

  it('"snooze 3" snoozes the third action a week', async () => {
    await reply('snooze 3\n');
    const a3 = await action(ids.a3);
    expect(a3.snoozedUntil).toBe(new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10));
    expect(a3.events.find((e) => e.kind === 'snoozed')!.actor.source).toBe('reply');
  });

  it('"done 2" closes the second action, "Done" the first; the sender address case does not matter', async () => {
    await reply('done 2');
    expect((await action(ids.a2)).status).toBe('done');
    expect((await action(ids.a1)).status).toBe('open');
    await reply('Done\n\nthanks', { from: 'ROSS@example.org' });
    const a1 = await action(ids.a1);
    expect(a1.status).toBe('done');
    expect(a1.events.find((e) => e.kind === 'closed')!.actor).toMatchObject({ personId: ids.ross, label: 'Ross Philipson', source: 'reply' });
  });
  it('refuses a reply about an action the sender no longer owns, whatever its state', async () => {
    // Action 2 is done by now; hand it to someone else, then Ross replies about it.
    await running.services.actions.update(ids.a2, { owners: ['Someone Else'] }, { personId: null, role: 'admin', label: 'test', source: 'cli' });
    const before = (await action(ids.a2)).events.length;
    for (const text of ['done 2', 'snooze 2']) {
      const err = await reply(text).catch((e: { responseCode: number; response: string }) => e);
      expect(err, text).toMatchObject({ responseCode: 550 });
      expect((err as { response: string }).response, text).toContain('no longer an owner');
    }
    expect((await action(ids.a2)).events.length).toBe(before);
  });
});
