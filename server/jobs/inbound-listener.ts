import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';
import type { ReplyService } from '../services/mail/reply-service.js';

export interface InboundListener {
  port: number;
  close(): Promise<void>;
}

/** Replies are short; anything bigger is not a reply to a reminder. */
const MAX_BYTES = 512 * 1024;

/**
 * The reply-by-email listener (`INBOUND_SMTP_PORT`): a small SMTP server without auth or TLS,
 * meant to sit behind the site's real MX (which relays `reply+*@host` to it) or on loopback.
 * It accepts only `reply+<token>@...` recipients and answers each message with the outcome:
 * 250 when applied, 550 with the reason (bad token, wrong sender, no such item), so the
 * sender's mail system tells them what went wrong.
 */
export async function startInboundListener(
  replies: ReplyService,
  opts: { port: number; host: string; log?: (line: string) => void },
): Promise<InboundListener> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_BYTES,
    logger: false,
    banner: 'Minutes reply listener',
    onRcptTo(address, _session, callback) {
      if (/^reply\+[^@]+@/i.test(address.address)) return callback();
      callback(Object.assign(new Error('only reply+<token> addresses are served here'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            throw new AppError('too-large', 'the reply is too large', 552);
          }
          const from = mail.from?.value[0]?.address ?? '';
          if (isAutoReply(mail.headers)) {
            // Out-of-office and bounce-like replies are accepted and dropped: not a comment.
            log(`reply from ${from} ignored: automatic reply`);
            return callback(null, 'OK automatic reply ignored');
          }
          const outcome = await replies.handleReply({
            recipients: session.envelope.rcptTo.map((r) => r.address),
            from,
            text: mail.text ?? '',
            messageId: mail.messageId,
            // Topmost first: the one the relay next to us added is the only one we trust.
            authResults: mail.headerLines
              .filter((h) => h.key.toLowerCase() === 'authentication-results')
              .map((h) => h.line.slice(h.line.indexOf(':') + 1)),
          });
          if (outcome.op === 'held') {
            log(`reply from ${from} held for the owner's confirmation: not verified`);
            return callback(null, 'OK held: the owner must confirm this reply by the link emailed to them');
          }
          log(`reply from ${from}: ${outcome.op} action ${outcome.actionId}${outcome.changed ? '' : ' (no change)'}`);
          callback(null, `OK ${outcome.op} action ${outcome.actionId}`);
        })
        .catch((err: unknown) => {
          const message = err instanceof AppError ? err.message : 'the reply could not be processed';
          if (!(err instanceof AppError)) console.error('inbound reply failed:', err);
          const code = err instanceof AppError && err.status === 552 ? 552 : err instanceof AppError ? 550 : 451;
          log(`reply rejected (${code}): ${message}`);
          callback(Object.assign(new Error(message), { responseCode: code }));
        });
    },
  });
  const net = (server as unknown as { server: import('node:net').Server }).server;
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      net.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => console.error('inbound SMTP error:', err.message));
  return {
    port: (net.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** RFC 3834 `Auto-Submitted`, and the headers common responders set instead. */
export function isAutoReply(headers: Map<string, unknown>): boolean {
  const value = (name: string) => {
    const v = headers.get(name);
    return typeof v === 'string' ? v.toLowerCase() : v && typeof v === 'object' && 'value' in v ? String((v as { value: unknown }).value).toLowerCase() : '';
  };
  const auto = value('auto-submitted');
  if (auto && auto !== 'no') return true;
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(value('precedence'))) return true;
  return headers.has('x-autoreply') || headers.has('x-autorespond');
}
