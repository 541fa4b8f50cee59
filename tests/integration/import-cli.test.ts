import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runCli, sharedDir, tempDataDir, testDialect } from '../helpers/env.js';
import { dataDirRows } from '../helpers/data-dir-database.js';

let tmp: ReturnType<typeof tempDataDir>;
beforeAll(() => {
  tmp = tempDataDir('minutes-import-cli-');
});
afterAll(() => tmp.cleanup());

const sql = (dir: string, q: string) => dataDirRows(dir, q);

describe('minutes import (CLI)', () => {
  it('imports all of the shared corpus and examples into one database, then finds them unchanged', async () => {
    const data = join(tmp.dir, 'all');
    // No series set up: month-only minutes (September 2017, a monthly recap) are stored with
    // the month as their date, the day to confirm in the review queue; nothing is refused.
    const first = await runCli(['import', join(sharedDir, 'corpus'), join(sharedDir, 'examples'), '--json'], { dataDir: data });
    expect(first.code, first.stderr).toBe(0);
    const out = JSON.parse(first.stdout) as {
      files: { file: string; ok: boolean; meetings: { meeting: { seriesSlug: string } }[] }[];
      summary: Record<string, any>;
    };
    expect(out.files.filter((f) => !f.ok)).toEqual([]);
    expect(out.summary.failedFiles).toBe(0);
    expect(out.summary.files).toBe(out.files.length);
    expect(out.summary.meetings.new).toBeGreaterThan(100); // the archives split into many meetings
    expect(out.summary.actions).toBeGreaterThan(100);
    // Each project lands in the series its file name implies: the SIG Docs archive and the
    // OpenJS CPC minutes share 2020-08-25 without meeting.
    const seriesOf = (name: string) => out.files.find((f) => basename(f.file) === name)!.meetings[0].meeting.seriesSlug;
    expect(seriesOf('openjs-cpc-2020-08-25.md')).toBe('openjs-cpc');
    expect(seriesOf('kubernetes-sig-docs-2020.md')).toBe('kubernetes-sig-docs');
    expect(seriesOf('openxt-2016-12-15.md')).toBe('openxt');

    const again = await runCli(['import', join(sharedDir, 'corpus'), join(sharedDir, 'examples')], { dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/meetings: 0 new, 0 revised, \d+ unchanged/);
    expect(await sql(data, "SELECT date, date_precision FROM meetings m JOIN series s ON s.id = m.series_id WHERE s.slug = 'openxt' AND date LIKE '2017-09%'")).toEqual([
      { date: '2017-09', date_precision: 'month' },
    ]);
    // The SQLite file itself is checked too (PostgreSQL has no such file to check).
    if (testDialect === 'sqlite') expect(await sql(data, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 120_000);

  it('prints one line per meeting and a summary; a bad file fails alone with exit 1', async () => {
    const data = join(tmp.dir, 'mixed');
    const src = join(tmp.dir, 'mixed-src');
    mkdirSync(join(src, 'nested'), { recursive: true });
    cpSync(join(sharedDir, 'examples', 'openxt-2016-12-15.md'), join(src, 'nested', 'openxt-2016-12-15.md'));
    writeFileSync(join(src, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    writeFileSync(join(src, 'empty.txt'), '\n\n');
    writeFileSync(join(src, 'undated.md'), '# Notes\n\nACTION: Ann to write things\n');
    writeFileSync(join(src, 'ignored.json'), '{}');
    writeFileSync(join(src, 'README.md'), '# Minutes of our calls\n\nOne file per meeting, e.g. 2016-12-15.\n');
    const r = await runCli(['import', src, '--series', 'openxt'], { dataDir: data });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/openxt-2016-12-15\.md: 2016-12-15 openxt: new \(rev 1\), 6 actions \(\+6 new\)/);
    expect(r.stdout).toMatch(/files: 4 \(3 failed\); meetings: 1 new, 0 revised, 0 unchanged; actions: 6; decisions: 0/);
    expect(r.stdout).toMatch(/slowest: /);
    expect(r.stderr).toMatch(/binary\.md: input looks binary/);
    expect(r.stderr).toMatch(/empty\.txt: input is empty/);
    expect(r.stderr).toMatch(/undated\.md: no meeting date .*--date/);
    expect(r.stdout + r.stderr).not.toMatch(/ignored\.json|README/);
    expect(await sql(data, 'SELECT count(*) AS n FROM meetings')).toEqual([{ n: 1 }]);
  }, 120_000);

  it('stores month-only minutes with the day to confirm, takes --date, and --dry-run writes nothing', async () => {
    const data = join(tmp.dir, 'dates');
    const file = join(sharedDir, 'examples', 'openxt-2017-09.md');
    // Without a cadence: stored as "2017-09", the day to confirm in the review queue.
    const month = await runCli(['import', file, '--series', 'openxt'], { dataDir: data });
    expect(month.code, month.stderr).toBe(0);
    expect(month.stdout).toMatch(/2017-09 openxt: new \(rev 1\)/);
    const queue = await runCli(['review'], { dataDir: data });
    expect(queue.code, queue.stderr).toBe(0);
    const dateItem = /#(\d+) openxt 2017-09: minutes dated 2017-09 only; confirm the day/.exec(queue.stdout);
    expect(dateItem, queue.stdout).not.toBeNull();
    const again = await runCli(['import', file, '--series', 'openxt'], { dataDir: data });
    expect(again.stdout).toMatch(/meetings: 0 new, 0 revised, 1 unchanged/);
    // A day outside the month is refused in one line; a day of the month moves the meeting.
    const wrong = await runCli(['review', 'accept', dateItem![1], '--date', '2017-10-12'], { dataDir: data });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the minutes say 2017-09; choose a day of that month/);
    const ok = await runCli(['review', 'accept', dateItem![1], '--date', '2017-09-14'], { dataDir: data });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/meeting moved to 2017-09-14/);
    expect(await sql(data, 'SELECT date, date_precision FROM meetings')).toEqual([{ date: '2017-09-14', date_precision: 'day' }]);
    // The same month-only text later still finds its (now dated) meeting.
    const later = await runCli(['import', file, '--series', 'openxt'], { dataDir: data });
    expect(later.stdout).toMatch(/meetings: 0 new, 0 revised, 1 unchanged/);
    expect((await runCli(['review'], { dataDir: data })).stdout).not.toMatch(/confirm the day/);
    // Imported once with --date elsewhere, then bare: unchanged, not a second meeting.
    const other = join(tmp.dir, 'dates-given');
    expect((await runCli(['import', file, '--series', 'openxt', '--date', '2017-09-14'], { dataDir: other })).code).toBe(0);
    const bare = await runCli(['import', file, '--series', 'openxt'], { dataDir: other });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/meetings: 0 new, 0 revised, 1 unchanged/);
    expect(await sql(other, 'SELECT count(*) AS n FROM meetings')).toEqual([{ n: 1 }]);
    const fresh = join(tmp.dir, 'dates-dry');
    const dry = await runCli(['import', file, '--series', 'openxt', '--date', '2017-09-14', '--dry-run'], { dataDir: fresh });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run, nothing written: files: 1; meetings: 1 new/);
    expect(await sql(fresh, 'SELECT count(*) AS n FROM meetings')).toEqual([{ n: 0 }]);
    const real = await runCli(['import', file, '--series', 'openxt', '--date', '2017-09-14'], { dataDir: fresh });
    expect(real.code, real.stderr).toBe(0);
    expect(await sql(fresh, 'SELECT date FROM meetings')).toEqual([{ date: '2017-09-14' }]);
    const bad = await runCli(['import', file, '--date', '14/09/2017'], { dataDir: fresh });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--date must be YYYY-MM-DD/);
    const missing = await runCli(['import', join(tmp.dir, 'nope')], { dataDir: data });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope: no such file or folder/);
  }, 120_000);

  it('splits an archive into meetings', async () => {
    const data = join(tmp.dir, 'archive');
    const r = await runCli(['import', join(sharedDir, 'corpus', 'cncf-mentoring-wg-2022.md'), '--series', 'mentoring', '--json'], { dataDir: data });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { meetings: { meeting: { date: string } }[] }[] };
    const dates = out.files[0].meetings.map((m) => m.meeting.date);
    expect(dates.length).toBeGreaterThan(5);
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates).toContain('2022-12-13');
  }, 120_000);
});
