import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../helpers/env.js';
import { PeopleRepository } from '../../../../server/db/repositories/people-repository.js';

let w: TestWorld;
let repo: PeopleRepository;
const now = '2024-01-01T00:00:00.000Z';
beforeEach(() => {
  w = openWorld();
  repo = new PeopleRepository(w.db);
});
afterEach(() => w.close());

describe('people repository', () => {
  it('finds by folded name and alias, hiding merged records', async () => {
    const a = await repo.insert({ name: 'Ann Lee', nameKey: 'ann lee', email: 'ann@example.org' }, now);
    const b = await repo.insert({ name: 'A. Lee', nameKey: 'a lee' }, now);
    await repo.addAlias(b, 'annie', 'annie');
    await repo.addAlias(b, 'annie', 'annie'); // ignored: same alias twice
    expect((await repo.findByAliasKey('annie')).map((p) => p.id)).toEqual([b]);
    await w.db.transaction(async () => repo.mergeInto(b, a, now));
    expect(await repo.findByNameKey('a lee')).toEqual([]);
    expect((await repo.findByAliasKey('annie')).map((p) => p.id)).toEqual([a]);
    expect(await repo.get(b)).toMatchObject({ mergedIntoId: a, email: null });
    expect((await repo.list()).map((p) => p.name)).toEqual(['Ann Lee']);
    expect((await repo.findByEmail('ANN@example.org'))?.id).toBe(a);
  });
});

describe('people repository: order, pages and merges (the same on SQLite and PostgreSQL)', () => {
  const add = (name: string, email?: string) => repo.insert({ name, nameKey: name.toLowerCase(), email: email ?? null }, now);

  it('lists by name ignoring case, then id, and pages through the same order', async () => {
    for (const name of ['bob', 'Alice', 'alice', 'Carol', 'ALICE', 'Bob']) await add(name);
    const all = (await repo.list()).map((p) => `${p.name}#${p.id}`);
    expect(all).toEqual(['Alice#2', 'alice#3', 'ALICE#5', 'bob#1', 'Bob#6', 'Carol#4']);
    const paged: string[] = [];
    let after: [string, number] | null = null;
    for (;;) {
      const page = await repo.page(after, 2);
      if (page.length === 0) break;
      paged.push(...page.map((p) => `${p.name}#${p.id}`));
      const last = page[page.length - 1]!;
      after = [last.name, last.id];
    }
    expect(paged).toEqual(all);
    expect(await repo.count()).toBe(6);
  });

  it('finds by prefix of a name word, an alias or the email, names starting with it first', async () => {
    const zed = await add('Zed Ann', 'zed@example.org');
    const ann = await add('Ann Other', 'ANN.other@Example.org');
    const kim = await add('Kim');
    await repo.addAlias(kim, 'annika', 'annika');
    expect((await repo.findByPrefix('an')).map((p) => p.id)).toEqual([ann, kim, zed]);
    expect((await repo.findByPrefix('Ann.Other@example')).map((p) => p.id)).toEqual([ann]);
    expect((await repo.findByPrefix('_%')).map((p) => p.id)).toEqual([]);
  });

  it('merges a record whose alias the survivor already has: one alias left, no error', async () => {
    const a = await add('Ann Lee');
    const b = await add('A. Lee');
    await repo.addAlias(a, 'annie', 'annie');
    await repo.addAlias(b, 'Annie', 'annie');
    await repo.addAlias(b, 'al', 'al');
    await w.db.transaction(async () => repo.mergeInto(b, a, now));
    expect((await repo.aliasesOf(a)).map((x) => x.aliasKey).sort()).toEqual(['al', 'annie']);
    expect(await repo.aliasesOf(b)).toEqual([]);
  });

  it('lists unresolved owner names ignoring case', async () => {
    const t = '2024-01-01T00:00:00.000Z';
    const series = await w.db.prepare("INSERT INTO series (slug, name, created_at, updated_at) VALUES ('s', 'S', ?, ?) RETURNING id").pluck<number>().get(t, t);
    const meeting = await w.db.prepare("INSERT INTO meetings (series_id, date, created_at, updated_at) VALUES (?, '2024-01-01', ?, ?) RETURNING id").pluck<number>().get(series, t, t);
    for (const [i, name] of ['bea', 'Abe', 'Bea'].entries()) {
      const id = await w.db.prepare(`INSERT INTO actions (text, status, origin_meeting_id, last_meeting_id, created_at, updated_at)
        VALUES (?, 'open', ?, ?, ?, ?) RETURNING id`).pluck<number>().get(`task ${i}`, meeting, meeting, t, t);
      await w.db.run('INSERT INTO action_owners (action_id, position, person_id, name) VALUES (?, 0, NULL, ?)', id, name);
    }
    expect((await repo.unresolvedOwners()).map((o) => `${o.name}:${o.text}`)).toEqual(['Abe:task 1', 'bea:task 0', 'Bea:task 2']);
  });
});
