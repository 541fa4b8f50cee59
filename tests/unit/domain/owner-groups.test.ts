import { describe, expect, it } from 'vitest';
import { groupByOwner, NO_OWNER_KEY, ownerKey } from '../../../domain/owner-groups.js';

describe('owner grouping', () => {
  it('keys by person id, else the folded written name, else no owner', () => {
    expect(ownerKey({ personId: 7, name: 'Ross' })).toBe('p7');
    expect(ownerKey({ personId: null, name: 'Jed  Early.' })).toBe(ownerKey({ personId: null, name: 'jed early' }));
    expect(ownerKey(null)).toBe(NO_OWNER_KEY);
  });

  it('puts an action under each owner once, and ownerless actions under no owner', () => {
    const a = { id: 1, owners: [{ personId: 7, name: 'Ross' }, { personId: null, name: 'Jed' }, { personId: 7, name: 'Ross P' }] };
    const b = { id: 2, owners: [] };
    const c = { id: 3, owners: [{ personId: null, name: 'JED' }] };
    const groups = groupByOwner([a, b, c], (x) => x.owners);
    expect(groups.map((g) => [g.key, g.owner?.name ?? null, g.items.map((x) => x.id)])).toEqual([
      ['p7', 'Ross', [1]],
      ['njed', 'Jed', [1, 3]],
      [NO_OWNER_KEY, null, [2]],
    ]);
  });
});
