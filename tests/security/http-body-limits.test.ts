/**
 * Threat: one anonymous request takes the server down by sending a huge body (issue 11.1):
 * multipart forms used to be read into memory before sign-in and CSRF checks, on any route.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';

let s: ServerProcess;
beforeAll(async () => {
  s = await startServerProcess();
});
afterAll(async () => {
  await s.stop();
});

/** Streams a `mb` MB multipart body to `path`; resolves with the status (or the socket error) and how long the answer took. */
function streamMultipart(path: string, mb: number, headers: Record<string, string> = {}): Promise<{ status: number | string; ms: number; body: string }> {
  const boundary = 'x'.repeat(20);
  const u = new URL(s.url + path);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(mb * 1024 * 1024), ...headers },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (b) => (body += b));
      res.on('end', () => {
        resolve({ status: res.statusCode!, ms: performance.now() - t0, body });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) resolve({ status: (err as NodeJS.ErrnoException).code ?? 'error', ms: performance.now() - t0, body: '' });
    });
    // Many 1 MB fields, written as fast as the server takes them.
    const chunk = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n${'a'.repeat(1024 * 1024 - 100)}\r\n`);
    let sent = 0;
    const pump = () => {
      while (!answered && sent < mb * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

test('a 300 MB anonymous multipart POST to /sign-in is refused unread; memory stays flat', async () => {
  const before = s.rssMb();
  const r = await streamMultipart('/sign-in', 300);
  // 403 (no CSRF token: the body is never parsed) or the socket closed under our writes.
  expect([403, 'EPIPE', 'ECONNRESET']).toContain(r.status);
  expect(r.ms).toBeLessThan(5000);
  expect(s.rssMb() - before).toBeLessThan(60);
  expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
}, 60_000);

test('POST /api/meetings: a multipart body over the total limit is 413 in the error shape, before it is read', async () => {
  const token = await s.token('notetaker');
  const r = await streamMultipart('/api/meetings', 50, { authorization: `Bearer ${token}` });
  expect(r.status).toBe(413);
  expect(JSON.parse(r.body).error).toMatchObject({ code: 'payload-too-large', details: { limitBytes: 4.5 * 1024 * 1024 } });
  expect(r.ms).toBeLessThan(5000);
}, 60_000);

test('POST /api/meetings: too many fields is 413 naming the limit; a file over 2 MB is 413', async () => {
  const token = await s.token('notetaker');
  const many = new FormData();
  for (let i = 0; i < 2100; i++) many.append(`f${i}`, 'x');
  const res = await fetch(`${s.url}/api/meetings`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: many });
  expect(res.status).toBe(413);
  const body = await res.json();
  expect(body.error.code).toBe('payload-too-large');
  expect(body.error.message).toMatch(/too many fields/i);

  const big = new FormData();
  big.set('file', new Blob(['# Minutes\n' + 'x'.repeat(2 * 1024 * 1024 + 10)], { type: 'text/markdown' }), 'big.md');
  const res2 = await fetch(`${s.url}/api/meetings`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: big });
  expect(res2.status).toBe(413);
  expect((await res2.json()).error.code).toBe('payload-too-large');
});

test('the upload page: a form with too many fields comes back as the form with the reason (413)', async () => {
  const admin = await s.admin();
  await admin.get('/upload');
  const form = new FormData();
  form.set('text', '# Call\n\n- ACTION: @ada write it');
  for (let i = 0; i < 2100; i++) form.append(`owner.${i}.0`, 'x');
  const { res, html } = await admin.post('/upload', form);
  expect(res.status).toBe(413);
  expect(html).toContain('Upload minutes');
  expect(html).toMatch(/too many fields/i);
});

test('the upload page without a CSRF token is refused after the bounded read; anonymous is sent to sign in', async () => {
  const admin = await s.admin();
  const form = new FormData();
  form.set('text', '# Call');
  const { res } = await admin.post('/upload', form, { csrf: null });
  expect(res.status).toBe(403);
  const anon = await fetch(`${s.url}/upload`, { method: 'POST', body: form, headers: { accept: 'text/html' }, redirect: 'manual' });
  expect(anon.status).toBe(401);
});

test('multipart to any other route is never parsed: a form field cannot carry the CSRF token there', async () => {
  const admin = await s.admin();
  await admin.get('/tokens');
  const form = new FormData();
  form.set('role', 'admin');
  const { res } = await admin.post('/tokens', form);
  expect(res.status).toBe(403);
});

test('a multipart body with parts after its closing boundary is answered 400, not left waiting (multer #719)', async () => {
  const token = await s.token('notetaker');
  const B = '--stallBoundary';
  const file = (value: string) => `${B}\r\nContent-Disposition: form-data; name="file"; filename="m.md"\r\nContent-Type: text/markdown\r\n\r\n${value}\r\n`;
  // Found by the fuzz property: multer 2.5 never called back for it, so the request hung.
  const body = `${B}--\r\n` + file('x') + file('y');
  for (const path of ['/api/meetings', '/upload']) {
    const t0 = performance.now();
    const res = await fetch(s.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=stallBoundary', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    expect([path, res.status]).toEqual([path, 400]);
    expect(await res.text()).toMatch(/malformed/);
    expect(performance.now() - t0).toBeLessThan(5000);
  }
  expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
}, 30_000);
