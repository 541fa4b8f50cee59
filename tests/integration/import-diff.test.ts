/**
 * The revision diff (issue 12): actions closed by DONE show in `changes.closed` on every path
 * (carry, restate, a dropped action restated as done, out-of-date-order), and after a revision
 * that shifts lines every item shown for the meeting (own, carried, closed, decisions) has its
 * new line, on the meeting page too. Real app, real SQLite, real HTTP, the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Browser, type TestServer } from './http-support.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = (await s.personWithRole('member', 'Mo Member')).browser;
});
afterAll(() => s.close());

interface Brief {
  id: number;
  text: string;
}
interface Result {
  status: string;
  meeting: { id: number };
  actions: { id: number; text: string; status: string; line: number; match: string }[];
  changes: { added: Brief[]; closed: Brief[]; carried: Brief[]; removed: Brief[]; changed: Brief[] };
}
const upload = async (text: string) => {
  const res = await s.api('notetaker', '/api/meetings?series=diff', { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: text });
  const body = (await res.json()) as Result;
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body;
};
const texts = (xs: Brief[]) => xs.map((x) => x.text).sort();
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const pad = (n: number) => Array.from({ length: n }, (_, i) => `Note ${i + 1}.\n`).join('\n');

const meetingA = (extra = '') => `# Call 2024-03-07

Attendees: Ann Lee, Bob Stone, Cleo Park

ACTION: Bob to tag the release
ACTION: Ann to book the venue
ACTION: Cleo to write the blog post
${extra}`;

const meetingB = (n: number, done = false) => `# Call 2024-03-14

Attendees: Ann Lee, Bob Stone, Cleo Park

${pad(n)}
## Old actions

ACTION: Bob to tag the release${done ? ' DONE' : ''}
ACTION: Ann to book the venue DONE

## New

DECISION: move the call to Thursdays
ACTION: Cleo to order stickers
`;

describe('revision diff and lines', () => {
  let b1: Result;

  it('closed by DONE in a later meeting (carry path) is in changes.closed', async () => {
    await upload(meetingA());
    b1 = await upload(meetingB(0));
    expect(texts(b1.changes.closed)).toEqual(['book the venue']);
    expect(texts(b1.changes.carried)).toEqual(['tag the release']);
    expect(texts(b1.changes.added)).toEqual(['order stickers']);
  });

  it('a revision shifting every line gives carried, closed, own actions and decisions their new lines, on the meeting page too', async () => {
    const text = meetingB(4);
    const b2 = await upload(text);
    expect(b2.status).toBe('revised');
    const line = (t: string) => b2.actions.find((a) => a.text === t)!.line;
    expect(line('tag the release')).toBe(lineOf(text, 'tag the release'));
    expect(line('book the venue')).toBe(lineOf(text, 'book the venue'));
    expect(line('order stickers')).toBe(lineOf(text, 'order stickers'));
    // What the meeting is stored with (the API and the page read the same rows).
    const stored = (await (await s.api('member', `/api/meetings/${b2.meeting.id}`)).json()) as {
      actions: { text: string; line: number }[];
      decisions: { text: string; line: number }[];
    };
    for (const [t, needle] of [['tag the release', 'tag the release'], ['book the venue', 'book the venue'], ['order stickers', 'order stickers']]) {
      expect(stored.actions.find((a) => a.text === t)?.line, t).toBe(lineOf(text, needle));
    }
    expect(stored.decisions[0].line).toBe(lineOf(text, 'Thursdays'));
    const { html } = await browser.get(`/meetings/${b2.meeting.id}`);
    for (const needle of ['tag the release', 'book the venue', 'order stickers', 'Thursdays']) {
      const n = lineOf(text, needle);
      const at = html.indexOf(`id="L${n}"`);
      expect(at, `id="L${n}" (${needle})`).toBeGreaterThan(0);
      expect(html.slice(at, at + 300)).toContain(needle);
      expect(html).toContain(`href="#L${n}">line ${n}</a>`);
    }
    // The old lines are no longer linked.
    expect(html).not.toContain(`href="#L${lineOf(meetingB(0), 'tag the release')}">`);
  });

  it('closed by DONE in a revision of the same meeting (restate path) is in changes.closed', async () => {
    const b3 = await upload(meetingB(4, true));
    expect(texts(b3.changes.closed)).toEqual(['tag the release']);
    expect(b3.actions.find((a) => a.text === 'tag the release')!.status).toBe('done');
  });

  it('a dropped action restated as done is in changes.closed', async () => {
    const a2 = await upload(meetingA().replace('ACTION: Cleo to write the blog post\n', ''));
    expect(texts(a2.changes.removed)).toEqual(['write the blog post']);
    const a3 = await upload(meetingA().replace('write the blog post', 'write the blog post DONE'));
    expect(texts(a3.changes.closed)).toEqual(['write the blog post']);
    expect(a3.actions.find((a) => a.text === 'write the blog post')!.status).toBe('done');
  });

  it('closed by DONE in minutes imported out of date order (backdating path) is in changes.closed', async () => {
    const text = `# Call 2024-03-10

Attendees: Ann Lee, Bob Stone, Cleo Park

ACTION: Cleo to order stickers DONE
`;
    const r = await upload(text);
    expect(texts(r.changes.closed)).toEqual(['order stickers']);
  });
});
