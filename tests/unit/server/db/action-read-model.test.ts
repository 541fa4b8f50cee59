import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openWorld, tempDataDir, testDialect, type TestWorld } from '../../../helpers/env.js';
import { readModelDrift } from '../../../helpers/read-model.js';
import { fixedClock } from '../../../../server/clock.js';
import { openDatabase } from '../../../../server/db/connection.js';
import { createServices } from '../../../../server/container.js';
import { loadConfig } from '../../../../server/config.js';
import { runMigrations } from '../../../../server/db/migrate.js';
import { migrations } from '../../../../server/db/migrations/index.js';
import { readModelListing } from '../../../../server/db/repositories/action-read-model.js';
import type { SqliteDatabase } from '../../../../server/db/sqlite-database.js';
import type { Actor } from '../../../../server/services/actions/actor.js';

/*
 * The read model of the action lists (SQLite's migration 0130, PostgreSQL's 0003): kept by
 * triggers, it must say what the tables say after any write. (Every test world also checks this
 * when it closes.)
 */

const web: Actor = { personId: null, role: 'notetaker', label: 'Ann Lee', source: 'web' };
const MINUTES =
  '# Call 2024-03-07\n\n## Attendees\n\n- Ann Lee\n- Bob Stone\n\n## Notes\n\n' +
  'ACTION: Ann Lee and Bob Stone to send the slides by 2024-03-10\n\nACTION: Bob Stone to book the room\n\nACTION: Sam to fix the build by 2024-04-02\n\n' +
  'ACTION: Ann Lee to write "the notes" \\ by 2024-03-30\n';

let w: TestWorld;
const handle = () => (w.db as SqliteDatabase).handle;
/** SQL straight to the tables, as an admin or another program would write. */
const sql = async (text: string, ...args: unknown[]) => void (await w.db.run(text, ...(args as never[])));
const drift = () => readModelDrift(w.db, w.services);
/** What the API list sends for `filter`: the actions' JSON from the read model. */
const api = async (filter: Parameters<TestWorld['services']['actions']['listJson']>[0]) =>
  (JSON.parse(await w.services.actions.listJson(filter)) as { actions: Array<{ id: number; text: string; status: string; owners: Array<{ name: string; email: string | null }>; originMeeting: { date: string; title: string | null; seriesSlug: string }; lastMeeting: { date: string } }> }).actions;

describe('the action lists read model', () => {
  beforeEach(() => {
    w = openWorld({ clock: fixedClock('2024-03-20T09:00:00Z') });
  });
  afterEach(() => w.close());

  it('follows every kind of write: imports, changes of actions, people, meetings and series', async () => {
    const first = await w.services.imports.importText(MINUTES, { series: 'team' });
    const [slides, room, build] = first.actions.map((a) => a.id);
    expect(await drift()).toEqual([]);
    expect((await api({ owner: 'Bob Stone' })).map((a) => a.id)).toEqual([slides, room]);

    await w.services.actions.close(slides, web, 'sent');
    await w.services.actions.drop(room, web);
    await w.services.actions.snooze(build, '2024-04-01', web);
    await w.services.actions.update(build, { owners: ['Bob Stone', 'Sam'], due: '2024-03-25', text: 'fix the nightly build' }, web);
    expect(await drift()).toEqual([]);
    expect((await api({ owner: 'Bob Stone' })).map((a) => [a.text, a.status])).toEqual([['fix the nightly build', 'open']]);
    expect((await api({ owner: 'Bob Stone', status: 'all' })).map((a) => a.id)).toEqual([build, slides, room]);
    await w.services.actions.reopen(slides, web);
    expect(await drift()).toEqual([]);

    // People: an email and a new name show in every action they own; a merge moves ownership.
    const bob = (await w.services.people.lookup('Bob Stone'))[0];
    await w.services.people.update(bob.id, { name: 'Robert Stone', email: 'bob@example.org' });
    expect(await drift()).toEqual([]);
    expect((await api({ owner: 'Robert Stone' })).flatMap((a) => a.owners.filter((o) => o.email).map((o) => o.name))).toEqual(['Robert Stone', 'Robert Stone']);
    const sam = await w.services.people.create({ name: 'Sam Hill' });
    await w.services.people.resolveName('Sam', sam.id, web);
    expect(await drift()).toEqual([]);
    expect((await api({ owner: 'Sam Hill' })).map((a) => a.id)).toEqual([build]);
    await w.services.people.merge(sam.id, bob.id);
    expect(await drift()).toEqual([]);
    expect((await api({ owner: 'Robert Stone' })).map((a) => a.id)).toEqual(expect.arrayContaining([build]));

    // A second meeting carries the open actions over, and changes one; then its minutes change again.
    const second = await w.services.imports.importText(MINUTES.replace('2024-03-07', '2024-03-14').replace('book the room', 'book the big room'), { series: 'team' });
    expect(await drift()).toEqual([]);
    await w.services.imports.importText(MINUTES.replace('2024-03-07', '2024-03-14').replace(/ACTION: Ann Lee to write.*\n/, ''), { series: 'team' });
    expect(await drift()).toEqual([]);

    // Meetings and series edited in place (as a migration or an admin's SQL would).
    await sql("UPDATE meetings SET date = '2024-03-08', title = 'Moved call' WHERE id = ?", first.meeting.id);
    expect(await drift()).toEqual([]);
    expect((await api({ status: 'all' })).find((a) => a.id === slides)?.originMeeting).toMatchObject({ date: '2024-03-08', title: 'Moved call' });
    const other = await w.services.series.upsert({ slug: 'other', name: 'Other' });
    await sql('UPDATE meetings SET series_id = ? WHERE id = ?', other.id, first.meeting.id);
    expect(await drift()).toEqual([]);
    expect((await api({ series: 'other', status: 'all' })).map((a) => a.id)).toContain(slides);
    await sql("UPDATE series SET slug = 'renamed' WHERE id = ?", other.id);
    expect(await drift()).toEqual([]);
    expect((await api({ series: 'renamed', status: 'all' })).every((a) => a.originMeeting.seriesSlug === 'renamed')).toBe(true);
    expect(second.meeting.id).not.toBe(first.meeting.id);

    // Actions and owners deleted outright.
    await sql('DELETE FROM action_owners WHERE action_id = ?', build);
    await sql('DELETE FROM action_events WHERE action_id = ?', room);
    await sql('DELETE FROM actions WHERE id = ?', room);
    expect(await drift()).toEqual([]);
    expect((await api({ status: 'all' })).map((a) => a.id)).not.toContain(room);
  });

  it('is caught out of step when a trigger is missing (the check can fail)', async () => {
    await w.services.imports.importText(MINUTES, { series: 'team' });
    await sql(testDialect === 'sqlite' ? 'DROP TRIGGER action_views_on_person_update' : 'DROP TRIGGER action_views_on_person ON people');
    const ann = (await w.services.people.lookup('Ann Lee'))[0];
    await w.services.people.update(ann.id, { name: 'Ann Leigh' });
    const found = await drift();
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/read model .*"Ann Lee".*views .*"Ann Leigh"/);
    // Put right for the world's own check at close.
    await sql("UPDATE action_owners SET name = name WHERE person_id = ?", ann.id);
  });

  it('pages owners, series and statuses as the views list them, cursor after cursor', async () => {
    // 3 meetings × 4 actions with mixed owners, due dates and statuses.
    for (let m = 1; m <= 3; m++) {
      const text = `# Call 2024-0${m}-05\n\n## Notes\n\n` + [1, 2, 3, 4].map((i) => `ACTION: ${i % 2 ? 'Ann Lee' : 'Bob Stone'}${i === 4 ? ' and Ann Lee' : ''} to do task ${m}.${i}${i % 3 ? ` by 2024-0${m + 1}-1${i}` : ''}\n`).join('\n');
      await w.services.imports.importText(text, { series: m === 3 ? 'other' : 'team' });
    }
    const all = await w.services.actions.list({ status: 'all' });
    await w.services.actions.close(all[1].id, web);
    await w.services.actions.drop(all[4].id, web);
    // Two written names of one person on one action: listed once for that person.
    const ann = (await w.services.people.lookup('Ann Lee'))[0];
    for (const a of all.slice(0, 3)) await sql("INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, 9, ?, 'A. Lee')", a.id, ann.id);
    const filters = [{}, { status: 'all' as const }, { status: 'done' as const }, { owner: 'ann lee' }, { owner: 'Ann Lee', status: 'all' as const }, { owner: 'bob stone', series: 'team' }, { series: 'team', status: 'all' as const }, { overdue: true }, { owner: 'nobody' }];
    for (const f of filters) {
      const expected = await w.services.actions.list(f);
      const walked: unknown[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = JSON.parse(await w.services.actions.pageJson({ ...f, limit: 2, cursor })) as { actions: unknown[]; total: number; next: string | null };
        expect(page.total, JSON.stringify(f)).toBe(expected.length);
        walked.push(...page.actions);
        if (!page.next) break;
        cursor = page.next;
      }
      expect(walked, JSON.stringify(f)).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  it.runIf(testDialect === 'sqlite')("reads one owner's and one series' page from an index, never a whole table", () => {
    const plan = (q: Parameters<typeof readModelListing>[1]) => {
      const { json, params } = readModelListing('sqlite', q);
      return (handle().prepare(`EXPLAIN QUERY PLAN ${json}`).all({ ...params, today: '2024-03-20' }) as { detail: string }[]).map((r) => r.detail).join('\n');
    };
    for (const q of [
      { status: 'open' as const, ownerIds: [1], ownerName: 'Ann Lee', limit: 51 },
      { status: 'done' as const, ownerIds: [1], ownerName: null, limit: 51, after: [1, 0, '2024-01-01', 3] as [number, number, string, number] },
      { overdueBefore: '2024-03-20', ownerIds: [1, 2], ownerName: 'Ann', limit: 51 },
      { status: 'open' as const, seriesId: 1, limit: 101 },
      { status: 'open' as const, limit: 51 },
    ]) {
      const p = plan(q);
      expect(p, JSON.stringify(q)).not.toMatch(/SCAN (action_views|action_owner_keys)\b/);
      expect(p).not.toMatch(/\bactions\b/);
    }
    // One owner's or one series' page of one status: the index is already in list order, so the
    // page is cut without sorting every match (a series' page itself is sorted again, below k).
    for (const q of [{ status: 'open' as const, ownerIds: [1], ownerName: null, limit: 51 }, { status: 'dropped' as const, seriesId: 1, limit: 101 }]) {
      const [page] = plan(q).split('SCAN k');
      expect(page).toMatch(/USING COVERING INDEX action_(owner_keys_person|views_series)/);
      expect(page).not.toMatch(/TEMP B-TREE FOR (ORDER BY|LAST TERM)/);
    }
    // One owner's page of one status is one walk of the index with nothing kept aside: no sort,
    // and the owner's repeated rows (one person written twice) dropped as they come.
    for (const q of [
      { status: 'open' as const, ownerIds: [1], ownerName: null, limit: 51 },
      { status: 'done' as const, ownerIds: [1], ownerName: null, seriesId: 1, limit: 51, after: [1, 0, '2024-01-01', 3] as [number, number, string, number] },
      { overdueBefore: '2024-03-20', ownerIds: [1], ownerName: null, limit: 51 },
    ]) {
      const p = plan(q);
      expect(p, JSON.stringify(q)).toMatch(/USING COVERING INDEX action_owner_keys_person/);
      expect(p, JSON.stringify(q)).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe.runIf(testDialect === 'sqlite')('migration 0130 on a database that already has actions', () => {
  it('builds the read model from the rows already there', async () => {
    const { dir, cleanup } = tempDataDir();
    try {
      const file = join(dir, 'minutes.db');
      // The database as the release before left it: every migration but the read model's.
      const old = new Database(file);
      runMigrations(old, migrations.filter((m) => m.id !== '0130-create-action-read-model'));
      old.close();
      const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: 'test-secret-0123456789abcdef-0123456789' });
      // Rows written without the triggers, through the services, before the migration runs:
      // the read model's tables do not exist yet, so the SQL below is the only writer.
      const before = new Database(file);
      before.exec(`INSERT INTO series (id, slug, name, created_at, updated_at) VALUES (1, 'team', 'Team', 'T', 'T');
        INSERT INTO meetings (id, series_id, date, title, created_at, updated_at) VALUES (1, 1, '2024-03-07', 'Call', 'T', 'T');
        INSERT INTO people (id, name, name_key, email, created_at, updated_at) VALUES (1, 'Ann Lee', 'ann lee', 'ann@example.org', 'T', 'T');
        INSERT INTO actions (id, text, due, status, origin_meeting_id, last_meeting_id, line, created_at, updated_at) VALUES
          (1, 'send "the" slides', '2024-03-10', 'open', 1, 1, 5, 'T', 'T'), (2, 'book the room', NULL, 'done', 1, 1, 7, 'T', 'T');
        INSERT INTO action_owners (action_id, position, person_id, name) VALUES (1, 0, 1, 'Ann'), (1, 1, NULL, 'Sam'), (2, 0, NULL, 'Sam');`);
      before.close();
      const db = openDatabase(file); // runs 0130
      const services = createServices({ db, config, clock: fixedClock('2024-03-20T09:00:00Z') });
      try {
        expect(await readModelDrift(db, services)).toEqual([]);
        expect(JSON.parse(await services.actions.listJson({ owner: 'Sam', status: 'all' })).actions.map((a: { id: number; overdue: boolean }) => [a.id, a.overdue])).toEqual([
          [1, true],
          [2, false],
        ]);
      } finally {
        await db.close();
      }
    } finally {
      cleanup();
    }
  });
});
