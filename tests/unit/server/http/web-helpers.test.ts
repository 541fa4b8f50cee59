import { describe, expect, test } from 'vitest';
import { renderMinutesHtml } from '../../../../server/adapters/minutes-html.js';
import { toFtsQuery } from '../../../../server/db/repositories/search-repository.js';
import { correctionsOf, describeChanges, previewRows, readPreviewEdits } from '../../../../server/http/preview-form.js';
import { applyCorrections, unmatchedCorrections } from '../../../../server/services/meetings/import-overrides.js';
import { safeNextPath } from '../../../../server/services/auth/auth-service.js';
import type { ParsedMinutes } from '../../../../parsers/types.js';

describe('toFtsQuery', () => {
  test.each([
    ['tboot uefi', '"tboot" "uefi"*'],
    ['"quoted" OR NEAR(x', '"quoted" "OR" "NEAR" "x"*'],
    ["x'); DROP TABLE actions; --", '"x" "DROP" "TABLE" "actions"*'],
    ['body:secret', '"body" "secret"*'],
    ['OXT-1217', '"OXT-1217"*'],
    ['   ', null],
    ['***', null],
  ])('%s -> %s', (q, expected) => {
    expect(toFtsQuery(q)).toBe(expected);
  });
});

describe('renderMinutesHtml', () => {
  test('drops raw HTML, handlers and javascript: links; keeps the text', () => {
    const html = renderMinutesHtml('Hi <script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x()">b</b>\n');
    expect(html).not.toMatch(/<script|onclick|javascript:/i);
    expect(html).toContain('Hi');
  });

  test('marks list items and single lines with anchors and links', () => {
    const html = renderMinutesHtml('- ACTION: a\n- ACTION: b\n', [{ kind: 'action', id: 7, line: 2, label: '#7 open' }]);
    expect(html).toContain('<li class="item-action" id="L2">ACTION: b <a class="item-tag badge" href="/actions/7">#7 open</a></li>');
  });
});

describe('preview form -> corrections', () => {
  const row = (i: number, f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [`a.${i}.${k}`, v]));
  test('only what differs from what was extracted becomes a correction, each with the extracted text', () => {
    const body = {
      ...row(0, { line: '11', was: 'review the notes', owners0: '["Rich"]', due0: '', owners: 'Rich Persaud, Ann New', due: '2026-12-01', text: 'review the notes', op: 'keep' }),
      ...row(1, { line: '12', was: 'tag it', owners0: '["Ada Lovelace"]', due0: '2026-11-20', owners: 'ada lovelace', due: '2026-11-20', text: ' tag  it ', op: 'keep' }),
      ...row(2, { line: '13', was: 'old text', owners0: '[]', due0: '2026-11-20', owners: '', due: '', text: 'new text', op: 'keep' }),
      ...row(3, { line: '14', was: 'not an action', owners0: '[]', due0: '', owners: '', due: '', text: 'not an action', op: 'drop' }),
      ...row(4, { line: '30', was: 'from a suggestion', owners0: '[]', due0: '', owners: 'Bob', due: '', text: 'from a suggestion', op: 'keep', from: 'suggestion' }),
      'd.0.line': '20', 'd.0.was': 'ship it', 'd.0.op': 'drop',
      'd.1.line': '21', 'd.1.was': 'keep it', 'd.1.op': 'keep',
      's.0.line': '25', 's.0.was': 'Ada will write', 's.0.op': 'promote',
      's.1.line': '26', 's.1.was': 'noise', 's.1.op': 'drop',
      's.2.line': '27', 's.2.was': 'maybe', 's.2.op': 'keep',
    };
    expect(correctionsOf(readPreviewEdits(body))).toEqual({
      actions: [
        { line: 11, was: 'review the notes', owners: ['Rich Persaud', 'Ann New'], due: '2026-12-01' },
        { line: 13, was: 'old text', due: null, text: 'new text' },
        { line: 14, was: 'not an action', drop: true },
      ],
      decisions: [{ line: 20, was: 'ship it', drop: true }],
      suggestions: [{ line: 25, was: 'Ada will write', op: 'promote' }, { line: 26, was: 'noise', op: 'drop' }],
    });
    // The promoted suggestion's row counts while its suggestion is promoted.
    const promoted = correctionsOf(readPreviewEdits({ ...body, 's.0.line': '30', 's.0.was': 'from a suggestion' }));
    expect(promoted.actions).toContainEqual({ line: 30, was: 'from a suggestion', owners: ['Bob'] });
  });

  test('an impossible due date or an empty text is a problem of that field, never a correction', () => {
    const e = readPreviewEdits({
      ...row(0, { line: '5', was: 'a', owners0: '[]', due0: '', owners: '', due: '2026-02-30', text: 'a', op: 'keep' }),
      ...row(1, { line: '6', was: 'b', owners0: '[]', due0: '', owners: 'X', due: '', text: '   ', op: 'keep' }),
    });
    expect(e.actions.map((a) => a.problem?.field)).toEqual(['due', 'text']);
    expect(e.actions[0].problem!.message).toBe('Due date: "2026-02-30" is not a day of the calendar (YYYY-MM-DD).');
    // The field at fault is left as extracted; the row's other edits still count.
    expect(correctionsOf(e)).toEqual({ actions: [{ line: 6, was: 'b', owners: ['X'] }] });
  });

  test('rows are the extracted items with the edits that still match; edits of a changed text are counted stale', () => {
    const extracted = {
      actions: [{ text: 'review', line: 5, due: null, owners: [{ name: 'Rich' }] }],
      decisions: [{ text: 'ship it', line: 9 }],
      suggestions: [{ kind: 'action' as const, text: 'write it', line: 7, owners: ['Ada'] }],
    };
    const edits = readPreviewEdits({
      ...row(0, { line: '5', was: 'Review', owners0: '["Rich"]', due0: '', owners: 'Rich Persaud', due: '', text: 'review', op: 'keep' }),
      ...row(1, { line: '6', was: 'gone', owners0: '[]', due0: '', owners: '', due: '', text: 'gone', op: 'drop' }),
      's.0.line': '7', 's.0.was': 'write it', 's.0.op': 'promote',
    });
    const rows = previewRows(extracted, edits);
    expect(rows.stale).toBe(1);
    expect(rows.actions.map((a) => [a.line, a.owners, a.fromSuggestion])).toEqual([[5, ['Rich Persaud'], false], [7, ['Ada'], true]]);
    expect(rows.decisions).toEqual([{ line: 9, was: 'ship it', op: 'keep' }]);
    expect(correctionsOf(rows)).toEqual({ actions: [{ line: 5, was: 'review', owners: ['Rich Persaud'] }], suggestions: [{ line: 7, was: 'write it', op: 'promote' }] });
    // Accepted before (the dry run already made it an action): no second choice for it.
    const accepted = previewRows({ ...extracted, actions: [...extracted.actions, { text: 'write it', line: 7, due: null, owners: [{ name: 'Ada' }] }] }, readPreviewEdits({}));
    expect(accepted.suggestions).toEqual([]);
    expect(accepted.actions.map((a) => a.line)).toEqual([5, 7]);
  });

  test('the flash after a save names every part of the diff in words', () => {
    const brief = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, text: 't' }));
    const changes = { added: brief(1), changed: brief(2), removed: [], carried: brief(1), closed: brief(3), decisionsAdded: brief(1), decisionsRemoved: brief(2) };
    expect(describeChanges({ status: 'revised', meeting: { revision: 3 }, actions: [], decisions: [], changes })).toBe(
      'Saved revision 3: 1 action added, 2 changed, 3 closed, 1 carried over; 1 decision added, 2 removed.',
    );
    expect(describeChanges({ status: 'revised', meeting: { revision: 2 }, actions: [], decisions: [], changes: { ...changes, added: [], changed: [], closed: [], carried: [], decisionsAdded: [], decisionsRemoved: brief(1), corrections: { kept: brief(2), overridden: brief(1) } } })).toBe(
      'Saved revision 2: 1 decision removed; 2 earlier corrections kept, 1 correction overridden by the new text.',
    );
    expect(describeChanges({ status: 'new', meeting: { revision: 1 }, actions: brief(8), decisions: brief(1), changes })).toBe('Saved new meeting: 8 actions and 1 decision.');
  });
});

describe('applyCorrections', () => {
  const parsed: ParsedMinutes = {
    title: 't', date: '2026-01-01', attendees: [], absent: [], decisions: [],
    actions: [{ owners: ['Rich'], text: 'review', due: null, done: false, line: 5, topic: null }],
    topics: [{ title: 'Release', line: 3, deferredTo: null }],
    suggestions: [
      { kind: 'action', owners: ['Ada'], text: 'write it', line: 7, reason: 'r' },
      { kind: 'decision', owners: [], text: 'ship it', line: 9, reason: 'r' },
    ],
    warnings: [],
  };
  test('fixes owners by line and turns promoted suggestions into items under their topic', () => {
    const { parsed: out, applied } = applyCorrections(parsed, {
      actions: [{ line: 5, owners: ['Rich Persaud'] }],
      suggestions: [{ line: 7, op: 'promote' }, { line: 9, was: 'Ship  it', op: 'promote' }],
    });
    expect(applied.size).toBe(3);
    expect(out.actions).toEqual([
      { owners: ['Rich Persaud'], text: 'review', due: null, done: false, line: 5, topic: null },
      { owners: ['Ada'], text: 'write it', due: null, done: false, line: 7, topic: 'Release' },
    ]);
    expect(out.decisions).toEqual([{ text: 'ship it', line: 9, topic: 'Release' }]);
    expect(out.suggestions).toEqual([]);
    expect(applyCorrections(parsed, undefined).parsed).toBe(parsed);
  });
  test('drops, edits due dates and text, and leaves a correction whose item moved unapplied', () => {
    const c = {
      actions: [{ line: 5, due: '2026-02-01', text: 'review the patch' }, { line: 6, drop: true }],
      suggestions: [{ line: 7, op: 'drop' as const }, { line: 9, was: 'something else', op: 'promote' as const }],
    };
    const { parsed: out, applied } = applyCorrections(parsed, c);
    expect(out.actions).toEqual([{ owners: ['Rich'], text: 'review the patch', due: '2026-02-01', done: false, line: 5, topic: null }]);
    expect(out.suggestions.map((s) => s.line)).toEqual([9]);
    expect(unmatchedCorrections(c, [{ parsed: out, applied }])).toEqual([
      { kind: 'action', line: 6, was: undefined },
      { kind: 'suggestion', line: 9, was: 'something else' },
    ]);
  });
});

test('safeNextPath keeps same-site paths only', () => {
  expect(safeNextPath('/actions?x=1')).toBe('/actions?x=1');
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 42, undefined]) expect(safeNextPath(bad)).toBeNull();
});
