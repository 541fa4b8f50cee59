import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter, SendMailOptions, TransportOptions } from 'nodemailer';
import type { Config } from '../config.js';

/** What the outbox hands the mailer: one fully rendered message. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** Stable per outbox row, so a re-send after a crash is recognisably the same message. */
  messageId: string;
  headers?: Record<string, string>;
  replyTo?: string;
  /** Names the captured `.eml` file in development; re-writing it is idempotent. */
  outboxId?: number;
}

export interface SendResult {
  messageId: string;
  response: string;
}

export interface Mailer {
  /** 'smtp' sends over SMTP; 'file' captures `.eml` files in `dir` (development). */
  readonly kind: 'smtp' | 'file';
  /** The capture folder when `kind` is 'file'. */
  readonly dir?: string;
  readonly from: string;
  /** Sends one message; rejects with nodemailer's error (responseCode / code) on failure. */
  send(message: MailMessage): Promise<SendResult>;
  close(): void;
}

/**
 * Builds THE mailer once from config: with `SMTP_URL` a pooled SMTP transport (one set of
 * connections reused for every message), without it a capture transport writing each message
 * as an `.eml` file to `data/outbox/` so `npm start` works with no mail server.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'outboxDir'>): Mailer {
  const from = config.mailFrom;
  if (config.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: 5,
      // Bounded waits: a hung server becomes a temporary failure, well inside the outbox lease.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    } as TransportOptions);
    return {
      kind: 'smtp',
      from,
      async send(m) {
        const info = (await transport.sendMail(toNodemailer(from, m))) as { messageId: string; response: string };
        return { messageId: info.messageId, response: info.response };
      },
      close: () => transport.close(),
    };
  }
  const dir = config.outboxDir;
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    dir,
    from,
    async send(m) {
      const info = (await transport.sendMail(toNodemailer(from, m))) as { messageId: string; message: Buffer };
      // The capture folder is the development outbox, holding live links: owner-only.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = m.outboxId !== undefined
        ? `${String(m.outboxId).padStart(8, '0')}.eml`
        : `x${Date.now()}-${Math.random().toString(36).slice(2, 8)}.eml`;
      // Write then rename, so /dev/mail never lists a half-written file.
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, info.message, { mode: 0o600 });
      renameSync(tmp, join(dir, name));
      return { messageId: info.messageId, response: `captured ${name}` };
    },
    close: () => transport.close(),
  };
}

function toNodemailer(from: string, m: MailMessage): SendMailOptions {
  return {
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html ?? undefined,
    messageId: m.messageId,
    replyTo: m.replyTo,
    headers: m.headers,
  };
}

/** The domain part of an address like `Minutes <minutes@example.org>` (for Message-IDs, reply addresses). */
export function mailDomain(address: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(address);
  return m ? m[1].toLowerCase() : 'localhost';
}
