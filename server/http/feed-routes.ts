import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { IdParam, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';

const KeyQuery = z.object({ key: QueryString(200) });

/** What `feedRoutes` uses of the services. */
export type FeedRouteDeps = Pick<Services, 'dueFeeds' | 'people'>;

/** The person's own record, or an admin: who may see and change a person's calendar address. */
export function mayManageFeed(req: Request, personId: number): boolean {
  return req.user?.personId === personId || hasRole(req.user, 'admin');
}

/**
 * Personal calendar of due dates: `GET /people/:id/due.ics?key=` (no session: the secret in
 * the URL is the credential, as calendar apps cannot sign in), and the forms that make a new
 * address (`POST /people/:id/due-feed`, shown once) or revoke it (`.../due-feed/revoke`),
 * for the person themselves or an admin.
 */
export function feedRoutes(services: FeedRouteDeps): Router {
  const r = Router();

  r.get('/people/:id/due.ics', async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { key } = parseWith(KeyQuery, req.query);
    if (!key) throw new AppError('feed-not-found', 'no calendar at this address: the key is missing', 404);
    const body = await services.dueFeeds.calendar(id, key);
    res.type('text/calendar; charset=utf-8').set('Content-Disposition', `inline; filename="due-${id}.ics"`);
    // Due dates are personal: no shared caches, and the URL must not leak through a Referer.
    res.set('Cache-Control', 'private, max-age=300').set('Referrer-Policy', 'no-referrer');
    res.send(body);
  });

  r.post('/people/:id/due-feed', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    if (!mayManageFeed(req, id)) throw new AppError('forbidden', 'only the person or an admin can make their calendar address', 403);
    const person = await services.people.get(id);
    const { url } = await services.dueFeeds.regenerate(person.id);
    // Shown in the answer to the POST itself (not after a redirect): the secret is not stored.
    res.set('Cache-Control', 'no-store');
    renderPage(res, 'due-feed', { title: 'Calendar of due dates', person, url });
  });

  r.post('/people/:id/due-feed/revoke', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    if (!mayManageFeed(req, id)) throw new AppError('forbidden', 'only the person or an admin can revoke their calendar address', 403);
    const revoked = await services.dueFeeds.revoke(id);
    flash(res, 'ok', revoked ? 'Calendar address revoked: it no longer works.' : 'There was no calendar address to revoke.');
    res.redirect(303, `/people/${id}#due-feed`);
  });

  return r;
}
