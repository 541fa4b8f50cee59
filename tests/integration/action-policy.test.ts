/**
 * Who may change an action, over every channel that changes one: each API route, each page
 * form, the signed email link (`POST /act/:token`) and the built CLI, for anonymous,
 * member-own, member-other, notetaker and admin. Each case gets a fresh action and checks the
 * status the person gets and whether the action's history grew (every change writes an event).
 * The rule itself lives in `domain/action-policy.ts`; the action service enforces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeder } from '../helpers/reminder-seed.js';
import { runCli } from '../helpers/env.js';
import { Browser, startTestServer, type TestServer } from './http-support.js';
import type { ActionOp } from '../../domain/action-policy.js';

type Who = 'anonymous' | 'member-own' | 'member-other' | 'notetaker' | 'admin';
const WHO: Who[] = ['anonymous', 'member-own', 'member-other', 'notetaker', 'admin'];

let server: TestServer;
let s: ReturnType<typeof seeder>;
let meeting: number;
/** The person each case acts as (anonymous: nobody), with a browser session and an API token. */
const as: Partial<Record<Who, { id: number; browser: Browser; token: string }>> = {};
let otherOwner: number;
let member: number;

beforeAll(async () => {
  server = await startTestServer({ env: { MINUTES_BASE_URL: 'https://minutes.example.org' } });
  s = seeder(server.world.db);
  meeting = await s.meeting(await s.series('openxt', 'OpenXT Community Call'), '2026-11-05');
  otherOwner = (await server.world.services.people.create({ name: 'Otto Other', email: 'otto@example.org' })).id;
  const people: [Exclude<Who, 'anonymous' | 'member-other'>, 'member' | 'notetaker' | 'admin', string][] = [
    ['member-own', 'member', 'Mia Member'],
    ['notetaker', 'notetaker', 'Nora Notes'],
    ['admin', 'admin', 'Ada Admin'],
  ];
  for (const [who, role, name] of people) {
    const p = await server.personWithRole(role, name, `${name.split(' ')[0].toLowerCase()}@example.org`);
    as[who] = { ...p, token: (await server.world.services.tokens.create({ role, personId: p.id, name })).token };
  }
  // member-other is the same member, acting on someone else's action.
  as['member-other'] = as['member-own'];
  member = as['member-own']!.id;
});
afterAll(() => server?.close());

/** A fresh action in the state the operation needs, owned by the member or by someone else. */
async function freshAction(who: Who, op: ActionOp | 'done'): Promise<number> {
  const owner = who === 'member-own' ? member : otherOwner;
  const id = await s.action({ meetingId: meeting, text: `${op} for ${who}`, owners: [owner] });
  if (op === 'reopen') await s.close(id);
  return id;
}

const events = async (id: number) => (await server.world.services.actions.get(id)).events.length;

/** What each operation sends: API method/path/body and the page form's path/fields. */
const OPS: Record<ActionOp, { method: string; api: (id: number) => string; json: unknown; page: (id: number) => string; form: Record<string, string>; ok: number }> = {
  close: { method: 'POST', api: (id) => `/api/actions/${id}/close`, json: { note: 'done' }, page: (id) => `/actions/${id}/close`, form: { note: 'done' }, ok: 200 },
  reopen: { method: 'POST', api: (id) => `/api/actions/${id}/reopen`, json: {}, page: (id) => `/actions/${id}/reopen`, form: {}, ok: 200 },
  comment: { method: 'POST', api: (id) => `/api/actions/${id}/comment`, json: { text: 'on it' }, page: (id) => `/actions/${id}/comment`, form: { text: 'on it' }, ok: 201 },
  snooze: { method: 'POST', api: (id) => `/api/actions/${id}/snooze`, json: { until: '2027-01-10' }, page: (id) => `/actions/${id}/snooze`, form: { until: '2027-01-10' }, ok: 200 },
  edit: { method: 'PATCH', api: (id) => `/api/actions/${id}`, json: { text: 'edited text' }, page: (id) => `/actions/${id}/edit`, form: { text: 'edited text', owners: 'Otto Other' }, ok: 200 },
};

/** The rule, as a table: may `who` do `op`? */
const allowed = (who: Who, op: ActionOp): boolean =>
  who === 'notetaker' || who === 'admin' || (who === 'member-own' && op !== 'edit');

const cases = (Object.keys(OPS) as ActionOp[]).flatMap((op) => WHO.map((who) => ({ op, who, allow: allowed(who, op) })));

describe('who may change an action, over HTTP (API and pages)', () => {
  it.each(cases)('API $op as $who: allowed=$allow', async ({ op, who, allow }) => {
    const id = await freshAction(who, op);
    const before = await events(id);
    const o = OPS[op];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (who !== 'anonymous') headers.authorization = `Bearer ${as[who]!.token}`;
    const res = await fetch(server.url + o.api(id), { method: o.method, headers, body: JSON.stringify(o.json) });
    const body = await res.json();
    if (allow) {
      expect(res.status, JSON.stringify(body)).toBe(o.ok);
      expect(await events(id)).toBe(before + 1);
    } else {
      expect(res.status, JSON.stringify(body)).toBe(who === 'anonymous' ? 401 : 403);
      expect(body.error.code).toBe(who === 'anonymous' ? 'unauthenticated' : 'forbidden');
      expect(await events(id)).toBe(before);
    }
  });

  it.each(cases)('page form $op as $who: allowed=$allow', async ({ op, who, allow }) => {
    const id = await freshAction(who, op);
    const before = await events(id);
    const o = OPS[op];
    const browser = who === 'anonymous' ? new Browser(server.url) : as[who]!.browser;
    if (who !== 'anonymous') {
      // The page offers the form exactly when the policy allows it (same domain function).
      const page = await browser.get(`/actions/${id}`);
      expect(page.res.status).toBe(200);
      expect(page.html.includes(`action="${o.page(id)}"`)).toBe(allow);
    }
    const { res, html } = await browser.post(o.page(id), o.form);
    if (allow) {
      expect(res.status, html).toBe(303);
      expect(res.headers.get('location')).toMatch(new RegExp(`^/actions/${id}`));
      expect(await events(id)).toBe(before + 1);
    } else if (who === 'anonymous') {
      // A form post without a session is refused (GET pages redirect to sign-in instead).
      expect(res.status).toBe(401);
      expect(html).toMatch(/sign in/i);
      expect(await events(id)).toBe(before);
    } else {
      expect(res.status).toBe(403);
      expect(html).toMatch(op === 'edit' ? /needs the notetaker role/ : /not yours/);
      expect(await events(id)).toBe(before);
    }
  });
});

describe('who may change an action by a signed email link (POST /act/:token)', () => {
  // A link is bound to the person it was sent to and acts with member rights, whatever their
  // role: it changes only that person's own actions. Anonymous: a link that is not signed.
  const linkAllowed = (who: Who) => who === 'member-own';
  const linkCases = (['done', 'snooze'] as const).flatMap((op) => WHO.map((who) => ({ op, who, allow: linkAllowed(who) })));

  it.each(linkCases)('act link $op as $who: allowed=$allow', async ({ op, who, allow }) => {
    const id = await freshAction(who, op === 'done' ? 'close' : 'snooze');
    const before = await events(id);
    const token = who === 'anonymous' ? 'not-a-signed-link' : server.world.services.linkTokens.signAction(id, as[who]!.id);
    const res = await fetch(`${server.url}/act/${token}`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: `op=${op}`,
      redirect: 'manual',
    });
    const html = await res.text();
    if (allow) {
      expect(res.status, html).toBe(200);
      expect(await events(id)).toBe(before + 1);
      expect((await server.world.services.actions.get(id)).status).toBe(op === 'done' ? 'done' : 'open');
    } else {
      expect(res.status).toBe(who === 'anonymous' ? 400 : 403);
      expect(html).toContain(who === 'anonymous' ? 'This link cannot be used' : 'no longer an owner');
      expect(await events(id)).toBe(before);
    }
  });
});

describe('who may change an action from the CLI', () => {
  // The CLI has one actor: the operator at the terminal, who acts as admin (it opens the
  // database file directly). Anonymous / member / notetaker do not exist there.
  it.each(['close', 'reopen'] as const)('minutes %s as the operator (admin) changes any action', async (op) => {
    const id = await freshAction('admin', op);
    const before = await events(id);
    const r = await runCli([op, String(id)], { dataDir: server.world.dir, env: { MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${op === 'close' ? 'closed' : 'reopened'} #${id} \\[${op === 'close' ? 'done' : 'open'}\\]`));
    expect(await events(id)).toBe(before + 1);
    expect((await server.world.services.actions.get(id)).events.at(-1)!.actor.source).toBe('cli');
  }, 60_000);
});
