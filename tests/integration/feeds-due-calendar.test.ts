import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';
import { seeder } from '../helpers/reminder-seed.js';

let s: TestServer;
let seed: ReturnType<typeof seeder>;
let meetingId: number;
beforeAll(async () => {
  s = await startTestServer();
  seed = seeder(s.world.db);
  meetingId = await seed.meeting(await seed.series('community', 'Community call'), '2026-03-05');
});
afterAll(async () => {
  await s.close();
});

/** The events of an ICS text, read by ical.js (a maintained RFC 5545 parser). */
function events(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate.toString(), isDate: e.startDate.isDate, end: e.endDate.toString(), url: String(v.getFirstPropertyValue('url')) };
  });
}

describe('personal calendar of due dates', () => {
  test('made on the person page, one all-day event per open action with a due date, closed ones drop out, revocable', async () => {
    const ada = await s.personWithRole('member', 'Ada Lovelace', 'ada@example.org');
    const a1 = await seed.action({ meetingId, text: 'tag the release; write notes, too', owners: [ada.id], due: '2026-04-02' });
    const a2 = await seed.action({ meetingId, text: 'book the venue', owners: [ada.id, 'Sam'], due: '2026-04-10' });
    await seed.action({ meetingId, text: 'no due date', owners: [ada.id] });
    const closed = await seed.action({ meetingId, text: 'already done', owners: [ada.id], due: '2026-04-03' });
    await seed.close(closed);
    await seed.action({ meetingId, text: 'someone else', owners: ['Sam'], due: '2026-04-04' });

    const page = await ada.browser.get(`/people/${ada.id}`);
    expect(page.html).toContain('Make a calendar address');
    const made = await ada.browser.post(`/people/${ada.id}/due-feed`);
    expect(made.res.status).toBe(200);
    expect(made.res.headers.get('cache-control')).toContain('no-store');
    const url = /id="due-feed-url" type="text" readonly value="([^"]+)"/.exec(made.html)![1].replace(/&amp;/g, '&');
    expect(url).toMatch(new RegExp(`^${s.world.config.baseUrl}/people/${ada.id}/due\\.ics\\?key=[A-Za-z0-9_-]{32}$`));
    const path = url.slice(s.world.config.baseUrl.length);
    // Only the hash is stored.
    const key = new URL(url).searchParams.get('key')!;
    const row = await s.world.db.prepare('SELECT key_hash FROM due_feed_keys WHERE person_id = ?').get(ada.id) as { key_hash: string };
    expect(row.key_hash).not.toContain(key);

    // No session needed: a calendar app fetches it.
    const res = await fetch(s.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await res.text();
    expect(ics).toContain('\r\n');
    const evs = events(ics);
    expect(evs.map((e) => e.uid).sort()).toEqual([`action-${a1}@localhost`, `action-${a2}@localhost`]);
    const first = evs.find((e) => e.uid === `action-${a1}@localhost`)!;
    expect(first).toMatchObject({ summary: `#${a1} tag the release; write notes, too`, start: '2026-04-02', isDate: true, end: '2026-04-03', url: `${s.world.config.baseUrl}/actions/${a1}` });

    // Closing an action takes it out of the feed.
    await s.world.services.actions.close(a1, { personId: ada.id, role: 'member', label: 'Ada', source: 'web' });
    expect(events(await (await fetch(s.url + path)).text()).map((e) => e.uid)).toEqual([`action-${a2}@localhost`]);

    // A wrong key, another person's id, or no key: 404, no calendar.
    expect((await fetch(`${s.url}/people/${ada.id}/due.ics?key=${'x'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${s.url}/people/${ada.id}/due.ics`)).status).toBe(404);
    expect((await fetch(`${s.url}/people/${ada.id + 1000}/due.ics?key=${key}`)).status).toBe(404);

    // Someone else may not make or revoke Ada's address.
    const bob = await s.personWithRole('member', 'Bob Other', 'bob@example.org');
    const other = await bob.browser.get(`/people/${ada.id}`);
    expect(other.html).not.toContain('Calendar of due dates');
    expect((await bob.browser.post(`/people/${ada.id}/due-feed/revoke`)).res.status).toBe(403);
    expect((await fetch(s.url + path)).status).toBe(200);

    // A new address replaces the old one; revoking ends it.
    const again = await ada.browser.get(`/people/${ada.id}`);
    expect(again.html).toContain('Make a new address');
    const second = await ada.browser.post(`/people/${ada.id}/due-feed`);
    const path2 = /value="[^"]*(\/people\/\d+\/due\.ics\?key=[^"]+)"/.exec(second.html)![1].replace(/&amp;/g, '&');
    expect((await fetch(s.url + path)).status).toBe(404);
    expect((await fetch(s.url + path2)).status).toBe(200);
    const revoked = await ada.browser.post(`/people/${ada.id}/due-feed/revoke`);
    expect(revoked.res.status).toBe(303);
    expect((await fetch(s.url + path2)).status).toBe(404);
    expect((await ada.browser.get(`/people/${ada.id}`)).html).toContain('Calendar address revoked');
  });
});
