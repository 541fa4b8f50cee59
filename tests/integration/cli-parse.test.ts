/** `minutes parse` through the built CLI: JSON contract, readable summary, one-line errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, sharedDir } from '../helpers/env.js';

const example = (f: string): string => join(sharedDir, 'examples', f);
const tmp = mkdtempSync(join(tmpdir(), 'minutes-parse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('minutes parse', () => {
  it('prints the ParsedMinutes JSON with --json', async () => {
    const r = await runCli(['parse', example('openxt-2016-12-15.md'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['absent', 'actions', 'attendees', 'date', 'decisions', 'series', 'suggestions', 'title', 'topics', 'warnings']);
    expect(out.title).toBe('Community Call - 15th December 2016');
    expect(out.date).toBe('2016-12-15');
    expect(out.attendees).toContainEqual({ name: 'Ross Philipson', org: 'AIS Burlington', handle: null, role: null });
    expect(out.topics).toContainEqual({ title: 'tboot and UEFI', line: 14, deferredTo: null });
  });

  it('uses --date when the minutes give only a month', async () => {
    const r = await runCli(['parse', example('openxt-2017-09.raw.txt'), '--date', '2017-09-14', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).date).toBe('2017-09-14');
  });

  it('prints an aligned summary without --json', async () => {
    const r = await runCli(['parse', example('openxt-2017-09.md')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Title       September 2017 OpenXT Community Call');
    expect(r.stdout).toContain('Date        2017-09');
    expect(r.stdout).toMatch(/Topics\n(?: {2}.*\n)*? {2}L44 +stable-7 branch \(7\.0\.x, 7\.1\.x\) +deferred to 2017-10/);
  });

  it.each([
    ['a missing file', () => join(tmp, 'nope.md'), /^minutes: cannot read .*nope\.md: no such file\n$/],
    ['a folder', () => tmp, /^minutes: .* is a folder, not a minutes file\n$/],
    ['a binary file', () => { const f = join(tmp, 'bin.md'); writeFileSync(f, Buffer.from([0x23, 0, 1, 2, 0xff])); return f; }, /^minutes: .*bin\.md: input looks binary/],
    ['an empty file', () => { const f = join(tmp, 'empty.md'); writeFileSync(f, '\n  \n'); return f; }, /^minutes: .*empty\.md: input is empty/],
    ['an oversize file', () => { const f = join(tmp, 'big.md'); writeFileSync(f, 'x'.repeat(2 * 1024 * 1024 + 10)); return f; }, /^minutes: .*big\.md is 2\.0 MB; the limit is 2\.0 MB\n$/],
  ])('refuses %s with one line and a non-zero exit', async (_what, path, message) => {
    const r = await runCli(['parse', path()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a malformed --date', async () => {
    const r = await runCli(['parse', example('openxt-2017-09.md'), '--date', 'Sept 14']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe('minutes: --date must be YYYY-MM-DD, got "Sept 14"\n');
  });
});
