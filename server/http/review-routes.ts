import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { renderPage, flash } from './render.js';
import { actorOf, DateString, formRoute, IdParam } from './route-helpers.js';
import { parseWith } from './validate.js';
import { plural } from '../../domain/wording.js';

const AcceptBody = z.object({ date: DateString.optional() }).strict();
const DismissMeetingBody = z.object({ meetingId: z.number().int().positive() }).strict();
/** The page form also sends its CSRF token; an empty date field is "no date". */
const AcceptForm = z.object({ date: z.string().trim().optional().transform((v) => v || undefined).pipe(DateString.optional()) });

/** What `reviewRoutes` uses of the services. */
export type ReviewDeps = Pick<Services, 'review'>;

/**
 * The review queue: `GET /api/review`, `POST /api/review/:id/accept|dismiss` and
 * `POST /api/review/dismiss` (every suggestion of one meeting; note-takers), and the `/review`
 * page with one button per item and one per meeting.
 */
export function reviewRoutes(services: ReviewDeps): Router {
  const r = Router();
  const { review } = services;

  r.get('/api/review', requireRole('member'), async (_req, res) => {
    res.json(await review.queue());
  });
  r.post('/api/review/:id/accept', requireRole('notetaker'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const body = parseWith(AcceptBody, req.body ?? {});
    res.json({ item: await review.accept(id, actorOf(req).label, { date: body.date ?? null }) });
  });
  r.post('/api/review/dismiss', requireRole('notetaker'), async (req, res) => {
    const { meetingId } = parseWith(DismissMeetingBody, req.body ?? {});
    res.json({ meetingId, dismissed: await review.dismissMeeting(meetingId, actorOf(req).label) });
  });
  r.post('/api/review/:id/dismiss', requireRole('notetaker'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    res.json({ item: await review.dismiss(id, actorOf(req).label) });
  });

  r.get('/review', requireRole('member'), async (req, res) => {
    const q = await review.queue();
    renderPage(res, 'review', { title: 'Review', ...q, mayReview: hasRole(req.user, 'notetaker') });
  });
  r.post(
    '/review/:id/accept',
    requireRole('notetaker'),
    formRoute(
      (req) => `/review#item-${String(req.params.id).replace(/\D/g, '')}`,
      async (req, res) => {
        const { id } = parseWith(IdParam, req.params);
        const { date } = parseWith(AcceptForm, req.body ?? {});
        const it = await review.accept(id, actorOf(req).label, { date: date ?? null });
        const r = it.result ?? {};
        flash(res, 'ok', r.actionId ? `Action #${r.actionId} created.` : r.decisionId ? 'Decision recorded.' : `Meeting date set to ${r.date}.`);
        res.redirect(303, '/review');
      },
      'Could not accept',
    ),
  );
  r.post(
    '/review/meetings/:id/dismiss',
    requireRole('notetaker'),
    formRoute(
      () => '/review',
      async (req, res) => {
        const { id } = parseWith(IdParam, req.params);
        const n = await review.dismissMeeting(id, actorOf(req).label);
        flash(res, 'ok', `Dismissed ${plural(n, 'suggestion')} of that meeting.`);
        res.redirect(303, '/review');
      },
      'Could not dismiss',
    ),
  );
  r.post(
    '/review/:id/dismiss',
    requireRole('notetaker'),
    formRoute(
      () => '/review',
      async (req, res) => {
        const { id } = parseWith(IdParam, req.params);
        await review.dismiss(id, actorOf(req).label);
        flash(res, 'ok', 'Dismissed.');
        res.redirect(303, '/review');
      },
      'Could not dismiss',
    ),
  );
  return r;
}
