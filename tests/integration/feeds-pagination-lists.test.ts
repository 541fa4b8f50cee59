/** Keyset pages of /api/meetings, /api/people, /api/search, /api/outbox and their pages; the people type-ahead. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';
import { seeder } from '../helpers/reminder-seed.js';

let s: TestServer;
let seed: ReturnType<typeof seeder>;
let series: number;
beforeAll(async () => {
  s = await startTestServer();
  seed = seeder(s.world.db);
  series = await seed.series('community', 'Community call');
  for (let i = 0; i < 70; i++) {
    const d = new Date(Date.UTC(2020, 0, 1 + i * 7)).toISOString().slice(0, 10);
    await seed.meeting(series, d, `# Call ${d}\n\nWe talked about the release of tboot ${i}.\n`);
  }
  for (let i = 0; i < 64; i++) await seed.person(`Person ${String(i).padStart(2, '0')} Zed`, { email: `p${i}@example.org` });
});
afterAll(async () => {
  await s.close();
});

/** Follows `next` from `path` to the end; returns every item's key and the pages seen. */
async function walk(path: string, listKey: string, keyOf: (x: any) => unknown) {
  const keys: unknown[] = [];
  let url: string | null = path;
  let pages = 0;
  let total = -1;
  while (url) {
    const res = await s.api('admin', url);
    expect(res.status, url).toBe(200);
    const body = await res.json();
    keys.push(...body[listKey].map(keyOf));
    total = body.total;
    expect(res.headers.get('x-total-count')).toBe(String(body.total));
    url = body.next ? res.headers.get('link')!.match(/^<([^>]+)>; rel="next"$/)![1] : null;
    pages++;
  }
  return { keys, pages, total };
}

describe('API lists in pages', () => {
  test('/api/meetings: newest first, 50 then 20, every meeting once', async () => {
    const { keys, pages, total } = await walk('/api/meetings?series=community', 'meetings', (m) => m.date);
    expect(total).toBe(70);
    expect(pages).toBe(2);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(keys).size).toBe(70);
  });

  test('/api/people: by name, every person once; ?q= is a type-ahead of at most 20', async () => {
    const everyone = (await s.world.services.people.list()).map((p) => p.id);
    const { keys, pages, total } = await walk('/api/people?limit=25', 'people', (p) => p.id);
    expect(total).toBe(everyone.length);
    expect(pages).toBe(Math.ceil(everyone.length / 25));
    expect(keys).toEqual(everyone);

    const zed = await (await s.api('member', '/api/people?q=ze')).json();
    expect(zed.people).toHaveLength(20);
    const p07 = await (await s.api('member', '/api/people?q=person%2007')).json();
    expect(p07.people.map((p: { name: string }) => p.name)).toEqual(['Person 07 Zed']);
    const byMail = await (await s.api('member', '/api/people?q=p12%40ex')).json();
    expect(byMail.people.map((p: { name: string }) => p.name)).toEqual(['Person 12 Zed']);
    const none = await (await s.api('member', '/api/people?q=%25')).json();
    expect(none.people).toEqual([]);
  });

  test('/api/search: pages of hits in rank order, each hit once', async () => {
    const first = await (await s.api('member', '/api/search?q=tboot&limit=30')).json();
    expect(first.total).toBe(70);
    expect(first.hits).toHaveLength(30);
    const { keys } = await walk('/api/search?q=tboot&limit=30', 'hits', (h) => `${h.kind}:${h.refId}`);
    expect(keys).toHaveLength(70);
    expect(new Set(keys).size).toBe(70);
    expect((await s.api('member', '/api/search?q=tboot&cursor=abc')).status).toBe(400);
  });

  test('/api/outbox: failed emails in pages, newest first', async () => {
    for (let i = 0; i < 7; i++) {
      const { id } = await s.world.services.outbox.enqueue({ dedupeKey: `t:${i}`, kind: 'digest', to: `p${i}@example.org`, subject: `mail ${i}`, text: 'x' });
      await s.world.db.prepare(`UPDATE outbox SET status = 'failed', last_error = 'no' WHERE id = ?`).run(id);
    }
    const { keys, pages, total } = await walk('/api/outbox?status=failed&limit=3', 'emails', (e) => e.id);
    expect(total).toBe(7);
    expect(pages).toBe(3);
    expect(keys).toEqual([...keys].sort((a: any, b: any) => b - a));
  });
});

describe('list pages', () => {
  test('/meetings, /people and /search show a count and a next page link that works', async () => {
    const { browser } = await s.personWithRole('member', 'Reader Person', 'reader@example.org');
    const people = (await s.world.services.people.list()).length;
    expect(people).toBeGreaterThan(50);
    for (const [path, text] of [['/meetings', 'Showing 50 of 70 meetings'], ['/people', `Showing 50 of ${people} people`], ['/search?q=tboot', 'Showing 50 of 70 results']] as const) {
      const { res, html } = await browser.get(path);
      expect(res.status, path).toBe(200);
      expect(html, path).toContain(text);
      const next = /href="([^"]+)" rel="next"/.exec(html);
      expect(next, path).not.toBeNull();
      const second = await browser.get(next![1].replace(/&amp;/g, '&'));
      expect(second.res.status, path).toBe(200);
      expect(second.html, path).toContain('« First page');
      expect(second.html, path).not.toContain('rel="next"');
    }
  });
});
