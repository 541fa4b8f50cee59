import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser, signCookie, startTestServer, type Role, type TestServer } from './http-support.js';
import { simpleMinutes } from './http-fixtures.js';
import { SESSION_COOKIE } from '../../server/http/auth-middleware.js';

let s: TestServer;
/** Tokens tied to people: Ada (member, owns an action), Bob (member, owns nothing). */
let adaToken: string;
let bobToken: string;
let adaAction: number;
let graceAction: number;
let seq = 0;

beforeAll(async () => {
  s = await startTestServer();
  const res = await s.api('notetaker', '/api/meetings?series=matrix', { method: 'POST', body: simpleMinutes('2026-06-04'), headers: { 'content-type': 'text/markdown' } });
  const body = await res.json();
  adaAction = body.actions.find((a: { owners: { name: string }[] }) => a.owners[0].name === 'Ada Lovelace').id;
  graceAction = body.actions.find((a: { owners: { name: string }[] }) => a.owners[0].name === 'Grace Hopper').id;
  const ada = await s.world.services.people.find('Ada Lovelace');
  const bob = await s.world.services.people.create({ name: 'Bob Member' });
  adaToken = (await s.world.services.tokens.create({ role: 'member', personId: ada.id })).token;
  bobToken = (await s.world.services.tokens.create({ role: 'member', personId: bob.id })).token;
});
afterAll(async () => {
  await s.close();
});

type Who = Role | 'anonymous' | 'owner' | 'other-member';
const bearer = (who: Who): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: `Bearer ${who === 'owner' ? adaToken : who === 'other-member' ? bobToken : s.tokens[who]}` };

interface Write {
  name: string;
  allowed: Who[];
  call(who: Who): Promise<Response>;
}

const json = (who: Who, method: string, path: string, body?: unknown) =>
  fetch(s.url + path, { method, headers: { ...bearer(who), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const writes: Write[] = [
  {
    name: 'POST /api/meetings',
    allowed: ['notetaker', 'admin'],
    call: (who) => fetch(`${s.url}/api/meetings?series=m${++seq}`, { method: 'POST', headers: { ...bearer(who), 'content-type': 'text/markdown' }, body: simpleMinutes('2026-05-07') }),
  },
  { name: 'close own/other action', allowed: ['notetaker', 'admin', 'owner'], call: (who) => json(who, 'POST', `/api/actions/${adaAction}/close`, {}) },
  { name: 'reopen', allowed: ['notetaker', 'admin', 'owner'], call: (who) => json(who, 'POST', `/api/actions/${adaAction}/reopen`, {}) },
  { name: 'comment', allowed: ['notetaker', 'admin', 'owner'], call: (who) => json(who, 'POST', `/api/actions/${adaAction}/comment`, { text: 'hello' }) },
  { name: 'snooze', allowed: ['notetaker', 'admin', 'owner'], call: (who) => json(who, 'POST', `/api/actions/${adaAction}/snooze`, { until: null }) },
  { name: 'PATCH /api/actions/:id', allowed: ['notetaker', 'admin'], call: (who) => json(who, 'PATCH', `/api/actions/${adaAction}`, { due: '2026-12-24' }) },
  { name: 'POST /api/people', allowed: ['admin'], call: (who) => json(who, 'POST', '/api/people', { name: `Person ${++seq}` }) },
  { name: 'PATCH /api/people/:id', allowed: ['admin'], call: async (who) => json(who, 'PATCH', `/api/people/${(await s.world.services.people.find('Grace Hopper')).id}`, { org: `Org ${++seq}` }) },
  {
    name: 'POST /api/people/:id/merge',
    allowed: ['admin'],
    call: async (who) => {
      const a = await s.world.services.people.create({ name: `Dup A ${++seq}` });
      const b = await s.world.services.people.create({ name: `Dup B ${seq}` });
      return await json(who, 'POST', `/api/people/${a.id}/merge`, { into: b.id });
    },
  },
];
const everyone: Who[] = ['anonymous', 'other-member', 'owner', 'member', 'notetaker', 'admin'];

describe('authorisation matrix (API)', () => {
  for (const w of writes) {
    for (const who of everyone) {
      const allowed = w.allowed.includes(who);
      test(`${w.name} as ${who}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const res = await w.call(who);
        if (allowed) expect(res.status, await res.clone().text()).toBeLessThan(300);
        else {
          expect(res.status).toBe(who === 'anonymous' ? 401 : 403);
          const body = await res.json();
          expect(body.error.code).toBe(who === 'anonymous' ? 'unauthenticated' : 'forbidden');
        }
      });
    }
  }

  test('reads need an account; any role may read', async () => {
    for (const path of ['/api/actions', `/api/actions/${graceAction}`, '/api/meetings', '/api/people', '/api/search?q=parser']) {
      expect((await fetch(s.url + path)).status).toBe(401);
      for (const role of ['member', 'notetaker', 'admin'] as const) expect((await s.api(role, path)).status).toBe(200);
    }
  });

  test('a bad, malformed or revoked token is 401', async () => {
    expect((await fetch(`${s.url}/api/actions`, { headers: { authorization: 'Bearer mnt_nope' } })).status).toBe(401);
    expect((await fetch(`${s.url}/api/actions`, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const t = await s.world.services.tokens.create({ role: 'admin', name: 'temp' });
    expect((await fetch(`${s.url}/api/actions`, { headers: { authorization: `Bearer ${t.token}` } })).status).toBe(200);
    await s.world.services.tokens.revoke(t.id);
    const res = await fetch(`${s.url}/api/actions`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('bad-token');
  });

  test('tokens are stored hashed, never in clear', async () => {
    const rows = await s.world.db.prepare('SELECT token_hash FROM api_tokens').all() as { token_hash: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(3); // one token per role, made by startTestServer
    for (const r of rows) expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.some((r) => r.token_hash === s.tokens.admin)).toBe(false);
  });
});

describe('authorisation matrix (pages, session + CSRF)', () => {
  const forms: { name: string; allowed: (Role | 'owner')[]; path: () => string | Promise<string>; form: () => Record<string, string> }[] = [
    { name: 'close own/other action', allowed: ['owner', 'notetaker', 'admin'], path: () => `/actions/${adaAction}/close`, form: () => ({}) },
    { name: 'comment', allowed: ['owner', 'notetaker', 'admin'], path: () => `/actions/${adaAction}/comment`, form: () => ({ text: 'note' }) },
    { name: 'edit action', allowed: ['notetaker', 'admin'], path: () => `/actions/${adaAction}/edit`, form: () => ({ text: 'write the parser tests', due: '', owners: 'Ada Lovelace' }) },
    { name: 'upload', allowed: ['notetaker', 'admin'], path: () => '/upload', form: () => ({ intent: 'preview', series: 'pages', text: simpleMinutes('2026-04-02') }) },
    { name: 'add person', allowed: ['admin'], path: () => '/people', form: () => ({ name: `Page Person ${++seq}` }) },
    { name: 'set role', allowed: ['admin'], path: async () => `/people/${(await s.world.services.people.find('Grace Hopper')).id}/role`, form: () => ({ role: 'member' }) },
    { name: 'create token', allowed: ['admin'], path: () => '/tokens', form: () => ({ role: 'member', name: 'x' }) },
  ];
  const browsers = {} as Record<Role | 'owner', Browser>;
  beforeAll(async () => {
    for (const role of ['member', 'notetaker', 'admin'] as const) browsers[role] = (await s.personWithRole(role, `Page ${role}`)).browser;
    const ada = await s.world.services.people.find('Ada Lovelace');
    browsers.owner = new Browser(s.url);
    browsers.owner.setCookie(SESSION_COOKIE, signCookie(await s.world.services.sessions.create(ada.id), s.world.config.secret));
    for (const b of Object.values(browsers)) await b.get('/');
  });

  for (const f of forms) {
    for (const who of ['member', 'owner', 'notetaker', 'admin'] as const) {
      const allowed = f.allowed.includes(who);
      test(`${f.name} as ${who}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const { res, html } = await browsers[who].post(await f.path(), f.form());
        if (allowed) expect(res.status, html.slice(0, 500)).toBeLessThan(400);
        else {
          expect(res.status).toBe(403);
          expect(html).toContain('Not allowed');
        }
      });
    }
  }

  test('a form without the CSRF token, or with another browser\'s, is refused', async () => {
    const admin = browsers.admin;
    let r = await admin.post('/people', { name: 'No Csrf' }, { csrf: null });
    expect(r.res.status).toBe(403);
    expect(r.html).toContain('reload the page');
    r = await admin.post('/people', { name: 'Wrong Csrf' }, { csrf: browsers.member.csrf });
    expect(r.res.status).toBe(403);
    expect(await s.world.services.people.lookup('No Csrf')).toEqual([]);
  });

  test('a session cookie on the API needs the CSRF header for writes', async () => {
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(signCookie(await s.world.services.sessions.create((await s.world.services.people.find('Ada Lovelace')).id), s.world.config.secret))}`;
    const get = await fetch(`${s.url}/api/actions`, { headers: { cookie } });
    expect(get.status).toBe(200);
    const post = await fetch(`${s.url}/api/actions/${adaAction}/comment`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"text":"x"}' });
    expect(post.status).toBe(403);
    expect((await post.json()).error.code).toBe('bad-csrf');
  });

  test('pages without a session redirect to sign-in; members do not see Upload', async () => {
    const anon = new Browser(s.url);
    const { res } = await anon.get('/actions');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?next=%2Factions');
    const member = await browsers.member.get('/');
    expect(member.html).not.toContain('href="/upload"');
    expect((await browsers.member.get('/upload')).res.status).toBe(403);
    expect((await browsers.notetaker.get('/')).html).toContain('href="/upload"');
  });
});

describe('security headers', () => {
  test('helmet headers with a CSP allowing only our own script and style', async () => {
    const res = await fetch(`${s.url}/sign-in`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
