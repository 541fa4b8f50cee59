import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../helpers/env.js';
import { seeder } from '../../../helpers/reminder-seed.js';
import { createSearchRepository, MARK_END, MARK_START, nearWord, toFtsQuery, type SearchKey, type SearchRepository } from '../../../../server/db/repositories/search-repository.js';

/**
 * Full-text search on both databases: FTS5 (bm25, snippet) on SQLite, tsvector (ts_rank,
 * ts_headline) on PostgreSQL. The hits are the same; the order of equally good hits and the
 * exact cut of a snippet may differ, so those are asserted as a user sees them.
 */
let w: TestWorld;
let repo: SearchRepository;
const T = '2026-01-01T00:00:00.000Z';
const marked = (s: string) => s.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

beforeEach(() => {
  w = openWorld();
  repo = createSearchRepository(w.db);
});
afterEach(() => w.close());

async function seed() {
  const s = seeder(w.db);
  const ann = await s.person('Ann Lee');
  const series = await s.series('build', 'Build Call');
  const long = `${'Filler words before the match. '.repeat(6)}We discussed the zeppelin hangar at length. ${'More words after the match. '.repeat(6)}`;
  const m1 = await s.meeting(series, '2026-03-01', `# Build call\n\n${long}\n`);
  const m2 = await s.meeting(series, '2026-03-08', '# Build call\n\nNotes: a <b>bold</b> "zeppelin" & <i>co</i>\n');
  const m3 = await s.meeting(await s.series('docs', 'Docs Call'), '2026-03-15', '# Docs\n\nNothing about airships, but Élan and café.\n');
  const act = await s.action({ meetingId: m1, text: 'Ann to book the Zeppelin tour', owners: [ann, 'Bob'], line: 4 });
  await w.db.run(`INSERT INTO decisions (meeting_id, text, line, created_at) VALUES (?, 'Adopt the zeppelin-class compiler', 5, ?)`, m2, T);
  await w.db.run(`INSERT INTO action_events (action_id, kind, source, meeting_id, data, created_at) VALUES (?, 'created', 'import', ?, '{"line":7}', ?)`, act, m1, T);
  return { m1, m2, m3, act };
}

describe('search repository', () => {
  it('finds minutes, decisions and actions for every word, the last as a prefix, accents and case aside', async () => {
    const { m1, m2, m3, act } = await seed();
    const all = await repo.search(toFtsQuery('zeppelin')!, { limit: 50, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.hits.map((h) => `${h.kind}:${h.meetingId}`).sort()).toEqual([`action:${m1}`, `decision:${m2}`, `minutes:${m1}`, `minutes:${m2}`].sort());
    expect(all.hits.find((h) => h.kind === 'action')).toMatchObject({ refId: act, actionStatus: 'open', line: 4, seriesSlug: 'build', seriesName: 'Build Call' });
    expect(all.hits.find((h) => h.kind === 'decision')).toMatchObject({ line: 5, meetingDate: '2026-03-08' });

    expect((await repo.search(toFtsQuery('zepp')!, { limit: 50, offset: 0 })).total).toBe(4);
    expect((await repo.search(toFtsQuery('zeppelin tour')!, { limit: 50, offset: 0 })).hits.map((h) => h.kind)).toEqual(['action']);
    expect((await repo.search(toFtsQuery('ELAN CAFE')!, { limit: 50, offset: 0 })).hits.map((h) => h.meetingId)).toEqual([m3]);
    expect((await repo.search(toFtsQuery('zeppelin class')!, { limit: 50, offset: 0 })).hits.map((h) => h.kind)).toEqual(['decision']);
    expect((await repo.search(toFtsQuery('zeppelin')!, { kind: 'minutes', series: 'build', limit: 50, offset: 0 })).total).toBe(2);
    expect((await repo.search(toFtsQuery('zeppelin')!, { series: 'docs', limit: 50, offset: 0 })).total).toBe(0);
    // Operators and SQL typed into the box are words.
    for (const q of ['zeppelin OR x', 'NEAR(a b', "x'); DROP TABLE actions; --", 'body:zeppelin', '^zeppelin']) {
      await expect(repo.search(toFtsQuery(q)!, { limit: 5, offset: 0 })).resolves.toBeDefined();
    }
  });

  it('marks the matched words; keeps the text as written (markup too); cuts long text with …', async () => {
    const { m1, m2 } = await seed();
    const hits = (await repo.search(toFtsQuery('zeppelin')!, { kind: 'minutes', limit: 50, offset: 0 })).hits;
    const short = marked(hits.find((h) => h.meetingId === m2)!.snippet);
    expect(short).toContain('Notes: a <b>bold</b> "[zeppelin]" & <i>co</i>');
    const long = marked(hits.find((h) => h.meetingId === m1)!.snippet);
    expect(long).toContain('[zeppelin]');
    expect(long).toMatch(/^….*…$/s);
    expect(long.length).toBeLessThan(200);
  });

  it('marks the match deep inside long minutes, also where it is written with accents the query has not', async () => {
    const s = seeder(w.db);
    const series = await s.series('long', 'Long Call');
    const filler = (n: number) => 'The group went through the open items one by one. '.repeat(n);
    const deep = await s.meeting(series, '2026-04-01', `# Long call\n\n${filler(60)}Then the Zeppelin hangar lease came up again. ${filler(60)}\n`);
    const accented = await s.meeting(series, '2026-04-08', `# Long call\n\n${filler(60)}Coffee moved to the Café Zeppelin on Fridays. ${filler(60)}\n`);
    for (const [q, id, word] of [['zeppelin hangar', deep, '[Zeppelin] [hangar]'], ['cafe', accented, '[Café]']] as const) {
      const hit = (await repo.search(toFtsQuery(q)!, { kind: 'minutes', limit: 5, offset: 0 })).hits.find((h) => h.meetingId === id)!;
      const snippet = marked(hit.snippet);
      expect(snippet).toContain(word);
      expect(snippet).toMatch(/^….*…$/s);
      expect(snippet.length).toBeLessThan(200);
    }
  });

  it('looks for the longest word typed first in a long text (PostgreSQL snippets)', () => {
    expect(nearWord(toFtsQuery('the Zeppelin hangar')!)).toBe('zeppelin');
    expect(nearWord(toFtsQuery('"release checklist" v2')!)).toBe('checklist');
    expect(nearWord(toFtsQuery('say "hi" there')!)).toBe('there');
  });

  it('pages by keyset through every hit once, best first', async () => {
    await seed();
    const match = toFtsQuery('zeppelin')!;
    const all = (await repo.search(match, { limit: 50, offset: 0 })).hits;
    const seen: number[] = [];
    let after: SearchKey | null = null;
    for (;;) {
      const page: { key: SearchKey; refId: number; kind: string }[] = (await repo.search(match, { limit: 1, offset: 0, after })).hits;
      if (page.length === 0) break;
      seen.push(...page.map((h) => h.refId));
      after = page[0]!.key;
    }
    expect(seen).toEqual(all.map((h) => h.refId));
    const scores = all.map((h) => h.key[0]);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('lists and counts meetings matching words, and a meeting\'s actions with owners and lines', async () => {
    const { m1, m2, act } = await seed();
    const q = { series: null, from: null, to: null, match: toFtsQuery('zeppelin') };
    expect((await repo.meetings({ ...q, limit: 10, offset: 0 })).map((m) => m.id)).toEqual([m2, m1]);
    expect(await repo.meetingCount(q)).toBe(2);
    expect((await repo.meetings({ ...q, limit: 10, offset: 0, after: ['2026-03-08', m2] })).map((m) => m.id)).toEqual([m1]);
    expect(await repo.meetingCount({ ...q, match: null, from: '2026-03-02' })).toBe(2);
    const items = await repo.items(m1);
    expect(items.actions).toEqual([
      { id: act, text: 'Ann to book the Zeppelin tour', status: 'open', due: null, kind: 'created', line: 7, owners: [{ personId: expect.any(Number), name: 'Ann Lee' }, { personId: null, name: 'Bob' }] },
    ]);
  });
});
