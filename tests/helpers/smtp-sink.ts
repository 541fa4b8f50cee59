import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  from: string;
  raw: string;
  parsed: ParsedMail;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** What the sink answers to the next message: accept, 451 (try later), 550 (never), or hang up. */
export type SinkMode = 'accept' | 'temp-fail' | 'perm-fail' | 'disconnect';

export interface SmtpSink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Answers for the next messages, in order; when empty the sink accepts. */
  plan: SinkMode[];
  /** Every message that reached DATA, whatever the answer. */
  attempts: number;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback collecting messages (the tests' mail server). No TLS, no
 * auth. `plan` scripts refusals and disconnects.
 */
export async function startSmtpSink(port = 0, opts: { parse?: boolean } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const sink = { received, plan: [] as SinkMode[], attempts: 0 } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.attempts++;
        const mode = sink.plan.shift() ?? 'accept';
        if (mode === 'temp-fail') {
          return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
        }
        if (mode === 'perm-fail') {
          return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
        }
        if (mode === 'disconnect') {
          // Hang up before answering: the client sees a dropped connection, not a reply code.
          (session as unknown as { socket?: { destroy(): void } }).socket?.destroy();
          for (const s of connections) s.destroy();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        if (opts.parse === false) {
          // Benchmarks: count only, so the sink's parsing does not weigh on the sender's time.
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw } as ReceivedMail);
          return callback();
        }
        simpleParser(raw).then((parsed) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            raw,
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          });
          callback();
        }, callback);
      });
    },
  });
  const connections = new Set<import('node:net').Socket>();
  const netServer = (server as unknown as { server: import('node:net').Server }).server;
  netServer.on('connection', (s) => {
    connections.add(s);
    s.on('close', () => connections.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  sink.port = (netServer.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  sink.waitFor = async (count, timeoutMs = 5000) => {
    const start = Date.now();
    while (received.length < count) {
      if (Date.now() - start > timeoutMs) throw new Error(`expected ${count} messages, got ${received.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return received;
  };
  sink.close = () =>
    new Promise<void>((resolve) => {
      for (const s of connections) s.destroy();
      server.close(() => resolve());
    });
  return sink;
}

/** Tears down a test world that sends through `sink`: the mailer's pool, the database, the sink. */
export async function closeMailWorld(world: { services: { mailer: { close(): void } }; close(): void }, sink: SmtpSink): Promise<void> {
  world.services.mailer.close();
  world.close();
  await sink.close();
}
