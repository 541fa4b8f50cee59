import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { AccountPerson, AuthRepository } from '../../db/repositories/auth-repository.js';
import type { PeopleRepository } from '../../db/repositories/people-repository.js';
import { foldName } from '../../../domain/names.js';
import { isRole, type Role } from '../../../domain/roles.js';
import type { SessionService } from './session-service.js';
import { hashSecret, newSecret } from './token-service.js';

export type { Role } from '../../../domain/roles.js';

/** How long an emailed sign-in link works. */
export const LINK_MINUTES = 20;
/** How long the first-start admin link works. */
export const BOOTSTRAP_HOURS = 24;

/** A sign-in email to send: the caller decides how (outbox in production). */
export interface SignInMail {
  to: string;
  name: string;
  url: string;
  expiresMinutes: number;
}

export interface AuthDeps {
  repo: AuthRepository;
  /** The owner of the `people` table: the first-start admin is inserted through it. */
  people: Pick<PeopleRepository, 'insert'>;
  sessions: SessionService;
  clock: Clock;
  secret: string;
  baseUrl: string;
}

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next.length > 500 ? null : next;
}

/**
 * Accounts: emailed one-time sign-in links, the first-start admin link, roles, and CSRF
 * tokens derived from the server secret (nothing to store).
 */
export function createAuthService(deps: AuthDeps) {
  const { repo, sessions, clock } = deps;
  const csrfKey = createHmac('sha256', deps.secret).update('minutes csrf v1').digest();

  return {
    /**
     * Makes a one-time sign-in link when `email` belongs to someone in the directory and
     * returns the email to send (the caller queues it; the URL is a secret: never log it).
     * The page says the same either way, so the form does not reveal who is in the directory.
     */
    async requestSignIn(email: string, next?: string | null): Promise<SignInMail | null> {
      const person = await repo.personByEmail(email.trim());
      if (!person || !person.email) return null;
      const token = newSecret('msl_');
      const now = clock.now();
      const expires = new Date(now.getTime() + LINK_MINUTES * 60_000);
      await repo.insertLink(hashSecret(token), { personId: person.id, bootstrapRole: null, nextPath: safeNextPath(next) }, now.toISOString(), expires.toISOString());
      return { to: person.email, name: person.name, url: `${deps.baseUrl}/sign-in/${token}`, expiresMinutes: LINK_MINUTES };
    },

    /**
     * While no admin exists, makes a fresh one-time link that signs in as a new admin (older
     * unused ones stop working). Returns its URL, or null when an admin exists.
     */
    async bootstrapLink(): Promise<string | null> {
      const now = clock.now();
      return await repo.transaction(async () => {
        if (await repo.countAdmins() > 0) return null;
        await repo.expireBootstrapLinks(now.toISOString());
        const token = newSecret('msl_');
        const expires = new Date(now.getTime() + BOOTSTRAP_HOURS * 3_600_000);
        await repo.insertLink(hashSecret(token), { personId: null, bootstrapRole: 'admin', nextPath: '/people' }, now.toISOString(), expires.toISOString());
        return `${deps.baseUrl}/sign-in/${token}`;
      });
    },

    /** Whether `token` is a sign-in link that would still work (for the confirmation page). */
    async checkLink(token: string): Promise<{ ok: true; bootstrap: boolean } | { ok: false; reason: string }> {
      const link = await repo.linkByHash(hashSecret(token));
      if (!link) return { ok: false, reason: 'This sign-in link is not valid.' };
      if (link.usedAt) return { ok: false, reason: 'This sign-in link was already used. Ask for a new one.' };
      if (Date.parse(link.expiresAt) <= clock.now().getTime()) return { ok: false, reason: 'This sign-in link has expired. Ask for a new one.' };
      return { ok: true, bootstrap: link.bootstrapRole === 'admin' };
    },

    /**
     * Uses a one-time link: marks it used and starts a session. The first-start link also
     * creates the admin person (named `adminName`, default "Administrator", with `adminEmail`).
     */
    async signInWithLink(token: string, adminName?: string, adminEmail?: string): Promise<{ sessionId: string; person: AccountPerson; next: string }> {
      const now = clock.now().toISOString();
      const personId = await repo.transaction(async () => {
        const link = await repo.linkByHash(hashSecret(token));
        if (!link || link.usedAt || Date.parse(link.expiresAt) <= Date.parse(now)) {
          throw new AppError('bad-link', 'this sign-in link is not valid, used or expired; ask for a new one', 400);
        }
        if (!await repo.useLink(link.id, now)) throw new AppError('bad-link', 'this sign-in link was already used', 400);
        if (link.bootstrapRole === 'admin') {
          if (adminEmail && await repo.personByEmail(adminEmail)) {
            throw new AppError('email-taken', `${adminEmail} already belongs to someone in the directory`, 409);
          }
          const name = adminName?.trim() || 'Administrator';
          const id = await deps.people.insert({ name, nameKey: foldName(name), email: adminEmail || null }, now);
          await repo.setRole(id, 'admin', now);
          return { id, next: link.nextPath };
        }
        return { id: link.personId as number, next: link.nextPath };
      });
      const person = await repo.personById(personId.id);
      if (!person) throw new AppError('bad-link', 'the person of this sign-in link no longer exists', 400);
      return { sessionId: await sessions.create(person.id), person, next: personId.next ?? '/' };
    },

    async signOut(sessionId: string): Promise<void> {
      await sessions.destroy(sessionId);
    },

    /** Sets a person's role (admins manage this on the People page). */
    async setRole(personId: number, role: Role): Promise<void> {
      if (!isRole(role)) throw new AppError('bad-role', `role must be admin, notetaker or member, got '${role}'`, 400);
      if (!await repo.personById(personId)) throw new AppError('not-found', `person ${personId} does not exist`, 404);
      const now = clock.now().toISOString();
      await repo.transaction(async () => {
        const current = await repo.personById(personId);
        if (current?.role === 'admin' && role !== 'admin' && (await repo.countAdmins()) <= 1) {
          throw new AppError('last-admin', 'this is the only admin; make someone else admin first', 409);
        }
        await repo.setRole(personId, role, now);
      });
    },

    async roleOf(personId: number): Promise<Role> {
      return (await repo.personById(personId))?.role ?? 'member';
    },

    /** Every explicit role (people missing from the map are members). */
    async roles(): Promise<Map<number, Role>> {
      return await repo.roles();
    },

    /** The CSRF token for a browser, derived from its session (or pre-session) seed. */
    csrfToken(seed: string): string {
      return createHmac('sha256', csrfKey).update(seed).digest('base64url');
    },

    /** Constant-time check of a CSRF token against the browser's seed. */
    verifyCsrf(seed: string, token: unknown): boolean {
      if (typeof token !== 'string' || token.length === 0) return false;
      const expected = Buffer.from(this.csrfToken(seed));
      const got = Buffer.from(token);
      return got.length === expected.length && timingSafeEqual(got, expected);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
