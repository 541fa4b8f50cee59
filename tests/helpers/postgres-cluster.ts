import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { connectPostgres, type PostgresDatabase } from '../../server/db/postgres-database.js';

/**
 * A throw-away PostgreSQL cluster for the tests, from Debian's `postgresql` package
 * (`/usr/lib/postgresql/<version>/bin`): a temp data folder, `initdb`, `pg_ctl start` on a free
 * loopback port, stopped and removed at the end. Nothing of the machine's own clusters is used.
 *
 * `MINUTES_TEST_DATABASE_URL` set beforehand (a server of your own) wins: no cluster is started.
 */
export const DATABASE_URL_ENV = 'MINUTES_TEST_DATABASE_URL';

export interface Cluster {
  url: string;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0]!, 'bin') : null;
}

/**
 * Starts a cluster (user `minutes`, trust authentication, loopback only, no fsync). initdb refuses
 * to run as root: as root the cluster runs as the `postgres` system user (which owns the folder).
 */
export async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'minutes-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  // Locale C: byte order for text, ASCII-only case folding, as SQLite's BINARY and NOCASE.
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'minutes', '--no-sync', '-E', 'UTF8', '--locale=C', '--no-instructions']);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['start', '-w', '-s', '-D', data, '-l', join(dir, 'log'), '-o', options]);
  return {
    url: `postgres://minutes@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['stop', '-s', '-D', data, '-m', 'immediate']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A TCP port free on 127.0.0.1 at the time of asking (env.ts re-exports it for the tests). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The cluster's URL the global setup made available (forked workers read it from env). */
export function testDatabaseUrl(): string | null {
  return process.env[DATABASE_URL_ENV] || null;
}

/**
 * A new, empty, migrated database of its own on the test cluster (`t_<random>`), dropped when
 * the answered database is closed, so test files never share state. Byte order for text and
 * a UTF-8 character type, as the schema migration requires.
 */
export async function freshPostgres(opts: { migrate?: boolean } = {}): Promise<PostgresDatabase> {
  const url = testDatabaseUrl();
  if (url === null) throw new Error(`${DATABASE_URL_ENV} is not set: no PostgreSQL for this test (see tests/helpers/postgres-global-setup.ts)`);
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = await connectPostgres(dbUrl.toString(), { migrate: opts.migrate ?? true });
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return db;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
