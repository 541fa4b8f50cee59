import { describe, expect, it } from 'vitest';
import { openWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';

const ATTENDEES = `## Attendees

- Ross Philipson; AIS Burlington
- James McKenzie; Bromium
- Rich Persaud; BAE
`;

const minutes = (date: string, body: string) => `# Community call ${date}\n\n${ATTENDEES}\n## Notes\n\n${body}\n`;

/** Three calls of one series: actions created, carried, closed and added along the way. */
const MEETINGS = [
  minutes(
    '2024-01-11',
    'ACTION: James to review the UEFI patches for stable-7\n\nACTION: Ross to write the tboot RFC\n\nACTION: Rich to book the summit venue',
  ),
  minutes(
    '2024-02-08',
    [
      '## Review of actions',
      '',
      '- ACTION: James to review the UEFI patches for stable-7 (carried over)',
      '- DONE: Rich to book the summit venue',
      '',
      '## New',
      '',
      'ACTION: Ross to send the release notes by 2024-02-29',
    ].join('\n'),
  ),
  minutes(
    '2024-03-14',
    [
      '## Review of actions',
      '',
      '- DONE: James to review UEFI patches for stable-7',
      '- ACTION: Ross to write the tboot RFC (carried over)',
      '- ACTION: Ross to send the release notes (ongoing)',
    ].join('\n'),
  ),
];

/** Imports the meetings in the given order; returns what a user sees of the actions, ids aside. */
async function importInOrder(order: number[]) {
  const w = openWorld({ clock: fixedClock('2024-04-01T09:00:00Z') });
  try {
    for (const i of order) await w.services.imports.importText(MEETINGS[i], { series: 'openxt', source: 'cli' });
    const dateOf = async (id: number | null) =>
      id == null ? null : (await w.db.prepare('SELECT date FROM meetings WHERE id = ?').get(id) as { date: string }).date;
    const actions = [];
    for (const listed of await w.services.actions.list({ status: 'all' })) {
      const a = await w.services.actions.get(listed.id);
      const history = [];
      for (const e of a.events.filter((e) => e.actor.source === 'import')) history.push(`${e.kind} ${await dateOf(e.meetingId)}`);
      actions.push({
        text: a.text,
        status: a.status,
        due: a.due,
        carriedCount: a.carriedCount,
        origin: a.originMeeting.date,
        owners: a.owners.map((o) => o.name),
        history,
      });
    }
    const total = (await w.db.prepare('SELECT count(*) AS n FROM actions').get() as { n: number }).n;
    return { total, actions: actions.sort((a, b) => a.text.localeCompare(b.text)) };
  } finally {
    w.close();
  }
}

describe('import: meetings out of date order', () => {
  it('gives the same actions, counts, statuses and history whatever the import order', async () => {
    const inDateOrder = await importInOrder([0, 1, 2]);
    expect(inDateOrder.total).toBe(4);
    expect(inDateOrder.actions.find((a) => a.text.includes('UEFI'))).toMatchObject({
      status: 'done',
      carriedCount: 1,
      origin: '2024-01-11',
      history: ['created 2024-01-11', 'carried 2024-02-08', 'closed 2024-03-14'],
    });
    for (const order of [[1, 2, 0], [2, 0, 1], [0, 2, 1], [2, 1, 0], [1, 0, 2]]) {
      expect(await importInOrder(order), `order ${order.map((i) => i + 1).join(', ')}`).toEqual(inDateOrder);
    }
  });

  it('makes the older statement the origin and reports it, instead of a copy', async () => {
    const w = openWorld({ clock: fixedClock('2024-04-01T09:00:00Z') });
    try {
      const later = await w.services.imports.importText(MEETINGS[1], { series: 'openxt', source: 'cli' });
      const uefi = later.actions.find((a) => a.text.includes('UEFI'))!;
      expect(uefi).toMatchObject({ match: 'new', originMeetingId: later.meeting.id });
      const older = await w.services.imports.importText(MEETINGS[0], { series: 'openxt', source: 'cli' });
      expect(older.changes.added.map((a) => a.text)).toEqual(['write the tboot RFC']);
      expect(older.changes.changed.map((a) => a.id).sort()).toEqual(
        later.actions.filter((a) => !a.text.includes('release notes')).map((a) => a.id).sort(),
      );
      expect(older.actions.find((a) => a.id === uefi.id)).toMatchObject({ match: 'same-meeting', originMeetingId: older.meeting.id, carriedCount: 1 });
      const stored = await w.services.actions.get(uefi.id);
      expect(stored.originMeeting.date).toBe('2024-01-11');
      expect(stored.lastMeeting.id).toBe(later.meeting.id);
      // Importing the older minutes again is a no-op.
      expect((await w.services.imports.importText(MEETINGS[0], { series: 'openxt', source: 'cli' })).status).toBe('unchanged');
    } finally {
      w.close();
    }
  });
});
