import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { safeNextPath } from '../services/auth/auth-service.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { actorOf, formRoute, IdParam, pageOf } from './route-helpers.js';
import { parseWith } from './validate.js';
import { PageQueryFields, pageNav } from './pagination.js';
import { mayManageFeed } from './feed-routes.js';
import { foldName } from '../../domain/names.js';
import { plural } from '../../domain/wording.js';

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const PersonForm = z.object({
  name: z.string().trim().min(1, 'a person needs a name').max(200),
  email: z.preprocess(blankToNull, z.email('not an email address').max(320).nullable()).optional(),
  org: z.preprocess(blankToNull, z.string().trim().max(200).nullable()).optional(),
  kind: z.enum(['person', 'group']).optional(),
  aliases: z.string().max(2000).optional(),
});
const AliasForm = z.object({ alias: z.string().trim().min(1, 'type an alias').max(200) });
const ResolveForm = z.object({
  name: z.string().trim().min(1, 'the name to resolve is missing').max(200),
  // 'other': "someone else…" (a big directory's picker lists only likely matches).
  // A person id (the pickers' options), or a name, alias or email typed into the type-ahead
  // field, which the people service resolves (404 unknown, 409 ambiguous: said on the form).
  person: z.string().trim().min(1, 'pick who this is').max(200).transform((v) => (v === 'other' ? v : /^\d{1,15}$/.test(v) ? Number(v) : v)),
});
const ResolveQuery = z.object({ name: z.string().trim().min(1, 'which name? (?name=)').max(200), back: z.string().max(500).optional() });

/**
 * Above this many people the "This is…" pickers under each unresolved name hold only the likely
 * matches and "someone else…" (one page with the whole directory), so a page listing dozens of
 * names does not repeat hundreds of options for each.
 */
export const PICK_FROM_ALL_MAX = 150;
const MergeForm = z.object({
  into: z.string().trim().min(1, 'pick the person to keep').max(200).transform((v) => (/^\d{1,15}$/.test(v) ? Number(v) : v)),
});

/** Where a people form returns: the page it was posted from (dashboard or people pages only). */
function backTo(req: Request, fallback: string, raw: unknown = (req.body as Record<string, unknown> | undefined)?.back): string {
  const back = safeNextPath(raw);
  return back && /^\/(people(\/\d+)?)?(\?|#|$)/.test(back) ? back : fallback;
}

/** What `unresolvedPanel` uses of the services. */
export type UnresolvedPanelDeps = Pick<Services, 'people'>;

/**
 * The unresolved names and, for note-takers and admins, everyone they could be (the "This
 * is…" picker). Shared by the dashboard and the people page.
 */
export async function unresolvedPanel(services: UnresolvedPanelDeps, req: Request) {
  const staff = hasRole(req.user, 'notetaker');
  // The whole directory to pick from only when it is short: not read at all otherwise.
  const everyone = staff && (await services.people.count()) <= PICK_FROM_ALL_MAX ? await services.people.list() : [];
  return {
    unresolved: await services.people.unresolved(),
    everyone: everyone.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    mayResolve: staff,
  };
}

const PeoplePageQuery = z.object(PageQueryFields);

const splitList = (s: string | undefined) => (s ?? '').split(/[,\n]/).map((x) => x.trim()).filter(Boolean);

/** What `peoplePageRoutes` uses of the services. */
export type PeoplePageDeps = Pick<Services, 'people' | 'auth' | 'actions' | 'dueFeeds'>;

/** People pages: the directory, one person with their actions, and the admin's edits. */
export function peoplePageRoutes(services: PeoplePageDeps): Router {
  const r = Router();
  const { people } = services;

  r.get('/people', requireRole('member'), async (req, res) => {
    const roles = await services.auth.roles();
    const openCount = await services.actions.openCountsByPerson();
    const page = await people.page(parseWith(PeoplePageQuery, req.query));
    renderPage(res, 'people', {
      title: 'People',
      people: page.items.map((p) => ({ ...p, role: roles.get(p.id) ?? 'member', open: openCount.get(p.id) ?? 0 })),
      nav: pageNav(req, page),
      ...await unresolvedPanel(services, req),
    });
  });

  // The "This is…" form: a refused link comes back as a message on the page it came from.
  const toList = (req: Request) => backTo(req, '/people');
  const toPerson = pageOf('people');

  // One unresolved name with the whole directory to pick from ("someone else…").
  r.get('/people/resolve', requireRole('notetaker'), async (req, res) => {
    // No name (a bare or edited link): the list of names to resolve, saying so in words.
    if (typeof req.query.name !== 'string' || req.query.name.trim() === '') {
      flash(res, 'info', 'Choose a name to resolve from the list of unresolved names.', 'unresolved');
      return res.redirect(303, '/people#unresolved');
    }
    const q = parseWith(ResolveQuery, req.query);
    const entry = (await people.unresolved()).find((u) => foldName(u.name) === foldName(q.name));
    renderPage(res, 'resolve-name', {
      title: `Who is ${q.name}?`,
      name: q.name,
      entry: entry ?? null,
      back: backTo(req, '/people#unresolved', q.back),
      // A refused "This is…" comes back here (its `_form`) and is said next to the picker.
      ownsRefusal: true,
    });
  });

  r.post('/people/resolve', requireRole('notetaker'), formRoute(toList, async (req, res) => {
    const form = parseWith(ResolveForm, req.body);
    if (form.person === 'other') {
      return res.redirect(303, `/people/resolve?${new URLSearchParams({ name: form.name, back: toList(req) })}`);
    }
    const done = await people.resolveName(form.name, form.person, actorOf(req));
    const alias = done.aliasAdded ? ` "${done.name}" is now one of their aliases, so later minutes resolve it.` : done.aliasNote ? ` ${done.aliasNote}.` : '';
    const back = toList(req);
    flash(res, 'ok', `"${done.name}" is ${done.person.name}: ${plural(done.actionIds.length, 'action')} linked.${alias}`, back.split('#')[1]);
    res.redirect(303, back);
  }, 'Could not resolve the name'));

  r.post('/people', requireRole('admin'), formRoute(toList, async (req, res) => {
    const form = parseWith(PersonForm, req.body);
    const person = await people.create({ name: form.name, email: form.email ?? null, org: form.org ?? null, kind: form.kind, aliases: splitList(form.aliases) });
    flash(res, 'ok', `${person.name} added.`);
    res.redirect(303, `/people/${person.id}`);
  }, 'Could not add the person'));

  r.get('/people/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const person = await people.get(id);
    if (person.id !== id) return res.redirect(301, `/people/${person.id}`);
    renderPage(res, 'person', {
      title: person.name,
      person: { ...person, role: await services.auth.roleOf(person.id) },
      actions: await services.actions.list({ ownerId: person.id, status: 'all', limit: 1000 }),
      // The calendar address is managed by the person or an admin; others see nothing of it.
      dueFeed: mayManageFeed(req, person.id) ? await services.dueFeeds.status(person.id) : null,
    });
  });

  r.post('/people/:id', requireRole('admin'), formRoute(toPerson, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const form = parseWith(PersonForm, req.body);
    let person = await people.update(id, { name: form.name, email: form.email ?? null, org: form.org ?? null, kind: form.kind });
    for (const alias of splitList(form.aliases)) {
      if (!person.aliases.some((a) => a.toLowerCase() === alias.toLowerCase())) person = await people.addAlias(id, alias);
    }
    flash(res, 'ok', 'Saved.');
    res.redirect(303, `/people/${id}`);
  }, 'Not saved'));

  r.post('/people/:id/aliases', requireRole('admin'), formRoute(toPerson, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { alias } = parseWith(AliasForm, req.body);
    await people.addAlias(id, alias);
    flash(res, 'ok', `Alias "${alias}" added.`);
    res.redirect(303, `/people/${id}`);
  }, 'Alias not added'));

  r.post('/people/:id/aliases/remove', requireRole('admin'), formRoute(toPerson, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { alias } = parseWith(AliasForm, req.body);
    await people.removeAlias(id, alias);
    flash(res, 'ok', `Alias "${alias}" removed. Actions already linked through it stay linked.`);
    res.redirect(303, `/people/${id}`);
  }, 'Alias not removed'));

  r.post('/people/:id/merge', requireRole('admin'), formRoute(toPerson, async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { into } = parseWith(MergeForm, req.body);
    const kept = await people.merge(id, into);
    flash(res, 'ok', kept.merge.message);
    res.redirect(303, `/people/${kept.id}`);
  }, 'Not merged'));

  return r;
}
