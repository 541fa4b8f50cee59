import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../../server/clock.js';
import { createServices } from '../../../../../server/container.js';
import { createAgendaRenderer } from '../../../../../server/services/agenda/agenda-renderer.js';
import { deferralSentence } from '../../../../../server/services/agenda/agenda-service.js';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { createSeeder } from '../../../../integration/agenda-seed.js';

// Rows are written straight into the schema here, so these cases do not depend on the parser
// or the import; tests/integration/agenda.test.ts drives the same agenda through real imports.

let world: TestWorld;
let seed: ReturnType<typeof createSeeder>;
let seriesId: number;
let dec: number;
let jan: number;

beforeEach(async () => {
  world = openWorld({ clock: fixedClock('2017-01-05T12:00:00Z') });
  seed = createSeeder(world.db);
  seriesId = await seed.series('openxt', {
    name: 'OpenXT Community Call',
    cadence: 'FREQ=MONTHLY;BYDAY=3TH',
    standing: ['Release status', 'Security advisories'],
    listEmail: 'openxt@example.org',
  });
  dec = await seed.meeting(seriesId, '2016-12-15', 'December call');
});
afterEach(() => world.close());

/** The services of the same database with the clock at `iso`. */
const openWorldAt = (iso: string) => createServices({ db: world.db, config: world.config, clock: fixedClock(iso) });
const agenda = (date?: string) => world.services.agenda.build({ series: 'openxt', date });

describe('deferralSentence', () => {
  const text = ['# Call', '', '## stable-7', '', '- No volunteers yet.', '- Eric needs approval. Defer to Oct call.', '', '## Next', '- postponed to the next meeting'].join('\n');
  it('finds the line of the topic that defers it, without its list marker', () => {
    expect(deferralSentence(text, 3)).toBe('Eric needs approval. Defer to Oct call.');
  });
  it('stops at the next heading', () => {
    expect(deferralSentence(['## A', 'nothing here', '## B', 'defer to May'].join('\n'), 1)).toBeNull();
  });
});

describe('agenda model', () => {
  it('defaults to the next cadence date and groups open actions by owner', async () => {
    const ross = await seed.person('Ross Philipson', 'ross@example.org');
    const james = await seed.person('James McKenzie', 'james@example.org');
    await seed.action(dec, 'get together with James', [{ personId: ross, name: 'Ross Philipson' }]);
    await seed.action(dec, 'write a doc', [
      { personId: ross, name: 'Ross Philipson' },
      { personId: james, name: 'James McKenzie' },
    ], { due: '2017-01-01', carried: 3 });
    const a = await agenda();
    expect(a.date).toBe('2017-01-19');
    expect(a.dateSource).toBe('cadence');
    expect(a.lastMeeting).toMatchObject({ date: '2016-12-15', url: 'http://localhost:3000/meetings/' + dec });
    expect(a.standingItems).toEqual(['Release status', 'Security advisories']);
    expect(a.openActions.map((g) => [g.owner, g.actions.map((x) => x.text)])).toEqual([
      ['James McKenzie', ['write a doc']],
      ['Ross Philipson', ['write a doc', 'get together with James']],
    ]);
    const doc = a.openActions[0].actions[0];
    expect(doc).toMatchObject({ ageDays: 35, due: '2017-01-01', overdue: true, carriedCount: 3, stale: true, owners: ['Ross Philipson', 'James McKenzie'] });
    expect(a.counts).toMatchObject({ openActions: 2, overdue: 1, stale: 1 });
    const md = world.services.agenda.markdown(a);
    expect(md).toContain('### Ross Philipson');
    expect(md).toContain('- write a doc _(with James McKenzie)_ · from [2016-12-15]');
    expect(md).toContain('carried x3 · **stale: drop or reassign?**');
  });

  it('lists actions closed since the last meeting with who closed them and how', async () => {
    const a1 = await seed.action(dec, 'talk to upstream Xen', [{ personId: null, name: 'Rich' }], { status: 'done' });
    await seed.event(a1, 'closed', { actor: 'Rich Persaud', source: 'web', note: 'thread started', at: '2017-01-03T10:00:00.000Z' });
    // Closed before the last meeting: not news any more.
    const old = await seed.meeting(seriesId, '2016-11-17');
    const a2 = await seed.action(old, 'old thing', [{ personId: null, name: 'Rich' }], { status: 'done' });
    await seed.event(a2, 'closed', { actor: 'Rich', source: 'cli', at: '2016-11-20T10:00:00.000Z' });
    const a = await agenda();
    expect(a.closedActions).toHaveLength(1);
    expect(a.closedActions[0]).toMatchObject({ text: 'talk to upstream Xen', closedBy: 'Rich Persaud', source: 'web', note: 'thread started', status: 'done' });
    expect(a.openActions).toEqual([]);
    expect(world.services.agenda.markdown(a)).toContain('- talk to upstream Xen · Rich · done by Rich Persaud via web on 2017-01-03: "thread started" · [#');
  });

  it('counts a close recorded by an import at the date of the minutes that recorded it', async () => {
    jan = await seed.meeting(seriesId, '2017-01-19');
    const a1 = await seed.action(dec, 'document icbinn', [{ personId: null, name: 'Rich' }], { status: 'done' });
    // Imported years later: the event time is "now", its meeting is January 2017.
    await seed.event(a1, 'closed', { actor: 'import', source: 'import', meetingId: jan, at: '2026-11-21T10:00:00.000Z' });
    expect((await agenda('2017-02-16')).closedActions.map((c) => c.closedInMeeting?.date)).toEqual(['2017-01-19']);
    await seed.meeting(seriesId, '2017-02-16');
    expect((await agenda('2017-03-16')).closedActions).toEqual([]);
  });

  it('links decisions of the last meeting to their line', async () => {
    const d = await seed.decision(dec, 'Track upstream minor releases', 97, 'Xen stable');
    const a = await agenda();
    expect(a.decisions).toEqual([
      expect.objectContaining({ id: d, text: 'Track upstream minor releases', url: `http://localhost:3000/meetings/${dec}#L97` }),
    ]);
  });

  it('carries topics deferred to this date, this month, or "next" from the last meeting', async () => {
    await seed.topic(dec, 'deferred by month', 10, '2017-01');
    await seed.topic(dec, 'deferred to the day', 11, '2017-01-19');
    await seed.topic(dec, 'deferred to next', 12, 'next');
    await seed.topic(dec, 'deferred to February', 13, '2017-02');
    await seed.topic(dec, 'not deferred', 14, null);
    const older = await seed.meeting(seriesId, '2016-11-17');
    await seed.topic(older, 'next from an older meeting', 5, 'next');
    await seed.topic(older, 'December, already discussed', 6, '2016-12');
    expect((await agenda()).deferredTopics.map((t) => t.title)).toEqual(['deferred by month', 'deferred to the day', 'deferred to next']);
    // January's call happened; no call in February: a topic deferred to it rolls on to March.
    await seed.meeting(seriesId, '2017-01-19');
    expect((await agenda('2017-03-16')).deferredTopics.map((t) => t.title)).toEqual(['deferred to February']);
  });

  it('lists items proposed for the meeting and owners without a directory entry or email', async () => {
    const ais = await seed.person('AIS Burlington', null, 'group');
    await seed.action(dec, 'QA for 7.0', [{ personId: null, name: 'Rich' }, { personId: ais, name: 'AIS Burlington' }]);
    await world.services.agenda.propose('openxt', { text: 'Release manager for 8.0.0', proposedBy: 'Kevin' });
    await world.services.agenda.propose('openxt', { text: 'Other meeting', date: '2017-02-16' });
    const a = await agenda();
    expect(a.proposedItems.map((p) => [p.text, p.proposedBy])).toEqual([['Release manager for 8.0.0', 'Kevin']]);
    expect(a.ownerProblems).toEqual([
      { name: 'AIS Burlington', personId: ais, problem: 'no-email', actionIds: [expect.any(Number)] },
      { name: 'Rich', personId: null, problem: 'unresolved', actionIds: [expect.any(Number)] },
    ]);
    const md = world.services.agenda.markdown(a);
    expect(md).toContain('## Owners to sort out');
    expect(md).toContain('- Rich: not in the people directory');
  });

  it('counts the day of the call in the series timezone', async () => {
    await seed.series('ny', { cadence: 'FREQ=MONTHLY;BYDAY=3TH', timezone: 'America/New_York' });
    await seed.series('utc', { cadence: 'FREQ=MONTHLY;BYDAY=3TH' });
    // 03:00 UTC on Friday 20 January is still Thursday the 19th, call day, in New York.
    const late = openWorldAt('2017-01-20T03:00:00Z');
    expect((await late.agenda.build({ series: 'ny' })).date).toBe('2017-01-19');
    expect((await late.agenda.build({ series: 'utc' })).date).toBe('2017-02-16');
  });

  it('takes the meeting after the last recorded one when its minutes are already in', async () => {
    await seed.meeting(seriesId, '2017-01-19');
    // Today is 5 January but January's minutes exist (imported early): next is February.
    expect((await agenda()).date).toBe('2017-02-16');
  });

  it('needs a date for a series without cadence, and names --date', async () => {
    await seed.series('adhoc');
    await expect(world.services.agenda.build({ series: 'adhoc' })).rejects.toThrow(/--date/);
    expect((await world.services.agenda.build({ series: 'adhoc', date: '2017-01-02' })).date).toBe('2017-01-02');
    await expect(world.services.agenda.build({ series: 'nope' })).rejects.toThrow(/series "nope" does not exist/);
    await expect(agenda('2017-13-01')).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('refuses empty items and items for past meetings', async () => {
    await expect(world.services.agenda.propose('openxt', { text: '  ' })).rejects.toThrow(/empty/);
    await expect(world.services.agenda.propose('openxt', { text: 'x', date: '2016-12-15' })).rejects.toThrow(/in the past/);
  });

  it('names the template file when an edited template is broken', () => {
    const dir = mkdtempSync(join(world.dir, 'tpl-'));
    mkdirSync(join(dir, 'agenda'));
    writeFileSync(join(dir, 'agenda', 'agenda.md.eta'), '# <%= it.series.name %>\n<% if (x { %>\n');
    expect(() => createAgendaRenderer(dir).render('agenda', { series: { name: 'x' } })).toThrow(/^templates\/agenda\/agenda\.md\.eta: /);
  });

  it('picks up an edited template without a restart', () => {
    const dir = mkdtempSync(join(world.dir, 'tpl-'));
    mkdirSync(join(dir, 'agenda'));
    const file = join(dir, 'agenda', 'agenda.md.eta');
    writeFileSync(file, 'Agenda of <%= it.date %>\n');
    const renderer = createAgendaRenderer(dir);
    expect(renderer.render('agenda', { date: '2017-01-19' })).toBe('Agenda of 2017-01-19\n');
    writeFileSync(file, 'Call on <%= it.date %>\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(renderer.render('agenda', { date: '2017-01-19' })).toBe('Call on 2017-01-19\n');
  });

  it('renders the same agenda as sanitized HTML', async () => {
    await seed.action(dec, 'fix <script>alert(1)</script> and *bold*', [{ personId: null, name: 'Eve' }]);
    const { body } = await world.services.agenda.render({ series: 'openxt' }, 'html');
    expect(body).toContain('<h2>Open actions (1)</h2>');
    expect(body).not.toContain('<script>');
    expect(body).toContain('&#x3C;script>');
    expect(body).toContain('*bold*');
  });

  it('sends the agenda to the list once per meeting', async () => {
    const first = await world.services.agenda.send({ series: 'openxt' });
    expect(first).toMatchObject({ status: 'queued', to: 'openxt@example.org', date: '2017-01-19' });
    const again = await world.services.agenda.send({ series: 'openxt' });
    expect(again.status).toBe('already-sent');
    const rows = await world.db.prepare(`SELECT dedupe_key, to_address, subject FROM outbox`).all();
    expect(rows).toEqual([
      { dedupe_key: 'agenda:openxt:2017-01-19', to_address: 'openxt@example.org', subject: 'Agenda: OpenXT Community Call - Thursday, 19 January 2017' },
    ]);
  });
});
