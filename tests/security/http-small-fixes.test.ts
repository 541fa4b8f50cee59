/**
 * The smaller HTTP attacks and operator traps of issue 11.9, each against a real server
 * process: a taken port, sign-in timing and flooding, a proxy's Basic auth, missing assets,
 * non-Latin-1 calendar names, malformed URLs, and the flash cookie under https.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli, tempDataDir } from '../helpers/env.js';
import { Browser } from '../integration/http-support.js';
import { SECRET, startServerProcess, type ServerProcess } from './server-process.js';

let s: ServerProcess;
beforeAll(async () => {
  s = await startServerProcess();
});
afterAll(async () => {
  await s.stop();
});

const noStack = (body: string) => expect(body).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|Error: /);

test('serve on a taken port exits non-zero with one line and starts nothing', async () => {
  const d = tempDataDir();
  try {
    const port = new URL(s.url).port;
    const r = await runCli(['serve'], { dataDir: d.dir, env: { PORT: port, MINUTES_SECRET: SECRET, SMTP_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`minutes: port ${port} on 127.0.0.1 is already in use; stop the other server or set PORT`);
    expect(r.stdout).not.toContain('listening');
  } finally {
    d.cleanup();
  }
}, 30_000);

test('sign-in answers known and unknown addresses alike, in the same time', async () => {
  const admin = await s.token('admin');
  const known: string[] = [];
  for (let i = 0; i < 8; i++) {
    const email = `known${i}@example.org`;
    const res = await fetch(`${s.url}/api/people`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Known ${i}`, email }) });
    expect(res.status).toBe(201);
    known.push(email);
  }
  const b = new Browser(s.url);
  await b.get('/sign-in');
  // From a different client address each (the per-IP limit is not what is measured here).
  let ip = 0;
  const time = async (email: string) => {
    const t0 = performance.now();
    const res = await fetch(`${s.url}/sign-in`, {
      method: 'POST',
      headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `192.0.2.${++ip}`, accept: 'text/html' },
      body: new URLSearchParams({ email, _csrf: b.csrf }),
    });
    const html = await res.text();
    const ms = performance.now() - t0;
    expect(res.status).toBe(200);
    return { ms, html: html.replace(email, 'EMAIL') };
  };
  const k: number[] = [];
  const u: number[] = [];
  let page = '';
  for (let i = 0; i < 8; i++) {
    const a = await time(known[i]);
    const n = await time(`unknown${i}@example.org`);
    k.push(a.ms);
    u.push(n.ms);
    expect(n.html).toBe(a.html);
    page = a.html;
  }
  expect(page).toContain('Check your email');
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  expect(Math.abs(median(k) - median(u)), `known ${k.map(Math.round)} unknown ${u.map(Math.round)}`).toBeLessThan(25);
}, 60_000);

test('one address cannot be flooded with sign-in links from many IPs', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    // Each request from another client address (the app trusts X-Forwarded-For from loopback, as behind a proxy).
    const b = new Browser(s.url);
    await b.get('/sign-in');
    const res = await fetch(`${s.url}/sign-in`, {
      method: 'POST',
      headers: { cookie: b.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i + 1}`, accept: 'application/json' },
      body: new URLSearchParams({ email: 'victim@example.org', _csrf: b.csrf }),
    });
    statuses.push(res.status);
    if (res.status === 429) expect((await res.json()).error.message).toMatch(/this address/);
  }
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses.slice(5)).toEqual([429, 429, 429]);
}, 60_000);

test('Basic auth of a proxy in front of the site does not bounce a signed-in page to sign-in', async () => {
  const admin = await s.admin();
  const basic = { cookie: admin.cookieHeader(), authorization: `Basic ${Buffer.from('proxy:pw').toString('base64')}`, accept: 'text/html' };
  expect((await fetch(`${s.url}/actions`, { headers: basic, redirect: 'manual' })).status).toBe(200);
  // A wrong Bearer token is still refused.
  const bad = await fetch(`${s.url}/api/actions`, { headers: { authorization: 'Bearer nope' } });
  expect(bad.status).toBe(401);
});

test('a missing asset is 404, a malformed URL 400, a non-Latin-1 calendar name 404: no 500, no stack', async () => {
  const asset = await fetch(`${s.url}/assets/nope.css`, { headers: { accept: 'application/json' } });
  expect(asset.status).toBe(404);
  const assetBody = await asset.text();
  expect(JSON.parse(assetBody).error.code).toBe('not-found');
  noStack(assetBody);
  const html = await fetch(`${s.url}/assets/../../package.json`);
  expect(html.status).toBe(404);
  noStack(await html.text());

  const bad = await fetch(`${s.url}/meetings/%E0%A4%A`, { headers: { accept: 'application/json' } });
  expect(bad.status).toBe(400);
  noStack(await bad.text());

  const cal = await fetch(`${s.url}/series/${encodeURIComponent('東京 call')}/calendar.ics`, { headers: { accept: 'application/json' } });
  expect(cal.status).toBe(404);
  const calBody = await cal.text();
  expect(JSON.parse(calBody).error.message).toContain('東京 call');
  noStack(calBody);
});

test('under an https base URL the flash cookie is Secure, like the session cookie', async () => {
  const https = await startServerProcess({ MINUTES_BASE_URL: 'https://minutes.example.org' });
  try {
    const link = /one-time link[^\n]*\n\s+(\S+)/.exec(https.output())![1];
    const b = new Browser(https.url);
    const path = new URL(link).pathname;
    await b.get(path);
    const { res } = await b.post(path, { name: 'Ada', email: 'ada@example.org' });
    expect(res.status).toBe(303);
    const cookies = res.headers.getSetCookie();
    const flash = cookies.find((c) => c.startsWith('minutes_flash='));
    const session = cookies.find((c) => c.startsWith('minutes_session='));
    expect(session).toMatch(/; Secure/);
    expect(flash).toMatch(/; Secure/);
  } finally {
    await https.stop();
  }
});
