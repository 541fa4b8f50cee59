import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { flash } from './render.js';
import { parseWith } from './validate.js';
import { PageQueryFields, setPageHeaders } from './pagination.js';

const OutboxId = z.object({ id: z.coerce.number().int().positive('outbox id must be a positive integer') });
const OutboxQuery = z.object({ status: z.enum(['failed', 'recent']).optional(), ...PageQueryFields });

/** A row as the API shows it: delivery state, never the body. */
const rowJson = (r: Awaited<ReturnType<Services['outbox']['listRecent']>>[number]) => ({
  id: r.id, kind: r.kind, to: r.to, subject: r.subject, status: r.status, attempts: r.attempts,
  nextAttemptAt: r.nextAttemptAt, lastError: r.lastError, messageId: r.messageId, createdAt: r.createdAt, sentAt: r.sentAt,
});

/** What `outboxRoutes` uses of the services. */
export type OutboxRouteDeps = Pick<Services, 'outbox'>;

/**
 * The outbox by hand (admin): see failed emails and retry one. Permanent failures (5xx) are
 * never retried automatically; this is the "retried only by hand" of the design.
 * `GET /api/outbox?status=failed|recent`, `POST /api/outbox/:id/retry`, and the page form
 * `POST /outbox/:id/retry` (CSRF-checked, back to the dashboard).
 */
export function outboxRoutes(services: OutboxRouteDeps): Router {
  const r = Router();

  r.get('/api/outbox', requireRole('admin'), async (req, res) => {
    const { status, cursor, limit } = parseWith(OutboxQuery, req.query);
    const page = await services.outbox.page({ failedOnly: status !== 'recent', cursor, limit });
    setPageHeaders(req, res, page);
    res.json({ counts: await services.outbox.counts(), emails: page.items.map(rowJson), total: page.total, next: page.next });
  });

  r.post('/api/outbox/:id/retry', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(OutboxId, req.params);
    await services.outbox.retry(id);
    await services.outbox.flush();
    res.json(rowJson((await services.outbox.get(id))!));
  });

  r.post('/outbox/:id/retry', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(OutboxId, req.params);
    await services.outbox.retry(id);
    services.outbox.kick();
    flash(res, 'ok', `Email ${id} is queued again.`);
    res.redirect(303, '/');
  });

  return r;
}
