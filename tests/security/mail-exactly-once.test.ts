/**
 * Threat (operator's): a sender killed mid-send resends what was in flight; before the fix a
 * kill -9 during 200 digests gave 5 duplicates. The promise: nothing lost, and nothing sent
 * twice once the SMTP server's acceptance (its 250) is recorded. The one window left, the
 * server accepted but the sender died before recording it, resends with the same Message-ID.
 *
 * Each case kills a real sender process (`outbox.flush()` of the built code) with SIGKILL at
 * one step of the SMTP exchange against a real SMTP server on loopback, then starts a second
 * sender after the lease has run out, and counts what the server received per Message-ID.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo, Server, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import Database from 'better-sqlite3';
import { repoRoot, tempDataDir } from '../helpers/env.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/connection.js';
import { createServices } from '../../server/container.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';
const dist = (p: string) => JSON.stringify(pathToFileURL(join(repoRoot, 'dist/server', p)).href);

/** One sender process: flushes the outbox once, with its clock `offsetMs` ahead. */
function startSender(dir: string, smtpUrl: string, offsetMs: number): ChildProcess & { done: Promise<number> } {
  const script = `
    const { loadConfig } = await import(${dist('config.js')});
    const { openDatabase } = await import(${dist('db/connection.js')});
    const { createServices } = await import(${dist('container.js')});
    const config = loadConfig({ MINUTES_DATA_DIR: ${JSON.stringify(dir)}, MINUTES_SECRET: ${JSON.stringify(SECRET)}, SMTP_URL: ${JSON.stringify(smtpUrl)} });
    const db = openDatabase(config.dbFile);
    const services = createServices({ db, config, clock: { now: () => new Date(Date.now() + ${offsetMs}) } });
    const r = await services.outbox.flush();
    process.stdout.write(JSON.stringify(r));
    services.mailer.close();
    db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.assign(child, { done: new Promise<number>((r) => child.on('close', (code, signal) => r(signal ? -1 : (code ?? -1)))) });
}

type Step = 'connected' | 'mail-from' | 'data-sent' | 'accepted' | 'finished';

/**
 * A real SMTP server that stops at `holdAt` (no answer) and reports reaching it. Like a real
 * MTA it has the message once the final "." arrived, whether or not its 250 got through.
 */
async function startServer(holdAt: Step | null) {
  const received: { messageId: string; text: string }[] = [];
  let reached: () => void = () => {};
  const reachedStep = new Promise<void>((r) => (reached = r));
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_s, cb) {
      if (holdAt === 'connected') return reached();
      cb();
    },
    onMailFrom(_a, _s, cb) {
      if (holdAt === 'mail-from') return reached();
      cb();
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const parsed = await simpleParser(Buffer.concat(chunks));
        received.push({ messageId: parsed.messageId ?? '', text: parsed.text ?? '' });
        if (holdAt === 'data-sent') return reached();
        cb(null, `2.0.0 Ok: queued as Q${received.length}`);
        if (holdAt === 'accepted') setImmediate(reached);
      });
    },
  });
  const net = (server as unknown as { server: Server }).server;
  net.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `smtp://127.0.0.1:${(net.address() as AddressInfo).port}`,
    received,
    reachedStep,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

const LEASE_OVER_MS = 11 * 60_000;

async function killAt(step: Step) {
  const tmp = tempDataDir('minutes-exactly-once-');
  const config = loadConfig({ MINUTES_DATA_DIR: tmp.dir, MINUTES_SECRET: SECRET, SMTP_URL: 'smtp://127.0.0.1:9' });
  const db = openDatabase(config.dbFile);
  const services = createServices({ db, config });
  await services.outbox.enqueue({ dedupeKey: `crash-${step}`, kind: 'digest', to: 'ross@example.org', subject: 'Reminder', text: 'Mark done: http://localhost/act/x' });
  services.mailer.close();
  await db.close();

  const first = await startServer(step === 'finished' ? null : step);
  const sender = startSender(tmp.dir, first.url, 0);
  if (step === 'finished') expect(await sender.done).toBe(0);
  else {
    await first.reachedStep;
    sender.kill('SIGKILL');
    expect(await sender.done).toBe(-1);
  }
  const look = new Database(config.dbFile, { readonly: true });
  const recorded = look.prepare('SELECT accepted_at AS acceptedAt FROM outbox').get() as { acceptedAt: string | null };
  look.close();
  await first.close();

  // A second sender, after the first one's lease has run out, against a server that accepts.
  const second = await startServer(null);
  expect(await startSender(tmp.dir, second.url, LEASE_OVER_MS).done).toBe(0);
  await second.close();

  const check = new Database(config.dbFile, { readonly: true });
  const row = check.prepare('SELECT status, message_id AS messageId, smtp_response AS response FROM outbox').get() as {
    status: string; messageId: string; response: string;
  };
  check.close();
  tmp.cleanup();
  return { all: [...first.received, ...second.received], recorded: recorded.acceptedAt !== null, row };
}

describe('exactly-once sending across a SIGKILL of the sender', () => {
  for (const step of ['connected', 'mail-from'] as const) {
    it(`killed after "${step}" (the server has nothing): sent once by the next sender`, async () => {
      const { all, row } = await killAt(step);
      expect(all.map((m) => m.messageId)).toEqual([row.messageId]);
      expect(row.status).toBe('sent');
      expect(row.response).toMatch(/queued as Q1/);
    }, 60_000);
  }

  it('killed after the final "." but before the 250 (the one window left): resent with the same Message-ID', async () => {
    const { all, recorded, row } = await killAt('data-sent');
    expect(recorded).toBe(false);
    expect(all.map((m) => m.messageId)).toEqual([row.messageId, row.messageId]);
    expect(row.status).toBe('sent');
  }, 60_000);

  it('killed right after the server\'s 250: never resent when the acceptance was recorded', async () => {
    const { all, recorded, row } = await killAt('accepted');
    // The kill races the sender's one-row UPDATE; which side wins decides, never a third way.
    expect(all.map((m) => m.messageId)).toEqual(recorded ? [row.messageId] : [row.messageId, row.messageId]);
    expect(row.status).toBe('sent');
  }, 60_000);

  it('a sender that finished: the next one sends nothing', async () => {
    const { all, recorded, row } = await killAt('finished');
    expect(recorded).toBe(true);
    expect(all.map((m) => m.messageId)).toEqual([row.messageId]);
    expect(all[0].text).toContain('/act/x');
  }, 60_000);
});
