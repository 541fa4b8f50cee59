/**
 * HTTP speed of `GET /api/actions` on a database of 100,000 actions (1,000 people, 10 series),
 * for a mix of URLs: one owner's open actions (most), one owner's done / all / overdue
 * actions, one series' open actions, picked with a skewed (Zipf-like) popularity so some are
 * hot and many are rare. The baseline is a bare Express route answering each URL with the
 * same JSON (prepared once, `res.json` per request), driven with the same mix, in the same run,
 * at 50 connections (autocannon). Runs: bare and the app without the response cache
 * (`responseCache: false`: every request queries SQLite), in three rounds of alternating order
 * (the round of the median ratio is reported), then the app with it (hit rate reported).
 * Targets: uncached >= 0.5x the bare route, p99 < 25 ms.
 *
 * The servers run in a child process so autocannon does not share their event loop. Besides
 * req/s and latency (which another process on a shared machine can halve), the bench prints
 * the server process's CPU time per request in each run: the ratio of those is the cost the
 * app adds, much less disturbed by other load.
 *
 * `BENCH_CPU_PROF=DIR` writes the server process's CPU profiles (one per thread) into DIR.
 * `MINUTES_DB_READERS=0` measures SQLite without reader threads (the server's setting).
 *
 * The whole run is made on SQLite and then on PostgreSQL (the server of
 * MINUTES_TEST_DATABASE_URL, else a throw-away cluster from tests/helpers/postgres-cluster.ts on
 * loopback; the same rows, copied from the seeded SQLite file by `minutes migrate-to-postgres`'s
 * copier), and the PostgreSQL/SQLite ratios printed. Target: PostgreSQL >= 0.5x SQLite for these
 * reads. On PostgreSQL the server's CPU per request leaves out the PostgreSQL backends' own CPU.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_SHAPE } from './bench-seed.js';

const { actions: ACTIONS, people: PEOPLE, series: SERIES } = BENCH_SHAPE;
/** Distinct URLs in the mix, and the length of the request sequence drawn from them. */
const DISTINCT = 400;
const SEQUENCE = 4_000;
const CONNECTIONS = 50;
/**
 * Long enough that the p99 is the steady state's: each run opens its 50 connections anew, and a
 * few dozen requests at a run's start wait up to ~1.6 s (on every route, bare too) while the
 * connections are set up; in a 3 s run of the uncached app those were over 1% of the requests
 * and made the p99 (~1 s), in a 10 s run they are the max only.
 */
const SECONDS = 10;
/** Rounds of bare route + uncached app (`HTTP_BENCH_ROUNDS`); the median ratio's round is reported. */
const ROUNDS = Math.max(1, Number(process.env.HTTP_BENCH_ROUNDS ?? 3));

interface Ready {
  appUrl: string;
  uncachedUrl: string;
  bareUrl: string;
  /** The request sequence (paths), drawn from the mix. */
  paths: string[];
  distinct: number;
  token: string;
  /** Mean answer size and row count over the sequence. */
  bytes: number;
  rows: number;
  seedMs: number;
  /** False on a database without a change counter (no response cache there). */
  cached: boolean;
}

/** A small deterministic PRNG (mulberry32): the same mix every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The distinct URLs of the mix: mostly one owner's open actions, then other filters. */
export function mixUrls(): string[] {
  const rnd = random(42);
  const person = () => `Person ${String(1 + Math.floor(rnd() * PEOPLE)).padStart(4, '0')}`;
  const urls = new Set<string>();
  while (urls.size < DISTINCT) {
    const r = rnd();
    const q: Record<string, string> =
      r < 0.55 ? { status: 'open', owner: person() }
      : r < 0.7 ? { status: 'done', owner: person() }
      : r < 0.8 ? { status: 'all', owner: person() }
      : r < 0.9 ? { overdue: '1', owner: person() }
      : r < 0.95 ? { status: 'open', owner: person(), series: `s${1 + Math.floor(rnd() * SERIES)}` }
      : { status: rnd() < 0.5 ? 'open' : 'dropped', series: `s${1 + Math.floor(rnd() * SERIES)}`, limit: '100' };
    urls.add(`/api/actions?${new URLSearchParams(q).toString()}`);
  }
  return [...urls];
}

/** The request sequence: URL i drawn with weight 1/(i+1) (Zipf, s = 1). */
export function mixSequence(urls: string[]): string[] {
  const rnd = random(7);
  const weights = urls.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: string[] = [];
  for (let n = 0; n < SEQUENCE; n++) {
    let x = rnd() * total;
    let i = 0;
    while (x > weights[i] && i < urls.length - 1) x -= weights[i++];
    out.push(urls[i]);
  }
  return out;
}

const SERVE_FLAG = '--serve-bench';
const isServer = process.argv[2] === SERVE_FLAG;
if (isServer) await serve({ dir: process.argv[3], databaseUrl: process.argv[4] || null });

/**
 * Child process: seeds the database with fast direct inserts (on PostgreSQL: seeds SQLite, then
 * copies it over), then serves the app and the bare route.
 */
async function serve({ dir, databaseUrl }: { dir: string; databaseUrl: string | null }): Promise<void> {
  const express = (await import('express')).default;
  const { loadConfig } = await import('../../server/config.js');
  const { openDatabase } = await import('../../server/db/connection.js');
  const { createServices } = await import('../../server/container.js');
  const { createApp } = await import('../../server/app.js');
  const { tuneDatabase, readerThreads } = await import('../../server/index.js');
  const { seedActions } = await import('./bench-seed.js');

  const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: 'bench-secret-0123456789abcdef-0123456789', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...(process.env.MINUTES_DB_READERS ? { MINUTES_DB_READERS: process.env.MINUTES_DB_READERS } : {}) });
  const t0 = performance.now();
  const sqlite = openDatabase(config.dbFile);
  await seedActions(sqlite);
  let db: import('../../server/db/connection.js').Db = sqlite;
  if (databaseUrl) {
    const { postgresCopyOf } = await import('./bench-postgres.js');
    db = await postgresCopyOf(sqlite, databaseUrl);
    await sqlite.close();
  }
  const seedMs = performance.now() - t0;

  tuneDatabase(db, true, readerThreads(config)); // as `minutes serve` does at start
  const services = createServices({ db, config });
  const token = (await services.tokens.create({ role: 'member', name: 'bench' })).token;
  const { createResponseCache } = await import('../../server/http/response-cache.js');
  const cache = services.dataVersion ? createResponseCache(services.dataVersion) : null;
  const app = createApp(services, { responseCache: cache ?? false });
  // The baseline: the same JSON for each URL of the mix from a bare Express route (no auth,
  // validation or database), serialised per request as the app does.
  const paths = mixSequence(mixUrls());
  const bodies = new Map<string, unknown>();
  const bare = express();
  bare.get('/api/actions', (req, res) => {
    res.json(bodies.get(req.url));
  });
  const listen = (a: ReturnType<typeof express>) =>
    new Promise<string>((resolve) => {
      const s = a.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        resolve(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
      });
    });
  const uncached = createApp(services, { responseCache: false });
  const ready: Ready = { appUrl: await listen(app), uncachedUrl: await listen(uncached), bareUrl: await listen(bare), paths, distinct: new Set(paths).size, token, bytes: 0, rows: 0, seedMs, cached: cache !== null };
  // Each URL's answer, fetched once through the app itself: the bare route serves exactly that.
  for (const path of new Set(paths)) {
    const res = await fetch(ready.uncachedUrl + path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    bodies.set(path, await res.json());
  }
  for (const path of paths) {
    const body = bodies.get(path) as { actions: unknown[] };
    ready.bytes += JSON.stringify(body).length / paths.length;
    ready.rows += body.actions.length / paths.length;
  }
  cache?.clear();
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
    if (m === 'cache') process.send!(cache?.stats() ?? { hits: 0, misses: 0 });
    if (m === 'cpu') process.send!(process.cpuUsage());
  });
  process.send!(ready);
}

interface LoopDelay {
  p99: number;
  max: number;
}

function load(url: string, paths: string[], headers: Record<string, string>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    // Each connection walks the sequence from its own offset, so the mix holds at every moment.
    autocannon(
      { url, connections: CONNECTIONS, duration: SECONDS, headers, requests: paths.map((path) => ({ method: 'GET', path })) },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

interface Measured {
  label: string;
  bare: autocannon.Result;
  noCache: autocannon.Result;
  app: autocannon.Result | null;
  bareCpu: number;
  noCacheCpu: number;
  appCpu: number | null;
  answers: string;
}

/** Parent: starts the server process on one database, checks the app and the bare route agree, drives each with autocannon. */
async function measure(label: string, databaseUrl: string | null): Promise<Measured> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'minutes-http-bench-'));
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG, dir, databaseUrl ?? ''], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Ready));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const ask = <T>(m: string) => {
      const answer = new Promise<T>((resolve) => child.once('message', (x) => resolve(x as T)));
      child.send(m);
      return answer;
    };
    console.log(
      `${label}: seeded ${ACTIONS.toLocaleString('en')} actions in ${(ready.seedMs / 1000).toFixed(1)} s; mix of ${ready.distinct} distinct URLs over ${ready.paths.length} requests, ` +
        `${ready.rows.toFixed(0)} actions (${(ready.bytes / 1024).toFixed(1)} KB) per answer on average`,
    );
    const auth = { authorization: `Bearer ${ready.token}` };
    for (const path of new Set(ready.paths.slice(0, 50))) {
      const [a, b] = await Promise.all([fetch(ready.appUrl + path, { headers: auth }).then((r) => r.text()), fetch(ready.bareUrl + path).then((r) => r.text())]);
      if (a !== b) throw new Error(`the app and the bare route answer ${path} differently`);
    }
    // Every distinct answer, to check both databases answer the same.
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256');
    for (const path of [...new Set(ready.paths)].sort()) hash.update(path + '\n' + (await fetch(ready.uncachedUrl + path, { headers: auth }).then((r) => r.text())) + '\n');
    // Warm-up: JIT, statement caches, page cache.
    await load(ready.uncachedUrl, ready.paths, auth);
    await load(ready.bareUrl, ready.paths, {});
    // Event-loop delay and CPU time of the server process over one run: CPU time per request
    // is what the server spends per answer, which other processes on the machine do not inflate.
    const loopDelay = async (fn: () => Promise<autocannon.Result>): Promise<[autocannon.Result, LoopDelay, number]> => {
      child.send('loop-reset');
      const cpu0 = await ask<NodeJS.CpuUsage>('cpu');
      const out = await fn();
      const cpu1 = await ask<NodeJS.CpuUsage>('cpu');
      const served = out.requests.total;
      return [out, await ask<LoopDelay>('loop'), (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / Math.max(1, served)];
    };
    // Rounds of the bare route and the uncached app, in alternating order, so a change in the
    // machine's load falls on both alike; the round of the median ratio is reported.
    type Pair = { bare: autocannon.Result; bareLoop: LoopDelay; bareCpu: number; noCache: autocannon.Result; noCacheLoop: LoopDelay; noCacheCpu: number };
    const pairs: Pair[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair: Partial<Pair> = {};
      const bareRun = async () => ([pair.bare, pair.bareLoop, pair.bareCpu] = await loopDelay(() => load(ready.bareUrl, ready.paths, {})));
      const appRun = async () => ([pair.noCache, pair.noCacheLoop, pair.noCacheCpu] = await loopDelay(() => load(ready.uncachedUrl, ready.paths, auth)));
      for (const runIt of round % 2 === 0 ? [bareRun, appRun] : [appRun, bareRun]) await runIt();
      pairs.push(pair as Pair);
    }
    const ratioOf = (p: Pair) => p.noCache.requests.average / p.bare.requests.average;
    const byRatio = [...pairs].sort((a, b) => ratioOf(a) - ratioOf(b));
    const { bare, bareLoop, bareCpu, noCache, noCacheLoop, noCacheCpu } = byRatio[Math.floor((byRatio.length - 1) / 2)];
    let app: autocannon.Result | null = null;
    let appCpu: number | null = null;
    let cacheNote = 'no response cache on this database (no change counter)';
    if (ready.cached) {
      const before = await ask<{ hits: number; misses: number }>('cache');
      [app, , appCpu] = await loopDelay(() => load(ready.appUrl, ready.paths, auth));
      const after = await ask<{ hits: number; misses: number }>('cache');
      const hits = after.hits - before.hits;
      const misses = after.misses - before.misses;
      cacheNote = `cache hit rate ${((hits / Math.max(1, hits + misses)) * 100).toFixed(0)}% (${hits} hits, ${misses} misses)`;
    }
    const row = (name: string, r: autocannon.Result) =>
      `${name.padEnd(14)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors + r.non2xx}`;
    console.log(`GET /api/actions?… (the mix) at ${CONNECTIONS} connections, ${SECONDS} s each, on ${label}`);
    console.log(
      `uncached/bare by round: ${pairs.map((p) => `${ratioOf(p).toFixed(2)}x (${p.noCache.requests.average.toFixed(0)}/${p.bare.requests.average.toFixed(0)} req/s, p99 ${p.noCache.latency.p99} ms)`).join(', ')}; ` +
        `the median round:`,
    );
    console.log(row('bare route', bare));
    console.log(row('app, no cache', noCache) + `   ${(noCache.requests.average / bare.requests.average).toFixed(2)}x`);
    if (app) console.log(row('app, cache', app) + `   ${(app.requests.average / bare.requests.average).toFixed(2)}x; ${cacheNote}`);
    else console.log(`app, cache      — ${cacheNote}`);
    const ms = (l: LoopDelay) => `p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
    console.log(`uncached latency: p50 ${noCache.latency.p50} ms, p90 ${noCache.latency.p90} ms, p97.5 ${noCache.latency.p97_5} ms, p99 ${noCache.latency.p99} ms, max ${noCache.latency.max} ms over ${noCache.requests.total} requests`);
    console.log(`server event-loop delay: bare run ${ms(bareLoop)}; uncached run ${ms(noCacheLoop)}`);
    console.log(
      `server CPU per request: bare ${bareCpu.toFixed(0)} µs, uncached ${noCacheCpu.toFixed(0)} µs (bare/uncached ${(bareCpu / noCacheCpu).toFixed(2)}x)` +
        (appCpu !== null ? `, cached ${appCpu.toFixed(0)} µs` : ''),
    );
    const ratio = noCache.requests.average / bare.requests.average;
    const ok = ratio >= 0.5 && noCache.latency.p99 < 25;
    console.log(`uncached/bare: ${ratio.toFixed(2)}x (target >= 0.5x)   uncached p99: ${noCache.latency.p99} ms (target < 25 ms)   ${ok ? 'PASS' : 'FAIL'}`);
    return { label, bare, noCache, app, bareCpu, noCacheCpu, appCpu, answers: hash.digest('hex') };
  } finally {
    // Asked to exit (a profile, if any, is written on a normal exit); killed if it does not.
    const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    if (child.connected) child.send('exit');
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The mix on SQLite, then on PostgreSQL, and the ratios PostgreSQL/SQLite. */
export async function run(): Promise<void> {
  const { benchPostgres } = await import('./bench-postgres.js');
  const lite = await measure('SQLite', null);
  const server = await benchPostgres();
  if (server === null) {
    console.log('PostgreSQL: off (BENCH_POSTGRES=off), or not installed and MINUTES_TEST_DATABASE_URL unset; SQLite only');
    return;
  }
  let pg: Measured;
  try {
    console.log('');
    pg = await measure(`PostgreSQL (${server.label})`, await server.fresh());
  } finally {
    server.stop();
  }
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  console.log(`\nPostgreSQL / SQLite, same mix, same answers: ${pg.answers === lite.answers ? 'yes' : 'NO (the answers differ)'}`);
  console.log(`  uncached req/s   ${pg.noCache.requests.average.toFixed(0)} / ${lite.noCache.requests.average.toFixed(0)} = ${x(pg.noCache.requests.average, lite.noCache.requests.average)} (target >= 0.5x)  ${pg.noCache.requests.average / lite.noCache.requests.average >= 0.5 ? 'PASS' : 'FAIL'}`);
  console.log(`  uncached p50/p99 ${pg.noCache.latency.p50}/${pg.noCache.latency.p99} ms vs ${lite.noCache.latency.p50}/${lite.noCache.latency.p99} ms`);
  console.log(`  app CPU/request  ${pg.noCacheCpu.toFixed(0)} / ${lite.noCacheCpu.toFixed(0)} µs = ${x(pg.noCacheCpu, lite.noCacheCpu)} (PostgreSQL's own CPU not counted)`);
  console.log(`  bare route req/s ${pg.bare.requests.average.toFixed(0)} / ${lite.bare.requests.average.toFixed(0)} = ${x(pg.bare.requests.average, lite.bare.requests.average)} (machine noise between the two runs)`);
  if (pg.app && lite.app) console.log(`  cached req/s     ${pg.app.requests.average.toFixed(0)} / ${lite.app.requests.average.toFixed(0)} = ${x(pg.app.requests.average, lite.app.requests.average)}`);
  else console.log('  cached: no response cache on PostgreSQL in this build');
}

// `node --import tsx tests/bench/http-bench.ts` runs it alone.
if (!isServer && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
