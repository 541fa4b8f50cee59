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
