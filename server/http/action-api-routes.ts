import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { actorOf, DateString, Flag, IdParam, QueryInt, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';
import { createResponseCache, toCachedBody, type ResponseCache } from './response-cache.js';

export const ActionListQuery = z.object({
  status: QueryString(10).pipe(z.enum(['open', 'done', 'dropped', 'all']).optional()),
  owner: QueryString(200),
  series: QueryString(200),
  overdue: Flag,
  limit: QueryInt(1, 5000),
  offset: QueryInt(0, 1e9),
});

const CloseBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();
const CommentBody = z.object({ text: z.string().trim().min(1, 'a comment needs text').max(5000) }).strict();
const SnoozeBody = z.object({ until: DateString.nullable() }).strict();
const PatchBody = z
  .object({
    due: DateString.nullable().optional(),
    owners: z.array(z.string().trim().min(1).max(200)).min(1, 'an action needs at least one owner').max(20).optional(),
    text: z.string().trim().min(1).max(5000).optional(),
  })
  .strict()
  .refine((b) => b.due !== undefined || b.owners !== undefined || b.text !== undefined, 'give at least one of due, owners, text');

/** What `actionApiRoutes` uses of the services. */
export type ActionApiDeps = Pick<Services, 'actions' | 'clock' | 'dataVersion'>;

/**
 * `/api/actions`: list, one with history, close, reopen, comment, snooze, edit. The list is
 * answered from `cache` while the database is unchanged (pass null to always query). Who may
 * change which action is the action service's decision (403 from there), not the routes'.
 */
export function actionApiRoutes(services: ActionApiDeps, cache: ResponseCache | null = createResponseCache(services.dataVersion)): Router {
  const r = Router();
  const { actions } = services;

  r.get('/api/actions', requireRole('member'), (req, res) => {
    const q = parseWith(ActionListQuery, req.query);
    // "overdue" depends on the date, so the day is part of the key.
    const key = `${services.clock.now().toISOString().slice(0, 10)} ${JSON.stringify(q)}`;
    const answer = cache ? cache.body(key, () => actions.listJson(q)) : toCachedBody(actions.listJson(q));
    // With the ETag set, Express neither re-hashes the body nor sends it to a client that has it (304).
    res.type('json').set('ETag', answer.etag).send(answer.body);
  });

  r.get('/api/actions/:id', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    res.json(actions.get(id));
  });

  r.post('/api/actions/:id/close', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(CloseBody, req.body);
    res.json(actions.close(id, actorOf(req), note));
  });

  r.post('/api/actions/:id/reopen', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(CloseBody, req.body);
    res.json(actions.reopen(id, actorOf(req), note));
  });

  r.post('/api/actions/:id/comment', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { text } = parseWith(CommentBody, req.body);
    res.status(201).json(actions.comment(id, actorOf(req), text));
  });

  r.post('/api/actions/:id/snooze', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { until } = parseWith(SnoozeBody, req.body);
    res.json(actions.snooze(id, until, actorOf(req)));
  });

  r.patch('/api/actions/:id', requireRole('member'), (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const patch = parseWith(PatchBody, req.body);
    res.json(actions.update(id, patch, actorOf(req)));
  });

  return r;
}
