import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { actorOf, DateString, IdParam, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';
import { PageQueryFields, setPageHeaders } from './pagination.js';

const PeopleListQuery = z.object({
  /** Type-ahead: name, alias or email prefix; answers at most 20, no pages. */
  q: QueryString(200),
  ...PageQueryFields,
});

const Email = z.email('not an email address').max(320);
const Role = z.enum(['admin', 'notetaker', 'member']);

export const PersonBody = z
  .object({
    name: z.string().trim().min(1, 'a person needs a name').max(200),
    email: Email.nullable().optional(),
    org: z.string().trim().max(200).nullable().optional(),
    aliases: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    kind: z.enum(['person', 'group']).optional(),
    role: Role.optional(),
  })
  .strict();

export const PersonPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: Email.nullable().optional(),
    org: z.string().trim().max(200).nullable().optional(),
    kind: z.enum(['person', 'group']).optional(),
    remindersPausedUntil: DateString.nullable().optional(),
    /** Aliases to add (existing ones stay). */
    aliases: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    role: Role.optional(),
  })
  .strict();

const ResolveBody = z.object({ name: z.string().trim().min(1, 'give the name as written in the minutes').max(200) }).strict();
const AliasParam = IdParam.extend({ alias: z.string().trim().min(1, 'give the alias to remove').max(200) });

const MergeBody = z.object({ into: z.union([z.number().int().positive(), z.string().trim().min(1).max(200)]) }).strict();

/** What `personJson` uses of the services. */
export type PersonJsonDeps = Pick<Services, 'auth'>;

/** The person as the API shows it: the directory record plus the account role. */
export async function personJson(services: PersonJsonDeps, p: { id: number }) {
  return { ...p, role: await services.auth.roleOf(p.id) };
}

/** What `peopleApiRoutes` uses of the services. */
export type PeopleApiDeps = Pick<Services, 'people' | 'auth' | 'actions'>;

/** `/api/people`: the directory. Reading needs an account; changing it needs admin. */
export function peopleApiRoutes(services: PeopleApiDeps): Router {
  const r = Router();
  const { people } = services;

  r.get('/api/people', requireRole('member'), async (req, res) => {
    const { q, ...paging } = parseWith(PeopleListQuery, req.query);
    const roles = await services.auth.roles();
    const withRole = <P extends { id: number }>(p: P) => ({ ...p, role: roles.get(p.id) ?? 'member' });
    if (q !== undefined) {
      const found = await people.suggest(q, Math.min(paging.limit ?? 20, 20));
      res.json({ people: found.map(withRole), total: found.length, next: null });
      return;
    }
    const page = await people.page(paging);
    setPageHeaders(req, res, page);
    res.json({ people: page.items.map(withRole), total: page.total, next: page.next });
  });

  r.get('/api/people/unresolved', requireRole('member'), async (_req, res) => {
    res.json({ unresolved: await people.unresolved() });
  });

  r.get('/api/people/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const person = await people.get(id);
    res.json({ ...await personJson(services, person), actions: await services.actions.list({ ownerId: person.id, status: 'all' }) });
  });

  r.post('/api/people', requireRole('admin'), async (req, res) => {
    const { role, ...input } = parseWith(PersonBody, req.body);
    const person = await people.create(input);
    if (role) await services.auth.setRole(person.id, role);
    res.status(201).json(await personJson(services, person));
  });

  r.patch('/api/people/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { aliases, role, ...patch } = parseWith(PersonPatch, req.body);
    let person = Object.keys(patch).length > 0 ? await people.update(id, patch) : await people.get(id);
    for (const alias of aliases ?? []) {
      if (!person.aliases.some((a) => a.toLowerCase() === alias.toLowerCase())) person = await people.addAlias(person.id, alias);
    }
    if (role) await services.auth.setRole(person.id, role);
    res.json(await personJson(services, person));
  });

  r.post('/api/people/:id/merge', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { into } = parseWith(MergeBody, req.body);
    res.json(await personJson(services, await people.merge(id, into)));
  });

  // "This name is that person": links every unresolved owner/attendee written that way.
  r.post('/api/people/:id/resolve', requireRole('notetaker'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { name } = parseWith(ResolveBody, req.body);
    const result = await people.resolveName(name, id, actorOf(req));
    res.json({ ...result, person: await personJson(services, result.person) });
  });

  r.delete('/api/people/:id/aliases/:alias', requireRole('admin'), async (req, res) => {
    const { id, alias } = parseWith(AliasParam, req.params);
    res.json(await personJson(services, await people.removeAlias(id, alias)));
  });

  return r;
}
