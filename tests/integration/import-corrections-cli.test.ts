/**
 * `minutes import FILE --corrections FILE.json` (issue 12): the built CLI spawned over a real
 * SQLite file. Happy path, dry run, the revision summary, and each refusal (one line, exit
 * code, nothing stored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDataDir } from '../helpers/env.js';
import { dataDirRows } from '../helpers/data-dir-database.js';

let tmp: ReturnType<typeof tempDataDir>;
let data: string;
beforeAll(() => {
  tmp = tempDataDir('minutes-corrections-cli-');
  data = join(tmp.dir, 'data');
});
afterAll(() => tmp.cleanup());

const sql = (q: string) => dataDirRows(data, q);

const text = (pad = 0, guide = 'update the contributor guide') => `# Community call 2024-03-07

Attendees: Ann Lee, Bob Stone
${'\nA note.\n'.repeat(pad)}
ACTION: Bob to tag the release
ACTION: ${guide}
DECISION: drop Python 3.7 support

Ann will look into the flaky CI job.
`;
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;
const file = (name: string, body: string) => {
  const p = join(tmp.dir, name);
  writeFileSync(p, body);
  return p;
};

describe('minutes import --corrections', () => {
  it('refuses what it cannot take with one line and exit 1, storing nothing', async () => {
    const md = file('call.md', text());
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder, { recursive: true });
    const ok = file('ok.json', JSON.stringify({ actions: [{ line: lineOf(text(), 'contributor guide'), owners: ['Dana Ruiz'] }] }));
    const cases: [string[], RegExp][] = [
      [['import', folder, '--corrections', ok], /give one minutes file, not the folder/],
      [['import', md, md, '--corrections', ok], /one minutes file \(or - for stdin\), not 2 paths/],
      [['import', md, '--corrections', join(tmp.dir, 'missing.json')], /cannot read --corrections .*missing\.json: no such file/],
      [['import', md, '--corrections', file('bad.json', '{"actions": [')], /--corrections .*bad\.json is not JSON/],
      [['import', md, '--corrections', file('due.json', '{"actions":[{"line":6,"due":"2024-13-01"}]}')], /^minutes: corrections\.actions\[0\]\.due must be a calendar date YYYY-MM-DD$/],
      [['import', md, '--corrections', file('miss.json', '{"suggestions":[{"line":2,"op":"promote"}]}')], /the suggestion correction for line 2 names no suggestion there; nothing was stored/],
      [['import', '-', '--corrections', '-'], /cannot both come from stdin/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { dataDir: data });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/invalid_type|ZodError|at .*\.js/);
    }
    const stored = await sql(`SELECT count(*) AS n FROM meetings`) as { n: number }[];
    expect(stored[0].n).toBe(0);
  });

  it('imports with corrections (a dry run first), then prints a revision\'s diff with kept and overridden corrections', async () => {
    const md = file('call.md', text());
    const corrections = file(
      'fix.json',
      JSON.stringify({
        actions: [{ line: lineOf(text(), 'contributor guide'), was: 'update the contributor guide', owners: ['Dana Ruiz'], due: '2024-04-01' }],
        decisions: [{ line: lineOf(text(), 'Python 3.7'), drop: true }],
        suggestions: [{ line: lineOf(text(), 'flaky CI'), op: 'promote' }],
      }),
    );
    const dry = await runCli(['import', md, '--corrections', corrections, '--dry-run'], { dataDir: data });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('corrections that would be stored: 4');
    expect(dry.stdout).toContain('owners of action "update the contributor guide": Dana Ruiz');
    expect(dry.stdout).toContain('due of action "update the contributor guide": 2024-04-01');
    expect(dry.stdout).toContain('drop of decision "drop Python 3.7 support"');
    expect(dry.stdout).toContain('promote of suggestion "will look into the flaky CI job"');
    expect(await sql(`SELECT count(*) AS n FROM meetings`)).toEqual([{ n: 0 }]);

    const real = await runCli(['import', md, '--corrections', corrections, '--json'], { dataDir: data });
    expect(real.code, real.stderr).toBe(0);
    const out = JSON.parse(real.stdout) as { files: { meetings: { status: string; actions: { text: string; due: string | null }[]; decisions: unknown[] }[] }[] };
    const m = out.files[0].meetings[0];
    expect(m.status).toBe('new');
    expect(m.actions.find((a) => a.text === 'update the contributor guide')!.due).toBe('2024-04-01');
    expect(m.decisions).toEqual([]);
    expect(await sql(`SELECT kind, item_key AS key FROM import_corrections ORDER BY id`)).toEqual([
      { kind: 'action', key: 'update the contributor guide' },
      { kind: 'decision', key: 'drop python 37 support' },
    ]);

    // A revision from stdin: lines shift, the guide now names its owner.
    const v2 = text(2, 'Ann to update the contributor guide');
    const rev = await runCli(['import', file('call.md', v2)], { dataDir: data });
    expect(rev.code, rev.stderr).toBe(0);
    expect(rev.stdout).toMatch(/revised \(rev 2\)/);
    expect(rev.stdout).toContain('  actions: 0 added, 1 changed, 0 removed, 0 closed, 0 carried');
    expect(rev.stdout).toContain('  decisions: 0 added, 0 removed');
    // Per field: the minutes now name the owner (overridden) but still give no due date (kept).
    expect(rev.stdout).toContain('  corrections: 3 kept, 1 overridden by the new text');
    expect(rev.stdout).toContain('    kept due of action "update the contributor guide": 2024-04-01');
    expect(rev.stdout).toContain('    kept drop of decision "drop Python 3.7 support"');
    expect(rev.stdout).toContain('    kept promote of suggestion "will look into the flaky CI job"');
    expect(rev.stdout).toContain('    overridden owners of action "update the contributor guide": the minutes now say Ann Lee');
    expect(rev.stdout).toContain('    ~ "update the contributor guide" (was owners Dana Ruiz)');
    // What is still stored: the due date alone for the guide, the decision drop.
    expect(await sql(`SELECT kind, correction FROM import_corrections ORDER BY id`)).toEqual([
      { kind: 'action', correction: '{"due":"2024-04-01"}' },
      { kind: 'decision', correction: '{"drop":true}' },
    ]);

    // `minutes edit` and `minutes drop` are corrections too: a re-upload of the same text shifted keeps them.
    const ids = await sql(`SELECT id, text FROM actions ORDER BY id`) as { id: number; text: string }[];
    const tag = ids.find((x) => x.text === 'tag the release')!.id;
    const guide = ids.find((x) => x.text === 'update the contributor guide')!.id;
    expect((await runCli(['edit', String(tag), '--due', '2024-05-05'], { dataDir: data })).code).toBe(0);
    const drop = await runCli(['drop', String(guide), '--note', 'duplicate'], { dataDir: data });
    expect(drop.code, drop.stderr).toBe(0);
    expect(drop.stdout).toMatch(/^dropped /);
    expect((await runCli(['drop', String(guide)], { dataDir: data })).stdout).toMatch(/already dropped; nothing changed/);
    const again = await runCli(['import', file('call.md', text(4, 'Ann to update the contributor guide'))], { dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('    kept due of action "tag the release": 2024-05-05');
    expect(again.stdout).toContain('    kept drop of action "update the contributor guide"');
    expect(await sql(`SELECT id, status, due FROM actions WHERE id IN (${tag}, ${guide}) ORDER BY id`)).toEqual([
      { id: tag, status: 'open', due: '2024-05-05' },
      { id: guide, status: 'dropped', due: '2024-04-01' },
    ]);

    // Minutes on stdin with corrections.
    const v3 = text(3, 'Ann to update the contributor guide');
    const stdin = await runCli(['import', '-', '--series', 'community', '--corrections', file('tag.json', JSON.stringify({ actions: [{ line: lineOf(v3, 'tag the release'), drop: true }] }))], {
      dataDir: data,
      input: v3,
    });
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(stdin.stdout).toContain('corrections stored: 1');
    expect(stdin.stdout).toContain('drop of action "tag the release"');
  });
});
