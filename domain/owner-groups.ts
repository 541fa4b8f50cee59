import { foldName } from './names.js';

/** The key of the group of actions nobody owns. */
export const NO_OWNER_KEY = 'none';

/** An owner as written on an action: resolved to a person, or a name not (yet) in the directory. */
export interface OwnerLike {
  personId: number | null;
  name: string;
}

/**
 * The one key actions are grouped by owner with: the resolved person (`p<id>`), else the
 * written name folded (`n<folded>`, so "Ross" and "ross." meet), else `none` for no owner.
 */
export function ownerKey(owner: OwnerLike | null): string {
  if (!owner) return NO_OWNER_KEY;
  return owner.personId != null ? `p${owner.personId}` : `n${foldName(owner.name)}`;
}

export interface OwnerGroup<A, O extends OwnerLike> {
  key: string;
  /** The first owner seen with this key; null for the "no owner" group. */
  owner: O | null;
  items: A[];
}

/**
 * Groups items (actions) by owner with `ownerKey`: an item with two owners is in both groups,
 * one without owners in the `none` group. Groups come in the order first seen, items in the
 * order given; callers sort.
 */
export function groupByOwner<A, O extends OwnerLike>(items: readonly A[], ownersOf: (item: A) => readonly O[]): OwnerGroup<A, O>[] {
  const groups = new Map<string, OwnerGroup<A, O>>();
  for (const item of items) {
    const owners = ownersOf(item);
    for (const o of owners.length ? owners : [null]) {
      const key = ownerKey(o);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, owner: o, items: [] }));
      // The same owner written twice on one action counts the action once.
      if (g.items[g.items.length - 1] !== item) g.items.push(item);
    }
  }
  return [...groups.values()];
}
