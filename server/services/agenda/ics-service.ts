import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { AgendaRepository } from '../../db/repositories/agenda-repository.js';
import { addDays } from '../../../domain/dates.js';
import { parseCadence, todayIn, upcomingOccurrences } from './cadence-service.js';

/**
 * An iCalendar (RFC 5545) feed of a series' upcoming meetings, written by hand: one VEVENT per
 * occurrence (not an RRULE, so a client shows exactly the dates the agenda uses), CRLF line
 * ends, lines folded at 75 octets, text escaped. A series with a time of day (its own, or a
 * BYHOUR in the cadence) gives one-hour timed events with `TZID` and a VTIMEZONE built from
 * the runtime's zone data; without one, all-day events.
 */

const UPCOMING = 12;
const HOUR_MS = 3_600_000;

export function createIcsService(deps: { repo: AgendaRepository; clock: Clock; baseUrl: string }) {
  const { repo, clock, baseUrl } = deps;
  const host = new URL(baseUrl).hostname || 'localhost';

  return {
    /** The calendar of the next meetings of series `slug`. */
    async calendar(slug: string, count = UPCOMING): Promise<string> {
      const s = await repo.seriesBySlug(slug);
      if (!s) throw new AppError('series-not-found', `series "${slug}" does not exist`, 404);
      if (!s.cadence) {
        throw new AppError('no-cadence', `series "${slug}" has no cadence, so it has no calendar`, 404);
      }
      const cadence = parseCadence(s.cadence);
      const now = clock.now();
      const dates = upcomingOccurrences(cadence, todayIn(s.timezone, now), count);
      const stamp = icsUtc(now);
      // The series' time of day wins; else a BYHOUR in the rule; else all-day events.
      const time = s.timeOfDay ?? cadence.time;
      const lines = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Minutes//Meeting calendar//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        `X-WR-CALNAME:${escapeText(s.name)}`,
      ];
      if (time && s.timezone !== 'UTC') lines.push(...vtimezone(s.timezone, dates));
      for (const date of dates) {
        const agendaUrl = `${baseUrl}/series/${encodeURIComponent(s.slug)}/agenda?date=${date}`;
        lines.push('BEGIN:VEVENT', `UID:${s.slug}-${date}@${host}`, `DTSTAMP:${stamp}`);
        if (time) {
          const local = `${icsDate(date)}T${time.replace(':', '')}00`;
          lines.push(s.timezone === 'UTC' ? `DTSTART:${local}Z` : `DTSTART;TZID=${s.timezone}:${local}`, 'DURATION:PT1H');
        } else {
          lines.push(`DTSTART;VALUE=DATE:${icsDate(date)}`, `DTEND;VALUE=DATE:${icsDate(addDays(date, 1))}`);
        }
        lines.push(
          `SUMMARY:${escapeText(s.name)}`,
          `DESCRIPTION:${escapeText(`Agenda: ${agendaUrl}`)}`,
          `URL:${agendaUrl}`,
          'END:VEVENT',
        );
      }
      lines.push('END:VCALENDAR');
      return lines.map(fold).join('\r\n') + '\r\n';
    },
  };
}

/** RFC 5545 3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
export function escapeText(s: string): string {
  return s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF + space. */
export function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never cut a UTF-8 sequence: back up to the start of a character.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space of a continuation line counts
  }
  return parts.join('\r\n ');
}

/** An instant as an iCalendar UTC date-time (`20250102T030405Z`). */
export function icsUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A calendar day (`YYYY-MM-DD`) as an iCalendar DATE (`YYYYMMDD`). */
export function icsDate(day: string): string {
  return day.replaceAll('-', '');
}

/** Offset of `tz` from UTC at instant `ms`, in minutes (east positive). */
function offsetMinutes(tz: string, ms: number): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function fmtOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

/**
 * A VTIMEZONE covering the events: the offset in force a year before the first event and one
 * observance per transition up to the last, found by bisecting on the runtime's offsets.
 */
function vtimezone(tz: string, dates: string[]): string[] {
  const from = Date.parse(`${dates[0]}T00:00:00Z`) - 366 * 24 * HOUR_MS;
  const to = Date.parse(`${dates[dates.length - 1]}T00:00:00Z`) + 48 * HOUR_MS;
  const transitions: { at: number; fromOff: number; toOff: number }[] = [];
  let prevAt = from;
  let prevOff = offsetMinutes(tz, from);
  for (let t = from + 24 * HOUR_MS; t <= to; t += 24 * HOUR_MS) {
    const off = offsetMinutes(tz, t);
    if (off === prevOff) {
      prevAt = t;
      continue;
    }
    let lo = prevAt;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMinutes(tz, mid) === prevOff) lo = mid;
      else hi = mid;
    }
    // Zones change offset on whole minutes, and hi is within a second after the change.
    transitions.push({ at: Math.floor(hi / 60_000) * 60_000, fromOff: prevOff, toOff: off });
    prevAt = t;
    prevOff = off;
  }
  const standard = Math.min(offsetMinutes(tz, from), ...transitions.map((x) => x.toOff));
  const observance = (at: number, fromOff: number, toOff: number) => {
    const kind = toOff > standard ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART of an observance is local time in the offset in force before it.
    const local = icsUtc(new Date(at + fromOff * 60_000)).replace('Z', '');
    return [`BEGIN:${kind}`, `DTSTART:${local}`, `TZOFFSETFROM:${fmtOffset(fromOff)}`, `TZOFFSETTO:${fmtOffset(toOff)}`, `END:${kind}`];
  };
  const first = offsetMinutes(tz, from);
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tz}`,
    ...observance(from, first, first),
    ...transitions.flatMap((x) => observance(x.at, x.fromOff, x.toOff)),
    'END:VTIMEZONE',
  ];
}

export type IcsService = ReturnType<typeof createIcsService>;
