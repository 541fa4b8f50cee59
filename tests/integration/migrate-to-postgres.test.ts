import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedDir, tempDataDir, testDialect } from '../helpers/env.js';
import pg from 'pg';
import { freshPostgres, testDatabaseUrl } from '../helpers/postgres-cluster.js';
import type { PostgresDatabase } from '../../server/db/postgres-database.js';

/**
 * `minutes migrate-to-postgres --from FILE`: real minutes imported into a SQLite file by the
 * built CLI, then copied into a fresh PostgreSQL database by the built CLI; what users see
 * (listings, search, new ids) must be the same on both. PostgreSQL project only: the SQLite
 * project has no PostgreSQL to migrate into.
 */
describe.skipIf(testDialect !== 'postgres')('minutes migrate-to-postgres', () => {
  const data = tempDataDir('minutes-migrate-');
  const dbFile = join(data.dir, 'minutes.db');
  /** The SQLite side: DATABASE_URL empty means unset, so the CLI opens the data folder's file. */
  const onSqlite = { dataDir: data.dir, env: { DATABASE_URL: '' } };
  let target: PostgresDatabase;
  let url: string;
  const onPostgres = () => ({ dataDir: data.dir, env: { DATABASE_URL: url } });

  beforeAll(async () => {
    // Real minutes: the examples and the corpus (several series, people, actions, decisions).
    const corpus = readdirSync(join(sharedDir, 'corpus')).filter((f) => f.endsWith('.md')).map((f) => join(sharedDir, 'corpus', f));
    const examples = readdirSync(join(sharedDir, 'examples')).filter((f) => f.endsWith('.md')).map((f) => join(sharedDir, 'examples', f));
    const imported = await runCli(['import', ...examples, ...corpus.slice(0, 12)], onSqlite);
    expect(imported.code, imported.stderr).toBeLessThanOrEqual(1); // 1: a file of the corpus may fail to parse
    // A person merged into one with a HIGHER id: merged_into_id points at a row copied after it.
    expect((await runCli(['people', 'add', 'Ada L.', '--email', 'ada.l@example.org'], onSqlite)).code).toBe(0);
    expect((await runCli(['people', 'add', 'Ada Lovelace', '--email', 'ada@example.org', '--alias', 'ada'], onSqlite)).code).toBe(0);
    expect((await runCli(['people', 'add', 'Grace Hopper', '--email', 'grace@example.org'], onSqlite)).code).toBe(0);
    const merge = await runCli(['people', 'merge', 'Ada L.', 'Ada Lovelace'], onSqlite);
    expect(merge.code, merge.stderr).toBe(0);
    expect((await runCli(['token', 'create', '--role', 'admin', '--name', 'ops'], onSqlite)).code).toBe(0);
    // Sessions and outbox rows as the server writes them (no server runs here).
    const db = new Database(dbFile);
    const ada = db.prepare(`SELECT id FROM people WHERE email = 'ada@example.org'`).pluck().get() as number;
    const now = '2026-01-02T03:04:05.000Z';
    db.prepare(`INSERT INTO sessions (id_hash, person_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`).run('h'.repeat(64), ada, now, now, '2026-02-02T03:04:05.000Z');
    db.prepare(
      `INSERT INTO outbox (dedupe_key, kind, to_address, subject, text, status, next_attempt_at, created_at, sealed) VALUES (?, 'reminder', ?, ?, '', 'pending', ?, ?, ?)`,
    ).run('reminder:1:2026-01-02', 'ada@example.org', 'Your open actions', now, now, Buffer.from([0, 1, 2, 250, 255]));
    db.close();

    target = await freshPostgres({ migrate: false });
    url = target.url!;
  }, 180_000);

  afterAll(async () => {
    await target?.close();
    data.cleanup();
  });

  /** Rows per table of the SQLite file (every table the app has, the full-text index as one). */
  function sqliteCounts(): Record<string, number> {
    const db = new Database(dbFile, { readonly: true });
    try {
      const names = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts_%' AND name <> 'schema_migrations' ORDER BY name`)
        .pluck()
        .all() as string[];
      return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number]));
    } finally {
      db.close();
    }
  }

  async function postgresCounts(names: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const n of names) out[n] = ((await target.get<{ n: number }>(`SELECT count(*) AS n FROM "${n}"`)) as { n: number }).n;
    return out;
  }

  it('copies every table with the same rows, and the app shows the same on both', async () => {
    const before = sqliteCounts();
    expect(before.meetings).toBeGreaterThan(5);
    expect(before.actions).toBeGreaterThan(10);
    expect(before.sessions).toBe(1);
    expect(before.outbox).toBe(1);
    expect(before.api_tokens).toBe(1);
    expect(before.search_fts).toBeGreaterThan(before.actions);

    const out = await runCli(['migrate-to-postgres', '--from', dbFile], onPostgres());
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^migrated .*minutes\.db to PostgreSQL 127\.0\.0\.1:\d+\/t_\w+: \d+ rows in \d+ tables, \d+ search entries indexed/);
    expect(out.stdout).toMatch(new RegExp(`\\n  actions +${before.actions}\\n`));

    expect(await postgresCounts(Object.keys(before))).toEqual(before);
    // Ids kept, the sealed email's bytes too.
    const sealed = await target.get<{ sealed: Buffer }>(`SELECT sealed FROM outbox WHERE dedupe_key = 'reminder:1:2026-01-02'`);
    expect([...sealed!.sealed]).toEqual([0, 1, 2, 250, 255]);
    const merged = await target.get<{ id: number; merged: number; into: number }>(
      `SELECT p.id, p.merged_into_id AS merged, q.id AS into FROM people p JOIN people q ON q.name = 'Ada Lovelace' WHERE p.name = 'Ada L.'`,
    );
    expect(merged!.merged).toBe(merged!.into);
    expect(merged!.id).toBeLessThan(merged!.into);

    // What users see, through the built CLI, on each database.
    for (const args of [
      ['actions', '--status', 'all', '--json'],
      ['people', 'list', '--json'],
      ['token', 'list', '--json'],
      ['decisions', '--json'],
      ['outbox', '--json'],
    ]) {
      const a = await runCli(args, onSqlite);
      const b = await runCli(args, onPostgres());
      expect(a.code, `${args.join(' ')} on SQLite: ${a.stderr}`).toBe(0);
      expect(b.code, `${args.join(' ')} on PostgreSQL: ${b.stderr}`).toBe(0);
      expect(b.stdout, args.join(' ')).toBe(a.stdout);
    }
    // Full-text search over the copied minutes: the same decisions found for a word of them.
    const word = (JSON.parse((await runCli(['decisions', '--json'], onSqlite)).stdout) as { text: string }[])
      .flatMap((d) => d.text.split(/\W+/))
      .find((w) => w.length > 6)!;
    const found = await Promise.all([runCli(['decisions', '--q', word, '--json'], onSqlite), runCli(['decisions', '--q', word, '--json'], onPostgres())]);
    expect((JSON.parse(found[0].stdout) as unknown[]).length).toBeGreaterThan(0);
    expect(found[1].stdout).toBe(found[0].stdout);

    // The identity sequences continue past the copied ids.
    const added = await runCli(['people', 'add', 'Katherine Johnson', '--email', 'kj@example.org'], onPostgres());
    expect(added.code, added.stderr).toBe(0);
    const ids = await target.all<{ id: number; email: string }>(`SELECT id, email FROM people ORDER BY id DESC LIMIT 1`);
    expect(ids[0]).toEqual({ id: before.people + 1, email: 'kj@example.org' });
  }, 180_000);

  it('refuses a second run (the target holds data) and changes nothing', async () => {
    const names = Object.keys(sqliteCounts());
    const before = await postgresCounts(names);
    const again = await runCli(['migrate-to-postgres', '--from', dbFile], onPostgres());
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^minutes: the PostgreSQL database already holds data \(table \w+ is not empty\); migrate into a new, empty database\n$/);
    expect(await postgresCounts(names)).toEqual(before);
  });

  it('rolls everything back, naming the table, when a row is refused or a check does not match', async () => {
    const one = tempDataDir('minutes-migrate-one-');
    const sqliteOnly = { dataDir: one.dir, env: { DATABASE_URL: '' } };
    try {
      const file = join(one.dir, 'minutes.db');
      const imported = await runCli(['import', join(sharedDir, 'examples', 'openxt-2016-12-15.md')], sqliteOnly);
      expect(imported.code, imported.stderr).toBe(0);
      const cases: [string, RegExp][] = [
        // SQLite keeps text in an INTEGER column; PostgreSQL refuses it.
        [`UPDATE actions SET line = 'line nine' WHERE id = (SELECT max(id) FROM actions)`, /^minutes: table actions: invalid input syntax for type integer: "line nine"; nothing was migrated\n$/],
        // SQLite's full-text index lost an entry: PostgreSQL's triggers index one more.
        [`DELETE FROM search_fts WHERE rowid = (SELECT max(rowid) FROM search_fts)`, /^minutes: table search_fts: (\d+) rows in SQLite's full-text index but \d+ indexed in PostgreSQL after the copy; nothing was migrated\n$/],
      ];
      for (const [damage, message] of cases) {
        const db = new Database(file);
        const saved = db.prepare(`SELECT id, line FROM actions WHERE id = (SELECT max(id) FROM actions)`).get() as { id: number; line: number };
        db.exec(damage);
        db.close();
        const fresh = await freshPostgres({ migrate: false });
        try {
          const r = await runCli(['migrate-to-postgres', '--from', file], { dataDir: one.dir, env: { DATABASE_URL: fresh.url! } });
          expect(r.code).toBe(1);
          expect(r.stderr).toMatch(message);
          // The schema was migrated (its own transactions); not one row stayed.
          for (const t of ['people', 'series', 'meetings', 'actions', 'action_owners', 'search_fts']) {
            expect(await fresh.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`), t).toEqual({ n: 0 });
          }
        } finally {
          await fresh.close();
        }
        const undo = new Database(file);
        undo.prepare(`UPDATE actions SET line = ? WHERE id = ?`).run(saved.line, saved.id);
        undo.close();
      }
    } finally {
      one.cleanup();
    }
  });

  it('refuses a bad --from, a missing DATABASE_URL or an unsuitable PostgreSQL database in one line', async () => {
    const notDb = join(data.dir, 'notes.md');
    writeFileSync(notDb, '# not a database\n'.repeat(200));
    const otherDb = join(data.dir, 'other.db');
    new Database(otherDb).exec('CREATE TABLE t (x)').close();
    const empty = await freshPostgres({ migrate: false });
    try {
      const cases: [string[], Record<string, string>, RegExp][] = [
        [['--from', join(data.dir, 'nope.db')], { DATABASE_URL: empty.url! }, /^minutes: --from .*nope\.db: no such file\n$/],
        [['--from', notDb], { DATABASE_URL: empty.url! }, /^minutes: --from .*notes\.md is not a SQLite database \(file is not a database\)\n$/],
        [['--from', otherDb], { DATABASE_URL: empty.url! }, /^minutes: --from .*other\.db is not a Minutes database \(it has no schema_migrations table\)\n$/],
        [['--from', dbFile], { DATABASE_URL: '' }, /^minutes: DATABASE_URL is not set: set it to the empty PostgreSQL database to migrate into/],
      ];
      for (const [args, env, message] of cases) {
        const r = await runCli(['migrate-to-postgres', ...args], { dataDir: data.dir, env });
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
      // A database ordering or folding text otherwise than the schema needs: the migration's own check, in one line.
      const admin = new pg.Client({ connectionString: testDatabaseUrl()! });
      await admin.connect();
      const name = `t_ctype_${process.pid}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
      try {
        const asciiOnly = new URL(testDatabaseUrl()!);
        asciiOnly.pathname = `/${name}`;
        const r = await runCli(['migrate-to-postgres', '--from', dbFile], { dataDir: data.dir, env: { DATABASE_URL: asciiOnly.toString() } });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          /^minutes: cannot use the PostgreSQL database of DATABASE_URL \(127\.0\.0\.1:\d+\/t_ctype_\d+\): minutes needs a database ordering text by bytes and with a UTF-8 character type: CREATE DATABASE minutes TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C\.UTF-8'\n$/,
        );
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
      const usage = await runCli(['migrate-to-postgres'], { dataDir: data.dir, env: { DATABASE_URL: empty.url! } });
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/required option '--from <file>' not specified/);
      // Nothing was created in the target, not even the schema.
      expect(await empty.get(`SELECT to_regclass('public.meetings') AS t`)).toEqual({ t: null });
    } finally {
      await empty.close();
    }
  });
});
