import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { Browser, startTestServer, type TestServer } from './http-support.js';
import { SESSION_COOKIE } from '../../server/http/auth-middleware.js';

let now = new Date('2026-11-21T09:00:00Z');
const clock = { now: () => new Date(now) };
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ clock, signInLimit: 6 });
  await s.world.services.people.create({ name: 'Ada Lovelace', email: 'ada@example.org' });
});
afterAll(async () => {
  await s.close();
});

/** Ids of the emails in the outbox now (a later `linkFromOutbox` reads only newer ones). */
async function mailIds(): Promise<Set<number>> {
  return new Set((await s.world.services.outbox.listRecent(100)).map((m) => m.id));
}

/** The sign-in link of the newest sign-in email to `to` not in `seen`, read from the outbox. */
async function linkFromOutbox(to: string, seen: Set<number>): Promise<string> {
  // The page answers first and the email is queued just after (same timing for unknown
  // addresses): wait for it, as a person waits for the email.
  const mail = await vi.waitFor(async () => {
    const found = (await s.world.services.outbox.listRecent(50)).find((m) => m.kind === 'sign-in' && m.to === to && !seen.has(m.id));
    expect(found, `a sign-in email to ${to}`).toBeDefined();
    return found;
  }, { timeout: 5_000, interval: 20 });
  const m = /https?:\/\/\S+\/sign-in\/\S+/.exec(mail!.text);
  expect(m).not.toBeNull();
  return new URL(m![0]).pathname;
}

describe('sign-in by emailed link', () => {
  test('request, open, confirm: signed in with a HttpOnly SameSite cookie; link works once', async () => {
    const b = new Browser(s.url);
    await b.get('/sign-in?next=%2Factions');
    const seen = await mailIds();
    const { html } = await b.post('/sign-in', { email: 'ADA@example.org', next: '/actions' });
    expect(html).toContain('Check your email');
    const path = await linkFromOutbox('ada@example.org', seen);

    // Opening the link (as a mail scanner would) does not use it up.
    const page = await b.get(path);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('finish signing in');
    expect((await b.get(path)).res.status).toBe(200);

    const done = await b.post(path, {});
    expect(done.res.status).toBe(303);
    expect(done.res.headers.get('location')).toBe('/actions');
    const cookie = done.res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const dash = await b.get('/');
    expect(dash.html).toContain('Ada Lovelace');
    expect(dash.html).toContain('Signed in as Ada Lovelace');

    // One time only.
    const again = await new Browser(s.url).get(path);
    expect(again.res.status).toBe(400);
    expect(again.html).toContain('already used');
    const reuse = await new Browser(s.url).post(path, {});
    expect(reuse.res.status).toBe(400);

    // Sessions and links are stored hashed.
    const sessions = await s.world.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(sessions.length).toBeGreaterThan(0);
    for (const r of sessions) expect(r.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(path.endsWith((await s.world.db.prepare('SELECT token_hash FROM sign_in_links LIMIT 1').get() as { token_hash: string }).token_hash)).toBe(false);

    // Sign out ends the session server-side.
    await b.post('/sign-out', {});
    expect((await b.get('/')).res.status).toBe(303);
  });

  test('an unknown address gets the same answer and no email', async () => {
    const before = (await s.world.services.outbox.listRecent(100)).length;
    const b = new Browser(s.url);
    await b.get('/sign-in');
    const { html } = await b.post('/sign-in', { email: 'nobody@example.org' });
    expect(html).toContain('Check your email');
    expect((await s.world.services.outbox.listRecent(100)).length).toBe(before);
  });

  test('a link expires after 20 minutes', async () => {
    const b = new Browser(s.url);
    await b.get('/sign-in');
    const seen = await mailIds();
    await b.post('/sign-in', { email: 'ada@example.org' });
    const path = await linkFromOutbox('ada@example.org', seen);
    now = new Date(now.getTime() + 21 * 60_000);
    const page = await b.get(path);
    expect(page.res.status).toBe(400);
    expect(page.html).toContain('expired');
  });

  test('bad email is a clear 400; the sign-in form is rate limited', async () => {
    const b = new Browser(s.url);
    await b.get('/sign-in');
    const bad = await b.post('/sign-in', { email: 'not an email' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('valid email');
    let last = 0;
    for (let i = 0; i < 8; i++) last = (await b.post('/sign-in', { email: 'x@example.org' })).res.status;
    expect(last).toBe(429);
  });
});

describe('first start', () => {
  test('with no admin a one-time link creates the first admin; then no more links', async () => {
    const url = await s.world.services.auth.bootstrapLink();
    expect(url).toMatch(/\/sign-in\/msl_/);
    const path = new URL(url!).pathname;
    const b = new Browser(s.url);
    const page = await b.get(path);
    expect(page.html).toContain('Create the first admin');
    const done = await b.post(path, { name: 'Root Admin', email: 'root@example.org' });
    expect(done.res.status).toBe(303);
    const people = await b.get('/people');
    expect(people.html).toContain('Root Admin');
    expect(people.html).toContain('(admin)');
    expect(await s.world.services.auth.bootstrapLink()).toBeNull();
  });
});
