import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, testDialect, type TestWorld } from '../../../helpers/env.js';
import { ActionRepository } from '../../../../server/db/repositories/action-repository.js';
import { ActionListRepository } from '../../../../server/db/repositories/action-list-repository.js';

let w: TestWorld;
let repo: ActionRepository;
let lists: ActionListRepository;
const now = '2024-01-01T00:00:00.000Z';

beforeEach(async () => {
  w = openWorld();
  repo = new ActionRepository(w.db);
  lists = new ActionListRepository(w.db, repo);
  await w.db.prepare(`INSERT INTO series (slug, name, created_at, updated_at) VALUES ('s', 'S', ?, ?)`).run(now, now);
  await w.db.prepare(`INSERT INTO meetings (series_id, date, created_at, updated_at) VALUES (1, '2024-01-04', ?, ?)`).run(now, now);
  await w.db.prepare(`INSERT INTO people (name, name_key, email, created_at, updated_at) VALUES ('Ann Lee', 'ann lee', 'ann@example.org', ?, ?)`).run(now, now);
});
afterEach(() => w.close());

const add = async (text: string, status: 'open' | 'done', owners: { personId: number | null; name: string }[], due: string | null = null) => {
  const id = await repo.insert({ text, due, status, originMeetingId: 1, lastMeetingId: 1, topic: null, line: 1, closedAt: null }, now);
  await repo.setOwners(id, owners);
  return id;
};

describe('action repository', () => {
  it('counts open actions per owning person, not done ones or unresolved names', async () => {
    await add('a', 'open', [{ personId: 1, name: 'Ann' }]);
    await add('b', 'open', [{ personId: 1, name: 'Ann' }, { personId: null, name: 'Rich' }]);
    await add('c', 'done', [{ personId: 1, name: 'Ann' }]);
    await add('d', 'open', [{ personId: null, name: 'Rich' }]);
    const counts = await lists.openOwnerCounts('2024-01-01');
    expect(new Map(counts.people.map((p) => [p.personId, p.open]))).toEqual(new Map([[1, 2]]));
  });

  it('maps rows to camelCase with the origin meeting and owners in order', async () => {
    const id = await add('write the RFC', 'open', [{ personId: 1, name: 'Ann' }, { personId: null, name: 'Rich' }], '2024-02-01');
    expect(await repo.get(id)).toMatchObject({ id, text: 'write the RFC', due: '2024-02-01', status: 'open', originDate: '2024-01-04', seriesSlug: 's', carriedCount: 0 });
    expect((await repo.owners([id])).get(id)).toEqual([
      { actionId: id, position: 0, personId: 1, name: 'Ann Lee', writtenName: 'Ann', email: 'ann@example.org' },
      { actionId: id, position: 1, personId: null, name: 'Rich', writtenName: 'Rich', email: null },
    ]);
  });

  it('filters by status, owner id, unresolved owner name and overdue', async () => {
    const a = await add('a', 'open', [{ personId: 1, name: 'Ann' }], '2024-01-10');
    const b = await add('b', 'done', [{ personId: 1, name: 'Ann' }]);
    const c = await add('c', 'open', [{ personId: null, name: 'Rich' }]);
    expect((await lists.list({ status: 'open', ownerIds: [1] })).map((x) => x.id)).toEqual([a]);
    expect((await lists.list({ ownerIds: [1] })).map((x) => x.id)).toEqual([a, b]);
    expect((await lists.list({ ownerName: 'rich' })).map((x) => x.id)).toEqual([c]);
    expect((await lists.list({ overdueBefore: '2024-01-11' })).map((x) => x.id)).toEqual([a]);
    expect((await lists.list({ ownerIds: [] })).map((x) => x.id)).toEqual([]);
  });

  it('lists rows with their owners as list and owners give them, in one statement where the database is a round trip away', async () => {
    const a = await add('a', 'open', [{ personId: 1, name: 'Ann' }, { personId: null, name: 'Rich' }], '2024-01-10');
    const b = await add('b', 'open', []);
    const c = await add('c', 'done', [{ personId: null, name: 'Rich' }, { personId: 1, name: 'A. Lee' }]);
    const { rows, owners } = await lists.listWithOwners({ status: null });
    expect(rows).toEqual(await lists.list({ status: null }));
    expect(rows.map((r) => r.id)).toEqual([a, b, c]);
    expect(owners).toEqual(await repo.owners([a, b, c]));
    expect(owners.has(b)).toBe(false);
    expect(owners.get(c)).toEqual([
      { actionId: c, position: 0, personId: null, name: 'Rich', writtenName: 'Rich', email: null },
      { actionId: c, position: 1, personId: 1, name: 'Ann Lee', writtenName: 'A. Lee', email: 'ann@example.org' },
    ]);
  });

  // A plan shape of SQLite's; PostgreSQL plans tiny tables with sequential scans whatever the indexes.
  it.skipIf(testDialect === 'postgres')('lists open actions of one owner through the action_owners_person index', async () => {
    const plan = await w.db
      .prepare(`EXPLAIN QUERY PLAN SELECT action_id FROM action_owners WHERE person_id IN (SELECT value FROM json_each(?))`)
      .all('[1]') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING COVERING INDEX action_owners_person/);
  });

  it('serialises the listing as the API JSON, byte for byte, from the read model', async () => {
    const a = await add('Ship "it" \u00e9', 'open', [{ personId: 1, name: 'Ann' }, { personId: null, name: 'Rich' }], '2024-01-10');
    const b = await add('b', 'done', []);
    const view = (id: number, text: string, status: string, due: string | null, owners: unknown[], overdue: boolean) => ({
      id, text, due, status, owners,
      originMeeting: { id: 1, date: '2024-01-04', title: null, seriesSlug: 's' },
      lastMeeting: { id: 1, date: '2024-01-04' },
      carriedCount: 0, snoozedUntil: null, line: 1, topic: null, createdAt: now, updatedAt: now, closedAt: null, overdue,
    });
    expect(await lists.listJson({}, '2024-01-11')).toEqual([
      JSON.stringify(view(a, 'Ship "it" \u00e9', 'open', '2024-01-10', [
        { personId: 1, name: 'Ann Lee', email: 'ann@example.org' },
        { personId: null, name: 'Rich', email: null },
      ], true)),
      JSON.stringify(view(b, 'b', 'done', null, [], false)),
    ]);
    expect(await lists.listJson({ ownerName: 'RICH', limit: 1 }, '2024-01-01')).toEqual([
      JSON.stringify(view(a, 'Ship "it" \u00e9', 'open', '2024-01-10', [
        { personId: 1, name: 'Ann Lee', email: 'ann@example.org' },
        { personId: null, name: 'Rich', email: null },
      ], false)),
    ]);
  });

  it('answers the API list with the bytes of JSON.stringify over the views, on either database', async () => {
    // Escapes JSON.stringify writes (quote, backslash, control characters) and the ones it does not (U+2028, </).
    await add('Ship "it" \u00e9 \u2028 <b> \\ \t\u0001\u001f \u007f </script> 😀', 'open', [{ personId: 1, name: 'Ann' }, { personId: null, name: 'Rich "R" \\ é' }], '2024-01-10');
    await add('b', 'done', []);
    await add('c', 'open', [{ personId: null, name: 'Rich' }]);
    for (const f of [{}, { status: 'all' as const }, { owner: 'rich "r" \\ é', status: 'all' as const }, { owner: 'Ann Lee' }]) {
      const views = await w.services.actions.list(f);
      expect(views.length).toBeGreaterThan(0);
      expect(await w.services.actions.listJson(f)).toBe(JSON.stringify({ actions: views }));
    }
  });

  it('reads many actions at once, in the order asked, leaving out ids that do not exist', async () => {
    const a = await add('a', 'open', []);
    const b = await add('b', 'done', []);
    const c = await add('c', 'open', []);
    expect((await repo.getMany([c, 999, a, b])).map((r) => [r.id, r.text, r.status])).toEqual([[c, 'c', 'open'], [a, 'a', 'open'], [b, 'b', 'done']]);
    expect(await repo.getMany([b])).toEqual([await repo.get(b)]);
    expect(await repo.getMany([])).toEqual([]);
  });

  it('records events with JSON data', async () => {
    const id = await add('a', 'open', []);
    await repo.addEvent({ actionId: id, kind: 'carried', actorPersonId: null, actor: 'import', source: 'import', meetingId: 1, data: { line: 4 } }, now);
    expect(await repo.events(id)).toEqual([
      { id: expect.any(Number), actionId: id, kind: 'carried', actorPersonId: null, actor: 'import', source: 'import', meetingId: 1, note: null, data: { line: 4 }, createdAt: now },
    ]);
    expect((await repo.importEventsAt(1)).map((e) => e.actionId)).toEqual([id]);
  });
});
