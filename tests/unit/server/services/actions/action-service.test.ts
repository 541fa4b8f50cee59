import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';
import type { Actor } from '../../../../../server/services/actions/actor.js';

let w: TestWorld;
let ids: number[];
const web: Actor = { personId: null, role: 'notetaker', label: 'Ann Lee', source: 'web' };

beforeEach(async () => {
  w = openWorld({ clock: fixedClock('2024-03-20T09:00:00Z') });
  const r = await w.services.imports.importText(
    '# Call 2024-03-07\n\n## Attendees\n\n- Ann Lee\n- Bob Stone\n\n## Notes\n\nACTION: Ann to send the slides by 2024-03-10\n\nACTION: Bob to book the room\n\nACTION: Sam to fix the build\n',
    { series: 'team' },
  );
  ids = r.actions.map((a) => a.id);
});
afterEach(() => w.close());

describe('action service', () => {
  it('lists with filters and marks overdue actions', async () => {
    const all = await w.services.actions.list();
    expect(all.map((a) => a.text)).toEqual(['send the slides by 2024-03-10', 'book the room', 'fix the build']);
    expect(all[0]).toMatchObject({ due: '2024-03-10', overdue: true, status: 'open', originMeeting: { date: '2024-03-07', seriesSlug: 'team' } });
    expect((await w.services.actions.list({ owner: 'ann lee' })).map((a) => a.id)).toEqual([ids[0]]);
    expect((await w.services.actions.list({ owner: 'Sam' })).map((a) => a.id)).toEqual([ids[2]]); // unresolved name as written
    expect((await w.services.actions.list({ overdue: true })).map((a) => a.id)).toEqual([ids[0]]);
    expect(await w.services.actions.list({ series: 'team', status: 'done' })).toEqual([]);
    await expect(w.services.actions.list({ series: 'nope' })).rejects.toThrow(expect.objectContaining({ code: 'series-not-found' }));
  });

  it('serialises the list in SQL exactly as JSON.stringify serialises the views', async () => {
    // Escapes, non-ASCII, several owners (directory and unresolved), an email, a null title.
    await w.services.imports.importText(
      '# Call 2024-03-14\n\n## Attendees\n\n- Ann Lee\n- Zoë Ångström\n\n## Notes\n\n' +
        'ACTION: Ann and Zoë Ångström to fix "quoted" \\ back\tslash — ünïcode ✓ 😀 by 2024-04-30\n\n' +
        'ACTION: Sam, Ann to carry on with the build\n\n- [x] Bob Stone: book the room\n',
      { series: 'team' },
    );
    await w.services.people.upsert({ name: 'Ann Lee', email: 'ann@example.org' });
    await w.services.actions.close(ids[2], web, 'done\nwith a newline');
    const filters = [{}, { status: 'all' as const }, { status: 'done' as const }, { owner: 'ann lee' }, { owner: 'Sam' }, { overdue: true }, { series: 'team', limit: 2, offset: 1 }];
    for (const f of filters) {
      expect(await w.services.actions.listJson(f)).toBe(JSON.stringify({ actions: await w.services.actions.list(f) }));
    }
    expect(JSON.parse(await w.services.actions.listJson({ status: 'all' })).actions.length).toBeGreaterThan(4);
  });

  it('closes, reopens, snoozes, comments and edits with events carrying the actor', async () => {
    const closed = await w.services.actions.close(ids[0], web, 'sent');
    expect(closed).toMatchObject({ status: 'done', changed: true, closedAt: '2024-03-20T09:00:00.000Z' });
    expect((await w.services.actions.close(ids[0], web)).changed).toBe(false);
    expect((await w.services.actions.reopen(ids[0], web)).status).toBe('open');
    expect((await w.services.actions.reopen(ids[0], web)).changed).toBe(false);
    expect((await w.services.actions.snooze(ids[1], '2024-04-01', web)).snoozedUntil).toBe('2024-04-01');
    await w.services.actions.comment(ids[1], web, 'room 3 is free');
    const edited = await w.services.actions.update(ids[2], { owners: ['Bob Stone'], due: '2024-04-01' }, web);
    expect(edited.owners.map((o) => o.name)).toEqual(['Bob Stone']);
    expect(edited.owners[0].personId).not.toBeNull();
    expect((await w.services.actions.get(ids[0])).events.map((e) => [e.kind, e.actor.source, e.actor.label, e.note])).toEqual([
      ['created', 'import', 'import', null],
      ['closed', 'web', 'Ann Lee', 'sent'],
      ['reopened', 'web', 'Ann Lee', null],
    ]);
    expect((await w.services.actions.get(ids[1])).events.map((e) => e.kind)).toEqual(['created', 'snoozed', 'commented']);
    expect((await w.services.actions.get(ids[2])).events.at(-1)).toMatchObject({
      kind: 'edited',
      data: { before: { due: null, owners: ['Sam'] }, after: { due: '2024-04-01', owners: ['Bob Stone'] } },
    });
  });

  it('refuses unknown ids and bad input', async () => {
    await expect(w.services.actions.get(999)).rejects.toThrow(expect.objectContaining({ code: 'action-not-found', status: 404 }));
    await expect(w.services.actions.snooze(ids[0], 'tomorrow', web)).rejects.toThrow(expect.objectContaining({ code: 'bad-input' }));
    await expect(w.services.actions.comment(ids[0], web, ' ')).rejects.toThrow(expect.objectContaining({ code: 'bad-input' }));
    await w.services.actions.close(ids[0], web);
    await expect(w.services.actions.snooze(ids[0], '2024-04-01', web)).rejects.toThrow(expect.objectContaining({ code: 'action-not-open' }));
  });
});
