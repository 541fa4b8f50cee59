import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRun, type Database } from '../../../../server/db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../../../server/db/database-errors.js';
import { SqliteDatabase } from '../../../../server/db/sqlite-database.js';
import { connectPostgres, translate, type PostgresDatabase } from '../../../../server/db/postgres-database.js';
import { toFtsQuery } from '../../../../server/db/repositories/search-repository.js';
import { freshPostgres, testDatabaseUrl } from '../../../helpers/postgres-cluster.js';
import { tempSqlite } from '../../../helpers/env.js';
import { createDataVersion } from '../../../../server/db/data-version.js';

/**
 * One suite, run against both drivers: what the repositories and services may rely on of the
 * `Database` interface, whichever database is behind it. PostgreSQL runs on the throw-away
 * cluster of tests/helpers/postgres-global-setup.ts (skipped when PostgreSQL is not installed).
 */
interface Driver {
  name: 'sqlite' | 'postgres';
  label: string;
  skip: boolean;
  open(): Promise<Database>;
}

const drivers: Driver[] = [
  {
    name: 'sqlite',
    label: 'SQLite',
    skip: false,
    open: async () => tempSqlite(),
  },
  {
    // As the server runs it: reads outside transactions answered by a reader thread.
    name: 'sqlite',
    label: 'SQLite with a reader thread',
    skip: false,
    open: async () => {
      const db = tempSqlite();
      db.useReaders(1, ['query_only = ON']);
      return db;
    },
  },
  { name: 'postgres', label: 'PostgreSQL', skip: testDatabaseUrl() === null, open: () => freshPostgres() },
];

const T = '2026-01-01T00:00:00.000Z';
const tick = () => new Promise((r) => setTimeout(r, 15));

describe.each(drivers)('the $label driver', (driver) => {
  let db: Database;
  beforeAll(async () => {
    if (driver.skip) return;
    db = await driver.open();
    await db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id));`);
  });
  afterAll(async () => {
    await db?.close();
  });
  const reset = async () => {
    await db.run('DELETE FROM c');
    await db.run('DELETE FROM t');
    await db.run("INSERT INTO t (id, name, n) VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 10)");
  };

  it.skipIf(driver.skip)('binds ? in order, @name by name (once per name), and leaves ? and @ in literals and comments alone', async () => {
    await reset();
    expect(await db.all('SELECT id FROM t WHERE n = ? AND id > ? ORDER BY id', 10, 1)).toEqual([{ id: 3 }]);
    expect(await db.all('SELECT id FROM t WHERE n = ? AND id > ? ORDER BY id', [10, 0])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await db.all('SELECT id FROM t WHERE n = @n OR id = @id OR n = @n * 2 ORDER BY id', { n: 10, id: 2, unused: 1 })).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
    const tricky = `SELECT '?' AS q, 'it''s @x ?' AS s, name AS "a?b" -- a ? and @c here
      FROM t /* and ? @d here */ WHERE id = ?`;
    expect(await db.get(tricky, 2)).toEqual({ q: '?', s: "it's @x ?", 'a?b': 'two' });
    expect(await db.get('SELECT name FROM t WHERE id = @id', { id: undefined })).toBeUndefined(); // undefined binds NULL
  });

  it.skipIf(driver.skip)('answers camelCase aliases with their case, also when the query refers to them again', async () => {
    await reset();
    const rows = await db.all(`SELECT n AS groupSize, count(*) AS memberCount FROM t GROUP BY n ORDER BY memberCount DESC, groupSize`);
    expect(rows).toEqual([{ groupSize: 10, memberCount: 2 }, { groupSize: 20, memberCount: 1 }]);
    expect(await db.get(`SELECT * FROM (SELECT id AS rowId, name AS "Label" FROM t) x WHERE rowId = ?`, 2)).toEqual({ rowId: 2, Label: 'two' });
  });

  it.skipIf(driver.skip)('refuses missing named values, a wrong count of ? values and values it cannot store, as better-sqlite3 does', async () => {
    await expect(db.all('SELECT id FROM t WHERE n = @n AND id = @id', { n: 1 })).rejects.toThrow('Missing named parameter "id"');
    await expect(db.all('SELECT id FROM t WHERE n = ? AND id = ?', 1)).rejects.toThrow('Too few parameter values were provided');
    await expect(db.all('SELECT id FROM t WHERE n = ?', 1, 2)).rejects.toThrow('Too many parameter values were provided');
    await expect(db.all('SELECT id FROM t WHERE n = ?', true)).rejects.toThrow('can only bind');
  });

  it.skipIf(driver.skip)('answers rows, one row, changes, plucked first columns and raw arrays, with counts as numbers', async () => {
    await reset();
    const stmt = db.prepare<unknown[], { id: number; name: string }>('SELECT id, name FROM t WHERE n = ? ORDER BY id');
    expect(await stmt.all(10)).toEqual([{ id: 1, name: 'one' }, { id: 3, name: 'three' }]);
    expect(await stmt.get(20)).toEqual({ id: 2, name: 'two' });
    expect(await stmt.get(99)).toBeUndefined();
    expect(await stmt.pluck().all(10)).toEqual([1, 3]);
    expect(await stmt.raw().all(10)).toEqual([[1, 'one'], [3, 'three']]);
    expect(await stmt.all(10)).toHaveLength(2); // pluck/raw made their own statements
    // Asked again (a listing does per call), each shape still answers its own way.
    expect(await stmt.pluck().all(20)).toEqual([2]);
    expect(await stmt.raw().get(20)).toEqual([2, 'two']);
    expect(await stmt.get(20)).toEqual({ id: 2, name: 'two' });
    expect(await db.get('SELECT COUNT(*) AS n, SUM(n) AS total, MAX(id) AS top FROM t')).toEqual({ n: 3, total: 40, top: 3 });
    expect(await db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(3);
    expect(await db.run('UPDATE t SET n = n + 1 WHERE n = ?', 10)).toEqual({ changes: 2 });
    expect(await db.run('DELETE FROM t WHERE id = ?', 99)).toEqual({ changes: 0 });
    const blob = Buffer.from([0, 1, 2, 255]);
    expect(Buffer.compare((await db.prepare(driver.name === 'sqlite' ? 'SELECT ? AS b' : 'SELECT ?::bytea AS b').pluck<Buffer>().get(blob))!, blob)).toBe(0);
  });

  it.skipIf(driver.skip)('commits a transaction, rolls it back when its function throws, and passes the error on', async () => {
    await reset();
    expect(db.inTransaction()).toBe(false);
    const value = await db.transaction(async () => {
      expect(db.inTransaction()).toBe(true);
      await db.run("INSERT INTO t (id, name) VALUES (4, 'four')");
      return 'done';
    });
    expect(value).toBe('done');
    await expect(
      db.transaction(async () => {
        await db.run("INSERT INTO t (id, name) VALUES (5, 'five')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2, 3, 4]);
  });

  it.skipIf(driver.skip)('ends a transaction whose COMMIT is refused (a deferred foreign key), so the next one runs', async () => {
    await reset();
    await db.exec('CREATE TABLE IF NOT EXISTS d (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)');
    const refused = db.transaction(async () => {
      await db.run("INSERT INTO t (id, name) VALUES (7, 'seven')");
      await db.run('INSERT INTO d (id, t_id) VALUES (1, 999)'); // checked at COMMIT only
    });
    await expect(refused).rejects.toSatisfy(isForeignKeyViolation);
    expect(db.inTransaction()).toBe(false);
    await db.transaction(async () => {
      await db.run("INSERT INTO t (id, name) VALUES (8, 'eight')");
    });
    expect(await db.prepare('SELECT id FROM t WHERE id > 3 ORDER BY id').pluck().all()).toEqual([8]);
    expect(await db.prepare('SELECT COUNT(*) FROM d').pluck().get()).toBe(0);
  });

  it.skipIf(driver.skip)('rolls a nested transaction back to its savepoint and keeps what the outer one did', async () => {
    await reset();
    await db.transaction(async () => {
      await db.run("INSERT INTO t (id, name) VALUES (4, 'four')");
      await expect(
        db.transaction(async () => {
          await db.run("INSERT INTO t (id, name) VALUES (5, 'five')");
          await db.run("INSERT INTO t (id, name) VALUES (6, 'one')"); // unique violation
        }),
      ).rejects.toSatisfy(isUniqueViolation);
      // The outer transaction goes on after the failed savepoint (on PostgreSQL too).
      await db.transaction(async () => db.run("INSERT INTO t (id, name) VALUES (7, 'seven')"));
    });
    expect(await db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2, 3, 4, 7]);
  });

  it.skipIf(driver.skip)('keeps other async contexts out of a transaction: their statements neither join it nor roll back with it', async () => {
    await reset();
    let inserted!: () => void;
    const insertedInTx = new Promise<void>((r) => (inserted = r));
    const outside = (async () => {
      await insertedInTx;
      expect(db.inTransaction()).toBe(false);
      await db.run("INSERT INTO t (id, name) VALUES (9, 'outside')");
      return db.prepare('SELECT id FROM t WHERE id IN (8, 9) ORDER BY id').pluck().all();
    })();
    await expect(
      db.transaction(async () => {
        await db.run("INSERT INTO t (id, name) VALUES (8, 'inside')");
        inserted();
        await tick();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await outside).toEqual([9]);
    expect(await db.prepare('SELECT id FROM t WHERE id IN (8, 9) ORDER BY id').pluck().all()).toEqual([9]);
  });

  it.skipIf(driver.skip)('serialises write transactions: concurrent read-modify-writes lose no change', async () => {
    await reset();
    const bump = () =>
      db.transaction(async () => {
        const n = await db.prepare('SELECT n FROM t WHERE id = 1').pluck<number>().get();
        await tick(); // another writer would get in here without the write lock
        await db.run('UPDATE t SET n = ? WHERE id = 1', n! + 1);
      });
    await Promise.all([bump(), bump(), bump(), db.run('UPDATE t SET n = n + 100 WHERE id = 1')]);
    expect(await db.prepare('SELECT n FROM t WHERE id = 1').pluck().get()).toBe(113);
  });

  it.skipIf(driver.skip)('dryRun answers what its function answered and keeps none of its writes', async () => {
    await reset();
    const seen = await dryRun(db, async () => {
      await db.run("INSERT INTO t (id, name) VALUES (4, 'four')");
      return db.prepare('SELECT COUNT(*) FROM t').pluck().get();
    });
    expect(seen).toBe(4);
    expect(await db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(3);
  });

  it.skipIf(driver.skip)('rejects a unique or foreign key violation in a way isUniqueViolation / isForeignKeyViolation recognise, and changes nothing', async () => {
    await reset();
    const dup = await db.run("INSERT INTO t (id, name) VALUES (4, 'one')").catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    expect(isForeignKeyViolation(dup)).toBe(false);
    const orphan = await db.run('INSERT INTO c (id, t_id) VALUES (1, 99)').catch((e: unknown) => e);
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
    const inTx = await db.transaction(() => db.run("UPDATE t SET name = 'one' WHERE id = 2")).catch((e: unknown) => e);
    expect(isUniqueViolation(inTx)).toBe(true);
    expect(await db.prepare('SELECT name FROM t ORDER BY id').pluck().all()).toEqual(['one', 'two', 'three']);
  });

  it.skipIf(driver.skip)('finds the same rows by full-text search (case, accents, punctuation, phrases, prefixes)', async () => {
    await seedSearch(db);
    const ids = (q: string) => searchRowids(db, toFtsQuery(q)!);
    expect(await ids('tboot')).toEqual([6, 7, 11, 19]); // also TBOOT-patches
    expect(await ids('TBOOT rfc')).toEqual([11]);
    expect(await ids('cafe')).toEqual([5, 10]); // "Café" and "CAFÉ" (accents and case folded)
    expect(await ids('Été')).toEqual([19]);
    expect(await ids('uefi-shim')).toEqual([14, 15]); // the phrase "uefi shim", also written uefi_shim
    expect(await ids('shim uefi')).toEqual([14, 15, 19]); // two words, anywhere
    expect(await ids('alice@example.org')).toEqual([14]);
    expect(await ids('o’brien')).toEqual([5]); // written O'Brien
    expect(await ids('xen sec')).toEqual([5, 10]); // the last word is a prefix: security, secure
    expect(await ids('привет')).toEqual([17]);
    expect(await ids('nothing-here')).toEqual([]);
    // Editing an action re-indexes it; deleting a decision removes it.
    await db.run("UPDATE actions SET text = 'write the UEFI note' WHERE id = 2");
    await db.run('DELETE FROM decisions WHERE id = 1');
    expect(await ids('tboot')).toEqual([7, 19]);
  });
});

/** Rows covering minutes (rowid 4m+1), decisions (4d+2) and actions (4a+3). */
async function seedSearch(db: Database): Promise<void> {
  await db.exec(`DELETE FROM actions; DELETE FROM decisions; DELETE FROM meetings; DELETE FROM minutes_revisions; DELETE FROM series;`);
  await db.run("INSERT INTO series (id, slug, name, created_at, updated_at) VALUES (1, 's', 'S', ?, ?)", T, T);
  const meeting = async (id: number, date: string, text: string) => {
    await db.run('INSERT INTO meetings (id, series_id, date, created_at, updated_at) VALUES (?, 1, ?, ?, ?)', id, date, T, T);
    await db.run("INSERT INTO minutes_revisions (id, meeting_id, revision, text, hash, source, created_at) VALUES (?, ?, 1, ?, 'h', 'cli', ?)", id, id, text, T);
    await db.run('UPDATE meetings SET current_revision_id = ? WHERE id = ?', id, id);
  };
  await meeting(1, '2026-01-01', "Minutes: Xen security call with O'Brien, at the Café.");
  await meeting(4, '2026-01-08', 'Привет from the Rust people; 日本語 too');
  const decision = async (id: number, text: string) =>
    db.run('INSERT INTO decisions (id, meeting_id, text, line, created_at) VALUES (?, 1, ?, 1, ?)', id, text, T);
  await decision(1, 'Adopt tboot for measured launch');
  await decision(2, 'Move to the CAFÉ on Fridays; xen secure boot first');
  await decision(3, 'Mail alice@example.org about the uefi_shim');
  const action = async (id: number, text: string) =>
    db.run('INSERT INTO actions (id, text, origin_meeting_id, last_meeting_id, created_at, updated_at) VALUES (?, ?, 1, 1, ?, ?)', id, text, T, T);
  await action(1, 'Review the TBOOT-patches');
  await action(2, 'write the tboot RFC');
  await action(3, 'UEFI shim review');
  await action(4, 'Été: tboot, shim and UEFI notes');
}

async function searchRowids(db: Database, match: string): Promise<number[]> {
  const where = db.dialect === 'sqlite' ? 'search_fts MATCH ?' : 'tsv @@ search_query(?)';
  return db.prepare(`SELECT rowid FROM search_fts WHERE ${where} ORDER BY rowid`).pluck<number>().all(match);
}

describe.skipIf(testDatabaseUrl() === null)('the PostgreSQL driver', () => {
  let db: PostgresDatabase;
  let sqlite: Database;
  beforeAll(async () => {
    db = await freshPostgres();
    sqlite = await drivers[0]!.open();
  });
  afterAll(async () => {
    await db?.close();
    await sqlite?.close();
  });

  it('translates parameters to $n once, skipping literals, quoted names, comments and dollar quotes', () => {
    expect(translate("SELECT ? , '?''@a', \"@b?\" -- ?\n, /* @c */ $x$ ? $x$, ?").text).toBe("SELECT $1 , '?''@a', \"@b?\" -- ?\n, /* @c */ $x$ ? $x$, $2");
    expect(translate('a = @a AND b = @b AND c = @a').text).toBe('a = $1 AND b = $2 AND c = $1');
    expect(translate('a = @a').names).toEqual(['a']);
    expect(() => translate('a = ? AND b = @b')).toThrow('mixes');
    expect(translate(`SELECT o.person_id AS personId, 'isX' AS "keepMe", 1e5 FROM t ORDER BY personId`).text).toBe(
      `SELECT o.person_id AS "personId", 'isX' AS "keepMe", 1e5 FROM t ORDER BY "personId"`,
    );
  });

  it('keeps the generic plan of a prepared statement on every pooled connection, beside options the URL gives', async () => {
    const url = new URL(db.url!);
    url.searchParams.set('options', '-c statement_timeout=12345');
    const other = await connectPostgres(url.toString(), { migrate: false });
    try {
      const settings = () => other.transaction(async () => [
        await other.prepare('SHOW plan_cache_mode').pluck().get(),
        await other.prepare('SHOW statement_timeout').pluck().get(),
      ], { readOnly: true });
      // Two at once: two connections of the pool.
      expect(await Promise.all([settings(), settings()])).toEqual([['force_generic_plan', '12345ms'], ['force_generic_plan', '12345ms']]);
      // A transaction asking for custom plans (full-text search) has them, and only it.
      const mode = () => other.prepare('SHOW plan_cache_mode').pluck().get();
      expect(await other.transaction(mode, { readOnly: true, customPlans: true })).toBe('force_custom_plan');
      expect(await other.transaction(mode, { customPlans: true })).toBe('force_custom_plan');
      expect(await Promise.all([settings(), settings()])).toEqual([['force_generic_plan', '12345ms'], ['force_generic_plan', '12345ms']]);
    } finally {
      await other.close();
    }
  });

  it('keeps a connection after a rollback on purpose, and drops one whose statement failed mid-transaction', async () => {
    const pid = () => db.prepare('SELECT pg_backend_pid()').pluck<number>().get();
    const first = await db.transaction(pid);
    const afterThrow = await dryRun(db, pid);
    expect(afterThrow).toBe(first); // a Rollback (no statement failed): the connection is reused
    await expect(db.transaction(async () => db.run('SELECT no_such_column FROM people'))).rejects.toThrow('no_such_column');
    expect(await db.transaction(pid)).not.toBe(first); // destroyed, a new one was opened
    expect(await db.prepare('SELECT COUNT(*) FROM people').pluck().get()).toBeTypeOf('number');
  });

  it('serialises write transactions across two instances (two pools) on one database', async () => {
    await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0);');
    const other = await connectPostgres(db.url!, { migrate: false });
    try {
      const bump = (on: Database) =>
        on.transaction(async () => {
          const n = await on.prepare('SELECT n FROM counter WHERE id = 1').pluck<number>().get();
          await tick();
          await on.run('UPDATE counter SET n = ? WHERE id = 1', n! + 1);
        });
      await Promise.all([bump(db), bump(other), bump(db), bump(other), bump(other)]);
      expect(await db.prepare('SELECT n FROM counter').pluck().get()).toBe(5);
      // A read-only transaction takes no lock: it runs while a writer holds it.
      let release!: () => void;
      const held = db.transaction(() => new Promise<void>((r) => (release = r)));
      await tick();
      expect(await other.transaction(() => other.prepare('SELECT n FROM counter').pluck().get(), { readOnly: true })).toBe(5);
      release();
      await held;
    } finally {
      await other.close();
    }
  });

  it('migrates once when two instances start together, and has every table, column, NOT NULL and index of the SQLite schema', async () => {
    const empty = await freshPostgres({ migrate: false });
    try {
      const [a, b, c] = await Promise.all([connectPostgres(empty.url!), connectPostgres(empty.url!), connectPostgres(empty.url!)]);
      await Promise.all([a.close(), b.close(), c.close()]);
      expect(await empty.prepare('SELECT id FROM schema_migrations').pluck().all()).toEqual(['0001-create-schema', '0002-create-rate-limit-hits', '0003-create-action-read-model']);
      expect(await empty.prepare('SELECT COUNT(*) FROM people').pluck().get()).toBe(0);
    } finally {
      await empty.close();
    }

    const sqliteHandle = (sqlite as SqliteDatabase).handle;
    const tables = sqliteHandle
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const expected = tables.flatMap((table) =>
      (sqliteHandle.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[]).map((c) => `${table}.${c.name}${c.notnull ? ' not null' : ''}`),
    );
    const pgColumns = new Set(
      (
        await db.all<{ t: string; c: string; nullable: string }>(
          "SELECT table_name AS t, column_name AS c, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public'",
        )
      ).flatMap((r) => [`${r.t}.${r.c}`, ...(r.nullable === 'NO' ? [`${r.t}.${r.c} not null`] : [])]),
    );
    expect(expected.length).toBeGreaterThan(150);
    expect(expected.filter((c) => !pgColumns.has(c))).toEqual([]);

    const sqliteIndexes = sqliteHandle.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];
    const pgIndexes = new Set(await db.prepare("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").pluck<string>().all());
    expect(sqliteIndexes.length).toBeGreaterThan(20);
    expect(sqliteIndexes.filter((i) => !pgIndexes.has(i))).toEqual([]);
  });

  it('marks the matched words of a hit with ts_headline, accents and case aside (the counterpart of snippet)', async () => {
    await seedSearch(db);
    const headline = await db
      .prepare(
        `SELECT ts_headline('search_headline', body, search_query(?), 'StartSel=[, StopSel=], MaxWords=16, MinWords=8, ShortWord=0, MaxFragments=1') FROM search_fts WHERE rowid = 19`,
      )
      .pluck<string>()
      .get(toFtsQuery('ete tboot'));
    expect(headline).toBe('[Été]: [tboot], shim and UEFI notes');
  });

  it('gives e-mail addresses NOCASE semantics: equal and unique whatever their case', async () => {
    await db.run("INSERT INTO people (name, name_key, email, created_at, updated_at) VALUES ('Ann', 'ann', 'Ann@Example.org', ?, ?)", T, T);
    expect(await db.prepare('SELECT name FROM people WHERE email = ?').pluck().get('ann@example.ORG')).toBe('Ann');
    const dup = await db.run("INSERT INTO people (name, name_key, email, created_at, updated_at) VALUES ('A', 'a', 'ANN@example.org', ?, ?)", T, T).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    const id = await db.prepare("INSERT INTO people (name, name_key, created_at, updated_at) VALUES ('Bo', 'bo', ?, ?) RETURNING id").pluck<number>().get(T, T);
    expect(typeof id).toBe('number');
  });

  it('refuses a database whose text order is not byte order, saying how to create one', async () => {
    const url = testDatabaseUrl()!;
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const name = `t_locale_${process.pid}`;
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
      const target = new URL(url);
      target.pathname = `/${name}`;
      await expect(connectPostgres(target.toString())).rejects.toThrow(/LC_COLLATE ''?C''? LC_CTYPE ''?C\.UTF-8/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('SQLite reader threads (the server reads outside transactions on its own connections)', () => {
  let db: SqliteDatabase;
  beforeAll(async () => {
    db = tempSqlite();
    db.useReaders(1, ['query_only = ON']);
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, b BLOB)');
  });
  afterAll(async () => {
    await db?.close();
  });
  /** A write transaction that has run `writes` and stays open until `finish()`. */
  const openTransaction = async (writes: () => Promise<unknown>) => {
    let written!: () => void;
    const inTx = new Promise<void>((r) => (written = r));
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    const tx = db.transaction(async () => {
      await writes();
      written();
      await held;
    });
    await inTx;
    return { tx, finish };
  };

  it('answers a read while a write transaction is open, from what was committed; the transaction reads its own writes', async () => {
    await db.run('DELETE FROM t');
    await db.run("INSERT INTO t (id, name) VALUES (1, 'one')");
    const { tx, finish } = await openTransaction(async () => {
      await db.run("INSERT INTO t (id, name) VALUES (2, 'two')");
      expect(await db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2]);
    });
    // Without reader threads this read would wait for the COMMIT; here it is answered at once.
    expect(await db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1]);
    finish();
    await tx;
    expect(await db.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2]);
  });

  it('leaves the calling thread free while a long read runs: other work goes on before the read answers', async () => {
    const order: string[] = [];
    // A read of a few hundred milliseconds (it counts to two million).
    const long = db
      .prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT count(*) FROM n')
      .pluck()
      .get()
      .then((count) => order.push(`read ${String(count)}`));
    await new Promise((r) => setImmediate(r));
    order.push('other work');
    await long;
    // On the calling thread the read would have run to its end before anything else could.
    expect(order).toEqual(['other work', 'read 2000000']);
  });

  it('runs writes that answer rows (RETURNING) on the main connection, not on a read-only reader', async () => {
    await db.run('DELETE FROM t');
    expect(await db.prepare("INSERT INTO t (id, name) VALUES (5, 'five') RETURNING id, name").get()).toEqual({ id: 5, name: 'five' });
    expect(await db.get('SELECT name FROM t WHERE id = 5')).toEqual({ name: 'five' });
  });

  it("rejects a read that fails on the reader with better-sqlite3's message and code", async () => {
    await expect(db.get("SELECT json_extract('not json', '$') AS j")).rejects.toMatchObject({ name: 'SqliteError', code: 'SQLITE_ERROR', message: 'malformed JSON' });
    // The reader goes on answering.
    expect(await db.prepare('SELECT 1 + 1').pluck().get()).toBe(2);
  });

  it('answers a BLOB as a Buffer, as better-sqlite3 does, in every row shape', async () => {
    await db.run('DELETE FROM t');
    await db.run("INSERT INTO t (id, name, b) VALUES (1, 'blob', ?)", Buffer.from([1, 2, 255]));
    const plucked = await db.prepare('SELECT b FROM t').pluck<Buffer>().get();
    const row = await db.get<{ b: Buffer }>('SELECT b FROM t');
    const raw = await db.prepare('SELECT id, b FROM t').raw<[number, Buffer]>().all();
    for (const b of [plucked!, row!.b, raw[0][1]]) {
      expect(Buffer.isBuffer(b)).toBe(true);
      expect([...b]).toEqual([1, 2, 255]);
    }
  });

  it("changes the data version when a transaction commits, also for a reader that took it while the transaction was open (the response cache's key)", async () => {
    const version = createDataVersion(db)!;
    const { tx, finish } = await openTransaction(() => db.run("INSERT INTO t (name) VALUES ('late')"));
    // A request now builds its answer from the reader (without 'late') under this version...
    const during = await version();
    expect(await db.prepare("SELECT count(*) FROM t WHERE name = 'late'").pluck().get()).toBe(0);
    finish();
    await tx;
    // ...which must not match once 'late' is committed.
    expect(await version()).not.toBe(during);
  });
});

describe('a SQLite reader thread that fails', () => {
  it('fails the reads sent to it with a message naming it, and is no longer used', async () => {
    const { SqliteReadPool } = await import('../../../../server/db/sqlite-read-pool.js');
    const pool = new SqliteReadPool('/nonexistent/minutes.db', 1, [], 1000);
    expect(pool.usable).toBe(true);
    await expect(pool.read('SELECT 1', 'pluck', true, [])).rejects.toThrow(/database reader thread failed: .*(does not exist|unable to open)/i);
    expect(pool.usable).toBe(false);
    await pool.close();
  });
});
