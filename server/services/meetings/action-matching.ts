/**
 * How an action written in minutes is recognised as one already stored: the same owners and
 * a similar text. Similarity is the Jaccard index of the two texts' token sets: words folded
 * (lower case, accents removed), light plural stripping, stop words and status markers
 * ("DONE", "carried over", "ACTION") removed; texts whose numbers (issues, versions) differ never
 * match. Pure functions; the import decides what to do.
 */
import { foldName } from '../../../domain/names.js';

const STOP = new Set(
  `a an the to of for on in at by with and or is are be been will shall should would can could
   it its this that these those as from into about up out our we they their his her them he she
   you your i me my please also so then than via per re`.split(/\s+/),
);
/** Words that say what state an action is in, not what it is. */
const MARKERS = new Set(
  `action actions item items ai todo done carried carry over ongoing pending open closed complete
   completed still continue continued continues followup follow wip status in progress`.split(/\s+/),
);

/** The token set of an action text used for similarity. */
export function tokens(text: string): Set<string> {
  const out = new Set<string>();
  for (let w of foldName(text).split(' ')) {
    if (!w || STOP.has(w) || MARKERS.has(w)) continue;
    if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
    out.add(w);
  }
  return out;
}

/** Jaccard index |A∩B| / |A∪B| in [0, 1]; two empty sets are not similar (0). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (big.has(t)) common++;
  return common / (a.size + b.size - common);
}

/**
 * True when both texts carry numbers (issue, PR, version, milestone) and share none: "review
 * PR 123" and "review PR 456" are different actions however similar the words.
 */
export function numbersConflict(a: Set<string>, b: Set<string>): boolean {
  let na = 0;
  let nb = 0;
  for (const t of a) if (/\d/.test(t)) {
    na++;
    if (b.has(t)) return false;
  }
  for (const t of b) if (/\d/.test(t)) nb++;
  return na > 0 && nb > 0;
}

/** An owner's identity for comparison: the directory id when resolved, else the folded name. */
export const ownerIdentity = (o: { personId: number | null; name: string }): string =>
  o.personId != null ? `p${o.personId}` : `n${foldName(o.name)}`;

export type OwnerRelation = 'same' | 'overlap' | 'none' | 'disjoint';

/** How two owner lists relate: same set, overlapping, both empty ('none'), or disjoint. */
export function ownerRelation(a: string[], b: string[]): OwnerRelation {
  if (a.length === 0 && b.length === 0) return 'none';
  const sa = new Set(a);
  const sb = new Set(b);
  let common = 0;
  for (const x of sa) if (sb.has(x)) common++;
  if (common === sa.size && common === sb.size) return 'same';
  return common > 0 ? 'overlap' : 'disjoint';
}

export interface Matchable {
  tokens: Set<string>;
  owners: string[];
  /** Order in its document (line), for the position pass. */
  order: number;
}

export interface MatchRules {
  /** Minimum similarity when the owner sets are the same (or both empty). */
  sameOwners: number;
  /** Minimum similarity when the owner sets overlap. */
  overlappingOwners: number;
  /** Minimum similarity with disjoint owners (an owner renamed in a revision); > 1 = never. */
  anyOwners: number;
  /** Minimum similarity when one side names owners and the other none. */
  oneSideOwnerless: number;
  /** Pair what is left by position when the owners overlap (revisions of one meeting). */
  byPosition: boolean;
}

/** Rules for two revisions of the same meeting: generous, then by position. */
export const REVISION_RULES: MatchRules = { sameOwners: 0.34, overlappingOwners: 0.5, anyOwners: 0.6, oneSideOwnerless: 0.6, byPosition: true };
/** Rules for an earlier meeting's open action restated later: same owners, similar text. */
export const CARRY_RULES: MatchRules = { sameOwners: 0.5, overlappingOwners: 0.7, anyOwners: 2, oneSideOwnerless: 0.85, byPosition: false };

/**
 * Pairs items with candidates, best score first, each used once. Returns [itemIndex,
 * candidateIndex] pairs. The position pass pairs the k-th unmatched item with the k-th
 * unmatched candidate (document order) when their owners are the same or overlap.
 */
export function pairUp(items: Matchable[], cands: Matchable[], rules: MatchRules): [number, number][] {
  const scored: { i: number; c: number; s: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let c = 0; c < cands.length; c++) {
      const rel = ownerRelation(items[i].owners, cands[c].owners);
      const oneSide = (items[i].owners.length === 0) !== (cands[c].owners.length === 0);
      const bar = rel === 'same' || rel === 'none' ? rules.sameOwners : rel === 'overlap' ? rules.overlappingOwners : oneSide ? rules.oneSideOwnerless : rules.anyOwners;
      if (bar > 1) continue;
      const sim = similarity(items[i].tokens, cands[c].tokens);
      if (sim >= bar && !numbersConflict(items[i].tokens, cands[c].tokens)) scored.push({ i, c, s: sim + (rel === 'same' ? 0.25 : rel === 'overlap' ? 0.1 : 0) });
    }
  }
  scored.sort((x, y) => y.s - x.s || x.i - y.i || x.c - y.c);
  const usedI = new Set<number>();
  const usedC = new Set<number>();
  const pairs: [number, number][] = [];
  for (const { i, c } of scored) {
    if (usedI.has(i) || usedC.has(c)) continue;
    usedI.add(i);
    usedC.add(c);
    pairs.push([i, c]);
  }
  if (rules.byPosition) {
    const restI = items.map((_, i) => i).filter((i) => !usedI.has(i)).sort((a, b) => items[a].order - items[b].order);
    const restC = cands.map((_, c) => c).filter((c) => !usedC.has(c)).sort((a, b) => cands[a].order - cands[b].order);
    for (let k = 0; k < Math.min(restI.length, restC.length); k++) {
      const rel = ownerRelation(items[restI[k]].owners, cands[restC[k]].owners);
      if (rel === 'same' || rel === 'overlap' || rel === 'none') pairs.push([restI[k], restC[k]]);
    }
  }
  return pairs;
}
