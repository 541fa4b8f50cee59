/**
 * Series on the web and the API, the series calendar with its time of day, and the decision
 * register (JSON pages with a keyset cursor, CSV, the page): real app, real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import ICAL from 'ical.js';
import { startTestServer, type TestServer } from './http-support.js';
import { fixedClock } from '../../server/clock.js';

let s: TestServer;
const md = (body: string) => ({ method: 'POST', body, headers: { 'content-type': 'text/markdown' } });

const minutes = (date: string, decisions: string[]) => `# Community call ${date}

## Attendees

- Ada Lovelace
- Grace Hopper

## Release

${decisions.map((d) => `DECISION: ${d}`).join('\n\n')}
`;

beforeAll(async () => {
  // 2026-03-20: the next calls of a Thursday series straddle Europe/London's change to summer time (29 March).
  s = await startTestServer({ clock: fixedClock('2026-03-20T12:00:00Z') });
});
afterAll(async () => {
  await s?.close();
});

describe('series API', () => {
  test('create, read, update; members read only; refusals name the field', async () => {
    const created = await s.api('notetaker', '/api/series', {
      method: 'POST',
      json: { slug: 'xen-call', name: 'Xen call', cadence: 'FREQ=WEEKLY;BYDAY=TH', timezone: 'Europe/London', timeOfDay: '16:00', chair: 'Ada Lovelace', listEmail: 'xen@lists.example.org', standingItems: ['Round table'] },
    });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ slug: 'xen-call', name: 'Xen call', timeOfDay: '16:00', timezone: 'Europe/London', chair: { name: 'Ada Lovelace' }, standingItems: ['Round table'] });

    const again = await s.api('notetaker', '/api/series', { method: 'POST', json: { slug: 'xen-call', name: 'Other' } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('series-exists');

    expect((await s.api('member', '/api/series', { method: 'POST', json: { slug: 'm', name: 'M' } })).status).toBe(403);
    expect((await s.api('member', '/api/series/xen-call', { method: 'PATCH', json: { name: 'M' } })).status).toBe(403);

    const badTime = await s.api('notetaker', '/api/series/xen-call', { method: 'PATCH', json: { timeOfDay: '25:00' } });
    expect(badTime.status).toBe(400);
    expect((await badTime.json()).error).toMatchObject({ code: 'bad-time' });
    const badZone = await s.api('notetaker', '/api/series/xen-call', { method: 'PATCH', json: { timezone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(400);
    expect((await badZone.json()).error.code).toBe('bad-timezone');
    // Nothing of the refused changes was stored.
    const read = await (await s.api('member', '/api/series/xen-call')).json();
    expect(read).toMatchObject({ timeOfDay: '16:00', timezone: 'Europe/London', name: 'Xen call' });

    const patched = await s.api('notetaker', '/api/series/xen-call', { method: 'PATCH', json: { name: 'Xen community call' } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: 'Xen community call', timeOfDay: '16:00', cadence: 'FREQ=WEEKLY;BYDAY=TH' });
    const list = await (await s.api('member', '/api/series')).json();
    expect(list.series.map((x: { slug: string }) => x.slug)).toContain('xen-call');
    expect((await s.api('member', '/api/series/nope')).status).toBe(404);
  });

  test('the calendar has timed events in the series zone, right across the change to summer time', async () => {
    const res = await fetch(`${s.url}/series/xen-call/calendar.ics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const comp = new ICAL.Component(ICAL.parse(text));
    const vtz = comp.getFirstSubcomponent('vtimezone');
    expect(vtz?.getFirstPropertyValue('tzid')).toBe('Europe/London');
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz!));
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.length).toBe(12);
    const starts = events.map((e) => e.startDate.toJSDate().toISOString());
    // 16:00 London: GMT (UTC+0) on 26 March, BST (UTC+1) from 2 April.
    expect(starts.slice(0, 3)).toEqual(['2026-03-26T16:00:00.000Z', '2026-04-02T15:00:00.000Z', '2026-04-09T15:00:00.000Z']);
    expect(events[0].endDate.toJSDate().getTime() - events[0].startDate.toJSDate().getTime()).toBe(3_600_000);
  });

  test('without a time of day the calendar stays all-day', async () => {
    await s.api('notetaker', '/api/series/xen-call', { method: 'PATCH', json: { timeOfDay: null } });
    const text = await (await fetch(`${s.url}/series/xen-call/calendar.ics`)).text();
    const comp = new ICAL.Component(ICAL.parse(text));
    const first = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(first.startDate.isDate).toBe(true);
    expect(first.startDate.toString()).toBe('2026-03-26');
    expect(comp.getFirstSubcomponent('vtimezone')).toBeNull();
    await s.api('notetaker', '/api/series/xen-call', { method: 'PATCH', json: { timeOfDay: '16:00' } });
  });
});

describe('series pages', () => {
  test('a note-taker creates a series from the form; a refused form keeps what was typed', async () => {
    const { browser } = await s.personWithRole('notetaker', 'Nina Notes', 'nina@example.org');
    const form = await browser.get('/series/new');
    expect(form.res.status).toBe(200);
    expect(form.html).toContain('<option value="Europe/London">');
    const bad = await browser.post('/series', {
      slug: 'board', name: 'Board call', pattern: 'monthly-nth', nth: '2', weekday: 'TU', rrule: '', time: '9am', timezone: 'Europe/Berlin', chair: '', list: 'not-an-address', standing: 'Budget\nHiring',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toMatch(/id="err-time"[^>]*>time of day &#39;9am&#39; must be HH:MM/);
    // Every refused field is marked at once, not only the first.
    expect(bad.html).toMatch(/id="err-list"[^>]*>list address &#39;not-an-address&#39; is not an email address/);
    expect(bad.html).toContain('value="Board call"');
    expect(bad.html).toContain('value="9am"');
    expect(bad.html).toContain('Budget\nHiring</textarea>');
    expect((await s.api('member', '/api/series/board')).status).toBe(404);

    const ok = await browser.post('/series', {
      slug: 'board', name: 'Board call', pattern: 'monthly-nth', nth: '2', weekday: 'TU', rrule: '', time: '09:30', timezone: 'Europe/Berlin', chair: 'Grace Hopper', list: 'board@example.org', standing: 'Budget\nHiring\n',
    });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe('/series/board');
    const stored = await (await s.api('member', '/api/series/board')).json();
    expect(stored).toMatchObject({ cadence: 'FREQ=MONTHLY;BYDAY=2TU', timeOfDay: '09:30', timezone: 'Europe/Berlin', chair: { name: 'Grace Hopper' }, listEmail: 'board@example.org', standingItems: ['Budget', 'Hiring'] });

    const page = await browser.get('/series/board');
    // The next three calls: 2nd Tuesdays after 20 March 2026.
    expect(page.html).toMatch(/2026-04-14[\s\S]*2026-05-12[\s\S]*2026-06-09/);
    expect(page.html).toContain('<option value="monthly-nth" selected>');

    // Editing: remove a standing item, switch to the last Friday.
    const edit = await browser.post('/series/board', { name: 'Board call', pattern: 'monthly-last', nth: '1', weekday: 'FR', rrule: '', time: '09:30', timezone: 'Europe/Berlin', chair: 'Grace Hopper', list: 'board@example.org', standing: 'Budget' });
    expect(edit.res.status).toBe(303);
    expect(await (await s.api('member', '/api/series/board')).json()).toMatchObject({ cadence: 'FREQ=MONTHLY;BYDAY=-1FR', standingItems: ['Budget'] });

    const index = await browser.get('/agenda');
    expect(index.html).toContain('href="/series/board"');
  });

  test('members see a series but get no form, and cannot post one', async () => {
    const { browser } = await s.personWithRole('member', 'Mo Member');
    const page = await browser.get('/series/board');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('monthly on the last Friday');
    expect(page.html).not.toContain('name="pattern"');
    expect((await browser.get('/series/new')).res.status).toBe(403);
    const post = await browser.post('/series/board', { name: 'Hijacked' });
    expect(post.res.status).toBe(403);
    expect((await (await s.api('member', '/api/series/board')).json()).name).toBe('Board call');
  });
});

describe('decision register', () => {
  beforeAll(async () => {
    for (const [date, ds] of [
      ['2026-01-08', ['adopt the release checklist', 'move the call to Thursdays']],
      ['2026-02-12', ['ship 7.1 in March, with "quotes", and commas']],
      ['2026-03-12', ['drop 32-bit builds', 'keep the wiki\nread-only']],
    ] as const) {
      const res = await s.api('notetaker', '/api/meetings?series=xen-call', md(minutes(date, [...ds])));
      expect(res.status).toBe(201);
    }
    const other = await s.api('notetaker', '/api/meetings?series=board', md(minutes('2026-02-27', ['approve the budget'])));
    expect(other.status).toBe(201);
  });

  test('newest first, filtered, each linked to its line; pages by cursor', async () => {
    const all = await (await s.api('member', '/api/decisions')).json();
    expect(all.total).toBe(6);
    expect(all.decisions.map((d: { meetingDate: string }) => d.meetingDate)).toEqual(['2026-03-12', '2026-03-12', '2026-02-27', '2026-02-12', '2026-01-08', '2026-01-08']);
    expect(all.next).toBeNull();
    const first = all.decisions.find((d: { text: string }) => d.text === 'drop 32-bit builds');
    expect(first.path).toMatch(new RegExp(`^/meetings/${first.meetingId}#L${first.line}$`));
    const meetingPage = await (await s.personWithRole('member', 'Ann Anchor')).browser.get(`/meetings/${first.meetingId}`);
    expect(meetingPage.html).toContain(`id="L${first.line}"`);

    const p1 = await (await s.api('member', '/api/decisions?series=xen-call&limit=2')).json();
    expect(p1.total).toBe(5);
    expect(p1.decisions).toHaveLength(2);
    expect(p1.next).toEqual(expect.any(String));
    // A decision added meanwhile (a newer meeting) does not shift the next page.
    await s.api('notetaker', '/api/meetings?series=xen-call', md(minutes('2026-03-19', ['rename the project'])));
    const p2 = await (await s.api('member', `/api/decisions?series=xen-call&limit=2&cursor=${p1.next}`)).json();
    expect(p2.decisions.map((d: { text: string }) => d.text)).toEqual(['ship 7.1 in March, with "quotes", and commas', 'move the call to Thursdays']);
    expect(p2.total).toBe(6);

    const range = await (await s.api('member', '/api/decisions?from=2026-02-01&to=2026-02-28')).json();
    expect(range.decisions.map((d: { text: string }) => d.text).sort()).toEqual(['approve the budget', 'ship 7.1 in March, with "quotes", and commas']);
    const words = await (await s.api('member', '/api/decisions?q=32-bit')).json();
    expect(words.decisions.map((d: { text: string }) => d.text)).toEqual(['drop 32-bit builds']);
    // FTS syntax typed into the box is plain words, not an error.
    expect((await s.api('member', '/api/decisions?q=' + encodeURIComponent('budget" OR "x'))).status).toBe(200);
  });

  test('bad filters are 4xx naming the problem', async () => {
    const cases: [string, number, string][] = [
      ['from=2026-02-30', 400, 'bad-date'],
      ['from=2026-03-01&to=2026-02-01', 400, 'bad-input'],
      ['series=nope', 404, 'series-not-found'],
      ['cursor=garbage', 400, 'bad-cursor'],
      ['limit=0', 400, 'bad-input'],
      ['format=xml', 400, 'bad-input'],
    ];
    for (const [q, status, code] of cases) {
      const res = await s.api('member', `/api/decisions?${q}`);
      expect(res.status, q).toBe(status);
      expect((await res.json()).error.code, q).toBe(code);
    }
    expect((await s.api(null, '/api/decisions')).status).toBe(401);
  });

  test('CSV: RFC 4180, same filters, every row', async () => {
    const res = await s.api('member', '/api/decisions?format=csv&series=xen-call&limit=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="decisions-xen-call.csv"');
    const text = await res.text();
    expect(text.startsWith('id,meeting_date,series,meeting_title,topic,decision,line,superseded_by,url\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain(',"ship 7.1 in March, with ""quotes"", and commas",');
    expect(text).toContain(',keep the wiki read-only,');
    expect(text).not.toContain('approve the budget');
    // limit does not cut a download: header + 6 records (one has a newline inside quotes).
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(7);
  });

  test('the page lists, filters and pages, and links the CSV with the same filters', async () => {
    const { browser } = await s.personWithRole('member', 'Dee Decider');
    const page = await browser.get('/decisions?series=xen-call&limit=2');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('6 decisions');
    expect(page.html).toContain('href="/api/decisions?series=xen-call&amp;format=csv"');
    const older = /href="(\/decisions\?[^"]*cursor=[^"]+)" rel="next"/.exec(page.html);
    expect(older).not.toBeNull();
    const next = await browser.get(older![1].replaceAll('&amp;', '&'));
    expect(next.html).toContain('drop 32-bit builds');
    const bad = await browser.get('/decisions?from=2026-03-01&to=2026-02-01');
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('from (2026-03-01) is after to (2026-02-01)');
    expect(bad.html).toContain('value="2026-03-01"');
  });
});
