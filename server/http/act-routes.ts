import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { renderPage } from './render.js';
import { parseWith } from './validate.js';

const TokenParam = z.object({ token: z.string().min(1).max(400) });
const ActQuery = z.object({ do: z.enum(['done', 'snooze']).optional() });
const ActForm = z.object({ op: z.enum(['done', 'snooze'], 'choose done or snooze') });

/** Links are capabilities: never cached, never indexed, never leaked in a Referer. */
function privateHeaders(res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.set('X-Robots-Tag', 'noindex');
  res.set('Referrer-Policy', 'no-referrer');
}

/** What `actRoutes` uses of the services. */
export type ActRouteDeps = Pick<Services, 'replies'>;

/**
 * `GET /act/:token` shows the action and asks to confirm; only `POST /act/:token` (the form on
 * that page) closes or snoozes it, because mail scanners fetch every link in a message. An
 * expired, altered or no-longer-valid link gets a page saying so, with a 4xx status.
 */
export function actRoutes(services: ActRouteDeps): Router {
  const r = Router();

  r.get('/act/:token', async (req, res) => {
    privateHeaders(res);
    const { token } = parseWith(TokenParam, req.params);
    const { do: op } = parseWith(ActQuery, req.query);
    try {
      const view = await services.replies.inspectLink(token);
      renderPage(res, 'act-confirm', { title: 'Your action', token, op: op ?? 'done', ...view });
    } catch (err) {
      linkError(res, err);
    }
  });

  r.post('/act/:token', async (req, res) => {
    privateHeaders(res);
    const { token } = parseWith(TokenParam, req.params);
    const form = parseWith(ActForm, req.body);
    try {
      const result = await services.replies.applyLink(token, form.op);
      renderPage(res, 'act-result', { title: form.op === 'done' ? 'Marked done' : 'Snoozed', op: form.op, ...result });
    } catch (err) {
      linkError(res, err);
    }
  });

  // A reply that could not be verified waits for its owner: the link emailed to them shows it,
  // and only the POST of that page applies it.
  r.get('/act/reply/:token', async (req, res) => {
    privateHeaders(res);
    const { token } = parseWith(TokenParam, req.params);
    try {
      renderPage(res, 'reply-confirm', { title: 'Confirm your reply', token, ...await services.replies.inspectHeld(token) });
    } catch (err) {
      linkError(res, err);
    }
  });

  r.post('/act/reply/:token', async (req, res) => {
    privateHeaders(res);
    const { token } = parseWith(TokenParam, req.params);
    try {
      const result = await services.replies.confirmHeld(token);
      renderPage(res, 'reply-confirm', { title: 'Reply confirmed', token, ...result, done: true });
    } catch (err) {
      linkError(res, err);
    }
  });

  return r;
}

function linkError(res: Response, err: unknown): void {
  // Only the link's own failures get the friendly page; anything else goes to the error middleware.
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const appErr = err;
  res.status(appErr.status);
  renderPage(res, 'act-error', { title: 'Link not usable', code: appErr.code, message: appErr.message, status: appErr.status });
}
