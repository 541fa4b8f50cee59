import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

// "Ann will ..." without a marker is a suggestion, not an action.
const minutes = (extra = '') => `# Community call 2024-03-07

Attendees: Ann Lee, Bob Stone

## Release

Ann will look into the flaky CI job.

ACTION: Bob to tag the release
${extra}`;

const upload = (text: string) =>
  s.api('notetaker', '/api/meetings?series=review-test', { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: text });

interface Queue {
  items: { id: number; kind: string; status: string; data: { kind: string; text: string } }[];
  total: number;
}
const queue = async () => (await (await s.api('member', '/api/review')).json()) as Queue;

describe('review queue (API and page)', () => {
  it('lists suggestions of an API import; accepting one creates the action, kept by the next revision', async () => {
    expect((await upload(minutes())).status).toBe(201);
    const q = await queue();
    const item = q.items.find((i) => i.kind === 'suggestion' && /flaky CI job/.test(i.data.text));
    expect(item, JSON.stringify(q)).toBeDefined();
    expect((await s.api('member', `/api/review/${item!.id}/accept`, { method: 'POST', json: {} })).status).toBe(403);
    const res = await s.api('notetaker', `/api/review/${item!.id}/accept`, { method: 'POST', json: {} });
    expect(res.status).toBe(200);
    const { item: done } = (await res.json()) as { item: { status: string; result: { actionId: number } } };
    expect(done.status).toBe('accepted');
    const action = (await (await s.api('member', `/api/actions/${done.result.actionId}`)).json()) as { text?: string; action?: { text: string } };
    expect(JSON.stringify(action)).toMatch(/flaky CI job/);
    // Twice: refused with a reason, nothing changes.
    const again = await s.api('notetaker', `/api/review/${item!.id}/accept`, { method: 'POST', json: {} });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already accepted/);
    // A revision that still holds the suggestion keeps the accepted action (same id, still open).
    const rev = await upload(minutes('\nACTION: Ann to write the notes\n'));
    expect(rev.status).toBe(200);
    const body = (await rev.json()) as { actions: { id: number; text: string; status: string }[] };
    expect(body.actions.find((a) => a.id === done.result.actionId)?.status).toBe('open');
    expect((await queue()).items.some((i) => /flaky CI job/.test(i.data.text))).toBe(false);
  });

  it('a dismissed suggestion stays dismissed across revisions; the page and the dashboard count the queue', async () => {
    const text = minutes('\nBob will check the budget numbers with the treasurer.\n');
    await upload(text);
    const item = (await queue()).items.find((i) => /budget numbers/.test(i.data.text));
    expect(item).toBeDefined();
    const { browser } = await s.personWithRole('notetaker', 'Nora Taker');
    const page = await browser.get('/review');
    expect(page.res.status).toBe(200);
    expect(page.html).toMatch(/budget numbers/);
    const dash = await browser.get('/');
    expect(dash.html).toMatch(/<strong>\d+<\/strong> <a href="\/review">to review<\/a>/);
    expect((await s.api('notetaker', `/api/review/${item!.id}/dismiss`, { method: 'POST', json: {} })).status).toBe(200);
    await upload(text + '\nACTION: Bob to send the slides\n');
    expect((await queue()).items.some((i) => /budget numbers/.test(i.data.text))).toBe(false);
    expect((await s.api('notetaker', '/api/review/999999/dismiss', { method: 'POST', json: {} })).status).toBe(404);
  });
});

describe('revision diff (API)', () => {
  it('lists decisions added and removed, and actions closed by DONE', async () => {
    const v1 = `# Build call 2024-06-06\n\nAttendees: Ann Lee, Bob Stone\n\nDECISION: ship 8.0 in July\n\nACTION: Bob to tag the release\n`;
    const v2 = `# Build call 2024-06-06\n\nAttendees: Ann Lee, Bob Stone\n\nDECISION: ship 8.0 in August\n\nACTION: Bob to tag the release (done)\n`;
    const post = (text: string) =>
      s.api('notetaker', '/api/meetings?series=diff-test', { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: text });
    const first = (await (await post(v1)).json()) as { changes: { decisionsAdded: { text: string }[] } };
    expect(first.changes.decisionsAdded.map((d) => d.text)).toEqual(['ship 8.0 in July']);
    const res = await post(v2);
    expect(res.status).toBe(200);
    const second = (await res.json()) as { status: string; changes: Record<string, { id: number; text: string }[]> };
    expect(second.status).toBe('revised');
    expect(second.changes.decisionsAdded.map((d) => d.text)).toEqual(['ship 8.0 in August']);
    expect(second.changes.decisionsRemoved.map((d) => d.text)).toEqual(['ship 8.0 in July']);
    expect(second.changes.closed.map((a) => a.text)).toEqual(['tag the release']);
  });
});
