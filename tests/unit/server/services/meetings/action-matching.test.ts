import { describe, expect, it } from 'vitest';
import { CARRY_RULES, REVISION_RULES, numbersConflict, pairUp, similarity, tokens } from '../../../../../server/services/meetings/action-matching.js';

const m = (text: string, owners: string[], order = 0) => ({ tokens: tokens(text), owners, order });

describe('action matching', () => {
  it('ignores case, accents, stop words and status markers', () => {
    expect(similarity(tokens('DONE: Review the UEFI patches (carried over)'), tokens('review UEFI patches'))).toBe(1);
    expect(similarity(tokens('Écrire la doc'), tokens('ecrire la DOC'))).toBe(1);
    expect(similarity(tokens('write the RFC'), tokens('book the venue'))).toBe(0);
  });

  it('never matches texts whose numbers differ', () => {
    expect(numbersConflict(tokens('review PR 123'), tokens('review PR 456'))).toBe(true);
    expect(numbersConflict(tokens('review PR 123'), tokens('review PR 123 again'))).toBe(false);
    expect(numbersConflict(tokens('review PR 123'), tokens('review the PR'))).toBe(false);
  });

  it('carries over only with the same owners and a similar text', () => {
    const items = [m('review the UEFI patches', ['p1']), m('write the tboot RFC', ['p2'])];
    const cands = [m('write the tboot RFC', ['p3']), m('review UEFI patches for stable', ['p1'])];
    expect(pairUp(items, cands, CARRY_RULES)).toEqual([[0, 1]]);
  });

  it('pairs a revision by text, then by position for edited texts of the same owner', () => {
    const old = [m('write the tboot RFC', ['p1'], 1), m('book the venue', ['p2'], 2)];
    const now = [m('book the venue', ['p2'], 1), m('draft a plan for tboot and circulate it', ['p1'], 2)];
    expect(pairUp(now, old, REVISION_RULES).sort()).toEqual([[0, 1], [1, 0]]);
  });
});
