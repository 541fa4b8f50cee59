/**
 * HTTP speed: `GET /api/actions?status=open&owner=...` on a database of 100,000 actions,
 * against a bare Express route returning the same JSON, in the same run, at 50 connections
 * (autocannon). Targets: at least 0.6x the bare route's requests/s, p99 under 25 ms.
 *
 * The servers run in a child process so autocannon does not share their event loop.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ACTIONS = 100_000;
const PEOPLE = 1_000;
const MEETINGS = 1_000;
const CONNECTIONS = 50;
const SECONDS = 3;

interface Ready {
  appUrl: string;
  uncachedUrl: string;
  bareUrl: string;
  path: string;
  token: string;
  bytes: number;
  count: number;
  seedMs: number;
}

const SERVE_FLAG = '--serve-bench';
const isServer = process.argv[2] === SERVE_FLAG;
if (isServer) await serve({ dir: process.argv[3] });

/** Child process: seeds the database with fast direct inserts, then serves the app and the bare route. */
async function serve({ dir }: { dir: string }): Promise<void> {
  const express = (await import('express')).default;
  const { loadConfig } = await import('../../server/config.js');
  const { openDatabase } = await import('../../server/db/connection.js');
  const { createServices } = await import('../../server/container.js');
  const { createApp } = await import('../../server/app.js');
  const { tuneDatabase } = await import('../../server/index.js');
  const { foldName } = await import('../../parsers/normalize.js');

  const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: 'bench-secret-0123456789abcdef' });
  const db = openDatabase(config.dbFile);
  const t0 = performance.now();
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare(`INSERT INTO series (slug, name, created_at, updated_at) VALUES ('bench', 'Bench call', ?, ?)`).run(now, now);
    const person = db.prepare(`INSERT INTO people (name, name_key, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
    for (let i = 1; i <= PEOPLE; i++) {
      const name = `Person ${String(i).padStart(4, '0')}`;
      person.run(name, foldName(name), `p${i}@example.org`, now, now);
    }
    const meeting = db.prepare(`INSERT INTO meetings (series_id, date, title, created_at, updated_at) VALUES (1, ?, ?, ?, ?)`);
    const day0 = Date.UTC(2000, 0, 6);
    for (let i = 0; i < MEETINGS; i++) {
      const date = new Date(day0 + i * 7 * 86_400_000).toISOString().slice(0, 10);
      meeting.run(date, `Bench call ${date}`, now, now);
    }
    const action = db.prepare(`INSERT INTO actions (text, due, status, origin_meeting_id, last_meeting_id, topic, line, closed_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'Topic', ?, ?, ?, ?)`);
    const owner = db.prepare(`INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)`);
    for (let i = 1; i <= ACTIONS; i++) {
      const m = 1 + (i % MEETINGS);
      const open = Math.floor(i / PEOPLE) % 10 < 3; // 30% open (per owner too), the rest closed history
      const due = i % 4 === 0 ? new Date(day0 + (m * 7 + 14) * 86_400_000).toISOString().slice(0, 10) : null;
      const id = Number(action.run(`Follow up on item ${i} with the upstream maintainers`, due, open ? 'open' : 'done', m, m, 10 + (i % 90), open ? null : now, now, now).lastInsertRowid);
      const p = 1 + (i % PEOPLE);
      owner.run(id, 0, p, `Person ${String(p).padStart(4, '0')}`);
      if (i % 5 === 0) owner.run(id, 1, 1 + ((i * 7) % PEOPLE), 'Co Owner');
    }
  })();
  const seedMs = performance.now() - t0;

  tuneDatabase(db); // as `minutes serve` does at start
  const services = createServices({ db, config });
  const token = services.tokens.create({ role: 'member', name: 'bench' }).token;
  const owner = 'Person 0042';
  const path = `/api/actions?status=open&owner=${encodeURIComponent(owner)}`;
  const app = createApp(services);
  // The baseline: the same JSON from a bare Express route (no auth, validation or database).
  const body = { actions: services.actions.list({ status: 'open', owner }) };
  // The clock is not fixed: make sure the list is not empty because of a quirk of the seed.
  if (body.actions.length === 0) throw new Error('bench seed gave the owner no open actions');
  const bare = express();
  bare.get('/api/actions', (_req, res) => {
    res.json(body);
  });
  const listen = (a: ReturnType<typeof express>) =>
    new Promise<string>((resolve) => {
      const s = a.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        resolve(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
      });
    });
  const uncached = createApp(services, { responseCache: false });
  const ready: Ready = { appUrl: await listen(app), uncachedUrl: await listen(uncached), bareUrl: await listen(bare), path, token, bytes: JSON.stringify(body).length, count: body.actions.length, seedMs };
  // Event-loop delay of the server process: tells a blocked loop (the app's fault) from a
  // loaded machine (every server's tail grows alike). 'exit' ends the process normally (so
  // `--cpu-prof` can write its profile).
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', (m) => {
    if (m === 'exit') process.exit(0);
    if (m === 'loop-reset') loop.reset();
    if (m === 'loop') process.send!({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
  });
  process.send!(ready);
}

interface LoopDelay {
  p99: number;
  max: number;
}

function load(url: string, headers: Record<string, string>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Parent: starts the server process, checks both answer the same, drives each with autocannon. */
export async function run(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'minutes-http-bench-'));
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG, dir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Ready));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    console.log(`seeded ${ACTIONS.toLocaleString('en')} actions in ${(ready.seedMs / 1000).toFixed(1)} s; the query returns ${ready.count} actions (${(ready.bytes / 1024).toFixed(1)} KB)`);
    const auth = { authorization: `Bearer ${ready.token}` };
    const [a, b] = await Promise.all([fetch(ready.appUrl + ready.path, { headers: auth }).then((r) => r.text()), fetch(ready.bareUrl + ready.path).then((r) => r.text())]);
    if (a !== b) throw new Error('the app and the bare route answer differently');
    // Warm-up: JIT, statement caches, page cache.
    await Promise.all([load(ready.appUrl + ready.path, auth), load(ready.uncachedUrl + ready.path, auth)]);
    const loopDelay = async <T>(fn: () => Promise<T>): Promise<[T, LoopDelay]> => {
      child.send('loop-reset');
      const out = await fn();
      const delay = new Promise<LoopDelay>((resolve) => child.once('message', (m) => resolve(m as LoopDelay)));
      child.send('loop');
      return [out, await delay];
    };
    const [bare, bareLoop] = await loopDelay(() => load(ready.bareUrl + ready.path, {}));
    const [app, appLoop] = await loopDelay(() => load(ready.appUrl + ready.path, auth));
    const noCache = await load(ready.uncachedUrl + ready.path, auth);
    const ratio = app.requests.average / bare.requests.average;
    const row = (name: string, r: autocannon.Result) =>
      `${name.padEnd(12)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors + r.non2xx}`;
    console.log(`GET ${ready.path} at ${CONNECTIONS} connections, ${SECONDS} s each`);
    console.log(row('bare route', bare));
    console.log(row('app', app));
    console.log(row('app, no cache', noCache) + `   (${(noCache.requests.average / bare.requests.average).toFixed(2)}x: every request queries SQLite)`);
    const ms = (l: LoopDelay) => `p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
    console.log(`server event-loop delay: bare run ${ms(bareLoop)}; app run ${ms(appLoop)} (alike for both: the tail is CPU load, not a blocking middleware)`);
    console.log(`ratio app/bare: ${ratio.toFixed(2)}x (target >= 0.6x)   app p99: ${app.latency.p99} ms (target < 25 ms)   ${ratio >= 0.6 && app.latency.p99 < 25 ? 'OK' : 'BELOW TARGET'}`);
  } finally {
    child.kill();
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node --import tsx tests/bench/http-bench.ts` runs it alone.
if (!isServer && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
