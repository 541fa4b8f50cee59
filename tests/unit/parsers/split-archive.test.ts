/** Running-notes files cut into one text per meeting, with lines mapping back to the file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMinutes, splitArchive } from '../../../parsers/index.js';
import { sharedDir } from '../../helpers/env.js';

const corpus = (f: string): string => readFileSync(join(sharedDir, 'corpus', f), 'utf8');
const linesOf = (t: string): string[] => t.split(/\r\n|\r|\n/);

function expectPartsMapBack(text: string, parts: ReturnType<typeof splitArchive>): void {
  const lines = linesOf(text);
  for (const p of parts) {
    const partLines = linesOf(p.text);
    expect(partLines).toEqual(lines.slice(p.startLine - 1, p.startLine - 1 + partLines.length));
  }
  for (let i = 1; i < parts.length; i++) {
    expect(parts[i].startLine).toBe(parts[i - 1].startLine + linesOf(parts[i - 1].text).length);
  }
}

describe('splitArchive', () => {
  it('returns one part for a normal file', () => {
    const text = readFileSync(join(sharedDir, 'examples', 'openxt-2016-12-15.md'), 'utf8');
    expect(splitArchive(text)).toEqual([{ date: '2016-12-15', title: 'Community Call - 15th December 2016', startLine: 1, text }]);
  });

  it('splits on dated headings and keeps line numbers of the file', () => {
    const text = [
      '# Mentoring WG', '', 'About us.', '', '## Dec 13, 2022', '', '### Attendance', '', '- Ada Lovelace', '',
      '### Release plans', '', 'Defer to Jan call.', '', '## Nov 22, 2022', '', '### Docs', '', 'Notes.',
    ].join('\n');
    const parts = splitArchive(text);
    expect(parts.map((p) => [p.date, p.title, p.startLine])).toEqual([
      ['2022-12-13', 'Dec 13, 2022', 5],
      ['2022-11-22', 'Nov 22, 2022', 15],
    ]);
    expectPartsMapBack(text, parts);
    const first = parseMinutes(parts[0].text, { meetingDate: parts[0].date });
    expect(first.attendees.map((a) => a.name)).toEqual(['Ada Lovelace']);
    const topic = first.topics[0];
    expect(topic).toEqual({ title: 'Release plans', line: 7, deferredTo: '2023-01' });
    expect(linesOf(text)[topic.line + parts[0].startLine - 2]).toBe('### Release plans');
  });

  it('splits on bold date lines (kubernetes-sig-docs-2020.md)', () => {
    const text = corpus('kubernetes-sig-docs-2020.md');
    const parts = splitArchive(text);
    expect(parts.length).toBeGreaterThanOrEqual(47);
    expect(parts[0]).toMatchObject({ date: '2020-12-15', startLine: 1 });
    expect(parts.at(-1)?.date).toBe('2020-01-07');
    expectPartsMapBack(text, parts);
  });

  it('splits setext date headings and dates a yearless one from its neighbours (cdf-toc-meeting-notes-2019.md)', () => {
    const text = corpus('cdf-toc-meeting-notes-2019.md');
    const parts = splitArchive(text);
    expect(parts[0]).toMatchObject({ date: '2020-01-14', title: 'January 14, 2020:', startLine: 14 });
    expect(parts.map((p) => p.date)).toContain('2019-09-10');
    expect(parts.length).toBe(20);
    expectPartsMapBack(text, parts);
  });

  it.each([
    ['cncf-mentoring-wg-2022.md', 8, '2022-12-13'],
    ['kubernetes-steering-2019.md', 20, '2019-12-16'],
    ['kubernetes-sig-instrumentation-2021.md', 49, '2021-12-30'],
  ])('splits %s into %i meetings', (file, count, firstDate) => {
    const text = corpus(file);
    const parts = splitArchive(text);
    expect(parts.length).toBe(count);
    expect(parts[0].date).toBe(firstDate);
    expect(new Set(parts.map((p) => p.date)).size).toBe(count);
    expectPartsMapBack(text, parts);
  });

  it('keeps a single dated heading file whole', () => {
    const text = '# Board call 2024-03-07\n\n## Budget\n\nDiscussed.\n';
    expect(splitArchive(text)).toEqual([{ date: '2024-03-07', title: 'Board call 2024-03-07', startLine: 1, text }]);
  });
});
