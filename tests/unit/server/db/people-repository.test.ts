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
  it('finds by folded name and alias, hiding merged records', () => {
    const a = repo.insert({ name: 'Ann Lee', nameKey: 'ann lee', email: 'ann@example.org' }, now);
    const b = repo.insert({ name: 'A. Lee', nameKey: 'a lee' }, now);
    repo.addAlias(b, 'annie', 'annie');
    repo.addAlias(b, 'annie', 'annie'); // ignored: same alias twice
    expect(repo.findByAliasKey('annie').map((p) => p.id)).toEqual([b]);
    w.db.transaction(() => repo.mergeInto(b, a, now))();
    expect(repo.findByNameKey('a lee')).toEqual([]);
    expect(repo.findByAliasKey('annie').map((p) => p.id)).toEqual([a]);
    expect(repo.get(b)).toMatchObject({ mergedIntoId: a, email: null });
    expect(repo.list().map((p) => p.name)).toEqual(['Ann Lee']);
    expect(repo.findByEmail('ANN@example.org')?.id).toBe(a);
  });
});
