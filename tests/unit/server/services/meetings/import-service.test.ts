import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';
import { cliActor } from '../../../../../server/services/actions/actor.js';

const ATTENDEES = `## Attendees

- Ross Philipson; AIS Burlington
- James McKenzie; Bromium
- Rich Persaud; BAE
- Rich Turner; Citrix
`;

const minutes = (date: string, body: string) => `# Community call ${date}\n\n${ATTENDEES}\n## Notes\n\n${body}\n`;

let w: TestWorld;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2024-03-01T09:00:00Z') });
});
afterEach(() => w.close());

const count = async (table: string) => (await w.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const tables = ['meetings', 'minutes_revisions', 'actions', 'action_owners', 'action_events', 'attendance', 'decisions', 'topics', 'people'];
const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])));

describe('import: a new meeting', () => {
  it('stores attendees, actions with resolved owners, and says new', async () => {
    const r = await w.services.imports.importText(
      minutes('2024-03-07', 'ACTION: Ross and James to draft the release plan\n\nDecision: we ship 7.0 in March.'),
      { series: 'openxt' },
    );
    expect(r.status).toBe('new');
    expect(r.meeting).toMatchObject({ seriesSlug: 'openxt', date: '2024-03-07', revision: 1 });
    expect(r.attendees.map((a) => a.name)).toEqual(['Ross Philipson', 'James McKenzie', 'Rich Persaud', 'Rich Turner']);
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0].owners.map((o) => o.name)).toEqual(['Ross Philipson', 'James McKenzie']);
    expect(r.actions[0].owners.every((o) => o.personId !== null)).toBe(true);
    expect(r.changes.added.map((a) => a.id)).toEqual([r.actions[0].id]);
    const listed = await w.services.actions.list({ owner: 'ross philipson' });
    expect(listed.map((a) => a.id)).toEqual([r.actions[0].id]);
    expect(listed[0].originMeeting).toMatchObject({ date: '2024-03-07', seriesSlug: 'openxt' });
    // Unknown attendees filled the directory, without email.
    expect((await w.services.people.list()).map((p) => [p.name, p.email])).toContainEqual(['Ross Philipson', null]);
  });

  it('is idempotent: the same text again is unchanged and writes nothing', async () => {
    const text = minutes('2024-03-07', 'ACTION: Ross to write the tboot RFC');
    const first = await w.services.imports.importText(text, { series: 'openxt' });
    const before = await snapshot();
    const again = await w.services.imports.importText(text, { series: 'openxt' });
    expect(again.status).toBe('unchanged');
    expect(again.actions.map((a) => a.id)).toEqual(first.actions.map((a) => a.id));
    expect(await snapshot()).toEqual(before);
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    const before = await snapshot();
    const r = await w.services.imports.importText(minutes('2024-03-07', 'ACTION: Ross to write the tboot RFC'), { series: 'openxt', dryRun: true });
    expect(r.status).toBe('new');
    expect(r.dryRun).toBe(true);
    expect(r.actions).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
    expect(await w.services.series.find('openxt')).toBeUndefined();
  });

  it('refuses binary, empty and undated input with a clear code', async () => {
    await expect(w.services.imports.importText(Buffer.from([0x23, 0, 1, 2]))).rejects.toThrow(expect.objectContaining({ code: 'input-binary' }));
    await expect(w.services.imports.importText('   \n')).rejects.toThrow(expect.objectContaining({ code: 'input-empty' }));
    await expect(w.services.imports.importText('# Notes\n\nACTION: Ross to do things\n')).rejects.toThrow(
      expect.objectContaining({ code: 'no-date' }),
    );
    expect(await count('meetings')).toBe(0);
  });

  it('uses front matter series, else the default series for text without a file name', async () => {
    const a = await w.services.imports.importText(`---\nseries: xen-summit\n---\n${minutes('2024-03-07', '')}`);
    expect(a.meeting.seriesSlug).toBe('xen-summit');
    const b = await w.services.imports.importText(minutes('2024-03-08', ''));
    expect(b.meeting.seriesSlug).toBe('default');
    expect(b.seriesCreated).toBe(true);
  });
});

describe('import: revisions', () => {
  it('keeps ids stable, edits, adds and drops actions, and never reopens a closed one', async () => {
    const v1 = await w.services.imports.importText(
      minutes(
        '2024-03-07',
        [
          'ACTION: Ross to write the tboot RFC',
          'ACTION: James to review the UEFI patches',
          'ACTION: Rich Persaud to contact upstream Xen maintainers',
          'ACTION: Rich Turner to book the venue for the summit',
        ].join('\n\n'),
      ),
      { series: 'openxt' },
    );
    const id = (owner: string) => v1.actions.find((a) => a.owners[0].name === owner)!.id;
    await w.services.actions.close(id('Rich Persaud'), cliActor('tester'), 'mailed them');

    const v2 = await w.services.imports.importText(
      minutes(
        '2024-03-07',
        [
          'ACTION: Ross to write the tboot RFC and circulate it',
          'ACTION: James to review the UEFI patches',
          'ACTION: Rich Persaud to contact upstream Xen maintainers',
          'ACTION: James to set up the CI job for stable-7',
        ].join('\n\n'),
      ),
      { series: 'openxt' },
    );
    expect(v2.status).toBe('revised');
    expect(v2.meeting.revision).toBe(2);
    expect(v2.changes.changed).toEqual([expect.objectContaining({ id: id('Ross Philipson'), before: { text: 'write the tboot RFC' } })]);
    expect(v2.changes.unchanged.map((a) => a.id).sort()).toEqual([id('James McKenzie'), id('Rich Persaud')].sort());
    expect(v2.changes.removed.map((a) => a.id)).toEqual([id('Rich Turner')]);
    expect(v2.changes.added).toHaveLength(1);
    expect(v2.changes.added[0].text).toMatch(/CI job/);

    const get = (i: number) => w.services.actions.get(i);
    expect((await get(id('Ross Philipson'))).text).toBe('write the tboot RFC and circulate it');
    expect((await get(id('Ross Philipson'))).events.map((e) => e.kind)).toEqual(['created', 'edited']);
    expect((await get(id('Rich Persaud'))).status).toBe('done');
    expect((await get(id('Rich Turner'))).status).toBe('dropped');
    expect((await get(id('Rich Turner'))).events.map((e) => e.kind)).toEqual(['created', 'dropped']);
    expect(await count('actions')).toBe(5);
    expect(await count('minutes_revisions')).toBe(2);

    // The closed action stays closed even if the next revision does not mark it done.
    expect((await get(id('Rich Persaud'))).events.map((e) => e.kind)).toEqual(['created', 'closed']);
  });

  it('replaces decisions, topics and attendance with the new revision', async () => {
    await w.services.imports.importText(minutes('2024-03-07', 'Decision: ship in March.\n\nDecision: freeze on Friday.'), { series: 'openxt' });
    const v2 = await w.services.imports.importText(
      `# Community call 2024-03-07\n\n## Attendees\n\n- Ross Philipson; AIS Burlington\n\n## Notes\n\nDecision: ship in March.\n`,
      { series: 'openxt' },
    );
    expect(v2.decisions.map((d) => d.text)).toEqual(['ship in March.']);
    const m = await w.services.search.meeting(v2.meeting.id);
    expect(m.attendees.map((a) => a.name)).toEqual(['Ross Philipson']);
    expect(m.decisions).toHaveLength(1);
    expect(m.revisions.map((r) => r.revision)).toEqual([2, 1]); // newest first, as the meeting page lists them
  });
});

describe('import: carry-over', () => {
  it('matches a restated action across three meetings and closes it on DONE', async () => {
    const m1 = await w.services.imports.importText(
      minutes('2024-01-11', 'ACTION: James to review the UEFI patches for stable-7\n\nACTION: Ross to write the tboot RFC'),
      { series: 'openxt' },
    );
    const uefi = m1.actions.find((a) => a.text.includes('UEFI'))!.id;
    const m2 = await w.services.imports.importText(
      minutes('2024-02-08', '## Review of actions\n\n- ACTION: James to review the UEFI patches for stable-7 (carried over)\n'),
      { series: 'openxt' },
    );
    expect(m2.changes.carried.map((a) => a.id)).toEqual([uefi]);
    expect(m2.changes.added).toEqual([]);
    let a = await w.services.actions.get(uefi);
    expect(a.carriedCount).toBe(1);
    expect(a.lastMeeting.id).toBe(m2.meeting.id);

    const m3 = await w.services.imports.importText(
      minutes('2024-03-14', '## Review of actions\n\n- DONE: James to review UEFI patches for stable-7\n'),
      { series: 'openxt' },
    );
    expect(m3.changes.closed.map((x) => x.id)).toEqual([uefi]);
    a = await w.services.actions.get(uefi);
    expect(a.status).toBe('done');
    expect(a.carriedCount).toBe(1);
    expect(a.events.map((e) => [e.kind, e.actor.source, e.meetingId])).toEqual([
      ['created', 'import', m1.meeting.id],
      ['carried', 'import', m2.meeting.id],
      ['closed', 'import', m3.meeting.id],
    ]);
    // Never duplicated: two actions in all.
    expect(await count('actions')).toBe(2);
    // Re-importing the middle meeting changes nothing.
    expect(
      (
        await w.services.imports.importText(
          minutes('2024-02-08', '## Review of actions\n\n- ACTION: James to review the UEFI patches for stable-7 (carried over)\n'),
          { series: 'openxt' },
        )
      ).status,
    ).toBe('unchanged');
  });

  it('ties a DONE list repeated in the next meeting to the closed action instead of copying it', async () => {
    const m1 = await w.services.imports.importText(minutes('2024-01-11', 'ACTION: Ross to write the tboot RFC'), { series: 'openxt' });
    const id = m1.actions[0].id;
    await w.services.imports.importText(minutes('2024-02-08', '## Review of actions\n\n- DONE: Ross to write the tboot RFC\n'), { series: 'openxt' });
    const m3 = await w.services.imports.importText(minutes('2024-03-14', '## Review of actions\n\n- DONE: Ross to write the tboot RFC\n'), { series: 'openxt' });
    expect(m3.actions).toEqual([expect.objectContaining({ id, status: 'done', match: 'already-done' })]);
    expect(await count('actions')).toBe(1);
  });

  it('restores a dropped action when a later revision states it again', async () => {
    const text = (extra: string) => minutes('2024-03-07', `ACTION: Ross to write the tboot RFC\n\n${extra}`);
    const v1 = await w.services.imports.importText(text('ACTION: James to book the venue'), { series: 'openxt' });
    const venue = v1.actions.find((a) => a.text.includes('venue'))!.id;
    await w.services.imports.importText(text(''), { series: 'openxt' });
    expect((await w.services.actions.get(venue)).status).toBe('dropped');
    const v3 = await w.services.imports.importText(text('ACTION: James to book the venue for the summit'), { series: 'openxt' });
    expect(v3.actions.find((a) => a.text.includes('venue'))?.id).toBe(venue);
    expect((await w.services.actions.get(venue)).status).toBe('open');
    expect((await w.services.actions.get(venue)).events.map((e) => e.kind)).toEqual(['created', 'dropped', 'edited', 'reopened']);
  });

  it('does not carry across series or to another owner', async () => {
    await w.services.imports.importText(minutes('2024-01-11', 'ACTION: James to review the UEFI patches'), { series: 'openxt' });
    const other = await w.services.imports.importText(minutes('2024-02-08', 'ACTION: James to review the UEFI patches'), { series: 'xen' });
    expect(other.changes.added).toHaveLength(1);
    const owner = await w.services.imports.importText(minutes('2024-02-08', 'ACTION: Ross to review the UEFI patches'), { series: 'openxt' });
    expect(owner.changes.added).toHaveLength(1);
    expect(owner.changes.carried).toHaveLength(0);
  });
});

describe('import: people', () => {
  it('leaves an ambiguous first name unresolved and lists it', async () => {
    const r = await w.services.imports.importText(minutes('2024-03-07', 'ACTION: Rich to update the wiki page'), { series: 'openxt' });
    expect(r.actions[0].owners).toEqual([{ personId: null, name: 'Rich' }]);
    const unresolved = await w.services.people.unresolved();
    expect(unresolved.map((u) => u.name)).toEqual(['Rich']);
    expect(unresolved[0].actions.map((a) => a.id)).toEqual([r.actions[0].id]);
    expect(unresolved[0].candidates.map((c) => c.name).sort()).toEqual(['Rich Persaud', 'Rich Turner']);
  });

  it('makes organisations and plural owners groups, and reuses directory aliases', async () => {
    await w.services.people.create({ name: 'Christopher Clark', aliases: ['cjc'] });
    const r = await w.services.imports.importText(
      minutes('2024-03-07', 'ACTION: AIS Burlington to find QA resources\n\nACTION: ALL to review the roadmap\n\nACTION: cjc to send the notes'),
      { series: 'openxt' },
    );
    const byText = (t: string) => r.actions.find((a) => a.text.includes(t))!.owners[0];
    const kind = async (id: number | null) => (id ? (await w.services.people.get(id)).kind : null);
    expect(await kind(byText('QA').personId)).toBe('group');
    expect(await kind(byText('roadmap').personId)).toBe('group');
    expect((await w.services.people.get(byText('notes').personId!)).name).toBe('Christopher Clark');
  });

  it('matches directory names case- and accent-insensitively', async () => {
    const p = await w.services.people.create({ name: 'José Núñez', email: 'jose@example.org' });
    const r = await w.services.imports.importText('# Call 2024-03-07\n\n## Attendees\n\n- Jose Nunez\n\n## Notes\n\nACTION: José Núñez to send the slides\n', {
      series: 'openxt',
    });
    expect(r.attendees[0].personId).toBe(p.id);
    expect(r.actions[0].owners[0].personId).toBe(p.id);
  });
});

describe('import: archives and dates', () => {
  it('splits a running-notes file into one meeting per date', async () => {
    const text = [
      '# SIG notes 2024',
      '',
      '## Jan 9, 2024',
      '',
      'Attendees: Ann Lee, Bob Stone',
      '',
      'ACTION: Ann to triage the docs backlog',
      '',
      '## Jan 23, 2024',
      '',
      'Attendees: Ann Lee, Bob Stone',
      '',
      'ACTION: Bob to update the release checklist',
      '',
    ].join('\n');
    const r = await w.services.imports.importText(text, { series: 'sig' });
    const all = [r, ...r.more];
    expect(all.map((m) => m.meeting.date)).toEqual(['2024-01-09', '2024-01-23']);
    expect(all.map((m) => m.actions.length)).toEqual([1, 1]);
    // Lines are lines of the whole file.
    expect(r.more[0].actions[0].line).toBe(13);
  });

  it('stores a month-only date by month without a cadence; the cadence later gives the same meeting its day', async () => {
    const text = '# September 2017 community call\n\nACTION: Ross to write the tboot RFC\n';
    const first = await w.services.imports.importText(text, { series: 'openxt' });
    expect(first.meeting).toMatchObject({ date: '2017-09', datePrecision: 'month' });
    expect((await w.services.review.queue()).items.filter((i) => i.kind === 'date').map((i) => i.meetingId)).toEqual([first.meeting.id]);
    await w.services.series.upsert({ slug: 'openxt', name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH' });
    const again = await w.services.imports.importText(text, { series: 'openxt' });
    expect(again.meeting).toMatchObject({ id: first.meeting.id, date: '2017-09-14', datePrecision: 'day' });
    expect(again.status).toBe('unchanged');
    expect((await w.services.review.queue()).items.filter((i) => i.kind === 'date')).toEqual([]);
    // A weekly call has 4 meetings in September: the day is not guessed, nothing is refused.
    await w.services.series.upsert({ slug: 'weekly', name: 'Weekly', cadence: 'FREQ=WEEKLY;BYDAY=TU' });
    expect((await w.services.imports.importText(text, { series: 'weekly' })).meeting).toMatchObject({ date: '2017-09', datePrecision: 'month' });
    expect((await w.services.imports.importText(text, { series: 'weekly', date: '2017-09-12' })).meeting.date).toBe('2017-09-12');
  });
});
