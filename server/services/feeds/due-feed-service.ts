import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { addDays } from '../../../domain/dates.js';
import type { FeedKeyRepository } from '../../db/repositories/feed-key-repository.js';
import type { ActionService } from '../actions/action-service.js';
import type { PeopleService } from '../people/people-service.js';
import { escapeText, fold, icsDate, icsUtc } from '../agenda/ics-service.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A person's calendar of due dates (`/people/:id/due.ics?key=SECRET`): one all-day event per
 * open action they own that has a due date. The URL carries a random secret (calendar apps
 * cannot sign in); only its SHA-256 is stored, so it is shown once when made, and it can be
 * revoked or replaced. Closed actions leave the feed at the next refresh of the calendar app.
 */
export function createDueFeedService(deps: { repo: FeedKeyRepository; actions: ActionService; people: PeopleService; clock: Clock; baseUrl: string }) {
  const { repo, actions, people, clock, baseUrl } = deps;
  const host = new URL(baseUrl).hostname || 'localhost';

  const urlOf = (personId: number, key: string) => `${baseUrl}/people/${personId}/due.ics?key=${key}`;

  return {
    /** Whether the person has a feed, and since when (the URL itself cannot be shown again). */
    async status(personId: number): Promise<{ active: boolean; createdAt: string | null }> {
      const k = await repo.get(personId);
      return { active: k !== null, createdAt: k?.createdAt ?? null };
    },

    /** A new secret URL for the person; an older one stops working. */
    async regenerate(personId: number): Promise<{ url: string }> {
      const person = await people.get(personId);
      const key = randomBytes(24).toString('base64url');
      await repo.put(person.id, sha256(key), clock.now().toISOString());
      return { url: urlOf(person.id, key) };
    },

    /** Ends the feed: its URL answers 404 from now on. */
    async revoke(personId: number): Promise<boolean> {
      return await repo.remove(personId);
    },

    /**
     * The calendar, when `key` is the person's current secret; otherwise 404 `feed-not-found`
     * (the same answer for an unknown person, a revoked feed and a wrong key).
     */
    async calendar(personId: number, key: string): Promise<string> {
      const stored = await repo.get(personId);
      const given = Buffer.from(sha256(key), 'hex');
      if (!stored || !timingSafeEqual(given, Buffer.from(stored.keyHash, 'hex'))) {
        throw new AppError('feed-not-found', 'no calendar at this address: it was revoked or replaced', 404);
      }
      const person = await people.get(personId);
      const due = (await actions.listAll({ ownerId: person.id, status: 'open' })).filter((a) => a.due !== null);
      const stamp = icsUtc(clock.now());
      const lines = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Minutes//Due dates//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        `X-WR-CALNAME:${escapeText(`Actions due: ${person.name}`)}`,
      ];
      for (const a of due) {
        const url = `${baseUrl}/actions/${a.id}`;
        const meeting = `${a.originMeeting.seriesSlug}, ${a.originMeeting.date}`;
        lines.push(
          'BEGIN:VEVENT',
          `UID:action-${a.id}@${host}`,
          `DTSTAMP:${stamp}`,
          `DTSTART;VALUE=DATE:${icsDate(a.due!)}`,
          `DTEND;VALUE=DATE:${icsDate(addDays(a.due!, 1))}`,
          `SUMMARY:${escapeText(`#${a.id} ${a.text}`)}`,
          `DESCRIPTION:${escapeText(`From ${meeting}. Owners: ${a.owners.map((o) => o.name).join(', ')}.\n${url}`)}`,
          `URL:${url}`,
          'TRANSP:TRANSPARENT',
          'END:VEVENT',
        );
      }
      lines.push('END:VCALENDAR');
      return lines.map(fold).join('\r\n') + '\r\n';
    },
  };
}

export type DueFeedService = ReturnType<typeof createDueFeedService>;
