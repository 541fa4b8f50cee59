import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDataDir, testDialect } from '../helpers/env.js';
import { freshPostgres } from '../helpers/postgres-cluster.js';
import { seeder, daysAgo } from '../helpers/reminder-seed.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { EXCLUSIVE_LOCK_CLASS, type PostgresDatabase } from '../../server/db/postgres-database.js';

/**
 * Issue 14, "several instances at once": three `minutes serve` processes (each its own data
 * folder and port) and `minutes remind` runs, all on ONE PostgreSQL database with one
 * MINUTES_SECRET, mailing to one SMTP sink. Uploads, closes and reminder passes go to all of
 * them at once; the instance running the reminder pass is SIGKILLed in the middle of it. Then:
 * every owner got exactly one digest for the period (at the SMTP server and in
 * reminder_digests), every close answered 200 is closed, the same minutes uploaded to two
 * instances at once made one meeting, a list cached by one instance is rebuilt after a write
 * through another, and the sign-in limit of one address counts the requests of every instance.
 *
 * PostgreSQL only: on SQLite several servers share one file on one machine (tested by the
 * reminder and outbox suites with a second connection).
 */
const SECRET = 'multi-secret-0123456789abcdef-0123456789';
const OWNERS = 240;
const CLOSES = 36;

interface Instance {
  name: string;
  dir: string;
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function env(databaseUrl: string, sink: SmtpSink, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: databaseUrl, MINUTES_SECRET: SECRET, SMTP_URL: sink.url, PORT: '0', ...extra };
}

/** `minutes serve` on a free port, resolved once it prints its address. */
async function serve(name: string, databaseUrl: string, sink: SmtpSink): Promise<Instance> {
  const d = tempDataDir(`minutes-${name}-`);
  cleanups.push(d.cleanup);
  // A reminder pass every 2 seconds on every instance: they compete for it all along.
  const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', d.dir, 'serve'], {
    env: env(databaseUrl, sink, { REMIND_CRON: '*/2 * * * * *' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
  return { name, dir: d.dir, child, url, output: () => out, exited };
}

/** A CLI run with the instances' environment; the child is exposed so the test can kill it. */
function cli(args: string[], dataDir: string, databaseUrl: string, sink: SmtpSink) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', dataDir, ...args], {
    env: env(databaseUrl, sink),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b) => (stdout += b));
  child.stderr!.on('data', (b) => (stderr += b));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** The process (among `pids`) owning the local TCP port `port` (a PostgreSQL client connection). */
function pidOwningPort(port: number, pids: number[]): number | null {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex)) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
        } catch {
          // fd closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(testDialect !== 'postgres')('three instances on one PostgreSQL database', () => {
  it('an instance without MINUTES_SECRET refuses to start, in one line, and writes no secret file', async () => {
    const d = tempDataDir('minutes-nosecret-');
    cleanups.push(d.cleanup);
    const { MINUTES_SECRET: _unset, ...rest } = process.env;
    const child = spawn(process.execPath, [join(repoRoot, 'bin/minutes.js'), '--data-dir', d.dir, 'serve'], {
      env: { ...rest, DATABASE_URL: 'postgres://minutes@127.0.0.1:1/minutes', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (b) => (stderr += b));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'minutes: invalid configuration: MINUTES_SECRET must be set when DATABASE_URL is (every instance and command on the database needs the same secret; e.g. `openssl rand -hex 32`)',
    ]);
    expect(readdirSync(d.dir)).not.toContain('secret');
  });

  it('send each digest once, lose no close, make one meeting of one upload, share caches and sign-in limits — with one instance killed mid-pass', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const db: PostgresDatabase = await freshPostgres();
    cleanups.push(() => db.close());
    const url = db.url!;

    // Owners with an address and an open action from a meeting old enough to remind about;
    // the first CLOSES owners have a second action the test closes through the instances.
    const seed = seeder(db);
    const series = await seed.series('multi-call', 'Multi Call');
    const meeting = await seed.meeting(series, daysAgo(10), '# Multi call\n\nACTION: everyone to do something\n');
    const owners: number[] = [];
    const toClose: number[] = [];
    for (let i = 1; i <= OWNERS; i++) {
      const p = await seed.person(`Owner ${i}`, { email: `owner${i}@example.org` });
      owners.push(p);
      await seed.action({ meetingId: meeting, text: `Task of owner ${i}`, owners: [p], due: daysAgo(3) });
      if (i <= CLOSES) toClose.push(await seed.action({ meetingId: meeting, text: `Second task of owner ${i}`, owners: [p] }));
    }

    const instances = await Promise.all(['a', 'b', 'c'].map((n) => serve(n, url, sink)));
    // --- Kill whoever holds the reminder pass, once it has decided some digests and not all.
    // Watched from the moment the servers are up: their schedules start a pass within 2 s, and
    // on a loaded machine that pass could be over before the calls below were under way.
    const reminds: ReturnType<typeof cli>[] = [];
    const candidates = () => [...instances.map((i) => i.child.pid!), ...reminds.map((r) => r.child.pid!)];
    const watch = (async () => {
      let killed: { pid: number; what: string; digestsThen: number } | null = null;
      const deadline = Date.now() + 60_000;
      while (!killed && Date.now() < deadline) {
        const row = await db.get<{ digests: number; port: number | null }>(
          `SELECT (SELECT count(*) FROM reminder_digests) AS digests,
             (SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${EXCLUSIVE_LOCK_CLASS}
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS port`,
        );
        if (row && row.port !== null && row.digests > 0 && row.digests < OWNERS) {
          const pid = pidOwningPort(row.port, candidates());
          if (pid !== null) {
            process.kill(pid, 'SIGKILL');
            const inst = instances.find((i) => i.child.pid === pid);
            killed = { pid, what: inst ? `server ${inst.name}` : 'a minutes remind run', digestsThen: row.digests };
          }
        }
        await sleep(10);
      }
      return killed;
    })();

    const made = cli(['token', 'create', '--role', 'admin', '--name', 'multi'], instances[0]!.dir, url, sink);
    const token = (await made.done).stdout.trim();
    expect(token).toMatch(/^mnt_/);
    const api = (inst: Instance, path: string, init: RequestInit = {}) =>
      fetch(inst.url + path, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

    // --- Everything at once: passes (the servers' schedule plus `minutes remind` on each data
    // folder), closes spread over the instances, the same minutes uploaded to two of them.
    reminds.push(...instances.map((inst) => cli(['remind'], inst.dir, url, sink)));
    const minutes = `# Multi call ${daysAgo(1)}\n\n## Attendees\n\n- Owner 1\n\n## Notes\n\nACTION: Owner 1 to write the summary\n`;
    const uploads = Promise.all(
      [instances[0]!, instances[1]!].map((inst) =>
        api(inst, '/api/meetings?series=multi-call', { method: 'POST', body: minutes, headers: { 'content-type': 'text/markdown' } }).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    const closes = Promise.all(
      toClose.map((id, i) =>
        api(instances[i % 3]!, `/api/actions/${id}/close`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then(
          (r) => ({ id, status: r.status }),
          () => ({ id, status: 0 }),
        ),
      ),
    );
    const killed = await watch;
    expect(killed, 'an instance was caught in the middle of a pass').not.toBeNull();
    const after = (await db.prepare('SELECT count(*) FROM reminder_digests').pluck<number>().get())!;
    expect(after).toBeGreaterThanOrEqual(killed!.digestsThen);

    const remindResults = await Promise.all(reminds.map((r) => r.done));
    // A run that found the pass taken says so (and is not a failure).
    for (const r of remindResults.filter((x) => x.signal === null)) {
      expect(r.code, r.stderr).toBe(0);
      if (/skipped/.test(r.stdout)) expect(r.stdout).toContain('another instance is running the reminder pass');
    }
    const uploadStatuses = await uploads;
    const closeResults = await closes;

    // The survivors and one more run finish the pass; a message a killed sender had claimed is
    // due again when its lease (10 minutes) ends: a run "11 minutes later" sends it.
    const alive = instances.filter((i) => i.child.pid !== killed!.pid);
    const finish = await cli(['remind'], alive[0]!.dir, url, sink).done;
    expect(finish.code, finish.stderr).toBe(0);
    const later = new Date(Date.now() + 11 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const sweep = await cli(['remind', '--now', later], alive[1]!.dir, url, sink).done;
    expect(sweep.code, sweep.stderr).toBe(0);
    await sink.waitFor(OWNERS, 60_000);
    await sleep(3000); // the survivors' schedules keep running: nothing more may arrive

    // Every owner exactly one digest for the period, at the SMTP server and in the database.
    const perAddress = new Map<string, number>();
    for (const m of sink.received) for (const to of m.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    const expected = new Map(owners.map((_, i) => [`owner${i + 1}@example.org`, 1]));
    expect(Object.fromEntries([...perAddress].filter(([, n]) => n !== 1))).toEqual({});
    expect(perAddress.size).toBe(expected.size);
    const digestRows = await db.all<{ person_id: number; n: number }>('SELECT person_id, count(*) AS n FROM reminder_digests GROUP BY person_id');
    expect(digestRows.length).toBe(OWNERS);
    expect(digestRows.filter((r) => r.n !== 1)).toEqual([]);

    // No lost close: every close answered 200 is closed (those to a killed server may have no answer).
    const answered = closeResults.filter((c) => c.status === 200).map((c) => c.id);
    expect(answered.length).toBeGreaterThanOrEqual(Math.floor((CLOSES * 2) / 3));
    expect(closeResults.filter((c) => c.status !== 200 && c.status !== 0)).toEqual([]);
    const statuses = await db.all<{ id: number; status: string }>(`SELECT id, status FROM actions WHERE id IN (${answered.join(',')})`);
    expect(statuses.filter((s) => s.status !== 'done')).toEqual([]);

    // One upload, two instances at once: one meeting; at most one answer says it was new.
    const meetings = await db.prepare("SELECT count(*) FROM meetings WHERE date = ? AND series_id = ?").pluck<number>().get(daysAgo(1), series);
    expect(meetings).toBe(1);
    expect(uploadStatuses.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    expect(uploadStatuses.filter((s) => s !== 0 && s !== 200 && s !== 201)).toEqual([]);

    // A list cached by one instance is rebuilt after a write through another.
    const [x, y] = alive;
    const open = async (inst: Instance) =>
      ((await (await api(inst, '/api/actions?status=open&limit=500')).json()) as { actions: { id: number }[] }).actions.map((a) => a.id);
    const before = await open(y!);
    expect(await open(y!)).toEqual(before); // served again (from the cache)
    const target = before[0]!;
    expect((await api(x!, `/api/actions/${target}/close`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(await open(y!)).not.toContain(target);

    // The sign-in form of one instance (its pre-session cookie and CSRF token) is accepted by
    // the others; the per-address limit (5 per 15 minutes) counts the requests of every
    // instance together.
    const form = await fetch(`${x!.url}/sign-in`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signIn = (inst: Instance) =>
      fetch(`${inst.url}/sign-in`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'someone@example.org', _csrf: csrf }),
        headers: { cookie },
        redirect: 'manual',
      }).then((r) => r.status);
    const asked = [];
    for (let i = 0; i < 6; i++) asked.push(await signIn(alive[i % alive.length]!));
    expect(asked.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(asked[5]).toBe(429);

    // The schedules fire at the same second on every instance: the ones that found the pass
    // taken said so instead of running it.
    expect(instances.map((i) => i.output()).join('\n')).toContain('reminders: pass skipped (another instance is running the reminder pass)');

    for (const inst of alive) inst.child.kill('SIGTERM');
    expect(await Promise.all(alive.map((i) => i.exited))).toEqual(alive.map(() => 0));
    console.log(`killed ${killed!.what} with ${killed!.digestsThen} of ${OWNERS} digests decided`);
  }, 240_000);
});
