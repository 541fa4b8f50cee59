import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';
import { seeder } from '../helpers/reminder-seed.js';
import { encodeCursor } from '../../domain/cursor.js';

let s: TestServer;
let seed: ReturnType<typeof seeder>;
let meetingId: number;
let ada: number;
beforeAll(async () => {
  s = await startTestServer();
  seed = seeder(s.world.db);
  ada = await seed.person('Ada Lovelace', { email: 'ada@example.org' });
  const series = await seed.series('community', 'Community call');
  meetingId = await seed.meeting(series, '2026-03-05');
  // 120 open actions: 70 with due dates (some equal, so ids break ties), 50 without.
  for (let i = 0; i < 120; i++) {
    await seed.action({ meetingId, text: `task ${i}`, owners: [i % 2 ? ada : 'Sam'], due: i < 70 ? `2026-04-${String(1 + (i % 20)).padStart(2, '0')}` : null });
  }
  await seed.action({ meetingId, text: 'closed one', owners: [ada], status: 'done' });
});
afterAll(async () => {
  await s.close();
});

async function allPages(path: string): Promise<{ ids: number[]; pages: number; totals: number[] }> {
  const ids: number[] = [];
  const totals: number[] = [];
  let url: string | null = path;
  let pages = 0;
  while (url) {
    const res = await s.api('member', url);
    expect(res.status).toBe(200);
    const body = await res.json();
    ids.push(...body.actions.map((a: { id: number }) => a.id));
    totals.push(body.total);
    expect(res.headers.get('x-total-count')).toBe(String(body.total));
    const link = res.headers.get('link');
    if (body.next) expect(link).toBe(`<${path.split('?')[0]}?${(() => { const u = new URL(url!, 'http://x'); u.searchParams.set('cursor', body.next); return u.searchParams.toString(); })()}>; rel="next"`);
    else expect(link).toBeNull();
    url = body.next ? (link!.match(/^<([^>]+)>/)![1]) : null;
    pages++;
  }
  return { ids, pages, totals };
}

describe('GET /api/actions pages', () => {
  test('50 a page by default, total counts all, the pages together are the whole list in order', async () => {
    const res = await s.api('member', '/api/actions');
    const first = await res.json();
    expect(first.actions).toHaveLength(50);
    expect(first.total).toBe(120);
    expect(typeof first.next).toBe('string');

    const { ids, pages } = await allPages('/api/actions');
    expect(pages).toBe(3);
    const expected = (await s.world.services.actions.listAll({})).map((a) => a.id);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(120);
  });

  test('limit up to 500 and a filter carried into the next link', async () => {
    const res = await s.api('member', '/api/actions?owner=Ada%20Lovelace&limit=40');
    const body = await res.json();
    expect(body.total).toBe(60);
    expect(body.actions).toHaveLength(40);
    expect(res.headers.get('link')).toContain('owner=Ada+Lovelace');
    const rest = await (await s.api('member', res.headers.get('link')!.match(/^<([^>]+)>/)![1])).json();
    expect(rest.actions).toHaveLength(20);
    expect(rest.next).toBeNull();
    expect(rest.total).toBe(60); // after a cursor: all matches, not what is left
    // A first page holding every match (exactly, or with room to spare) says the same total.
    for (const limit of [60, 100]) {
      const whole = await (await s.api('member', `/api/actions?owner=Ada%20Lovelace&limit=${limit}`)).json();
      expect([whole.total, whole.actions.length, whole.next]).toEqual([60, 60, null]);
    }
    expect((await s.api('member', '/api/actions?limit=501')).status).toBe(400);
  });

  test('stable under inserts: a row added before the cursor is neither repeated nor shifts the next page', async () => {
    const page1 = await (await s.api('member', '/api/actions?limit=30')).json();
    // A new action sorting first (earliest due date) arrives between the two requests.
    await seed.action({ meetingId, text: 'urgent newcomer', owners: ['Sam'], due: '2026-01-01' });
    const page2 = await (await s.api('member', `/api/actions?limit=30&cursor=${page1.next}`)).json();
    const before = new Set(page1.actions.map((a: { id: number }) => a.id));
    expect(page2.actions.some((a: { id: number }) => before.has(a.id))).toBe(false);
    const all = (await s.world.services.actions.listAll({})).map((a) => a.id);
    const lastOfFirst = page1.actions[29].id;
    expect(page2.actions.map((a: { id: number }) => a.id)).toEqual(all.slice(all.indexOf(lastOfFirst) + 1, all.indexOf(lastOfFirst) + 31));
    expect(page2.total).toBe(121);
  });

  test('a forged or foreign cursor is a 400 naming the cursor', async () => {
    for (const bad of ['nonsense!', encodeCursor(['x']), encodeCursor([0, 0, 5, 1])]) {
      const res = await s.api('member', `/api/actions?cursor=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/cursor/);
    }
  });
});

describe('GET /api/actions?format=csv', () => {
  test('RFC 4180: header, CRLF, quoting, every matching row, a download name', async () => {
    const quirky = await seed.action({ meetingId, text: 'say "hello", then\nleave', owners: [ada, 'Sam'], due: '2026-05-01' });
    const formula = await seed.action({ meetingId, text: '=HYPERLINK("http://evil")', owners: ['Sam'] });
    const res = await s.api('member', '/api/actions?format=csv&status=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?actions-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const text = await res.text();
    expect(text.startsWith('id,text,owners,due,status,overdue,series,meeting_date,meeting_title,carried,snoozed_until,closed_at,url\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain(`${quirky},"say ""hello"", then\nleave",Ada Lovelace; Sam,2026-05-01,open,`);
    expect(text).toContain(`${formula},"'=HYPERLINK(""http://evil"")",Sam,`);
    expect(text).toContain(`,${s.world.config.baseUrl}/actions/${quirky}\r\n`);
    // All rows, not one page: every action (open and closed) plus the header.
    const records = text.split('\r\n').filter((l) => /^\d+,/.test(l));
    expect(records.length).toBe((await s.world.services.actions.listAll({ status: 'all' })).length);

    const open = await (await s.api('member', '/api/actions?format=csv&owner=Ada%20Lovelace')).text();
    expect(open).not.toContain('closed one');
    expect(open.split('\r\n').filter((l) => /^\d+,/.test(l)).length).toBe((await s.world.services.actions.listAll({ owner: 'Ada Lovelace' })).length);
  });
});

describe('/actions page', () => {
  test('shows a page, the count, a next link that works and a CSV link with the same filters', async () => {
    const { browser } = await s.personWithRole('member', 'Page Reader', 'reader@example.org');
    const { res, html } = await browser.get('/actions?series=community');
    expect(res.status).toBe(200);
    const total = (await s.world.services.actions.listAll({ series: 'community' })).length;
    expect(html).toContain(`Showing 50 of ${total} actions`);
    expect((html.match(/<tr class=/g) ?? []).length).toBe(50);
    expect(html).toContain('href="/api/actions?status=open&amp;series=community&amp;format=csv"');
    const next = /href="([^"]+)" rel="next"/.exec(html)![1].replace(/&amp;/g, '&');
    const second = await browser.get(next);
    expect(second.html).toContain('« First page');
    expect(second.html).toContain(`Showing 50 of ${total} actions`);
    const firstIds = [...html.matchAll(/href="\/actions\/(\d+)">#/g)].map((m) => m[1]);
    const secondIds = [...second.html.matchAll(/href="\/actions\/(\d+)">#/g)].map((m) => m[1]);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    const csv = await browser.get('/api/actions?status=open&series=community&format=csv');
    expect(csv.res.status).toBe(200);
  });
});
