/**
 * Threat: behind a reverse proxy on the same host, anyone reads `/dev/mail` (sign-in links
 * included) because it checked the socket address while the app trusts the proxy's
 * `X-Forwarded-For` (issue 11.3). Now "on this machine" is the address the app trusts, no
 * forwarding headers, and a server listening on loopback only; else admins only.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';

let s: ServerProcess;
beforeAll(async () => {
  s = await startServerProcess();
});
afterAll(async () => {
  await s.stop();
});

test('a request through a proxy on the same host (X-Forwarded-For) cannot read captured mail', async () => {
  // Somebody asks for the admin's sign-in link, then reads it through the proxy.
  const b = await fetch(`${s.url}/sign-in`);
  expect(b.status).toBe(200);
  expect((await fetch(`${s.url}/dev/mail`, { headers: { 'x-forwarded-for': '203.0.113.7' }, redirect: 'manual' })).status).toBe(403);
  // A client that claims to be local through a proxy that passes its header on.
  expect((await fetch(`${s.url}/dev/mail`, { headers: { 'x-forwarded-for': '127.0.0.1' }, redirect: 'manual' })).status).toBe(403);
  expect((await fetch(`${s.url}/dev/mail`, { headers: { forwarded: 'for=127.0.0.1' }, redirect: 'manual' })).status).toBe(403);
  // At the machine itself, with nothing forwarded: readable (the development mailbox).
  expect((await fetch(`${s.url}/dev/mail`)).status).toBe(200);
  // An admin reads it from anywhere.
  const admin = await s.admin();
  const res = await fetch(`${s.url}/dev/mail`, { headers: { 'x-forwarded-for': '203.0.113.7', cookie: admin.cookieHeader() } });
  expect(res.status).toBe(200);
});

test('a server listening on every interface shows captured mail to admins only, even to loopback', async () => {
  const open = await startServerProcess({ HOST: '0.0.0.0' });
  try {
    const res = await fetch(`${open.url}/dev/mail`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/only to an admin/);
    const admin = await open.admin();
    expect((await admin.get('/dev/mail')).res.status).toBe(200);
  } finally {
    await open.stop();
  }
});
