import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openWorld, type TestWorld } from '../helpers/env.js';
import { seeder } from '../helpers/reminder-seed.js';
import { createApp } from '../../server/app.js';
import { fixedClock } from '../../server/clock.js';

/** Without SMTP_URL mail is captured to data/outbox and shown at /dev/mail. */
describe('/dev/mail (no SMTP_URL)', () => {
  let world: TestWorld;
  let server: Server;
  let origin: string;

  beforeEach(async () => {
    world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: '' } });
    server = createApp(world.services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    world.close();
  });

  const get = async (path: string) => {
    const res = await fetch(origin + path, { headers: { accept: 'text/html' } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', body: await res.text() };
  };

  it('lists captured messages with text, HTML and raw views', async () => {
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    await s.action({ meetingId: await s.meeting(await s.series('x', 'X Call'), '2026-11-05'), text: 'write <the> doc & test', owners: [ross] });
    const r = await world.services.reminders.run();
    expect(r.delivery).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(world.services.mailer.kind).toBe('file');

    const list = await get('/dev/mail');
    expect(list.status).toBe(200);
    expect(list.body).toContain('ross@example.org');
    const file = /href="\/dev\/mail\/(\d+\.eml)"/.exec(list.body)![1];
    expect(list.body).toContain('1 open action - reminder from Minutes');

    const one = await get(`/dev/mail/${file}`);
    expect(one.status).toBe(200);
    // The text twin, escaped once on the page.
    expect(one.body).toContain('1. write &lt;the&gt; doc &amp; test');
    const html = await get(`/dev/mail/${file}/html`);
    expect(html.status).toBe(200);
    expect(html.csp).toContain("default-src 'none'");
    expect(html.body).toContain('<strong>write &lt;the&gt; doc &amp; test</strong>');
    const raw = await get(`/dev/mail/${file}/raw`);
    expect(raw.type).toContain('text/plain');
    expect(raw.body).toMatch(/^Message-ID: <[0-9a-f-]+@localhost>$/m);

    expect((await get('/dev/mail/..%2Fminutes.db')).status).toBe(400);
    expect((await get('/dev/mail/00009999.eml')).status).toBe(404);
  });

  it('previews every email template with its sample data', async () => {
    const page = await get('/dev/mail/templates');
    for (const name of ['digest', 'escalation', 'sign-in', 'agenda']) expect(page.body).toContain(`/dev/mail/templates/${name}`);
    const names = world.services.emailTemplates.names();
    expect(names).toEqual(expect.arrayContaining(['digest', 'escalation', 'sign-in', 'agenda']));
    for (const name of names) {
      const text = await get(`/dev/mail/templates/${name}`);
      expect(text.status, name).toBe(200);
      const html = await get(`/dev/mail/templates/${name}/html`);
      expect(html.status, name).toBe(200);
      expect(html.body, name).toContain('<!doctype html>');
    }
    expect((await get('/dev/mail/templates/digest')).body).toContain('write a doc so that Rich can start');
    expect((await get('/dev/mail/templates/nope')).status).toBe(404);
  });
});

describe('/dev/mail with SMTP_URL set', () => {
  it('is not mounted', async () => {
    const world = openWorld({ env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    const server = createApp(world.services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/mail`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    await new Promise((r) => server.close(r));
    world.services.mailer.close();
    world.close();
  });
});
