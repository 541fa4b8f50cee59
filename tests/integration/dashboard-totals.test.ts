import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeder } from '../helpers/reminder-seed.js';
import { startTestServer, type TestServer } from './http-support.js';

/** The dashboard counts every open action, not a first page of 5,000. */
describe('dashboard totals over more than 5,000 open actions', () => {
  let server: TestServer;
  const ROSS = 5_150;
  beforeAll(async () => {
    server = await startTestServer();
    const { db } = server.world;
    const s = seeder(db);
    await db.transaction(async () => {
      const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
      const m = await s.meeting(await s.series('openxt', 'OpenXT Community Call'), '2026-11-05');
      // Ross's actions are due last, so a first page ordered by due date would cut them off.
      for (let i = 0; i < ROSS; i++) await s.action({ meetingId: m, text: `ross task ${i}`, owners: [ross], due: '2030-01-01' });
      for (let i = 0; i < 20; i++) await s.action({ meetingId: m, text: `early task ${i}`, owners: ['Jed Early'], due: '2026-12-01' });
      // The same unresolved name written two ways is one owner.
      await s.action({ meetingId: m, text: 'written lower-case', owners: ['jed early.'] });
      // Overdue work puts its owner first; nobody's actions come last whatever their number.
      await s.action({ meetingId: m, text: 'long overdue report', owners: ['Zed Late'], due: '2020-01-01' });
      for (let i = 0; i < 30; i++) await s.action({ meetingId: m, text: `unowned task ${i}`, owners: [] });
    });
  });
  afterAll(() => server?.close());

  it('shows the right total for an owner and overall', async () => {
    const { browser } = await server.personWithRole('admin', 'Ada Admin', 'ada@example.org');
    const { res, html } = await browser.get('/');
    expect(res.status).toBe(200);
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(`${ROSS + 52} open actions`);
    expect(text).toMatch(/ 1 overdue /);
    expect(text).toMatch(new RegExp(`Ross Philipson · ${ROSS} open`));
    expect(text).toMatch(/Jed Early [^·]*· 21 open/);
    expect(html).toContain(`all ${ROSS} →`);
    // Card order: overdue first, then by open count; "No owner" last.
    const order = ['Zed Late', 'Ross Philipson', 'Jed Early', 'No owner'].map((n) => text.indexOf(`${n} `));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // A card lists its most urgent eight, the one without a due date after those with one.
    const jed = text.slice(text.indexOf('Jed Early '), text.indexOf('No owner '));
    expect(jed.match(/early task \d+/g)).toHaveLength(8);
    expect(jed).not.toContain('written lower-case');
    expect(jed).toContain('all 21 →');
  }, 60_000);
});
