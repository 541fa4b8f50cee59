import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { AppError } from '../errors.js';

/** A message the development mailer wrote to `data/outbox/`. */
export interface CapturedMail {
  file: string;
  to: string;
  from: string;
  subject: string;
  date: string;
  messageId: string;
  replyTo: string;
  text: string;
  html: string | null;
  raw: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}\.eml$/;

/** Lists and reads captured `.eml` files, newest first (for `/dev/mail`). */
export function createMailCapture(dir: string) {
  function file(name: string): string {
    if (!NAME.test(name)) throw new AppError('bad-input', `'${name}' is not a captured message name`, 400);
    const path = join(dir, name);
    if (!existsSync(path)) throw new AppError('not-found', `no captured message ${name}`, 404);
    return path;
  }

  async function read(name: string): Promise<CapturedMail> {
    const raw = readFileSync(file(name), 'utf8');
    const p = await simpleParser(raw);
    const addr = (a: typeof p.to) => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? ''));
    return {
      file: name,
      to: addr(p.to),
      from: addr(p.from),
      subject: p.subject ?? '',
      date: (p.date ?? statSync(join(dir, name)).mtime).toISOString(),
      messageId: p.messageId ?? '',
      replyTo: addr(p.replyTo),
      text: p.text ?? '',
      html: typeof p.html === 'string' ? p.html : null,
      raw,
    };
  }

  return {
    /** The newest `limit` messages. */
    async list(limit = 200): Promise<CapturedMail[]> {
      if (!existsSync(dir)) return [];
      const names = readdirSync(dir).filter((n) => NAME.test(n)).sort().reverse().slice(0, limit);
      return Promise.all(names.map(read));
    },
    read,
  };
}
