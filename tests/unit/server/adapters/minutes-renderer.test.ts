import { afterAll, expect, test } from 'vitest';
import { createMinutesRenderer, markdownDepth, MAX_RENDER_DEPTH } from '../../../../server/adapters/minutes-renderer.js';
import { contentDisposition } from '../../../../server/http/route-helpers.js';

const renderer = createMinutesRenderer({ timeoutMs: 50 });
afterAll(() => renderer.close());

test('markdownDepth counts quote and list markers and indentation, and stops past its limit', () => {
  expect(markdownDepth('# Title\n\nplain text')).toBe(0);
  expect(markdownDepth('- a\n  - b\n    - c')).toBe(3);
  expect(markdownDepth('> > > x')).toBe(3);
  expect(markdownDepth('1. one\n   1) two')).toBe(2);
  expect(markdownDepth('-not a marker\n3.14 is a number')).toBe(0);
  expect(markdownDepth('> '.repeat(10_000), 64)).toBe(65);
});

test('too deep: escaped plain text with the reason, never markup', async () => {
  const text = '> '.repeat(MAX_RENDER_DEPTH + 1) + '<script>alert(1)</script> & [x](javascript:alert(1))';
  const out = await renderer.render(text);
  expect(out.plainReason).toMatch(/more than 64 levels/);
  expect(out.html).toContain('These minutes are shown as plain text');
  expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
  expect(out.html).not.toContain('<script>');
});

test('past the time bound: plain text, remembered for that text; small minutes are formatted', async () => {
  const slow = '*a **b _c '.repeat(100_000);
  const first = await renderer.render(slow);
  expect(first.plainReason).toMatch(/longer than 0.05 s/);
  const t0 = performance.now();
  expect((await renderer.render(slow, [{ kind: 'action', id: 1, line: 1 }])).plainReason).toBe(first.plainReason);
  expect(performance.now() - t0).toBeLessThan(50);
  const quick = createMinutesRenderer();
  try {
    const ok = await quick.render('# Call\n\n- ACTION: @ada write it', [{ kind: 'action', id: 7, line: 3, label: '#7 open' }]);
    expect(ok.plainReason).toBeNull();
    expect(ok.html).toContain('<h1>Call</h1>');
    expect(ok.html).toContain('href="/actions/7"');
  } finally {
    await quick.close();
  }
});

test('Content-Disposition: ASCII names as they are; others with an ASCII fallback and filename*', () => {
  expect(contentDisposition('attachment', 'agenda-x-2026-01-01.md')).toBe('attachment; filename="agenda-x-2026-01-01.md"');
  expect(contentDisposition('inline', '東京 "call".ics')).toBe(`inline; filename="__ _call_.ics"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20%22call%22.ics`);
});
