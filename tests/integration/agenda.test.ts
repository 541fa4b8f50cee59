import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, type Clock } from '../../server/clock.js';
import { parseMinutes } from '../../parsers/index.js';
import { openWorld, sharedDir, type TestWorld } from '../helpers/env.js';

// The OpenXT minutes through the real parser and import, then the agenda of the next call.

const example = (name: string) => readFileSync(join(sharedDir, 'examples', name), 'utf8');

/** A clock the test can move, as days pass between calls. */
function movableClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => (now = new Date(next)) };
}

let world: TestWorld;
afterEach(() => world?.close());

async function openxt(clock: Clock) {
  world = openWorld({ clock });
  await world.services.series.upsert({ slug: 'openxt', name: 'OpenXT Community Call', cadence: 'FREQ=MONTHLY;BYDAY=3TH' });
  return world.services;
}

const december = [
  ['AIS Burlington', ['find out by January if they can sign up to perform QA']],
  ['Christopher Clark', ['work on a plan and PR']],
  ['Eric Chanudet', ['work on a plan and PR']],
  ['James McKenzie', ['write a doc so that Rich can start the upstream discussion']],
  ['Rich Persaud', ['talk to upstream Xen', 'document it to aid in presenting']],
  ['Ross Philipson', ['find out by January', 'get together with James', 'write a doc so that Rich can start']],
] as const;

describe('agenda from imported OpenXT minutes', () => {
  it('lists the six actions of 15 December 2016 under their owners on the January agenda', async () => {
    const services = await openxt(fixedClock('2016-12-20T12:00:00Z'));
    await services.imports.importText(example('openxt-2016-12-15.md'), { series: 'openxt', source: 'cli' });
    const agenda = await services.agenda.build({ series: 'openxt' });
    expect(agenda.date).toBe('2017-01-19');
    expect(agenda.lastMeeting?.date).toBe('2016-12-15');
    expect(agenda.counts.openActions).toBe(6);
    expect(agenda.openActions.map((g) => g.owner)).toEqual(december.map(([o]) => o));
    agenda.openActions.forEach((g, i) => {
      const expected = december[i][1];
      expect(g.actions).toHaveLength(expected.length);
      expected.forEach((text) => expect(g.actions.some((a) => a.text.includes(text))).toBe(true));
    });
    const qa = agenda.openActions[0].actions[0];
    expect(qa).toMatchObject({ due: '2017-01-01', overdue: true, ageDays: 35, carriedCount: 0 });
    const md = services.agenda.markdown(agenda);
    expect(md).toContain('# Agenda: OpenXT Community Call, Thursday, 19 January 2017');
    expect(md).toContain('### Rich Persaud');
    expect(md).toMatch(/- get together with James to discuss technical details \(eg\. PCR4 measurement issue\) · from \[2016-12-15\]\(http:\/\/localhost:3000\/meetings\/\d+\) · 35 days old · \[#\d+\]/);
  });

  it('carries the stable-7 release-manager topic deferred in September 2017 to the October agenda', async () => {
    const services = await openxt(fixedClock('2017-09-25T12:00:00Z'));
    const imported = await services.imports.importText(example('openxt-2017-09.md'), { series: 'openxt', source: 'cli' });
    // "September 2017" resolved with the cadence: the 3rd Thursday.
    expect(imported.meeting.date).toBe('2017-09-21');
    const agenda = await services.agenda.build({ series: 'openxt' });
    expect(agenda.date).toBe('2017-10-19');
    expect(agenda.deferredTopics.map((t) => [t.title, t.deferredTo])).toEqual([[expect.stringContaining('stable-7'), '2017-10']]);
    expect(agenda.deferredTopics[0].url).toMatch(/\/meetings\/\d+#L\d+$/);
    // The sentence that deferred it says what is to be decided: the release manager.
    expect(agenda.deferredTopics[0].context).toBe(
      'No volunteers for stable-7 release manager. Rich Persaud nominated Eric Chanudet of AIS. Eric requires mgmt approval. Defer to Oct call.',
    );
    expect(services.agenda.markdown(agenda)).toMatch(/## Deferred to this meeting\n\n- stable-7 branch[^\n]*: No volunteers for stable-7 release manager\.[^\n]* · deferred on \[2017-09-21\]\([^)]*\) to 2017-10\n/);
    // Once October's call is in, November's agenda does not repeat it.
    await services.imports.importText('# OpenXT Community Call - 19 October 2017\n\n## stable-7 branch\n\nEric is release manager.\n', {
      series: 'openxt',
      source: 'cli',
    });
    expect((await services.agenda.build({ series: 'openxt', date: '2017-11-16' })).deferredTopics).toEqual([]);
  });

  it('moves a closed action from the open list to "closed since the last meeting"', async () => {
    const clock = movableClock('2016-12-16T09:00:00Z');
    const services = await openxt(clock);
    const res = await services.imports.importText(example('openxt-2016-12-15.md'), { series: 'openxt', source: 'cli' });
    const icbinn = res.actions.find((a) => a.text.includes('document it to aid'));
    expect(icbinn).toBeDefined();
    clock.set('2017-01-04T10:00:00Z');
    await services.actions.close(icbinn!.id, { personId: null, role: 'notetaker', label: 'Rich Persaud', source: 'web' }, 'wiki page written');
    const agenda = await services.agenda.build({ series: 'openxt' });
    expect(agenda.counts.openActions).toBe(5);
    expect(agenda.openActions.flatMap((g) => g.actions).some((a) => a.id === icbinn!.id)).toBe(false);
    expect(agenda.closedActions).toEqual([
      expect.objectContaining({ id: icbinn!.id, closedBy: 'Rich Persaud', source: 'web', note: 'wiki page written', owners: ['Rich Persaud'] }),
    ]);
    expect(services.agenda.markdown(agenda)).toContain(
      '- document it to aid in presenting to other potential users. · Rich Persaud · done by Rich Persaud via web on 2017-01-04: "wiki page written" · [#',
    );
  });

  it('writes a skeleton the parser reads back exactly, and its import closes and carries as written', async () => {
    const clock = movableClock('2016-12-20T12:00:00Z');
    const services = await openxt(clock);
    await services.imports.importText(example('openxt-2016-12-15.md'), { series: 'openxt', source: 'cli' });
    const open = (await services.agenda.build({ series: 'openxt' })).openActions.flatMap((g) => g.actions);
    const stored = new Map(open.map((a) => [a.id, a]));
    const skeleton = await services.skeleton.skeleton({ series: 'openxt' });

    // The note-taker's view: front matter, the attendees of December, one line per action.
    expect(skeleton).toMatch(/^---\nseries: openxt\ndate: 2017-01-19\n---\n/);
    expect(skeleton).toContain('- Ross Philipson, Eric Chanudet; AIS Burlington');
    const parsed = parseMinutes(skeleton);
    expect(parsed.date).toBe('2017-01-19');
    expect(parsed.attendees.map((a) => a.name)).toEqual(expect.arrayContaining(['Christopher Clark', 'Rich Persaud', 'Ross Philipson', 'Kevin Pearson']));
    const readBack = parsed.actions.map((a) => [a.owners, a.text.replace(/ \(due \d{4}-\d{2}-\d{2}\)$/, ''), a.due, a.done]);
    const expected = [...stored.values()]
      .sort((a, b) => a.id - b.id)
      .map((a) => [a.owners, a.text, a.due, false]);
    expect(readBack).toEqual(expected);

    // Filled in at the January call: one done, the rest carried.
    const done = open.find((a) => a.text.startsWith('get together with James'))!;
    const filled = skeleton.replace(`ACTION: Ross Philipson to ${done.text}`, `DONE ACTION: Ross Philipson to ${done.text}`);
    expect(filled).not.toBe(skeleton);
    clock.set('2017-01-19T18:00:00Z');
    const res = await services.imports.importText(filled, { source: 'cli' });
    expect(res.meeting).toMatchObject({ seriesSlug: 'openxt', date: '2017-01-19' });
    expect(res.changes.added).toEqual([]);

    const feb = await services.agenda.build({ series: 'openxt' });
    expect(feb.date).toBe('2017-02-16');
    expect(feb.lastMeeting?.date).toBe('2017-01-19');
    expect(feb.closedActions.map((c) => [c.id, c.source, c.closedInMeeting?.date])).toEqual([[done.id, 'import', '2017-01-19']]);
    const still = feb.openActions.flatMap((g) => g.actions).filter((a, i, all) => all.findIndex((b) => b.id === a.id) === i);
    expect(still.map((a) => a.id).sort()).toEqual([...stored.keys()].filter((id) => id !== done.id).sort());
    expect(still.length).toBeGreaterThan(0);
    for (const a of still) {
      expect(a.carriedCount).toBe(1);
      expect(a.text).toBe(stored.get(a.id)!.text);
      expect(a.owners).toEqual(stored.get(a.id)!.owners);
      // "by January" read in January would mean 2018: the pinned date kept it.
      expect(a.due).toBe(stored.get(a.id)!.due);
    }
    expect(services.agenda.markdown(feb)).toContain('carried x1');
  });
});
