import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/clock.js';
import { sharedDir } from '../helpers/env.js';
import { startTestServer, type TestServer } from './http-support.js';

// The agenda over real HTTP: the API (Markdown and JSON), proposing items (API and the page's
// form with its CSRF token), the page itself, downloads and the calendar.

let t: TestServer;
// Response bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

beforeAll(async () => {
  t = await startTestServer({ clock: fixedClock('2016-12-20T12:00:00Z') });
  const s = t.world.services;
  await s.series.upsert({ slug: 'openxt', name: 'OpenXT Community Call', cadence: 'FREQ=MONTHLY;BYDAY=3TH', standingItems: ['Release status'] });
  await s.imports.importText(readFileSync(join(sharedDir, 'examples/openxt-2016-12-15.md'), 'utf8'), { series: 'openxt', source: 'cli' });
});
afterAll(() => t.close());

describe('GET /api/agenda', () => {
  it('answers Markdown by default', async () => {
    const res = await t.api('member', '/api/agenda?series=openxt');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const md = await res.text();
    expect(md).toContain('# Agenda: OpenXT Community Call, Thursday, 19 January 2017');
    expect(md).toContain('## Open actions (6)');
    expect(md).toContain('1. Release status');
  });

  it('answers JSON with Accept: application/json, with stable field names', async () => {
    const res = await t.api('member', '/api/agenda?series=openxt&date=2017-01-19', { headers: { accept: 'application/json' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(Object.keys(body)).toEqual([
      'series', 'date', 'dateSource', 'title', 'lastMeeting', 'standingItems', 'openActions', 'closedActions',
      'decisions', 'deferredTopics', 'proposedItems', 'ownerProblems', 'counts',
    ]);
    expect(body).toMatchObject({ date: '2017-01-19', dateSource: 'given', counts: { openActions: 6 } });
    expect(Object.keys(body.openActions[0].actions[0])).toEqual([
      'id', 'text', 'owners', 'originMeeting', 'ageDays', 'due', 'overdue', 'carriedCount', 'stale', 'snoozedUntil', 'url',
    ]);
  });

  it('rejects bad queries in the one error shape', async () => {
    let res = await t.api('member', '/api/agenda');
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: 'bad-input', message: expect.stringContaining('series') } });
    res = await t.api('member', '/api/agenda?series=openxt&date=19-01-2017');
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toMatch(/date: must be a date YYYY-MM-DD/);
    res = await t.api('member', '/api/agenda?series=nope');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('series-not-found');
    res = await t.api(null, '/api/agenda?series=openxt');
    expect(res.status).toBe(401);
  });
});

describe('POST /api/series/:slug/agenda-items', () => {
  it('stores an item for the next meeting and shows it on the agenda', async () => {
    const res = await t.api('member', '/api/series/openxt/agenda-items', { method: 'POST', json: { text: 'Release manager for 7.0' } });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ text: 'Release manager for 7.0', meetingDate: '2017-01-19', proposedBy: 'test member' });
    const md = await (await t.api('member', '/api/agenda?series=openxt')).text();
    expect(md).toContain('- Release manager for 7.0 · proposed by test member');
  });

  it('validates the body and names the field', async () => {
    for (const [payload, message] of [
      [{}, /^text: /],
      [{ text: '   ' }, /^text: is required/],
      [{ text: 'x'.repeat(501) }, /^text: must be at most 500/],
      [{ text: 'ok', date: 'soon' }, /^date: /],
    ] as const) {
      const res = await t.api('member', '/api/series/openxt/agenda-items', { method: 'POST', json: payload });
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.error.code).toBe('bad-input');
      expect(body.error.message).toMatch(message);
    }
    let res = await t.api('member', '/api/series/openxt/agenda-items', { method: 'POST', json: { text: 'late', date: '2016-12-15' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('meeting-past');
    res = await t.api('member', '/api/series/nope/agenda-items', { method: 'POST', json: { text: 'x' } });
    expect(res.status).toBe(404);
    res = await t.api(null, '/api/series/openxt/agenda-items', { method: 'POST', json: { text: 'x' } });
    expect(res.status).toBe(401);
  });
});

describe('agenda page', () => {
  it('shows the agenda with copy and download buttons, and takes a proposed item through its form', async () => {
    const { browser } = await t.personWithRole('member', 'Olivia Member', 'olivia@example.org');
    const page = await browser.get('/series/openxt/agenda');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('<h2>Open actions (6)</h2>');
    expect(page.html).toContain('id="copy-agenda"');
    expect(page.html).toContain('href="/series/openxt/agenda.md?date=2017-01-19"');
    expect(page.html).toContain('<textarea id="agenda-markdown"');
    expect(page.html).toContain('src="/assets/agenda.js"');

    const posted = await browser.post('/series/openxt/agenda-items', { text: 'meta-virtualization review', date: '2017-01-19' });
    expect(posted.res.status).toBe(303);
    expect(posted.res.headers.get('location')).toBe('/series/openxt/agenda?date=2017-01-19');
    const after = await browser.get('/series/openxt/agenda?date=2017-01-19');
    expect(after.html).toContain('meta-virtualization review · proposed by Olivia Member');
    expect(after.html).toContain('Added to the agenda of 2017-01-19.');

    // Without the page's CSRF token the form is refused and nothing is stored.
    const forged = await browser.post('/series/openxt/agenda-items', { text: 'forged' }, { csrf: null });
    expect(forged.res.status).toBe(403);
    expect((await browser.get('/series/openxt/agenda')).html).not.toContain('forged');

    const index = await browser.get('/agenda');
    expect(index.html).toContain('href="/series/openxt/agenda"');
    expect(index.html).toContain('2017-01-19');
  });

  it('serves the Markdown and the minutes skeleton as downloads, and the copy script', async () => {
    let res = await t.api('member', '/series/openxt/agenda.md?date=2017-01-19');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="agenda-openxt-2017-01-19.md"');
    expect(await res.text()).toContain('## Open actions (6)');
    res = await t.api('member', '/series/openxt/skeleton.md');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="minutes-openxt-2017-01-19.md"');
    expect(await res.text()).toContain('ACTION: Christopher Clark and Eric Chanudet to work on a plan and PR.');
    res = await fetch(t.url + '/assets/agenda.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('navigator.clipboard');
  });

  it('asks members to sign in', async () => {
    const res = await fetch(t.url + '/series/openxt/agenda', { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([302, 303, 401]).toContain(res.status);
  });
});

describe('GET /series/:slug/calendar.ics', () => {
  it('serves the calendar without sign-in, for calendar apps', async () => {
    const res = await fetch(t.url + '/series/openxt/calendar.ics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await res.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('DTSTART;VALUE=DATE:20170119\r\n');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(12);
    expect((await fetch(t.url + '/series/nope/calendar.ics')).status).toBe(404);
  });
});

describe('sending from the API and the page', () => {
  it('sends once per meeting, for notetakers only', async () => {
    await t.world.services.series.upsert({ slug: 'openxt', listEmail: 'openxt@lists.example.org' });
    let res = await t.api('member', '/api/series/openxt/agenda/send', { method: 'POST' });
    expect(res.status).toBe(403);
    res = await t.api('notetaker', '/api/series/openxt/agenda/send?date=2017-02-16', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ status: 'queued', to: 'openxt@lists.example.org', date: '2017-02-16' });
    res = await t.api('notetaker', '/api/series/openxt/agenda/send?date=2017-02-16', { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('already-sent');

    const { browser } = await t.personWithRole('notetaker', 'Nora Notetaker', 'nora@example.org');
    const page = await browser.get('/series/openxt/agenda');
    expect(page.html).toContain('Send to openxt@lists.example.org');
    const sent = await browser.post('/series/openxt/agenda/send', { date: '2017-01-19' });
    expect(sent.res.status).toBe(303);
    const after = await browser.get('/series/openxt/agenda?date=2017-01-19');
    expect(after.html).toContain('Agenda sent to openxt@lists.example.org.');
    expect(after.html).toContain('Sent to openxt@lists.example.org on');
    expect(after.html).not.toContain('Send to openxt@lists.example.org');
  });
});
