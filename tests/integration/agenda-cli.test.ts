import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedDir, tempDataDir } from '../helpers/env.js';

// `minutes agenda` as a user runs it: the built CLI against a data folder.

const data = tempDataDir('minutes-agenda-cli-');
const cli = (...args: string[]) => runCli(args, { dataDir: data.dir });
const NOW = ['--now', '2016-12-20T12:00:00Z'];

beforeAll(async () => {
  const s = await cli('series', 'add', 'openxt', '--name', 'OpenXT Community Call', '--cadence', 'FREQ=MONTHLY;BYDAY=3TH', '--list', 'openxt@lists.example.org');
  expect(s.code, s.stderr).toBe(0);
  const i = await cli('import', join(sharedDir, 'examples/openxt-2016-12-15.md'), '--series', 'openxt');
  expect(i.code, i.stderr).toBe(0);
  expect((await cli('series', 'add', 'adhoc', '--name', 'Ad hoc')).code).toBe(0);
});
afterAll(() => data.cleanup());

describe('minutes agenda', () => {
  it('prints the next agenda as Markdown', async () => {
    const r = await cli('agenda', '--series', 'openxt', ...NOW);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# Agenda: OpenXT Community Call, Thursday, 19 January 2017');
    expect(r.stdout).toContain('### Ross Philipson');
    expect(r.stdout).toContain('## Open actions (6)');
  });

  it('prints JSON and HTML', async () => {
    const j = await cli('agenda', '--series', 'openxt', '--date', '2017-01-19', '--format', 'json');
    expect(j.code, j.stderr).toBe(0);
    const agenda = JSON.parse(j.stdout);
    expect(agenda.counts.openActions).toBe(6);
    expect(agenda.openActions.map((g: { owner: string }) => g.owner)).toContain('AIS Burlington');
    const h = await cli('agenda', '--series', 'openxt', '--date', '2017-01-19', '--format', 'html');
    expect(h.stdout).toMatch(/^<!doctype html>/);
    expect(h.stdout).toContain('<h2>Open actions (6)</h2>');
  });

  it('prints the minutes skeleton', async () => {
    const r = await cli('agenda', '--series', 'openxt', '--skeleton', ...NOW);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^---\nseries: openxt\ndate: 2017-01-19\n---/);
    expect(r.stdout).toContain('ACTION: Rich Persaud to document it to aid in presenting to other potential users.');
  });

  it('sends once per meeting', async () => {
    const first = await cli('agenda', '--series', 'openxt', '--send', ...NOW);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('agenda for 2017-01-19 sent to openxt@lists.example.org\n');
    const again = await cli('agenda', '--series', 'openxt', '--send', ...NOW);
    expect(again.stdout).toBe('agenda for 2017-01-19 was already sent to openxt@lists.example.org; not sent again\n');
  });

  it('fails with one line naming the problem', async () => {
    const noDate = await cli('agenda', '--series', 'adhoc');
    expect(noDate.code).toBe(1);
    expect(noDate.stderr).toBe('minutes: series "adhoc" has no cadence: give the meeting date with --date YYYY-MM-DD (or ?date=)\n');
    const unknown = await cli('agenda', '--series', 'nope');
    expect(unknown.stderr).toBe('minutes: series "nope" does not exist\n');
    const badFormat = await cli('agenda', '--series', 'openxt', '--format', 'pdf');
    expect(badFormat.stderr).toBe('minutes: --format must be md, html or json\n');
    const badDate = await cli('agenda', '--series', 'openxt', '--date', '2017-02-30');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toBe('minutes: date must be a date YYYY-MM-DD, got "2017-02-30"\n');
    const noSeries = await cli('agenda');
    expect(noSeries.code).toBe(2);
    expect(noSeries.stderr).toMatch(/--series/);
  });
});
