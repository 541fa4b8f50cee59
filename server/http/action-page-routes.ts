import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { actorOf, DateString, formRoute, IdParam, mayChangeFor, pageOf } from './route-helpers.js';
import { parseWith } from './validate.js';
import { safeNextPath } from '../services/auth/auth-service.js';
import { ActionListQuery } from './action-api-routes.js';
import { pageNav } from './pagination.js';

const NoteForm = z.object({ note: z.string().trim().max(2000).optional() });
const CommentForm = z.object({ text: z.string().trim().min(1, 'write a comment first').max(5000) });
const SnoozeForm = z.object({ until: z.union([z.literal(''), DateString]).optional() });
const EditForm = z.object({
  text: z.string().trim().min(1, 'the action needs text').max(5000),
  due: z.union([z.literal(''), DateString]).optional(),
  owners: z.string().trim().min(1, 'name at least one owner').max(2000),
});

/** Owners typed as "Ross, James and Rich" or one per line. */
const splitOwners = (s: string) =>
  s
    .split(/\s*(?:,|;|\n|\band\b|&)\s*/i)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The page to return to after a change: the list or dashboard the form was on (its hidden
 * `back` field; same-site paths only), else the action's page. Referer is not used: helmet's
 * Referrer-Policy (no-referrer) leaves it out.
 */
function backTo(req: Request, id: number): string {
  const back = safeNextPath((req.body as Record<string, unknown> | undefined)?.back);
  if (back && /^\/(actions(\/mine)?|people\/\d+)?(\?|$)/.test(back)) return back;
  return `/actions/${id}`;
}

/** What `actionPageRoutes` uses of the services. */
export type ActionPageDeps = Pick<Services, 'actions' | 'people' | 'series'>;

/** Actions pages: filtered list, My actions, one action with history and its forms. */
export function actionPageRoutes(services: ActionPageDeps): Router {
  const r = Router();
  const { actions } = services;
  const toAction = pageOf('actions');

  r.get('/actions', requireRole('member'), async (req, res) => {
    const { format: _f, ...q } = parseWith(ActionListQuery, req.query);
    const filter = { ...q, status: q.status ?? 'open' };
    const page = await actions.page(filter);
    const mayChange = mayChangeFor(req);
    const csv = new URLSearchParams();
    for (const k of ['status', 'owner', 'series'] as const) if (filter[k]) csv.set(k, filter[k]);
    if (filter.overdue) csv.set('overdue', '1');
    csv.set('format', 'csv');
    renderPage(res, 'actions', {
      title: 'Actions',
      heading: 'Actions',
      filter,
      nav: pageNav(req, page),
      csvUrl: `/api/actions?${csv}`,
      list: page.items.map((a) => ({ ...a, mayChange: mayChange(a) })),
      series: await services.series.list(),
      mine: false,
    });
  });

  r.get('/actions/mine', requireRole('member'), async (req, res) => {
    const personId = req.user!.personId;
    const q = parseWith(ActionListQuery, req.query);
    const status = q.status ?? 'open';
    const page = personId == null ? { items: [], total: 0, next: null } : await actions.page({ ownerId: personId, status, limit: q.limit, cursor: q.cursor });
    const mayChange = mayChangeFor(req);
    renderPage(res, 'actions', {
      title: 'My actions',
      heading: 'My actions',
      filter: { status },
      nav: pageNav(req, page),
      csvUrl: null,
      list: page.items.map((a) => ({ ...a, mayChange: mayChange(a) })),
      series: [],
      mine: true,
    });
  });

  r.get('/actions/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const action = await actions.get(id);
    const mayChange = mayChangeFor(req);
    const mayEdit = mayChange(action, 'edit');
    renderPage(res, 'action', {
      title: `Action #${id}`,
      action,
      mayChange: mayChange(action),
      mayEdit,
      mayDrop: hasRole(req.user, 'notetaker'),
    });
  });

  r.post('/actions/:id/close', requireRole('member'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(NoteForm, req.body);
    const out = await actions.close(id, actorOf(req), note || undefined);
    flash(res, 'ok', out.changed ? `Action #${id} closed.` : `Action #${id} was already done.`);
    res.redirect(303, backTo(req, id));
  }, 'Not closed'));

  r.post('/actions/:id/reopen', requireRole('member'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(NoteForm, req.body);
    const out = await actions.reopen(id, actorOf(req), note || undefined);
    flash(res, 'ok', out.changed ? `Action #${id} reopened.` : `Action #${id} was already open.`);
    res.redirect(303, backTo(req, id));
  }, 'Not reopened'));

  // Not an action after all: dropped, and kept so when the minutes are uploaded again unchanged.
  r.post('/actions/:id/drop', requireRole('notetaker'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { note } = parseWith(NoteForm, req.body);
    const out = await actions.drop(id, actorOf(req), note || undefined);
    flash(res, 'ok', out.changed ? `Action #${id} dropped; uploading the same minutes again keeps it dropped.` : `Action #${id} was already dropped.`);
    res.redirect(303, `/actions/${id}`);
  }, 'Not dropped'));

  r.post('/actions/:id/comment', requireRole('member'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { text } = parseWith(CommentForm, req.body);
    await actions.comment(id, actorOf(req), text);
    flash(res, 'ok', 'Comment added.');
    res.redirect(303, `/actions/${id}#history`);
  }, 'Comment not added'));

  r.post('/actions/:id/snooze', requireRole('member'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { until } = parseWith(SnoozeForm, req.body);
    await actions.snooze(id, until || null, actorOf(req));
    flash(res, 'ok', until ? `No reminders for #${id} until ${until}.` : `Snooze of #${id} cleared.`);
    res.redirect(303, `/actions/${id}`);
  }, 'Not snoozed'));

  r.post('/actions/:id/edit', requireRole('member'), formRoute(toAction, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const form = parseWith(EditForm, req.body);
    const out = await actions.update(id, { text: form.text, due: form.due || null, owners: splitOwners(form.owners) }, actorOf(req));
    flash(res, 'ok', out.changed ? `Action #${id} saved.` : 'Nothing changed.');
    res.redirect(303, `/actions/${id}`);
  }, 'Not saved'));

  return r;
}
