import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { actorOf, DateString, Flag, IdParam, QueryInt, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';
import { createResponseCache, toCachedBody, type ResponseCache } from './response-cache.js';
import { PageQueryFields, setPageHeaders } from './pagination.js';
import { toCsv } from '../../domain/csv.js';
import type { ActionView } from '../services/actions/action-views.js';

export const ActionListQuery = z.object({
  status: QueryString(10).pipe(z.enum(['open', 'done', 'dropped', 'all']).optional()),
  owner: QueryString(200),
  series: QueryString(200),
  overdue: Flag,
  ...PageQueryFields,
  offset: QueryInt(0, 1e9),
  format: QueryString(10).pipe(z.enum(['json', 'csv']).optional()),
});

/** The columns of the actions CSV. */
const CSV_HEADER = ['id', 'text', 'owners', 'due', 'status', 'overdue', 'series', 'meeting_date', 'meeting_title', 'carried', 'snoozed_until', 'closed_at', 'url'];

/** The actions as RFC 4180 CSV, one row per action, owners joined by "; ". */
export function actionsCsv(list: ActionView[], baseUrl: string): string {
  return toCsv(CSV_HEADER, list.map((a) => [
    a.id, a.text, a.owners.map((o) => o.name).join('; '), a.due, a.status, a.overdue, a.originMeeting.seriesSlug,
    a.originMeeting.date, a.originMeeting.title, a.carriedCount, a.snoozedUntil, a.closedAt, `${baseUrl}/actions/${a.id}`,
  ]));
}

/** `total` and `next` from the end of a page's JSON (cached bodies are bytes; the headers are made from them). */
function pageTail(body: Buffer): { total: number; next: string | null } {
  const m = /"total":(\d+),"next":(?:null|"([A-Za-z0-9_-]*)")\}$/.exec(body.subarray(Math.max(0, body.length - 1200)).toString('utf8'));
  return { total: m ? Number(m[1]) : 0, next: m?.[2] ?? null };
}

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
export type ActionApiDeps = Pick<Services, 'actions' | 'clock' | 'dataVersion' | 'config'>;

/**
 * `/api/actions`: list, one with history, close, reopen, comment, snooze, edit. The list is
 * answered from `cache` while the database is unchanged (pass null to always query). Who may
 * change which action is the action service's decision (403 from there), not the routes'.
 */
export function actionApiRoutes(services: ActionApiDeps, cache: ResponseCache | null = services.dataVersion ? createResponseCache(services.dataVersion) : null): Router {
  const r = Router();
  const { actions } = services;

  r.get('/api/actions', requireRole('member'), async (req, res) => {
    const { format, ...q } = parseWith(ActionListQuery, req.query);
    if (format === 'csv') {
      // Every matching action (no pages): a feed for spreadsheets.
      const { limit: _l, offset: _o, cursor: _c, ...filter } = q;
      res.type('text/csv; charset=utf-8').attachment(`actions-${services.clock.now().toISOString().slice(0, 10)}.csv`);
      res.send(actionsCsv(await actions.listAll(filter), services.config.baseUrl));
      return;
    }
    // "overdue" depends on the date, so the day is part of the key.
    const key = `${services.clock.now().toISOString().slice(0, 10)} ${JSON.stringify(q)}`;
    const answer = cache ? await cache.body(key, () => actions.pageJson(q)) : toCachedBody(await actions.pageJson(q));
    setPageHeaders(req, res, pageTail(answer.body));
    // With the ETag set, Express neither re-hashes the body nor sends it to a client that has it (304).
    res.type('json').set('ETag', answer.etag).send(answer.body);
  });

  r.get('/api/actions/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    res.json(await actions.get(id));
  });

  r.post('/api/actions/:id/close', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(CloseBody, req.body);
    res.json(await actions.close(id, actorOf(req), note));
  });

  r.post('/api/actions/:id/reopen', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(CloseBody, req.body);
    res.json(await actions.reopen(id, actorOf(req), note));
  });

  // Not an action after all (a note-taker's correction, kept across re-uploads of the minutes).
  r.post('/api/actions/:id/drop', requireRole('notetaker'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(CloseBody, req.body);
    res.json(await actions.drop(id, actorOf(req), note));
  });

  r.post('/api/actions/:id/comment', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { text } = parseWith(CommentBody, req.body);
    res.status(201).json(await actions.comment(id, actorOf(req), text));
  });

  r.post('/api/actions/:id/snooze', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { until } = parseWith(SnoozeBody, req.body);
    res.json(await actions.snooze(id, until, actorOf(req)));
  });

  r.patch('/api/actions/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const patch = parseWith(PatchBody, req.body);
    res.json(await actions.update(id, patch, actorOf(req)));
  });

  return r;
}
