import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';
import { seriesFromFilename } from '../../../../../server/services/meetings/series-naming.js';

const DOCS = `# SIG Docs weekly meeting 2020-08-25

## Attendees

- Zach Corleissen
- Jared Bhatti

## Notes

- Localization teams: the Spanish and Korean localizations need reviewers for their blog posts.
- Website build times went up after the Hugo upgrade; Netlify previews time out.

ACTION: Zach to open an issue about Netlify preview timeouts
`;

const CPC = `# OpenJS Cross Project Council meeting 2020-08-25

## Present

- Joe Sepi
- Tobie Langel

## Agenda

- Charter amendments: voting members from impact projects, quorum for elections.
- Collaboration Summit planning, travel fund and code of conduct enforcement.

ACTION: Joe to circulate the charter amendment draft to the board
`;

let w: TestWorld;
let dir: string;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2020-09-01T09:00:00Z') });
  dir = mkdtempSync(join(tmpdir(), 'minutes-default-'));
});
afterEach(() => {
  w.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const stored = () => w.db.prepare('SELECT count(*) AS meetings, (SELECT count(*) FROM minutes_revisions) AS revisions FROM meetings').get();

describe('import: the series a file name implies', () => {
  it('drops dates, month names, generic words and extensions', () => {
    expect(seriesFromFilename('/x/openxt-2016-12-15.md')).toBe('openxt');
    expect(seriesFromFilename('openxt-2016-12-15.raw.txt')).toBe('openxt');
    expect(seriesFromFilename('openxt-2017-09.md')).toBe('openxt');
    expect(seriesFromFilename('kubernetes-sig-docs-2020.md')).toBe('kubernetes-sig-docs');
    expect(seriesFromFilename('python-steering-council-2020-jan-oct.md')).toBe('python-steering-council');
    expect(seriesFromFilename('cdf-toc-meeting-notes-2019.md')).toBe('cdf-toc');
    expect(seriesFromFilename('w3c-wot-2025-10-22-irc.md')).toBe('w3c-wot-irc');
    expect(seriesFromFilename('2024-03-07.md')).toBe('default');
    expect(seriesFromFilename('meeting-notes.md')).toBe('default');
    expect(seriesFromFilename(null)).toBe('default');
  });

  it('puts each project of an archive folder in its own series, so one date does not collide', async () => {
    const out = await w.services.imports.importPaths([file('kubernetes-sig-docs-2020.md', DOCS), file('openjs-cpc-2020-08-25.md', CPC)], { source: 'cli' });
    expect(out.summary).toMatchObject({ failedFiles: 0, meetings: { new: 2, revised: 0, unchanged: 0 } });
    expect(out.files.map((f) => f.meetings[0].meeting.seriesSlug)).toEqual(['kubernetes-sig-docs', 'openjs-cpc']);
  });
});

describe('import: unrelated files meeting in one implied series', () => {
  it('refuses a second, unrelated file of the same date with a per-file error naming --series', async () => {
    const out = await w.services.imports.importPaths([file('minutes.md', DOCS), file('2020-08-25.md', CPC)], { source: 'cli' });
    expect(out.files[0]).toMatchObject({ ok: true, meetings: [expect.objectContaining({ status: 'new' })] });
    expect(out.files[1]).toMatchObject({ ok: false, meetings: [] });
    expect(out.files[1].errors[0].code).toBe('default-series-collision');
    expect(out.files[1].errors[0].message).toMatch(/2020-08-25 in series 'default' come from 'minutes\.md'.*--series SLUG/);
    expect(out.summary).toMatchObject({ failedFiles: 1, meetings: { new: 1, revised: 0, unchanged: 0 } });
    // Nothing overwritten: one meeting, one revision, the SIG Docs minutes.
    expect(await stored()).toEqual({ meetings: 1, revisions: 1 });
    expect((await w.services.actions.list({ status: 'all' })).map((a) => a.text)).toEqual(['open an issue about Netlify preview timeouts']);
    // The same upload without a file name (web paste) is refused with 409 as well.
    await expect(w.services.imports.importText(CPC)).rejects.toMatchObject({ code: 'default-series-collision', status: 409 });
    // With a series each lands on its own.
    const cpc = await w.services.imports.importFile(join(dir, '2020-08-25.md'), { series: 'openjs-cpc' });
    expect(cpc.meetings[0]).toMatchObject({ status: 'new', meeting: { seriesSlug: 'openjs-cpc', date: '2020-08-25' } });
  });

  it('still takes an edited copy as a revision: same file name, or a similar text under another name', async () => {
    await w.services.imports.importFile(file('sig-docs.md', DOCS));
    const edited = DOCS.replace('need reviewers', 'still need reviewers');
    const same = await w.services.imports.importFile(file('sig-docs.md', edited));
    expect(same.meetings[0]).toMatchObject({ status: 'revised', meeting: { revision: 2 } });
    const copy = await w.services.imports.importFile(file('sig-docs-final.md', `${edited}\nACTION: Jared to review the Korean blog post\n`));
    expect(copy.meetings[0]).toMatchObject({ status: 'revised', meeting: { seriesSlug: 'sig-docs', revision: 3 } });
    // A named series is the user's choice: no guard there.
    await w.services.imports.importFile(file('a.md', DOCS), { series: 'mixed' });
    const named = await w.services.imports.importFile(file('b.md', CPC), { series: 'mixed' });
    expect(named.meetings[0]).toMatchObject({ status: 'revised' });
  });
});
