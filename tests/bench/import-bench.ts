/**
 * Import speed. 5,000 generated minutes files (~4 KB, 8 attendees, 5 actions, 2 decisions)
 * are imported into an empty database; the baseline is plain unified + remark-parse +
 * remark-gfm parsing of the same files on one core, measured in the same run. Target: import
 * >= 0.9x the baseline (worker threads parse in parallel). Baseline and threaded import
 * alternate for IMPORT_BENCH_ROUNDS rounds (default 3; the ratio is of the medians); CPU time
 * per file (all threads) and the load average are printed too, since the machine may be
 * shared. Also: listing the open actions of one owner in a database of 100,000 actions
 * (target < 5 ms, through action_owners_person).
 *
 * Both are measured on SQLite and on PostgreSQL in the same run (the server of
 * MINUTES_TEST_DATABASE_URL, else a throw-away cluster on loopback: see bench-postgres.ts), and
 * the ratios PostgreSQL/SQLite printed: the threaded import's files/s, and the owner listing's
 * median (a read: target PostgreSQL within 0.5x of SQLite, i.e. at most twice the time).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/connection.js';
import { connectPostgres } from '../../server/db/postgres-database.js';
import { createServices, type Services } from '../../server/container.js';
import { tempDataDir } from '../helpers/env.js';
import { benchPostgres, postgresCopyOf, type BenchPostgres } from './bench-postgres.js';
import { writeGeneratedMinutes } from '../helpers/generate-minutes.js';
import { workerScript } from '../../server/services/meetings/parse-pool.js';

const FILES = Number(process.env.IMPORT_BENCH_FILES ?? 5000);
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 3);
const ACTIONS = 100_000;

const rate = (n: number, ms: number) => (n / ms) * 1000;
const fmt = (x: number) => x.toFixed(0).padStart(6);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

interface BenchWorld {
  db: Db;
  services: Services;
  close(): Promise<void>;
}

/** An empty database with its services: SQLite in a temp folder, or a fresh PostgreSQL database. */
export async function openBenchWorld(pg: BenchPostgres | null, seed?: (db: Db) => Promise<void>): Promise<BenchWorld> {
  const data = tempDataDir('minutes-bench-');
  const url = pg ? await pg.fresh() : null;
  const config = loadConfig({ MINUTES_DATA_DIR: data.dir, MINUTES_SECRET: 'bench-secret-0123456789abcdef-0123456789', ...(url ? { DATABASE_URL: url } : {}) });
  const sqlite = openDatabase(config.dbFile);
  let db: Db = sqlite;
  if (seed) await seed(sqlite);
  if (url) {
    // The PostgreSQL world gets the same rows, copied as `minutes migrate-to-postgres` does.
    db = seed ? await postgresCopyOf(sqlite, url) : await connectPostgres(url);
    await sqlite.close();
  }
  return {
    db,
    services: createServices({ db, config }),
    async close() {
      await db.close();
      data.cleanup();
    },
  };
}

async function importSpeed(pg: BenchPostgres | null) {
  const dir = mkdtempSync(join(tmpdir(), 'minutes-bench-files-'));
  try {
    const generated = writeGeneratedMinutes(dir, FILES);
    const paths = generated.map((g) => join(dir, g.file));
    console.log(`${FILES} files, ${(generated.reduce((n, g) => n + g.text.length, 0) / FILES / 1024).toFixed(1)} KB each on average; ${availableParallelism()} cores; parser threads: ${workerScript() ? 'available' : 'not built (in-thread)'}`);

    // Warm the parser (JIT) on a few files before either measurement.
    const processor = unified().use(remarkParse).use(remarkGfm);
    for (const p of paths.slice(0, 50)) processor.parse(readFileSync(p, 'utf8'));

    const remarkRound = () => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (const p of paths) processor.parse(readFileSync(p, 'utf8'));
      return { rate: rate(FILES, performance.now() - t0), cpuPerFile: cpuMs(c0) / FILES };
    };
    const runImport = async (threads?: number, on: BenchPostgres | null = null) => {
      const w = await openBenchWorld(on);
      try {
        const start = performance.now();
        const c0 = process.cpuUsage();
        const out = await w.services.imports.importPaths([dir], { threads, source: 'cli' });
        const ms = performance.now() - start;
        const cpuPerFile = cpuMs(c0) / FILES;
        if (out.summary.failedFiles) throw new Error(`${out.summary.failedFiles} files failed, first: ${JSON.stringify(out.files.find((f) => !f.ok))?.slice(0, 400)}`);
        return { rate: rate(FILES, ms), cpuPerFile, summary: out.summary };
      } finally {
        await w.close();
      }
    };
    const baselines: { rate: number; cpuPerFile: number }[] = [];
    const pooledRuns: Awaited<ReturnType<typeof runImport>>[] = [];
    const pgRuns: Awaited<ReturnType<typeof runImport>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push(remarkRound());
      pooledRuns.push(await runImport());
      if (pg) pgRuns.push(await runImport(undefined, pg));
      console.log(
        `  round ${round + 1}: remark ${fmt(baselines[round].rate)} files/s, import ${fmt(pooledRuns[round].rate)} files/s` +
          (pg ? `, import on PostgreSQL ${fmt(pgRuns[round].rate)} files/s` : '') +
          ` (load average ${load()})`,
      );
    }
    const single = await runImport(0);
    const baseline = median(baselines.map((b) => b.rate));
    const pooledRate = median(pooledRuns.map((p) => p.rate));
    const cpu = (xs: { cpuPerFile: number }[]) => median(xs.map((x) => x.cpuPerFile)).toFixed(2);
    console.log(`remark-parse+gfm (1 core) ${fmt(baseline)} files/s  (${cpu(baselines)} ms CPU per file)`);
    console.log(`import, in-thread         ${fmt(single.rate)} files/s  ratio ${(single.rate / baseline).toFixed(2)}x  (${cpu([single])} ms CPU per file)`);
    console.log(
      `import, parser threads    ${fmt(pooledRate)} files/s  ratio ${(pooledRate / baseline).toFixed(2)}x  (${cpu(pooledRuns)} ms CPU per file, all threads; ` +
        `median of ${ROUNDS})  (target >= 0.9x)  ${pooledRate / baseline >= 0.9 ? 'PASS' : 'FAIL'}`,
    );
    if (pg) {
      const pgRate = median(pgRuns.map((p) => p.rate));
      console.log(
        `import on PostgreSQL      ${fmt(pgRate)} files/s  ratio ${(pgRate / baseline).toFixed(2)}x  (${cpu(pgRuns)} ms CPU per file in this process; median of ${ROUNDS})` +
          `  PostgreSQL/SQLite ${(pgRate / pooledRate).toFixed(2)}x`,
      );
      const a = pooledRuns[0].summary;
      const b = pgRuns[0].summary;
      if (a.meetings.new !== b.meetings.new || a.actions !== b.actions || a.decisions !== b.decisions) {
        throw new Error(`the import counted differently on PostgreSQL: ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
      }
    }
    const s = pooledRuns[0].summary;
    console.log(`  meetings ${s.meetings.new} new, actions ${s.actions}, decisions ${s.decisions}, warnings ${s.warnings}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 actions of 500 owners (a fifth with a co-owner) over 2,000 meetings, by direct inserts. */
export async function seedOwners(db: Db): Promise<void> {
  const now = '2024-01-01T00:00:00.000Z';
  const PEOPLE = 500;
  const MEETINGS = 2000;
  await db.transaction(async () => {
    await db.prepare(`INSERT INTO series (slug, name, created_at, updated_at) VALUES ('big', 'Big', ?, ?)`).run(now, now);
    const person = db.prepare(`INSERT INTO people (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)`);
    for (let i = 0; i < PEOPLE; i++) await person.run(`Person ${i}`, `person ${i}`, now, now);
    const meeting = db.prepare(`INSERT INTO meetings (series_id, date, created_at, updated_at) VALUES (1, ?, ?, ?)`);
    for (let i = 0; i < MEETINGS; i++) await meeting.run(new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10), now, now);
    const action = db.prepare(
      `INSERT INTO actions (text, status, origin_meeting_id, last_meeting_id, due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    const owner = db.prepare(`INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, ?, ?, ?)`);
    for (let i = 0; i < ACTIONS; i++) {
      const m = 1 + (i % MEETINGS);
      const id = ((await action.get(`write the release notes for component ${i}`, i % 3 === 0 ? 'open' : 'done', m, m, i % 4 ? null : '2001-01-01', now, now)) as { id: number }).id;
      await owner.run(id, 0, 1 + (i % PEOPLE), `Person ${i % PEOPLE}`);
      if (i % 5 === 0) await owner.run(id, 1, 1 + ((i + 7) % PEOPLE), `Person ${(i + 7) % PEOPLE}`);
    }
  });
  await db.exec('ANALYZE');
}

/** Median and p95 (ms) of listing one owner's open actions, 300 times over 500 owners. */
export async function ownerListing(pg: BenchPostgres | null): Promise<number> {
  const w = await openBenchWorld(pg, seedOwners);
  try {
    const plan =
      w.db.dialect === 'sqlite'
        ? ((await w.db
            .prepare(
              `EXPLAIN QUERY PLAN SELECT a.id FROM actions a WHERE a.status = 'open' AND a.id IN (SELECT action_id FROM action_owners WHERE person_id IN (SELECT value FROM json_each(?)))`,
            )
            .all('[1]')) as { detail: string }[])
        : null;
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      n = (await w.services.actions.list({ ownerId: 1 + (i % 500), status: 'open' })).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const p95 = times[Math.floor(times.length * 0.95)];
    console.log(
      `open actions of one owner among ${ACTIONS.toLocaleString('en')} actions on ${pg ? 'PostgreSQL' : 'SQLite'}: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (${n} rows; target < 5 ms)`,
    );
    if (plan) console.log(`  plan: ${plan.map((p) => p.detail).join(' | ')}`);
    return median;
  } finally {
    await w.close();
  }
}

export async function run(): Promise<void> {
  const pg = await benchPostgres();
  if (pg === null) console.log('PostgreSQL: off (BENCH_POSTGRES=off), or not installed and MINUTES_TEST_DATABASE_URL unset; SQLite only');
  else console.log(`PostgreSQL: ${pg.label}`);
  try {
    await importSpeed(pg);
    const lite = await ownerListing(null);
    if (pg) {
      const onPg = await ownerListing(pg);
      const ratio = lite / onPg;
      console.log(`owner listing PostgreSQL/SQLite speed: ${ratio.toFixed(2)}x (median ${onPg.toFixed(2)} vs ${lite.toFixed(2)} ms; target >= 0.5x)  ${ratio >= 0.5 ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    pg?.stop();
  }
}
