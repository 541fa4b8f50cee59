import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDataDir } from '../helpers/env.js';
import { startTestServer, type TestServer } from './http-support.js';

// Three "will" sentences without a marker: suggestions, not items.
const minutes = (date: string) => `# Tooling call ${date}

Attendees: Ann Lee, Bob Stone

## CI

Ann will look into the flaky CI job.

Bob will check the budget numbers with the treasurer.

Ann will also draft the announcement for the list.

ACTION: Bob to tag the release
`;

interface Queue {
  items: { id: number; kind: string; meetingId: number; data: { text: string } }[];
}

describe('dismissing every suggestion of one meeting', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const upload = async (date: string) => {
    const res = await s.api('notetaker', '/api/meetings?series=bulk', { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: minutes(date) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { meeting: { id: number } }).meeting.id;
  };
  const queue = async () => ((await (await s.api('member', '/api/review')).json()) as Queue).items;

  it('API: dismisses that meeting\'s open suggestions only; members may not; unknown meetings are 404', async () => {
    const first = await upload('2024-04-04');
    const second = await upload('2024-04-11');
    const before = await queue();
    const ofFirst = before.filter((i) => i.meetingId === first && i.kind === 'suggestion').length;
    expect(ofFirst).toBeGreaterThanOrEqual(2);
    expect((await s.api('member', '/api/review/dismiss', { method: 'POST', json: { meetingId: first } })).status).toBe(403);
    const res = await s.api('notetaker', '/api/review/dismiss', { method: 'POST', json: { meetingId: first } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ meetingId: first, dismissed: ofFirst });
    const after = await queue();
    expect(after.some((i) => i.meetingId === first)).toBe(false);
    expect(after.filter((i) => i.meetingId === second).length).toBe(before.filter((i) => i.meetingId === second).length);
    expect((await s.api('notetaker', '/api/review/dismiss', { method: 'POST', json: { meetingId: 999999 } })).status).toBe(404);
    expect((await s.api('notetaker', '/api/review/dismiss', { method: 'POST', json: { meetingId: 'all' } })).status).toBe(400);
  });

  it('page: one button per meeting with several suggestions, which empties that meeting\'s part of the list', async () => {
    const id = await upload('2024-04-18');
    const { browser } = await s.personWithRole('notetaker', 'Nora Bulk');
    const page = await browser.get('/review');
    expect(page.html).toContain(`action="/review/meetings/${id}/dismiss"`);
    expect(page.html).toMatch(/Dismiss all \d+ of this meeting/);
    const done = await browser.post(`/review/meetings/${id}/dismiss`, {});
    expect(done.res.status).toBe(303);
    const again = await browser.get('/review');
    expect(again.html).toMatch(/Dismissed \d+ suggestions of that meeting/);
    expect(again.html).not.toContain(`action="/review/meetings/${id}/dismiss"`);
    expect((await queue()).some((i) => i.meetingId === id)).toBe(false);
  });
});

describe('minutes review dismiss (CLI)', () => {
  const tmp = tempDataDir();
  afterAll(() => tmp.cleanup());

  it('dismisses several ids, or a meeting\'s suggestions, and refuses both or neither in one line', async () => {
    const data = join(tmp.dir, 'data');
    const file = join(tmp.dir, 'tooling-2024-05-02.md');
    writeFileSync(file, minutes('2024-05-02'));
    expect((await runCli(['import', file, '--series', 'tooling'], { dataDir: data })).code).toBe(0);
    const listed = await runCli(['review'], { dataDir: data });
    const ids = [...listed.stdout.matchAll(/^#(\d+) tooling 2024-05-02: suggested/gm)].map((m) => m[1]);
    expect(ids.length, listed.stdout).toBeGreaterThanOrEqual(3);
    const two = await runCli(['review', 'dismiss', ids[0], ids[1]], { dataDir: data });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(`dismissed #${ids[0]}\ndismissed #${ids[1]}\n`);
    const neither = await runCli(['review', 'dismiss'], { dataDir: data });
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/give review item ids or --meeting N/);
    const json = JSON.parse((await runCli(['review', '--json'], { dataDir: data })).stdout) as Queue;
    const meeting = json.items[0].meetingId;
    const rest = await runCli(['review', 'dismiss', '--meeting', String(meeting)], { dataDir: data });
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toBe(`dismissed ${ids.length - 2} suggestion(s) of meeting ${meeting}\n`);
    expect((await runCli(['review'], { dataDir: data })).stdout).toMatch(/nothing to review/);
  }, 60_000);
});
