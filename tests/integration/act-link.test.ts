import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestWorld } from '../helpers/env.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { movableClock, seeder } from '../helpers/reminder-seed.js';
import { startTestServer, type TestServer } from './http-support.js';

describe('signed links from reminder emails, over real HTTP', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let world: TestWorld;
  let clock: ReturnType<typeof movableClock>;
  let origin: string;
  let ids: { ross: number; james: number; doc: number; tboot: number; jamesOnly: number };

  beforeEach(async () => {
    sink = await startSmtpSink();
    clock = movableClock('2026-11-23T09:00:00Z');
    server = await startTestServer({ clock, env: { SMTP_URL: sink.url, MINUTES_BASE_URL: 'https://minutes.example.org' } });
    ({ world, url: origin } = server);
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    const james = await s.person('James McKenzie', { email: 'james@example.org' });
    const series = await s.series('openxt', 'OpenXT Community Call');
    const m = await s.meeting(series, '2026-11-05');
    ids = {
      ross,
      james,
      doc: await s.action({ meetingId: m, text: 'write a doc for upstream', owners: [ross], due: '2026-11-10' }),
      tboot: await s.action({ meetingId: m, text: 'check tboot with UEFI', owners: [ross] }),
      jamesOnly: await s.action({ meetingId: m, text: 'james alone', owners: [james] }),
    };
  });
  afterEach(async () => {
    await server.close();
    await sink.close();
  });

  /** The links of Ross's digest, pointed at the test server. */
  async function rossLinks() {
    await world.services.reminders.run();
    const mail = sink.received.find((m) => m.to.includes('ross@example.org'))!;
    return [...mail.text.matchAll(/https:\/\/minutes\.example\.org(\/act\/\S+)/g)].map((x) => origin + x[1]);
  }
  const get = (url: string) => fetch(url, { headers: { accept: 'text/html' } });
  const post = (url: string, op?: string) =>
    fetch(url.replace(/\?.*$/, ''), {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: op ? `op=${op}` : '',
      redirect: 'manual',
    });

  it('GET shows a confirmation page and changes nothing; POST closes, recorded as the person by email', async () => {
    const [docDone] = await rossLinks();
    expect(docDone).toMatch(/\?do=done$/);
    const page = await get(docDone);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Mark this action done?');
    expect(html).toContain('write a doc for upstream');
    expect(html).toContain('Acting as <strong>Ross Philipson</strong>');
    expect(html).toMatch(/<form method="post" action="\/act\/[\w.-]+"/);
    expect((await world.services.actions.get(ids.doc)).status).toBe('open');

    const done = await post(docDone, 'done');
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Marked done');
    const action = await world.services.actions.get(ids.doc);
    expect(action.status).toBe('done');
    const closed = action.events.find((e) => e.kind === 'closed')!;
    expect(closed.actor).toMatchObject({ personId: ids.ross, label: 'Ross Philipson', source: 'email' });
    expect(closed.at).toBe('2026-11-23T09:00:00.000Z');

    // A second POST (double click, or the other link) is harmless.
    const again = await post(docDone, 'done');
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Nothing changed');

    // The next digest reflects it.
    clock.set('2026-11-30T09:00:00Z');
    sink.received.length = 0;
    await world.services.reminders.run();
    const next = sink.received.find((m) => m.to.includes('ross@example.org'))!;
    expect(next.text).not.toContain('write a doc for upstream');
    expect(next.text).toContain('check tboot with UEFI');
  });

  it('the snooze link snoozes a week, and the action leaves the digests until then', async () => {
    const links = await rossLinks();
    const tbootSnooze = links.find((l, i) => i === 3 && l.endsWith('?do=snooze'))!;
    const page = await get(tbootSnooze);
    expect(await page.text()).toContain('Snooze this action?');
    const res = await post(tbootSnooze, 'snooze');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('No reminders about this action until <strong>2026-11-30</strong>');
    const a = await world.services.actions.get(ids.tboot);
    expect(a.snoozedUntil).toBe('2026-11-30');
    expect(a.events.find((e) => e.kind === 'snoozed')!.actor.source).toBe('email');
  });

  it('an expired link gets a clear 410 page and changes nothing', async () => {
    const [docDone] = await rossLinks();
    clock.set('2026-12-24T09:00:00Z');
    const page = await get(docDone);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link has expired');
    const res = await post(docDone, 'done');
    expect(res.status).toBe(410);
    expect((await world.services.actions.get(ids.doc)).status).toBe('open');
  });

  it('an altered link gets a clear 400 page and changes nothing', async () => {
    const [docDone] = await rossLinks();
    const token = /\/act\/([^?]+)/.exec(docDone)![1];
    // Point the payload at another action, keeping the signature.
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/^a\.\d+\./, `a.${ids.jamesOnly}.`)).toString('base64url');
    for (const bad of [`${forged}.${sig}`, token.slice(0, -2), `${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'Q' : 'A'}`]) {
      const page = await get(`${origin}/act/${bad}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('This link cannot be used');
      expect((await post(`${origin}/act/${bad}`, 'done')).status).toBe(400);
    }
    expect((await world.services.actions.get(ids.jamesOnly)).status).toBe('open');
    expect((await world.services.actions.get(ids.doc)).status).toBe('open');
  });

  it('a link for an action the person does not own, or one that is gone, is refused', async () => {
    const wrong = world.services.linkTokens.signAction(ids.jamesOnly, ids.ross);
    const page = await get(`${origin}/act/${wrong}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('no longer an owner');
    expect((await post(`${origin}/act/${wrong}`, 'done')).status).toBe(403);
    expect((await world.services.actions.get(ids.jamesOnly)).status).toBe('open');

    const gone = world.services.linkTokens.signAction(99999, ids.ross);
    const res = await get(`${origin}/act/${gone}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no longer exists');
  });

  it('a POST without a valid choice is a 400 and changes nothing', async () => {
    const [docDone] = await rossLinks();
    const res = await post(docDone);
    expect(res.status).toBe(400);
    const bogus = await post(docDone, 'delete');
    expect(bogus.status).toBe(400);
    expect((await world.services.actions.get(ids.doc)).status).toBe('open');
  });
});
