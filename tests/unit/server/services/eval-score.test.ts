import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prf, scoreFile, squash, type GoldFile, type ScoredMinutes } from '../../../../server/services/eval/eval-score.js';
import { listLabelled, runEval } from '../../../../server/services/eval/eval-service.js';
import { foldName } from '../../../../parsers/index.js';

const parsed = (p: Partial<ScoredMinutes>): ScoredMinutes => ({ date: null, attendees: [], decisions: [], actions: [], suggestions: [], ...p });
const gold = (g: Partial<GoldFile>): GoldFile => ({ date: null, attendees: [], decisions: [], actions: [], ...g });
const act = (text: string, more: Partial<ScoredMinutes['actions'][number]> = {}) => ({ text, line: 1, owners: [], due: null, done: false, ...more });

describe('eval scorer', () => {
  it('matches contains ignoring case, accents, punctuation and spacing', () => {
    expect(squash('Send the  Doodle-poll, café!')).toContain(squash('send the doodle poll cafe'));
    const s = scoreFile(parsed({ decisions: [{ text: 'RESOLVED: Adopt  the co-chairs’ plan.', line: 3 }] }), gold({ decisions: [{ contains: 'adopt the cochairs plan' }] }), foldName);
    expect(s.decisions).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('counts misses and extras one to one', () => {
    const s = scoreFile(
      parsed({ actions: [act('write the doc'), act('write the doc again'), act('unrelated')] }),
      gold({ actions: [{ contains: 'write the doc' }, { contains: 'write the doc' }, { contains: 'missing one' }] }),
      foldName,
    );
    expect(s.actions).toEqual({ tp: 2, fp: 1, fn: 1 });
    expect(s.findings.filter((f) => f.category === 'actions').map((f) => f.kind).sort()).toEqual(['extra', 'miss']);
  });

  it('optional gold items are never misses, and what matches them is neither TP nor FP', () => {
    const s = scoreFile(parsed({ actions: [act('revisit next week'), act('revisit next week, again')] }), gold({ actions: [{ contains: 'revisit next week', optional: true }, { contains: 'not there', optional: true }] }), foldName);
    expect(s.actions).toEqual({ tp: 0, fp: 0, fn: 0 });
  });

  it('implicit gold items also match a suggestion of the same kind; explicit ones do not', () => {
    const suggestions: ScoredMinutes['suggestions'] = [
      { kind: 'action', text: 'Ann will file an issue', line: 4, owners: ['Ann'] },
      { kind: 'decision', text: 'no objections to merging', line: 5, owners: [] },
    ];
    const s = scoreFile(
      parsed({ suggestions }),
      gold({ actions: [{ contains: 'file an issue', implicit: true, owners: ['Ann'] }, { contains: 'no objections' }], decisions: [{ contains: 'no objections', implicit: true }] }),
      foldName,
    );
    expect(s.actions).toEqual({ tp: 1, fp: 0, fn: 1 });
    expect(s.decisions).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(s.owners).toEqual({ right: 1, total: 1 });
  });

  it('allow_duplicate: several extracted items count once, the others are not extras', () => {
    const s = scoreFile(parsed({ decisions: [{ text: 'Approve minutes', line: 2 }, { text: 'RESOLVED: approve minutes of last call', line: 40 }] }), gold({ decisions: [{ contains: 'approve minutes', allow_duplicate: true }] }), foldName);
    expect(s.decisions).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('due, due_range and done are checked on the matched action', () => {
    const s = scoreFile(
      parsed({ actions: [act('send slides', { due: '2024-03-15', done: true }), act('review PR', { due: '2024-03-30' }), act('book room')] }),
      gold({
        actions: [
          { contains: 'send slides', due: '2024-03-15', done: true },
          { contains: 'review PR', due_range: ['2024-03-08', '2024-03-21'] },
          { contains: 'book room', done: false },
          { contains: 'not extracted', due: '2024-04-01' },
        ],
      }),
      foldName,
    );
    expect(s.due).toEqual({ right: 1, total: 3 });
    expect(s.done).toEqual({ right: 2, total: 2 });
  });

  it('owners compare as folded sets', () => {
    const s = scoreFile(parsed({ actions: [act('x task', { owners: ['José Smith', 'ann lee'] }), act('y task', { owners: ['Bob'] })] }), gold({ actions: [{ contains: 'x task', owners: ['Ann Lee', 'Jose Smith'] }, { contains: 'y task', owners: ['Rob'] }] }), foldName);
    expect(s.owners).toEqual({ right: 1, total: 2 });
  });

  it('attendees match by folded name, and a one-word name matches the one gold name it begins', () => {
    const s = scoreFile(
      parsed({ attendees: [{ name: 'Jose Garcia' }, { name: 'Min' }, { name: 'Ann' }, { name: 'ACME Corp' }] }),
      gold({ attendees: ['José García', 'Min Ragan-Kelley', 'Ann Lee', 'Ann Smith'] }),
      foldName,
    );
    expect(s.attendees).toEqual({ tp: 2, fp: 2, fn: 2 });
  });

  it('dates are right only when equal', () => {
    expect(scoreFile(parsed({ date: '2024-03' }), gold({ date: '2024-03-07' }), foldName).date).toEqual({ right: 0, total: 1 });
    expect(scoreFile(parsed({ date: '2024-03-07' }), gold({ date: '2024-03-07' }), foldName).date).toEqual({ right: 1, total: 1 });
  });

  it('F1 of an empty category is 1', () => {
    expect(prf({ tp: 0, fp: 0, fn: 0 }).f1).toBe(1);
    expect(prf({ tp: 1, fp: 1, fn: 0 }).f1).toBeCloseTo(2 / 3);
  });
});

describe('eval service', () => {
  it('reads NAME.md + NAME.gold.json folders and aggregates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minutes-eval-'));
    try {
      writeFileSync(join(dir, 'one.md'), '# Call 2024-03-07\n\nAttendees: Ann Lee, Bob Stone\n\n- ACTION: Ann to send the slides\n');
      writeFileSync(join(dir, 'one.gold.json'), JSON.stringify({ date: '2024-03-07', attendees: ['Ann Lee', 'Bob Stone'], decisions: [], actions: [{ owners: ['Ann Lee'], contains: 'send the slides' }] }));
      expect(listLabelled(dir).map((f) => f.name)).toEqual(['one']);
      const report = await runEval([dir]);
      expect(report.folders[0].totals.actions.f1).toBe(1);
      expect(report.folders[0].totals.date).toMatchObject({ right: 1, total: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing folder is a one-line error', () => {
    expect(() => listLabelled('/nonexistent/dev-set')).toThrow(/no such folder/);
  });
});
