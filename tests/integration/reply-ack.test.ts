/** Replies get a short answer through the outbox, and "reopen N" by reply undoes a "done N". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { freePort, tempDataDir } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink, type ReceivedMail } from '../helpers/smtp-sink.js';
import { daysAgo, seeder } from '../helpers/reminder-seed.js';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/index.js';


describe('acknowledgements of replies, over the real reply listener and SMTP', () => {
  let sink: SmtpSink;
  let running: RunningServer;
  let data: ReturnType<typeof tempDataDir>;
  let inboundPort: number;
  let digest: ReceivedMail;
  let replyTo: string;
  let ids: { ross: number; a1: number; a2: number };

  beforeAll(async () => {
    sink = await startSmtpSink();
    data = tempDataDir();
    inboundPort = await freePort();
    running = await startServer(loadConfig({
      MINUTES_DATA_DIR: data.dir,
      MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789',
      PORT: '0',
      SMTP_URL: sink.url,
      INBOUND_SMTP_PORT: String(inboundPort),
      MAIL_FROM: 'Minutes <minutes@minutes.example.org>',
      MINUTES_BASE_URL: 'https://minutes.example.org',
    }));
    const s = seeder(running.services.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    const m = await s.meeting(await s.series('openxt', 'OpenXT'), daysAgo(10));
    ids = {
      ross,
      a1: await s.action({ meetingId: m, text: 'first thing', owners: [ross], due: daysAgo(3) }),
      a2: await s.action({ meetingId: m, text: 'second thing, which has a rather long text so that the plain-text answer must wrap it', owners: [ross], due: daysAgo(1) }),
    };
    await running.services.reminders.run();
    digest = (await sink.waitFor(1))[0];
    replyTo = digest.parsed.replyTo?.value[0].address ?? '';
  });
  afterAll(async () => {
    await running.close();
    await sink.close();
    data.cleanup();
  });

  const reply = async (text: string, messageId?: string) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    try {
      return await t.sendMail({ from: 'ross@example.org', to: replyTo, subject: `Re: ${digest.subject}`, text, messageId });
    } finally {
      t.close();
    }
  };
  const action = (id: number) => running.services.actions.get(id);

  it('"done 2" closes #a2 and the owner hears back, with how to undo; "reopen 2" by reply reopens it', async () => {
    expect(digest.text).toContain('"reopen 2" to reopen action 2');
    await reply('done 2');
    expect((await action(ids.a2)).status).toBe('done');
    const [, ack] = await sink.waitFor(2);
    expect(ack.to).toEqual(['ross@example.org']);
    expect(ack.subject).toBe(`Marked #${ids.a2} done`);
    expect(ack.text).toBe(
      `Hello Ross Philipson,\n\nMarked #${ids.a2} done:\n   second thing, which has a rather long text so that the plain-text\n   answer must wrap it\n\n` +
        `Reply "reopen 2" to undo.\nhttps://minutes.example.org/actions/${ids.a2}\n\nThis is an automatic answer to your reply.\n`,
    );
    expect(ack.html).toContain('Reply <strong>reopen 2</strong> to undo.');
    expect(ack.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    // The answer carries the same reply address: the undo works by replying to it.
    expect(ack.parsed.replyTo?.value[0].address).toBe(replyTo);

    await reply('reopen 2');
    const a2 = await action(ids.a2);
    expect(a2.status).toBe('open');
    expect(a2.events.at(-1)).toMatchObject({ kind: 'reopened', actor: { personId: ids.ross, source: 'reply' } });
    const [, , reopened] = await sink.waitFor(3);
    expect(reopened.subject).toBe(`Reopened #${ids.a2}`);
    expect(reopened.text).toContain('Reply "done 2" to close it again.');
  });

  it('"reopen" also takes the action id, and says so when nothing changed', async () => {
    await reply(`reopen ${ids.a2}`);
    const [, , , same] = await sink.waitFor(4);
    expect(same.subject).toBe(`No change to #${ids.a2}`);
    expect(same.text).toContain(`Nothing changed: #${ids.a2} is open.`);
    const err = await reply('reopen 99999').catch((e: { responseCode: number; response: string }) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    expect(sink.received.length).toBe(4);
  });

  it('snooze and comment are acknowledged; a redelivered reply (same Message-ID) is answered once', async () => {
    await reply('snooze');
    const snoozed = (await sink.waitFor(5))[4];
    expect(snoozed.subject).toBe(`Snoozed #${ids.a1} until ${(await action(ids.a1)).snoozedUntil}`);
    await reply('On it, thanks.', '<same-1@example.org>');
    await reply('On it, thanks.', '<same-1@example.org>');
    const commented = (await sink.waitFor(6))[5];
    expect(commented.subject).toBe(`Comment added to #${ids.a1}`);
    expect(commented.text).toContain(`Added your comment to #${ids.a1}:\n   first thing\n`);
    await new Promise((r) => setTimeout(r, 300));
    await running.services.outbox.flush();
    expect(sink.received.length).toBe(6);
  });
});
