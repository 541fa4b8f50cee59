import type { Clock } from '../../clock.js';
import type { AccountPerson, AuthRepository } from '../../db/repositories/auth-repository.js';
import { hashSecret, newSecret } from './token-service.js';

/** Sessions last this long after the last visit. */
export const SESSION_DAYS = 30;
// Sliding expiry is refreshed at most hourly so a page view is not a database write.
const TOUCH_EVERY_MS = 60 * 60_000;

/**
 * Browser sessions: a random id in a signed cookie, only its SHA-256 in the database, so a
 * copy of the database signs nobody in.
 */
export function createSessionService(deps: { repo: AuthRepository; clock: Clock }) {
  const { repo, clock } = deps;
  const expiry = (now: Date) => new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  return {
    /** Starts a session for a person; returns the raw id for the cookie. */
    async create(personId: number): Promise<string> {
      const id = newSecret('mss_');
      const now = clock.now();
      await repo.insertSession(hashSecret(id), personId, now.toISOString(), expiry(now));
      return id;
    },
    /** The signed-in person of a raw session id, or undefined when unknown or expired. */
    async resolve(rawId: string): Promise<AccountPerson | undefined> {
      const row = await repo.sessionByHash(hashSecret(rawId));
      if (!row) return undefined;
      const now = clock.now();
      if (Date.parse(row.expiresAt) <= now.getTime()) {
        await repo.deleteSession(hashSecret(rawId));
        return undefined;
      }
      if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
        await repo.touchSession(row.id, now.toISOString(), expiry(now));
      }
      return await repo.personById(row.personId);
    },
    async destroy(rawId: string): Promise<void> {
      await repo.deleteSession(hashSecret(rawId));
    },
    async purgeExpired(): Promise<number> {
      return await repo.deleteExpiredSessions(clock.now().toISOString());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
