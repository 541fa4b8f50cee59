import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, sharedDir, tempDataDir, testDialect } from '../helpers/env.js';
import { dataDirRows } from '../helpers/data-dir-database.js';

let tmp: ReturnType<typeof tempDataDir>;
let data: string;
beforeAll(async () => {
  tmp = tempDataDir('minutes-cli-storage-');
  data = join(tmp.dir, 'data');
  const r = await runCli(['import', join(sharedDir, 'examples', 'openxt-2016-12-15.md'), '--series', 'openxt'], { dataDir: data });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

const cli = (...args: string[]) => runCli(args, { dataDir: data });

describe('minutes series', () => {
  it('creates, updates and lists a series; validates cadence and timezone', async () => {
    const add = await cli('series', 'add', 'xen-summit', '--name', 'Xen Summit', '--cadence', 'FREQ=MONTHLY;BYDAY=2TH', '--timezone', 'Europe/London', '--chair', 'Rich Persaud', '--list', 'summit@lists.example.org');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/created xen-summit "Xen Summit" \(cadence FREQ=MONTHLY;BYDAY=2TH, timezone Europe\/London, chair Rich Persaud, list summit@lists\.example\.org\)/);
    const upd = await cli('series', 'add', 'xen-summit', '--timezone', 'UTC');
    expect(upd.stdout).toMatch(/updated xen-summit "Xen Summit" \(cadence FREQ=MONTHLY;BYDAY=2TH, timezone UTC/);
    const badRule = await cli('series', 'add', 'x', '--name', 'X', '--cadence', 'FREQ=SOMETIMES');
    expect(badRule.code).toBe(1);
    expect(badRule.stderr).toMatch(/^minutes: cadence "FREQ=SOMETIMES" is not a valid RRULE/);
    const badTz = await cli('series', 'add', 'x', '--name', 'X', '--timezone', 'Mars/Olympus');
    expect(badTz.code).toBe(1);
    expect(badTz.stderr).toMatch(/unknown timezone "Mars\/Olympus" \(use an IANA name/);
    const noName = await cli('series', 'add', 'brand-new');
    expect(noName.stderr).toMatch(/--name is required/);
    const list = await cli('series', 'list', '--json');
    expect(JSON.parse(list.stdout).map((s: { slug: string }) => s.slug)).toEqual(['openxt', 'xen-summit']);
  }, 90_000);

  it('adds standing agenda items (repeatable), keeps them on update, clears them', async () => {
    const add = await cli('series', 'add', 'standing-call', '--name', 'Standing', '--standing', 'Roll call', '--standing', 'Release status');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/standing: Roll call; Release status\)/);
    const more = await cli('series', 'add', 'standing-call', '--standing', 'AOB', '--standing', 'Roll call');
    expect(more.stdout).toMatch(/standing: Roll call; Release status; AOB\)/);
    const list = await cli('series', 'list');
    expect(list.stdout).toMatch(/^standing-call "Standing" \(timezone UTC, standing: Roll call; Release status; AOB\)$/m);
    const json = await cli('series', 'list', '--json');
    expect(JSON.parse(json.stdout).find((s: { slug: string }) => s.slug === 'standing-call').standingItems).toEqual(['Roll call', 'Release status', 'AOB']);
    const untouched = await cli('series', 'add', 'standing-call', '--timezone', 'Europe/Paris');
    expect(untouched.stdout).toMatch(/standing: Roll call; Release status; AOB\)/);
    const replaced = await cli('series', 'add', 'standing-call', '--clear-standing', '--standing', 'Demos');
    expect(replaced.stdout).toMatch(/standing: Demos\)$/m);
    const cleared = await cli('series', 'add', 'standing-call', '--clear-standing');
    expect(cleared.stdout).not.toMatch(/standing:/);
    const empty = await cli('series', 'add', 'standing-call', '--standing', '  ');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^minutes: --standing must not be empty/);
  }, 90_000);
});

describe('minutes people', () => {
  it('adds, completes, aliases, lists and merges people', async () => {
    const add = await cli('people', 'add', 'Ross Philipson', '--email', 'ross@example.org', '--alias', 'rphilipson', '--alias', 'Ross P');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^updated #\d+ Ross Philipson \(ross@example\.org; AIS Burlington; aka rphilipson, Ross P\)/);
    const dupEmail = await cli('people', 'add', 'Someone Else', '--email', 'ROSS@example.org');
    expect(dupEmail.code).toBe(1);
    expect(dupEmail.stderr).toMatch(/ROSS@example\.org already belongs to Ross Philipson/);
    const badEmail = await cli('people', 'add', 'Bad Mail', '--email', 'not-an-email');
    expect(badEmail.stderr).toMatch(/not an email address/);

    const alias = await cli('people', 'alias', 'james mckenzie', 'jamesmck');
    expect(alias.stdout).toMatch(/James McKenzie .*aka jamesmck/);
    const taken = await cli('people', 'alias', 'Rich Persaud', 'rphilipson');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/'rphilipson' already names Ross Philipson/);

    await cli('people', 'add', 'R. Philipson');
    const merge = await cli('people', 'merge', 'R. Philipson', 'Ross Philipson');
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toMatch(/merged into #\d+ Ross Philipson .*aka .*R\. Philipson/);
    const list = JSON.parse((await cli('people', 'list', '--json')).stdout) as { name: string; kind: string }[];
    expect(list.map((p) => p.name)).not.toContain('R. Philipson');
    expect(list.find((p) => p.name === 'AIS Burlington')?.kind).toBe('group');
    // The old name now finds the merged person.
    const owned = await cli('actions', '--owner', 'R. Philipson');
    expect(owned.stdout.trim().split('\n')).toHaveLength(3);
  }, 90_000);

  it('lists names that stayed unresolved', async () => {
    const file = join(tmp.dir, 'rich.md');
    writeFileSync(file, '# Call 2016-12-22\n\n## Attendees\n\n- Rich Persaud; BAE\n- Rich Turner; Citrix\n\n## Notes\n\nACTION: Rich to update the wiki\n');
    const imp = await cli('import', file, '--series', 'openxt');
    expect(imp.code, imp.stderr).toBe(0);
    const r = await cli('people', 'unresolved');
    expect(r.stdout).toMatch(/^Rich: 1 action \(#\d+\); could be Rich Persaud \(#\d+\), Rich Turner \(#\d+\)$/m);
  }, 90_000);
});

describe('minutes actions, close, reopen', () => {
  it('lists, closes and reopens with history, and says when nothing changed', async () => {
    const list = JSON.parse((await cli('actions', '--owner', 'Ross Philipson', '--json')).stdout) as { id: number; status: string }[];
    expect(list.length).toBe(3);
    const id = String(list[0].id);
    const close = await cli('close', id, '--note', 'done at the summit');
    expect(close.code, close.stderr).toBe(0);
    expect(close.stdout).toMatch(new RegExp(`^closed #${id} \\[done\\]`));
    expect((await cli('close', id)).stdout).toMatch(/already done; nothing changed/);
    expect((await cli('actions', '--owner', 'Ross Philipson')).stdout.trim().split('\n')).toHaveLength(2);
    expect((await cli('actions', '--status', 'done')).stdout).toMatch(new RegExp(`#${id} \\[done\\]`));
    const reopen = await cli('reopen', id);
    expect(reopen.stdout).toMatch(new RegExp(`^reopened #${id} \\[open\\]`));
    expect((await cli('reopen', id)).stdout).toMatch(/already open; nothing changed/);

    const events = await dataDirRows(data, 'SELECT kind, source, note FROM action_events WHERE action_id = ? ORDER BY id', Number(id));
    expect(events).toEqual([
      { kind: 'created', source: 'import', note: null },
      { kind: 'closed', source: 'cli', note: 'done at the summit' },
      { kind: 'reopened', source: 'cli', note: null },
    ]);
  }, 90_000);

  it('refuses bad ids, statuses and unknown series with one line', async () => {
    expect((await cli('close', '99999')).stderr).toBe('minutes: action 99999 does not exist\n');
    expect((await cli('close', 'abc')).stderr).toMatch(/action id must be a positive number, got 'abc'/);
    expect((await cli('actions', '--status', 'maybe')).stderr).toMatch(/--status must be open, done, dropped or all/);
    expect((await cli('actions', '--series', 'nope')).stderr).toMatch(/series 'nope' does not exist/);
    expect((await cli('actions', '--series', 'openxt', '--status', 'all', '--json')).code).toBe(0);
    expect((await cli('actions', '--owner', '')).stderr).toBe('minutes: --owner must not be empty\n');
  }, 90_000);

  it('lists with nothing configured (no schema needed) and still checks a variable that is set', async () => {
    // runCli sets MINUTES_SECRET; unset here, the secret comes from the data folder as on a user's machine.
    const unset = { MINUTES_SECRET: undefined as unknown as string };
    const plain = await runCli(['actions', '--status', 'all'], { dataDir: data, env: unset });
    if (process.env.MINUTES_TEST_DATABASE === 'postgres') {
      // With DATABASE_URL a secret from the data folder would differ per instance: refused.
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/^minutes: invalid configuration: MINUTES_SECRET must be set when DATABASE_URL is/);
    } else {
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^#\d+ \[open\]/m);
    }
    const badPort = await runCli(['actions'], { dataDir: data, env: { ...unset, PORT: 'abc' } });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/^minutes: invalid configuration: PORT /);
    const shortSecret = await runCli(['actions'], { dataDir: data, env: { MINUTES_SECRET: 'short' } });
    expect(shortSecret.stderr).toMatch(/^minutes: invalid configuration: MINUTES_SECRET must be at least 32 characters/);
  }, 90_000);
});

describe('minutes backup', () => {
  it.skipIf(testDialect === 'postgres')('copies the database online and refuses to overwrite without --force', async () => {
    const target = join(tmp.dir, 'backup.db');
    const r = await cli('backup', target);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(target)).toBe(true);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n).toBeGreaterThan(0);
    copy.close();
    const again = await cli('backup', target);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    expect((await cli('backup', target, '--force')).code).toBe(0);
  }, 90_000);

  it.skipIf(testDialect === 'sqlite')('on PostgreSQL points at pg_dump in one line, writing nothing', async () => {
    const target = join(tmp.dir, 'backup-pg.db');
    const r = await cli('backup', target);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('minutes: minutes backup copies a SQLite database; back PostgreSQL up with pg_dump\n');
    expect(existsSync(target)).toBe(false);
  }, 90_000);
});
