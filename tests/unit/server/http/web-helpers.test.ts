import { describe, expect, test } from 'vitest';
import { renderMinutesHtml } from '../../../../server/adapters/minutes-html.js';
import { toFtsQuery } from '../../../../server/db/repositories/search-repository.js';
import { readPreviewEdits } from '../../../../server/http/upload-page-routes.js';
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

describe('readPreviewEdits', () => {
  test('owner picks replace only the picked slots; promoted lines are deduplicated', () => {
    const e = readPreviewEdits({ 'orig.11.0': 'Rich', 'orig.11.1': 'Ada', 'owner.11.0': 'Rich Persaud', 'owner.11.1': '', 'orig.12.0': 'Bob', 'owner.12.0': '', promote: ['2', '2', 'x', '-1'] });
    expect(e.corrections).toEqual({ actions: [{ line: 11, owners: ['Rich Persaud', 'Ada'] }], suggestions: [{ line: 2, op: 'promote' }] });
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
