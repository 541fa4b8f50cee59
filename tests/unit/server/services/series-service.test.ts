import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorld, type TestWorld } from '../../../helpers/env.js';
import { fixedClock } from '../../../../server/clock.js';
import { occurrences } from '../../../../server/services/series-service.js';

let w: TestWorld;
beforeEach(() => {
  w = openWorld({ clock: fixedClock('2024-03-01T09:00:00Z') });
});
afterEach(() => w.close());

describe('series service', () => {
  it('creates then updates only the fields given', () => {
    const s = w.services.series.upsert({ slug: 'openxt', name: 'OpenXT', cadence: 'RRULE:FREQ=MONTHLY;BYDAY=2TH', timezone: 'America/New_York', chairName: 'Rich Persaud' });
    expect(s).toMatchObject({ slug: 'openxt', name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH', timezone: 'America/New_York', chair: { name: 'Rich Persaud' } });
    const u = w.services.series.upsert({ slug: 'openxt', listEmail: 'openxt@groups.example.org' });
    expect(u).toMatchObject({ name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH', listEmail: 'openxt@groups.example.org', chair: { name: 'Rich Persaud' } });
    expect(w.services.series.list()).toHaveLength(1);
  });

  it('validates slug, RRULE and timezone with clear codes', () => {
    expect(() => w.services.series.upsert({ slug: 'Open XT', name: 'x' })).toThrow(expect.objectContaining({ code: 'bad-series-slug' }));
    expect(() => w.services.series.upsert({ slug: 'x', name: 'x', cadence: 'BYDAY=TH' })).toThrow(expect.objectContaining({ code: 'bad-cadence' }));
    expect(() => w.services.series.upsert({ slug: 'x', name: 'x', cadence: 'FREQ=WEEKLY;BYDAY=XX' })).toThrow(expect.objectContaining({ code: 'bad-cadence' }));
    expect(() => w.services.series.upsert({ slug: 'x', name: 'x', timezone: 'Europe/Atlantis' })).toThrow(expect.objectContaining({ code: 'bad-timezone' }));
    expect(() => w.services.series.get('nope')).toThrow(expect.objectContaining({ code: 'series-not-found', status: 404 }));
  });

  it('computes cadence dates: month-only resolution and the next meeting', () => {
    w.services.series.upsert({ slug: 'openxt', name: 'OpenXT', cadence: 'FREQ=MONTHLY;BYDAY=2TH' });
    expect(w.services.series.resolveMonth('openxt', '2017-09')).toBe('2017-09-14');
    expect(w.services.series.nextMeetingDate('openxt', '2024-03-15')).toBe('2024-04-11');
    expect(occurrences('FREQ=WEEKLY;BYDAY=TU', '2024-03-01', '2024-03-31')).toEqual(['2024-03-05', '2024-03-12', '2024-03-19', '2024-03-26']);
  });
});
