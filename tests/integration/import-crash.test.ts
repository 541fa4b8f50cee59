import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot, runCli, tempDataDir } from '../helpers/env.js';
import { writeGeneratedMinutes } from '../helpers/generate-minutes.js';

let tmp: ReturnType<typeof tempDataDir>;
let src: string;
const FILES = 400;

beforeAll(() => {
  tmp = tempDataDir('minutes-import-crash-');
  src = join(tmp.dir, 'minutes');
  writeGeneratedMinutes(src, FILES);
});
afterAll(() => tmp.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function meetingsIn(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

/** Every stored meeting is whole: revision, attendance, decisions, actions with owners and events. */
function checkWhole(file: string) {
  const db = new Database(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const q = (sql: string) => db.prepare(sql).all();
    expect(q(`SELECT m.id FROM meetings m LEFT JOIN minutes_revisions r ON r.id = m.current_revision_id WHERE r.id IS NULL`)).toEqual([]);
    expect(q(`SELECT m.id FROM meetings m WHERE (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id) <> 8`)).toEqual([]);
    expect(q(`SELECT m.id FROM meetings m WHERE (SELECT count(*) FROM decisions d WHERE d.meeting_id = m.id) <> 2`)).toEqual([]);
    // Each meeting states 5 actions: created here, or carried over from its previous meeting.
    expect(
      q(`SELECT m.id FROM meetings m WHERE
           (SELECT count(DISTINCT e.action_id) FROM action_events e WHERE e.meeting_id = m.id AND e.kind IN ('created', 'carried')) <> 5`),
    ).toEqual([]);
    expect(q(`SELECT a.id FROM actions a WHERE NOT EXISTS (SELECT 1 FROM action_owners o WHERE o.action_id = a.id)`)).toEqual([]);
    expect(q(`SELECT a.id FROM actions a WHERE NOT EXISTS (SELECT 1 FROM action_events e WHERE e.action_id = a.id AND e.kind = 'created')`)).toEqual([]);
    return (db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('import under failure and concurrency', () => {
  it('a process killed with SIGKILL mid-import leaves only whole meetings, and a rerun completes', async () => {
    const data = join(tmp.dir, 'killed');
    const dbFile = join(data, 'minutes.db');
    const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', data, 'import', src], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let exited = false;
    child.on('exit', () => (exited = true));
    const deadline = Date.now() + 60_000;
    while (!exited && meetingsIn(dbFile) < 10 && Date.now() < deadline) await sleep(5);
    child.kill('SIGKILL');
    await new Promise((r) => (exited ? r(null) : child.on('exit', r)));
    const stored = checkWhole(dbFile);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(FILES); // killed in the middle, not after the end

    const rerun = await runCli(['import', src], { dataDir: data });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`meetings: ${FILES - stored} new, 0 revised, ${stored} unchanged`));
    expect(checkWhole(dbFile)).toBe(FILES);
  }, 120_000);

  it('two processes importing the same folder at once store each meeting once', async () => {
    const data = join(tmp.dir, 'racing');
    const few = join(tmp.dir, 'few');
    writeGeneratedMinutes(few, 80);
    const [a, b] = await Promise.all([runCli(['import', few, '--json'], { dataDir: data }), runCli(['import', few, '--json'], { dataDir: data })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const sa = JSON.parse(a.stdout).summary;
    const sb = JSON.parse(b.stdout).summary;
    expect(sa.meetings.new + sb.meetings.new).toBe(80);
    expect(sa.meetings.unchanged + sb.meetings.unchanged).toBe(80);
    expect(checkWhole(join(data, 'minutes.db'))).toBe(80);
    const db = new Database(join(data, 'minutes.db'), { readonly: true });
    try {
      // 20 series x 4 meetings: 5 actions in the first meeting, then 4 new + 1 carried over.
      expect(db.prepare('SELECT count(*) AS n FROM actions').get()).toEqual({ n: 20 * 5 + 60 * 4 });
      expect(db.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 40 });
      expect(db.prepare('SELECT count(*) AS n FROM minutes_revisions').get()).toEqual({ n: 80 });
    } finally {
      db.close();
    }
  }, 120_000);
});
