import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { fixedClock } from '../../../../../server/clock.js';
import { occurrencesInMonth, upcomingOccurrences } from '../../../../../server/services/agenda/cadence-service.js';

let w: TestWorld;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2024-03-01T09:00:00Z') });
});
afterEach(() => w.close());

/** A world of its own, with the clock at `iso` (the agenda dates from "today"). */
async function at<T>(iso: string, fn: (world: TestWorld) => Promise<T>): Promise<T> {
  const world = openWorld({ clock: fixedClock(iso) });
  try {
    return await fn(world);
  } finally {
    await world.close();
  }
}

describe('series service', () => {
  it('creates then updates only the fields given', async () => {
    const s = await w.services.series.upsert({ slug: 'openxt', name: 'OpenXT', cadence: 'RRULE:FREQ=MONTHLY;BYDAY=2TH', timezone: 'America/New_York', chairName: 'Rich Persaud' });
    expect(s).toMatchObject({ slug: 'openxt', name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH', timezone: 'America/New_York', chair: { name: 'Rich Persaud' } });
    const u = await w.services.series.upsert({ slug: 'openxt', listEmail: 'openxt@groups.example.org' });
    expect(u).toMatchObject({ name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH', listEmail: 'openxt@groups.example.org', chair: { name: 'Rich Persaud' } });
    expect(await w.services.series.list()).toHaveLength(1);
  });

  it('validates slug, RRULE and timezone with clear codes', async () => {
    await expect(w.services.series.upsert({ slug: 'Open XT', name: 'x' })).rejects.toThrow(expect.objectContaining({ code: 'bad-series-slug' }));
    await expect(w.services.series.upsert({ slug: 'x', name: 'x', cadence: 'BYDAY=TH' })).rejects.toThrow(expect.objectContaining({ code: 'bad-cadence' }));
    await expect(w.services.series.upsert({ slug: 'x', name: 'x', cadence: 'FREQ=WEEKLY;BYDAY=XX' })).rejects.toThrow(expect.objectContaining({ code: 'bad-cadence' }));
    await expect(w.services.series.upsert({ slug: 'x', name: 'x', timezone: 'Europe/Atlantis' })).rejects.toThrow(expect.objectContaining({ code: 'bad-timezone' }));
    await expect(w.services.series.get('nope')).rejects.toThrow(expect.objectContaining({ code: 'series-not-found', status: 404 }));
  });

  it('computes cadence dates: month-only resolution and the next meeting', async () => {
    await w.services.series.upsert({ slug: 'openxt', name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH' });
    expect(await w.services.series.resolveMonth('openxt', '2017-09')).toBe('2017-09-14');
    expect(await w.services.series.nextMeetingDate('openxt', '2024-03-15')).toBe('2024-04-11');
    expect(occurrencesInMonth('FREQ=WEEKLY;BYDAY=TU', '2024-03')).toEqual(['2024-03-05', '2024-03-12', '2024-03-19', '2024-03-26']);
  });

  it('resolves a month with a fortnightly cadence exactly as the agenda dates it', async () => {
    // The rule is anchored (cadence-service), so its phase does not depend on the date asked.
    const cadence = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH';
    await at('2017-09-01T09:00:00Z', async (world) => {
      await world.services.series.upsert({ slug: 'fx', name: 'Fortnightly', cadence });
      const agendaDate = (await world.services.agenda.resolveDate('fx')).date;
      const dates = upcomingOccurrences(cadence, '2017-09-01', 2);
      expect(agendaDate).toBe(dates[0]);
      // Every date is a Thursday an even number of weeks from the anchor's first Thursday.
      for (const d of dates) expect((Date.parse(d) - Date.parse('2000-01-06')) % (14 * 86_400_000)).toBe(0);
      // Two calls in September: the month alone does not say which, so it is refused, naming both.
      let err: unknown;
      try {
        await world.services.series.resolveMonth('fx', '2017-09');
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'month-only-date' });
      expect((err as Error).message).toContain(`(${dates.join(', ')})`);
    });
  });

  it('resolves a month with an every-other-month cadence in the agenda\'s phase, whatever the date asked', async () => {
    const cadence = 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH';
    await at('2017-10-01T09:00:00Z', async (world) => {
      await world.services.series.upsert({ slug: 'bx', name: 'Bimonthly', cadence });
      const agendaDate = (await world.services.agenda.resolveDate('bx')).date;
      expect(agendaDate).toBe('2017-11-09');
      expect(await world.services.series.resolveMonth('bx', '2017-11')).toBe(agendaDate);
      expect(await world.services.series.nextMeetingDate('bx', '2017-10-01')).toBe(agendaDate);
      // October is an off month: refused rather than resolved in a phase of its own.
      await expect(world.services.series.resolveMonth('bx', '2017-10')).rejects.toThrow(expect.objectContaining({ code: 'month-only-date' }));
      expect(await world.services.series.resolveMonth('bx', '2017-09')).toBe('2017-09-14');
    });
  });
});
