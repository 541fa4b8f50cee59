import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, withContext, type GlobalOptions } from './context.js';
import { parseOptions } from './options.js';
import type { OutboxService } from '../services/mail/outbox-service.js';
import { plural } from '../../domain/wording.js';

type OutboxRow = Awaited<ReturnType<OutboxService['listRecent']>>[number];

const ListOptions = z.object({
  failed: z.boolean().optional(),
  limit: z.coerce.number({ message: '--limit must be a number' }).int('--limit must be a whole number').min(1, '--limit must be at least 1').max(1000, '--limit is at most 1000').optional(),
  json: z.boolean().optional(),
});

/** A row as the CLI shows it in JSON: delivery state, never the body (as `GET /api/outbox`). */
const rowJson = (r: OutboxRow) => ({
  id: r.id, kind: r.kind, to: r.to, subject: r.subject, status: r.status, attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt, lastError: r.lastError, messageId: r.messageId, createdAt: r.createdAt, sentAt: r.sentAt,
});

/** `12 failed digest to ada@example.org "Your open actions" (3 attempts: 550 no such user)`. */
function line(r: OutboxRow): string {
  const why = r.lastError ? `: ${r.lastError.split('\n')[0]}` : '';
  const tries = r.attempts ? ` (${plural(r.attempts, 'attempt')}${why})` : '';
  return `${r.id} ${r.status} ${r.kind} to ${r.to} "${r.subject}"${tries}`;
}

/** `minutes outbox [--failed] [--json]`. */
export async function listOutbox(global: GlobalOptions, opts: unknown): Promise<void> {
  const o = parseOptions(ListOptions, opts);
  await withContext(global, async ({ services }) => {
    const rows = o.failed ? await services.outbox.listFailed(o.limit ?? 50) : await services.outbox.listRecent(o.limit ?? 50);
    if (o.json) return printJson({ counts: await services.outbox.counts(), emails: rows.map(rowJson) });
    process.stdout.write(rows.map((r) => line(r) + '\n').join('') || (o.failed ? 'no failed emails\n' : 'the outbox is empty\n'));
  });
}

/** `minutes outbox retry ID`: back in the queue, then one send attempt with the configured mailer. */
export async function retryOutbox(global: GlobalOptions, raw: string, opts: unknown): Promise<void> {
  const id = z.coerce.number().int().positive().safeParse(raw);
  if (!id.success) throw new AppError('bad-input', `outbox id must be a positive number, got '${raw}'`);
  const o = z.object({ json: z.boolean().optional() }).parse(opts);
  await withContext(global, async ({ services }) => {
    await services.outbox.retry(id.data);
    await services.outbox.flush();
    services.mailer.close();
    const row = (await services.outbox.get(id.data))!;
    if (o.json) return printJson(rowJson(row));
    process.stdout.write(`${line(row)}\n`);
    if (row.status !== 'sent') process.exitCode = 1;
  });
}
