/**
 * Threat: a copy of the data folder (a backup, another local user, a leaked volume) gives
 * working sign-in and action links. Before the fix the outbox kept every message in clear,
 * and the database and the dev `.eml` files were created 0644.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openWorld, runCli, tempDataDir, type TestWorld } from '../helpers/env.js';
import { seeder } from '../helpers/reminder-seed.js';
import { closeMailWorld, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { fixedClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/connection.js';
import { runMigrations } from '../../server/db/migrate.js';
import { migrations } from '../../server/db/migrations/index.js';
import { createServices } from '../../server/container.js';

const SECRET = 'test-secret-0123456789abcdef-0123456789';
const mode = (path: string) => statSync(path).mode & 0o777;

/** Every byte SQLite keeps for the database: the file, its WAL and shared memory. */
function storedBytes(dbFile: string): string {
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

/** The live links of a message: action links, sign-in links, reply addresses. */
const LINK = /\/act\/[A-Za-z0-9._~-]{16,}|\/sign-in\/msl_[A-Za-z0-9_-]+|reply\+[A-Za-z0-9._~-]{16,}/g;

let world: TestWorld | null = null;
let sink: SmtpSink | null = null;
afterEach(async () => {
  if (world && sink) await closeMailWorld(world, sink);
  else world?.close();
  world = null;
  sink = null;
});

describe('stored mail holds no usable link', () => {
  it('sends digests and sign-in links with live links, while the database bytes hold none of them', async () => {
    sink = await startSmtpSink();
    world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: '0' } });
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    await s.action({ meetingId: await s.meeting(await s.series('x', 'X Call'), '2026-11-05'), text: 'write the doc', owners: [ross] });
    const link = await world.services.auth.requestSignIn('ross@example.org');
    expect(link).toBeTruthy();
    await world.services.outbox.enqueue({ dedupeKey: 'sign-in-test', kind: 'sign-in', to: link!.to, subject: 'Your sign-in link', text: `Sign in: ${link!.url}` });
    const r = await world.services.reminders.run();
    expect(r.delivery?.sent).toBe(2);

    const sent = (await sink.waitFor(2)).map((m) => m.raw).join('\n');
    const links = sent.match(LINK) ?? [];
    // The messages did carry live links (an action link, a sign-in link, a reply address)...
    expect(links.some((l) => l.startsWith('/act/'))).toBe(true);
    expect(links.some((l) => l.startsWith('/sign-in/'))).toBe(true);
    expect(links.some((l) => l.startsWith('reply+'))).toBe(true);
    // ...and none of them is anywhere in what SQLite stored.
    const bytes = storedBytes(world.config.dbFile);
    for (const l of links) expect(bytes).not.toContain(l);
    expect(bytes).not.toContain('write the doc\n'); // bodies are sealed, not just their links
    // The outbox still answers with the message for those allowed to read it (admins, retries).
    const row = (await world.services.outbox.listRecent(10)).find((m) => m.kind === 'sign-in')!;
    expect(row.text).toContain(link!.url);
  });

  it('creates the data folder 0700 and the database, WAL and SHM 0600', async () => {
    world = openWorld();
    await world.services.people.create({ name: 'Ada', email: 'ada@example.org' });
    expect(mode(world.dir)).toBe(0o700);
    for (const f of [world.config.dbFile, `${world.config.dbFile}-wal`, `${world.config.dbFile}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect(mode(f), f).toBe(0o600);
    }
  });

  it('`minutes backup` writes its copy 0600 too', async () => {
    const tmp = tempDataDir();
    try {
      const r = await runCli(['backup', join(tmp.dir, 'copy.db')], { dataDir: join(tmp.dir, 'data') });
      expect(r.code, r.stderr).toBe(0);
      expect(mode(join(tmp.dir, 'copy.db'))).toBe(0o600);
    } finally {
      tmp.cleanup();
    }
  });

  it('writes captured dev mail (the dev outbox, readable by design) 0600 inside a 0700 folder', async () => {
    world = openWorld({ clock: fixedClock('2026-11-23T09:00:00Z'), env: { SMTP_URL: '' } });
    const s = seeder(world.db);
    const ross = await s.person('Ross Philipson', { email: 'ross@example.org' });
    await s.action({ meetingId: await s.meeting(await s.series('x', 'X Call'), '2026-11-05'), text: 'write the doc', owners: [ross] });
    await world.services.reminders.run();
    const dir = world.config.outboxDir;
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.length).toBe(1);
    expect(mode(join(dir, files[0]))).toBe(0o600);
    expect(readFileSync(join(dir, files[0]), 'utf8')).toMatch(/\/act\//);
  });

  it('seals rows stored in clear by an older version and drops the bodies of sent ones', async () => {
    const tmp = tempDataDir();
    try {
      const dbFile = join(tmp.dir, 'minutes.db');
      const old = new Database(dbFile);
      runMigrations(old, migrations.filter((m) => m.id < '0060'));
      const insert = old.prepare(`INSERT INTO outbox (dedupe_key, kind, to_address, subject, text, html, headers, status, attempts,
        next_attempt_at, message_id, created_at) VALUES (?, 'digest', 'ross@example.org', 'Reminder', ?, NULL, ?, ?, 0, '2026-01-01T00:00:00Z', ?, '2026-01-01T00:00:00Z')`);
      insert.run('old-sent', 'Done: http://localhost:3000/act/OLDSENTTOKEN0123456789', '{}', 'sent', '<a@x>');
      insert.run('old-pending', 'Done: http://localhost:3000/act/OLDPENDINGTOKEN0123456789', '{"Reply-To":"reply+OLDREPLYTOKEN0123456789@x"}', 'pending', '<b@x>');
      old.close();

      sink = await startSmtpSink();
      const config = loadConfig({ MINUTES_DATA_DIR: tmp.dir, MINUTES_SECRET: SECRET, SMTP_URL: sink.url });
      const db = openDatabase(config.dbFile);
      const services = createServices({ db, config });
      await services.outbox.sealStored(); // as the server does at start
      db.handle.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = storedBytes(dbFile);
      expect(bytes).not.toContain('OLDSENTTOKEN');
      expect(bytes).not.toContain('OLDPENDINGTOKEN');
      expect(bytes).not.toContain('OLDREPLYTOKEN');
      // The pending one is still delivered whole.
      expect((await services.outbox.flush()).sent).toBe(1);
      const [got] = await sink.waitFor(1);
      expect(got.text).toContain('/act/OLDPENDINGTOKEN0123456789');
      expect(got.raw).toContain('reply+OLDREPLYTOKEN0123456789@x');
      services.mailer.close();
      await db.close();
      await sink.close();
      sink = null;
    } finally {
      tmp.cleanup();
    }
  });
});
