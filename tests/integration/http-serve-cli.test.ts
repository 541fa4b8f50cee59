import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { repoRoot, runCli, tempDataDir } from '../helpers/env.js';
import { dataDirEnv } from '../helpers/data-dir-database.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** Starts `minutes serve` on a free port; resolves once it prints its address. */
function serve(dataDir: string, database: Record<string, string>) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', dataDir, 'serve'], {
    env: { ...process.env, PORT: '0', MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789', SMTP_URL: '', ...database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<{ url: string; output: () => string }>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && /\n/.test(out.slice(out.indexOf(m[0])))) setTimeout(() => resolve({ url: m[1], output: () => out }), 100);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited };
}

test('minutes serve: first start prints a one-time admin link; SIGTERM stops cleanly', async () => {
  const d = tempDataDir();
  dirs.push(d);
  const { child, ready, exited } = serve(d.dir, await dataDirEnv(d.dir));
  const { url, output } = await ready;
  expect((await (await fetch(`${url}/healthz`)).json())).toEqual({ ok: true });
  const link = /one-time link[^\n]*\n\s+(\S+)/.exec(output())![1];
  const path = new URL(link).pathname;
  const page = await fetch(url + path);
  expect(await page.text()).toContain('Create the first admin');
  // Pages redirect to sign-in; the stylesheet is served.
  expect((await fetch(`${url}/actions`, { redirect: 'manual' })).status).toBe(303);
  expect((await fetch(`${url}/assets/app.css`)).status).toBe(200);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output()).not.toContain('test-secret');
}, 30_000);

test('minutes token create prints a token once that the API accepts; bad role is a one-line error', async () => {
  const d = tempDataDir();
  dirs.push(d);
  const made = await runCli(['token', 'create', '--role', 'notetaker', '--name', 'ci'], { dataDir: d.dir });
  expect(made.code).toBe(0);
  const token = made.stdout.trim();
  expect(token).toMatch(/^mnt_[A-Za-z0-9_-]{40,}$/);
  expect(made.stderr).toContain('not shown again');
  const listed = await runCli(['token', 'list'], { dataDir: d.dir });
  expect(listed.stdout).toContain('notetaker');
  expect(listed.stdout).not.toContain(token);

  const { child, ready, exited } = serve(d.dir, await dataDirEnv(d.dir));
  const { url, output } = await ready;
  const res = await fetch(`${url}/api/actions`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  // An admin exists? No: the token is not a person, so the first-start link is still printed.
  expect(output()).toContain('one-time link');
  child.kill('SIGTERM');
  await exited;

  const nobody = await runCli(['token', 'create', '--role', 'member', '--person', 'Nobody Here'], { dataDir: d.dir });
  expect(nobody.code).toBe(1);
  expect(nobody.stderr).toContain("no person named 'Nobody Here'");

  const bad = await runCli(['token', 'create', '--role', 'root'], { dataDir: d.dir });
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  expect(bad.stderr).toContain('--role must be admin, notetaker or member');
}, 30_000);
