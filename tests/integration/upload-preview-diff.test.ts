/**
 * The upload preview of a new revision shows the complete diff against the stored one, and the
 * flash after saving says every part of it in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

const first = `# Build call 2024-07-04

Attendees: Ann Lee, Bo Brand

## Work

ACTION: Ann Lee to fix the nightly build

ACTION: Bo Brand to update the wiki

DECISION: release on Fridays
`;

describe('revision diff on the preview and in the flash', () => {
  it('actions added and changed, decisions added and removed: on the preview, then said after saving', async () => {
    await s.world.services.imports.importText(first, { series: 'diff-call' });
    const second = `# Build call 2024-07-04

Attendees: Ann Lee, Bo Brand

## Work

ACTION: Ann Lee to fix the nightly build

ACTION: Bo Brand to update the wiki by 2024-07-11

ACTION: Ann Lee to write the release notes

DECISION: release on Thursdays
`;
    const { browser } = await s.personWithRole('notetaker', 'Dee Differ');
    await browser.get('/upload');
    const preview = await browser.post('/upload', { intent: 'preview', series: 'diff-call', text: second });
    expect(preview.res.status).toBe(200);
    const t = visible(preview.html);
    expect(t).toContain('Changes against the stored revision 1');
    expect(t).toContain('+ action added: write the release notes');
    expect(t).toMatch(/~ action changed: #\d+ update the wiki/);
    expect(t).toContain('1 action unchanged');
    expect(t).toContain('+ decision added: release on Thursdays');
    expect(t).toContain('− decision removed: release on Fridays');

    const saved = await browser.post('/upload', { intent: 'save', series: 'diff-call', text: second });
    expect(saved.res.status).toBe(303);
    const page = await browser.get(saved.res.headers.get('location')!);
    expect(visible(page.html)).toContain('Saved revision 2: 1 action added, 1 changed; 1 decision added, 1 removed.');
  });
});
