/**
 * The dashboard's "open actions by owner" without reading every open action: counts per owner
 * come from SQL aggregates, and only the cards shown load their most urgent actions.
 */
import { foldName } from '../../../domain/names.js';
import { NO_OWNER_KEY, ownerKey } from '../../../domain/owner-groups.js';
import type { ActionRecord } from '../../db/repositories/action-repository.js';
import type { ActionListRepository, OpenOwnerCounts } from '../../db/repositories/action-list-repository.js';
import type { ActionView } from './action-views.js';

export interface OwnerCard {
  /** `domain/owner-groups.ts` key: `p<personId>`, `n<folded name>`, or `none`. */
  key: string;
  name: string;
  personId: number | null;
  email: string | null;
  open: number;
  overdue: number;
  /** The most urgent of `open`: overdue first, then by due date (none last), then oldest. */
  actions: ActionView[];
}

/** How many open actions each person owns, by person id (people without any are absent). */
export function openByPerson(counts: OpenOwnerCounts): Map<number, number> {
  return new Map(counts.people.map((p) => [p.personId, p.open]));
}

export interface OwnerSummary {
  /** Owners with overdue actions first, then by open count and name; "No owner" last. */
  cards: OwnerCard[];
  /** Owners with open actions beyond the cards. */
  moreOwners: number;
  totals: { open: number; overdue: number };
  /** Open actions per resolved person. */
  openByPerson: Map<number, number>;
}

type Card = Omit<OwnerCard, 'actions'> & { names?: string[] };

export async function ownerSummary(
  repo: ActionListRepository,
  views: (records: ActionRecord[]) => Promise<ActionView[]>,
  today: string,
  opts: { owners: number; perOwner: number },
  /** `repo.openOwnerCounts(today)`, perhaps kept from an earlier call while nothing changed. */
  counts: OpenOwnerCounts,
): Promise<OwnerSummary> {
  const cards: Card[] = counts.people.map((p) => ({ key: ownerKey(p), name: p.name, personId: p.personId, email: p.email, open: p.open, overdue: p.overdue }));
  // Names not tied to a person meet by their folded form ("Ross" and "ross."), as everywhere.
  const byName = new Map<string, Card & { ids: Set<number>; late: Set<number>; names: string[] }>();
  for (const r of counts.names) {
    if (!foldName(r.name)) continue;
    const key = ownerKey({ personId: null, name: r.name });
    let c = byName.get(key);
    if (!c) byName.set(key, (c = { key, name: r.name, personId: null, email: null, open: 0, overdue: 0, ids: new Set(), late: new Set(), names: [] }));
    if (!c.names.includes(r.name)) c.names.push(r.name);
    c.ids.add(r.actionId);
    if (r.overdue) c.late.add(r.actionId);
  }
  for (const c of byName.values()) cards.push({ key: c.key, name: c.name, personId: null, email: null, open: c.ids.size, overdue: c.late.size, names: c.names });
  cards.sort((x, y) => y.overdue - x.overdue || y.open - x.open || x.name.localeCompare(y.name));
  const shown = cards.slice(0, opts.owners);
  const none: Card[] = counts.none.open > 0 ? [{ key: NO_OWNER_KEY, name: 'No owner', personId: null, email: null, ...counts.none }] : [];
  // Each card's most urgent open actions: their ids per card, then the records and views of all
  // of them at once (two statements for the whole dashboard, not two per card).
  const listed = [...shown, ...none];
  const idsPerCard = await Promise.all(
    listed.map((c) => repo.mostUrgentOpen(c.key === NO_OWNER_KEY ? null : c.personId != null ? { personId: c.personId } : { names: c.names ?? [] }, today, opts.perOwner)),
  );
  const byId = new Map((await views(await repo.byIds([...new Set(idsPerCard.flat())]))).map((v) => [v.id, v]));
  return {
    cards: listed.map((c, i) => {
      const { names: _written, ...card } = c;
      // An action gone between the two reads (a meeting revised meanwhile) is left out.
      return { ...card, actions: idsPerCard[i].flatMap((id) => byId.get(id) ?? []) };
    }),
    moreOwners: Math.max(0, cards.length - shown.length),
    totals: counts.total,
    openByPerson: openByPerson(counts),
  };
}
