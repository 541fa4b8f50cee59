import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../../server/clock.js';
import { escapeText, fold } from '../../../../../server/services/agenda/ics-service.js';
import { openWorld, type TestWorld } from '../../../../helpers/env.js';
import { createSeeder } from '../../../../integration/agenda-seed.js';

/** Unfolds and splits a calendar, checking the framing rules of RFC 5545 on the way. */
function lines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const raw of ics.split('\r\n')) expect(Buffer.byteLength(raw, 'utf8')).toBeLessThanOrEqual(75);
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
}

/** BEGIN/END properly nested; returns the components in order. */
function components(ls: string[]): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const l of ls) {
    if (l.startsWith('BEGIN:')) {
      stack.push(l.slice(6));
      seen.push(l.slice(6));
    } else if (l.startsWith('END:')) expect(stack.pop()).toBe(l.slice(4));
  }
  expect(stack).toEqual([]);
  return seen;
}

let world: TestWorld;
afterEach(() => world?.close());

describe('calendar.ics', () => {
  it('lists the next 12 meetings as all-day events when the cadence has no time', async () => {
    world = openWorld({ clock: fixedClock('2016-12-20T12:00:00Z') });
    await createSeeder(world.db).series('openxt', { name: 'OpenXT Community Call', cadence: 'FREQ=MONTHLY;BYDAY=3TH' });
    const ls = lines(await world.services.calendar.calendar('openxt'));
    const comps = components(ls);
    expect(comps[0]).toBe('VCALENDAR');
    expect(comps.filter((c) => c === 'VEVENT')).toHaveLength(12);
    expect(ls).toContain('VERSION:2.0');
    expect(ls.some((l) => l.startsWith('PRODID:'))).toBe(true);
    expect(ls).toContain('DTSTART;VALUE=DATE:20170119');
    expect(ls).toContain('DTEND;VALUE=DATE:20170120');
    expect(ls).toContain('UID:openxt-2017-01-19@localhost');
    const uids = ls.filter((l) => l.startsWith('UID:'));
    expect(new Set(uids).size).toBe(12);
    expect(ls.filter((l) => l.startsWith('DTSTAMP:20161220T120000Z'))).toHaveLength(12);
    expect(ls.filter((l) => l.startsWith('DTSTART')).at(-1)).toBe('DTSTART;VALUE=DATE:20171221');
  });

  it('gives timed events a TZID and a matching VTIMEZONE with the DST changes', async () => {
    world = openWorld({ clock: fixedClock('2017-01-01T00:00:00Z') });
    await createSeeder(world.db).series('xen', { name: 'Xen, community; call', cadence: 'FREQ=MONTHLY;BYDAY=2TH;BYHOUR=16', timezone: 'Europe/London' });
    const ls = lines(await world.services.calendar.calendar('xen'));
    components(ls);
    expect(ls).toContain('TZID:Europe/London');
    expect(ls).toContain('DTSTART;TZID=Europe/London:20170112T160000');
    expect(ls).toContain('X-WR-CALNAME:Xen\\, community\\; call');
    // Spring forward on 26 March 2017 at 01:00 UTC.
    const i = ls.indexOf('DTSTART:20170326T010000');
    expect(i).toBeGreaterThan(0);
    expect(ls[i - 1]).toBe('BEGIN:DAYLIGHT');
    expect(ls.slice(i, i + 3)).toEqual(['DTSTART:20170326T010000', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0100']);
  });

  it('answers 404 for a series without cadence or unknown', async () => {
    world = openWorld();
    await createSeeder(world.db).series('adhoc');
    await expect(world.services.calendar.calendar('adhoc')).rejects.toThrow(/has no cadence/);
    await expect(world.services.calendar.calendar('nope')).rejects.toThrow(/does not exist/);
  });
});

describe('ics text', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a, b; c\\d\ne')).toBe('a\\, b\\; c\\\\d\\ne');
  });

  it('folds long lines at 75 octets without cutting a UTF-8 character', () => {
    const line = 'DESCRIPTION:' + 'é'.repeat(100);
    const folded = fold(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(fold('SHORT:x')).toBe('SHORT:x');
  });
});
