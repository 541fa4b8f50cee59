import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../helpers/env.js';

// `minutes decisions` and `minutes series add --time` as a user runs them: the built CLI.

const data = tempDataDir('minutes-decisions-cli-');
const cli = (...args: string[]) => runCli(args, { dataDir: data.dir });

const minutes = (date: string, decisions: string[]) => `# Community call ${date}

## Attendees

- Ada Lovelace

## Release

${decisions.map((d) => `DECISION: ${d}`).join('\n\n')}
`;

beforeAll(async () => {
  const files = [
    ['a-2026-01-08.md', minutes('2026-01-08', ['adopt the release checklist'])],
    ['a-2026-02-12.md', minutes('2026-02-12', ['ship 7.1 in March, with commas', 'drop 32-bit builds'])],
  ];
  for (const [name, text] of files) writeFileSync(join(data.dir, name), text);
  expect((await cli('series', 'add', 'xen', '--name', 'Xen call', '--cadence', 'FREQ=WEEKLY;BYDAY=TH', '--timezone', 'Europe/London', '--time', '16:00')).code).toBe(0);
  const i = await cli('import', join(data.dir, 'a-2026-01-08.md'), join(data.dir, 'a-2026-02-12.md'), '--series', 'xen');
  expect(i.code, i.stderr).toBe(0);
  writeFileSync(join(data.dir, 'b.md'), minutes('2026-01-20', ['approve the budget']));
  expect((await cli('import', join(data.dir, 'b.md'), '--series', 'board')).code).toBe(0);
});
afterAll(() => data.cleanup());

describe('minutes decisions', () => {
  it('lists every decision newest first, each with the link to its line', async () => {
    const r = await cli('decisions');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => !l.startsWith('    '));
    expect(lines).toEqual([
      expect.stringMatching(/^2026-02-12 xen {2}(ship 7\.1 in March, with commas|drop 32-bit builds)$/),
      expect.stringMatching(/^2026-02-12 xen {2}(ship 7\.1 in March, with commas|drop 32-bit builds)$/),
      '2026-01-20 board  approve the budget',
      '2026-01-08 xen  adopt the release checklist',
    ]);
    expect(r.stdout).toMatch(/\n {4}http:\/\/localhost:3000\/meetings\/\d+#L\d+\n/);
  });

  it('filters by series, dates and words; --json and --csv', async () => {
    const j = await cli('decisions', '--series', 'xen', '--from', '2026-02-01', '--json');
    expect(j.code, j.stderr).toBe(0);
    const list = JSON.parse(j.stdout);
    expect(list.map((d: { text: string }) => d.text).sort()).toEqual(['drop 32-bit builds', 'ship 7.1 in March, with commas']);
    expect(list[0]).toMatchObject({ seriesSlug: 'xen', meetingDate: '2026-02-12', path: expect.stringMatching(/^\/meetings\/\d+#L\d+$/) });
    const q = await cli('decisions', '--q', 'budget');
    expect(q.stdout).toContain('approve the budget');
    expect(q.stdout).not.toContain('checklist');
    const limited = await cli('decisions', '--limit', '1');
    expect(limited.stdout).toContain('(1 of 4; raise --limit for more)');
    const csv = await cli('decisions', '--csv', '--to', '2026-01-31');
    expect(csv.stdout.split('\r\n')[0]).toBe('id,meeting_date,series,meeting_title,topic,decision,line,superseded_by,url');
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('refuses bad input with one line naming it', async () => {
    for (const [args, msg] of [
      [['--from', '2026-13-01'], /from must be a date YYYY-MM-DD/],
      [['--series', 'nope'], /series 'nope' does not exist/],
      [['--limit', 'x'], /--limit must be a whole number/],
    ] as const) {
      const r = await cli('decisions', ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('minutes series add --time', () => {
  it('stores the time and refuses a bad one without changing the series', async () => {
    const bad = await cli('series', 'add', 'xen', '--time', '4pm');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/time of day '4pm' must be HH:MM/);
    const list = JSON.parse((await cli('series', 'list', '--json')).stdout);
    expect(list.find((s: { slug: string }) => s.slug === 'xen')).toMatchObject({ timeOfDay: '16:00', timezone: 'Europe/London' });
    const cleared = await cli('series', 'add', 'xen', '--time', '');
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).not.toContain(' at ');
  });
});
