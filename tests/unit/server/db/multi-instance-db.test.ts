import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connection.js';
import type { Database } from '../../../../server/db/database.js';
import { connectPostgres, EXCLUSIVE_LOCK_CLASS, type PostgresDatabase } from '../../../../server/db/postgres-database.js';
import { createDataVersion } from '../../../../server/db/data-version.js';
import { createOutboxRepository } from '../../../../server/db/repositories/outbox-repository.js';
import { createRateLimitRepository } from '../../../../server/db/repositories/rate-limit-repository.js';
import { DatabaseRateLimitStore } from '../../../../server/services/auth/rate-limit-store.js';
import { createResponseCache } from '../../../../server/http/response-cache.js';
import { fixedClock } from '../../../../server/clock.js';
import { freshPostgres, testDatabaseUrl } from '../../../helpers/postgres-cluster.js';
import { tempDataDir } from '../../../helpers/env.js';

/**
 * What several instances on one database rely on of the driver and the shared repositories:
 * `exclusive` (one reminder pass at a time), `writersLock: false` (the outbox claim and the
 * rate-limit counts do not queue behind writers), the change counter of the response cache,
 * and the rate-limit store. An "instance" is a second connection (SQLite) or pool (PostgreSQL)
 * on the same database, as another server process has.
 */
interface Pair {
  a: Database;
  b: Database;
  close(): Promise<void>;
}

const drivers: { name: 'sqlite' | 'postgres'; skip: boolean; open(): Promise<Pair> }[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const { dir, cleanup } = tempDataDir('minutes-multi-');
      const a = openDatabase(`${dir}/minutes.db`);
      const b = openDatabase(`${dir}/minutes.db`);
      return {
        a,
        b,
        async close() {
          await a.close();
          await b.close();
          cleanup();
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: testDatabaseUrl() === null,
    async open() {
      const a = await freshPostgres();
      const b = await connectPostgres(a.url!, { migrate: false });
      return {
        a,
        b,
        async close() {
          await b.close();
          await a.close();
        },
      };
    },
  },
];

/**
 * Runs the calls at once on PostgreSQL. Two SQLite connections in ONE process cannot wait for
 * each other (better-sqlite3 blocks the thread while busy), so there they run one after the
 * other — the interleaving across processes is SQLite's file lock, tested elsewhere.
 */
async function together<T>(dialect: 'sqlite' | 'postgres', calls: (() => Promise<T>)[]): Promise<T[]> {
  if (dialect === 'postgres') return await Promise.all(calls.map((c) => c()));
  const out: T[] = [];
  for (const c of calls) out.push(await c());
  return out;
}

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));
const NOW = '2026-11-23T09:00:00.000Z';

async function enqueue(db: Database, n: number): Promise<void> {
  const repo = createOutboxRepository(db);
  for (let i = 0; i < n; i++) {
    await repo.insert({ dedupeKey: `k${i}`, kind: 'test', to: `p${i}@example.org`, subject: `s${i}`, sealed: Buffer.from('x'), messageId: `<m${i}@x>`, now: NOW });
  }
}

describe.each(drivers)('several instances on one $name database', (driver) => {
  let pair: Pair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it.skipIf(driver.skip)('exclusive: a second holder gets null at once while the first runs; the lock is free again after it ends, also by a throw', async () => {
    pair = await driver.open();
    const { a, b } = pair;
    let release!: () => void;
    const first = a.exclusive('job', () => new Promise<string>((r) => (release = () => r('done'))));
    await tick(50);
    // On SQLite the guard is per process (connection): the other instance is not kept out
    // (the per-period dedupe is the guarantee there); on PostgreSQL every instance is.
    expect(await a.exclusive('job', async () => 'second')).toBeNull();
    if (driver.name === 'postgres') expect(await b.exclusive('job', async () => 'second')).toBeNull();
    expect(await b.exclusive('other job', async () => 'other')).toEqual({ value: 'other' });
    release();
    expect(await first).toEqual({ value: 'done' });
    expect(await b.exclusive('job', async () => 'after')).toEqual({ value: 'after' });
    await expect(a.exclusive('job', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.exclusive('job', async () => 'after a throw')).toEqual({ value: 'after a throw' });
  });

  it.skipIf(driver.skip)('two instances draining the outbox at once claim every due row exactly once', async () => {
    pair = await driver.open();
    const { a, b } = pair;
    await enqueue(a, 40);
    const ra = createOutboxRepository(a);
    const rb = createOutboxRepository(b);
    const lease = '2026-11-23T09:05:00.000Z';
    const claims = await together(driver.name, [0, 1, 2, 3, 4, 5].map((i) => () => (i % 2 ? rb : ra).claimDue(NOW, lease, 10, `owner${i}`)));
    const ids = claims.flat().map((r) => r.id);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    // Oldest first within a claim; nothing is due again before the lease ends.
    expect(claims[0]!.map((r) => r.id)).toEqual([...claims[0]!.map((r) => r.id)].sort((x, y) => x - y));
    expect(await ra.claimDue(NOW, lease, 10, 'late')).toEqual([]);
    expect((await rb.claimDue(lease, '2026-11-23T09:10:00.000Z', 100, 'after-lease')).length).toBe(40);
  });

  it.skipIf(driver.skip)('the change counter moves when another instance commits, and only then', async () => {
    pair = await driver.open();
    const { a, b } = pair;
    const version = createDataVersion(b)!;
    const v1 = await version();
    expect(await version()).toBe(v1);
    await a.run("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', '')");
    const v2 = await version();
    expect(v2).not.toBe(v1);
    // A transaction that began writing before a read and commits after it changes it too.
    let release!: () => void;
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const writing = a.transaction(async () => {
      await a.run("UPDATE settings SET value = '2' WHERE key = 'x'");
      written();
      await new Promise<void>((r) => (release = r));
    });
    await wrote;
    const during = await version();
    release();
    await writing;
    expect(await version()).not.toBe(during);
  });

  it.skipIf(driver.skip)("a cached answer on instance B is rebuilt after a write on instance A", async () => {
    pair = await driver.open();
    const { a, b } = pair;
    await a.run("INSERT INTO settings (key, value, updated_at) VALUES ('greeting', 'hello', '')");
    const cache = createResponseCache(createDataVersion(b)!);
    let builds = 0;
    const read = () =>
      cache.json('greeting', async () => {
        builds++;
        return await b.prepare("SELECT value FROM settings WHERE key = 'greeting'").pluck().get();
      });
    expect(JSON.parse((await read()).body.toString())).toBe('hello');
    expect(JSON.parse((await read()).body.toString())).toBe('hello');
    expect(builds).toBe(1);
    await a.run("UPDATE settings SET value = 'bonjour' WHERE key = 'greeting'");
    expect(JSON.parse((await read()).body.toString())).toBe('bonjour');
    expect(builds).toBe(2);
  });

  it.skipIf(driver.skip)('sign-in rate limits count the hits of every instance in one window', async () => {
    pair = await driver.open();
    const { a, b } = pair;
    const clock = fixedClock(NOW);
    const sa = new DatabaseRateLimitStore('sign-in:', createRateLimitRepository(a), clock);
    const sb = new DatabaseRateLimitStore('sign-in:', createRateLimitRepository(b), clock);
    const other = new DatabaseRateLimitStore('confirm:', createRateLimitRepository(b), clock);
    for (const s of [sa, sb, other]) s.init({ windowMs: 15 * 60_000 } as never);
    const hits = await together(driver.name, [sa, sb, sa, sb, sa].map((s) => () => s.increment('1.2.3.4')));
    expect(hits.map((h) => h.totalHits).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(hits[0]!.resetTime?.toISOString()).toBe('2026-11-23T09:15:00.000Z');
    expect((await other.increment('1.2.3.4')).totalHits).toBe(1);
    await sb.decrement('1.2.3.4');
    expect((await sa.get('1.2.3.4'))?.totalHits).toBe(4);
    await sa.resetKey('1.2.3.4');
    expect(await sb.get('1.2.3.4')).toBeUndefined();
    // A hit after the window ended starts a new one.
    await sa.increment('5.6.7.8');
    const later = new DatabaseRateLimitStore('sign-in:', createRateLimitRepository(b), fixedClock('2026-11-23T09:20:00.000Z'));
    later.init({ windowMs: 15 * 60_000 } as never);
    expect(await later.increment('5.6.7.8')).toEqual({ totalHits: 1, resetTime: new Date('2026-11-23T09:35:00.000Z') });
  });
});

describe.skipIf(testDatabaseUrl() === null)('several instances on one PostgreSQL database', () => {
  let a: PostgresDatabase | null = null;
  let b: PostgresDatabase | null = null;
  afterEach(async () => {
    await b?.close();
    await a?.close();
    a = b = null;
  });

  it('the outbox claim and a rate-limit count do not wait for a writer holding the writers\' lock', async () => {
    a = await freshPostgres();
    b = await connectPostgres(a.url!, { migrate: false });
    await enqueue(a, 3);
    let release!: () => void;
    const writer = a.transaction(() => new Promise<void>((r) => (release = r)));
    await tick(50);
    const started = performance.now();
    const claimed = await Promise.race([createOutboxRepository(b).claimDue(NOW, '2026-11-23T09:05:00.000Z', 10, 'b'), tick(2000).then(() => 'waited')]);
    const counted = await Promise.race([createRateLimitRepository(b).increment('k', NOW, '2026-11-23T09:15:00.000Z'), tick(2000).then(() => 'waited')]);
    // A locked write does wait (the control: the lock really is held).
    const insert = b.run("INSERT INTO settings (key, value, updated_at) VALUES ('y', '1', '')");
    const locked = await Promise.race([insert.then(() => 'ran'), tick(300).then(() => 'waited')]);
    release();
    await writer;
    await insert;
    expect(claimed).toHaveLength(3);
    expect(counted).toEqual({ hits: 1, resetAt: '2026-11-23T09:15:00.000Z' });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(locked).toBe('waited');
  });

  it('the exclusive lock goes with the session when its holder dies', async () => {
    a = await freshPostgres();
    b = await connectPostgres(a.url!, { migrate: false });
    let pid = 0;
    let finish!: () => void;
    const dying = a.exclusive('reminder-pass', async () => {
      pid = (await a!
        .prepare(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${EXCLUSIVE_LOCK_CLASS}
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
        .pluck<number>()
        .get())!;
      await new Promise<void>((r) => (finish = r));
    });
    await tick(100);
    expect(await b.exclusive('reminder-pass', async () => 'x')).toBeNull();
    // The holder's connection ends as it would with its process (SIGKILL, lost network).
    await b.run('SELECT pg_terminate_backend(?)', pid);
    await tick(100);
    expect(await b.exclusive('reminder-pass', async () => 'taken over')).toEqual({ value: 'taken over' });
    finish();
    await dying.catch(() => undefined);
  });
});
