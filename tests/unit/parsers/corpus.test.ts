/**
 * Real minutes: every file of `../shared/corpus/` parses without throwing, and hand-labelled
 * files (the OpenXT examples with their `*.expected.json`, and the corpus files labelled in
 * `tests/fixtures/corpus-labels/<file>.json`, same format) give what a careful reader extracts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMinutes } from '../../../parsers/index.js';
import type { ParsedMinutes } from '../../../parsers/index.js';
import { sharedDir } from '../../helpers/env.js';

interface Label {
  date: string | null;
  attendees: string[];
  absent?: string[];
  decisions: { contains: string }[];
  actions: { owners: string[]; contains: string; due?: string }[];
  topics_deferred?: { contains: string; deferredTo: string }[];
  suggestions?: { kind: 'action' | 'decision'; owners?: string[]; contains: string }[];
}

const corpusDir = join(sharedDir, 'corpus');
const examplesDir = join(sharedDir, 'examples');
const labelsDir = resolve(import.meta.dirname, '../../fixtures/corpus-labels');

const has = (text: string, part: string): boolean => text.toLowerCase().includes(part.toLowerCase());
const sameSet = (a: string[], b: string[]): boolean => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Pairs each labelled item with a distinct parsed one; returns what found no partner. */
function unmatched<L, P>(labels: L[], parsed: P[], match: (l: L, p: P) => boolean): L[] {
  const used = new Set<number>();
  const missing: L[] = [];
  for (const l of labels) {
    const i = parsed.findIndex((p, k) => !used.has(k) && match(l, p));
    if (i < 0) missing.push(l);
    else used.add(i);
  }
  return missing;
}

function checkMeeting(name: string, r: ParsedMinutes, label: Label): void {
  expect(r.date, `${name}: meeting date`).toBe(label.date);
  expect([...r.attendees.map((a) => a.name)].sort(), `${name}: attendee names`).toEqual([...label.attendees].sort());
  if (label.absent) expect([...r.absent.map((a) => a.name)].sort(), `${name}: absent names`).toEqual([...label.absent].sort());
  for (const t of label.topics_deferred ?? []) {
    const deferred = r.topics.filter((x) => has(x.title, t.contains)).map((x) => x.deferredTo);
    expect(deferred, `${name}: deferral of the topics containing "${t.contains}"`).toContain(t.deferredTo);
  }
}

function checkItems(name: string, r: ParsedMinutes, label: Label): void {
  const show = (xs: unknown[]): string => JSON.stringify(xs, null, 1);
  const missingActions = unmatched(label.actions, r.actions, (l, a) => sameSet(l.owners, a.owners) && has(a.text, l.contains) && (l.due === undefined || l.due === a.due));
  expect(missingActions, `${name}: labelled actions not extracted; parsed actions were ${show(r.actions.map((a) => ({ owners: a.owners, text: a.text, due: a.due })))}`).toEqual([]);
  expect(r.actions.length, `${name}: number of actions`).toBe(label.actions.length);
  const missingDecisions = unmatched(label.decisions, r.decisions, (l, d) => has(d.text, l.contains));
  expect(missingDecisions, `${name}: labelled decisions not extracted; parsed decisions were ${show(r.decisions.map((d) => d.text))}`).toEqual([]);
  expect(r.decisions.length, `${name}: number of decisions`).toBe(label.decisions.length);
  const missingSuggestions = unmatched(label.suggestions ?? [], r.suggestions, (l, s) => l.kind === s.kind && has(s.text, l.contains) && (!l.owners || sameSet(l.owners, s.owners)));
  expect(missingSuggestions, `${name}: labelled suggestions not found`).toEqual([]);
}

const corpusFiles = readdirSync(corpusDir).filter((f) => f.endsWith('.md')).sort();

describe('corpus: every file parses', () => {
  it('finds the corpus', () => {
    expect(corpusFiles.length).toBeGreaterThan(30);
  });
  for (const f of corpusFiles) {
    it(f, () => {
      const r = parseMinutes(readFileSync(join(corpusDir, f), 'utf8'), { filename: f });
      expect(r.title === null || typeof r.title === 'string').toBe(true);
    });
  }
});

/** [display name, input path, label] for the examples (both forms) and the labelled corpus files. */
const labelled: [string, string, Label][] = [];
for (const f of readdirSync(examplesDir).filter((x) => /^openxt-.*\.(md|raw\.txt)$/.test(x) || (/\.(md|raw\.txt)$/.test(x) && x !== 'README.md')).sort()) {
  const base = f.replace(/\.(md|raw\.txt)$/, '');
  const own = join(examplesDir, f.endsWith('.raw.txt') ? `${base}.raw.expected.json` : `${base}.expected.json`);
  const file = existsSync(own) ? own : join(examplesDir, `${base}.expected.json`);
  labelled.push([`examples/${f}`, join(examplesDir, f), JSON.parse(readFileSync(file, 'utf8')) as Label]);
}
for (const f of readdirSync(labelsDir).filter((x) => x.endsWith('.json')).sort()) {
  const source = f.replace(/\.json$/, '');
  labelled.push([`corpus/${source}`, join(corpusDir, source), JSON.parse(readFileSync(join(labelsDir, f), 'utf8')) as Label]);
}

describe('labelled minutes', () => {
  it('has at least 10 labelled corpus files', () => {
    expect(labelled.filter(([n]) => n.startsWith('corpus/')).length).toBeGreaterThanOrEqual(10);
  });
  for (const [name, path, label] of labelled) {
    const parse = (): ParsedMinutes => parseMinutes(readFileSync(path, 'utf8'), { filename: path.split('/').pop() });
    it(`${name}: meeting date, attendees, deferred topics`, () => checkMeeting(name, parse(), label));
    it(`${name}: actions, decisions, suggestions`, () => checkItems(name, parse(), label));
  }
});
