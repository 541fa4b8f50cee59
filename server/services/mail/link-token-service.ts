import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';

/** What an action link grants: one action, for one person, until `expiresAt`. */
export interface ActClaims {
  actionId: number;
  personId: number;
  expiresAt: Date;
}

/** What a reply address grants: replies to one digest (which knows its person and actions). */
export interface ReplyClaims {
  digestId: number;
  expiresAt: Date;
}

const DAY = 86_400_000;
/** Links and reply addresses work for 30 days, a little over four weekly digests. */
export const LINK_TTL_DAYS = 30;

/**
 * Signed tokens for email links and reply addresses (HMAC-SHA256 with `MINUTES_SECRET`).
 * Nothing is stored: the signature is the proof, so a leaked database holds no live links.
 *
 * - Action token: base64url(`a.<actionId>.<personId>.<expUnixSeconds>`) + `.` + base64url(HMAC)
 *   (full 32-byte MAC).
 * - Reply token: `d<digestId>-<exp base36>-<mac hex, 20 chars>`, lower case only, because mail
 *   systems may change the case of the local part of `reply+<token>@host`, and it must fit
 *   in 64 characters. 80 bits of MAC is plenty for a token that expires in 30 days.
 * Each kind signs a different prefix, so one never passes for the other.
 */
export function createLinkTokenService(deps: { secret: string; clock: Clock }) {
  const { secret, clock } = deps;
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  const expiry = () => Math.floor((clock.now().getTime() + LINK_TTL_DAYS * DAY) / 1000);

  const invalid = (why: string) => new AppError('invalid-link', `This link is not valid: ${why}.`, 400);
  const expired = () =>
    new AppError('expired-link', 'This link has expired. Open your latest reminder email or the actions page instead.', 410);

  /** base64url(`<kind>.<id>.<personId>.<exp>`) + `.` + base64url(HMAC). */
  const signPair = (kind: 'a' | 'h', id: number, personId: number): string => {
    const payload = `${kind}.${id}.${personId}.${expiry()}`;
    return `${Buffer.from(payload).toString('base64url')}.${mac(payload).toString('base64url')}`;
  };

  /** Checks a `signPair` token of `kind`; `notKind` says what it is not when the kind differs. */
  const verifyPair = (token: string, kind: 'a' | 'h', notKind: string): { id: number; personId: number; expiresAt: Date } => {
    const m = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) throw invalid('it is incomplete or was changed');
    const payload = Buffer.from(m[1], 'base64url').toString('utf8');
    // Compare the encoded strings: base64url has spare bits in its last character, so two
    // different strings can decode to the same bytes; only the canonical one is accepted.
    const given = Buffer.from(m[2]);
    const want = Buffer.from(mac(payload).toString('base64url'));
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw invalid('it was changed or is not from this server');
    const parts = /^([ah])\.(\d+)\.(\d+)\.(\d+)$/.exec(payload);
    if (!parts || parts[1] !== kind) throw invalid(notKind);
    const expiresAt = new Date(Number(parts[4]) * 1000);
    if (expiresAt.getTime() <= clock.now().getTime()) throw expired();
    return { id: Number(parts[2]), personId: Number(parts[3]), expiresAt };
  };

  return {
    /** A token for `/act/<token>`: closes or snoozes `actionId` as `personId`. */
    signAction(actionId: number, personId: number): string {
      return signPair('a', actionId, personId);
    },

    /**
     * Checks an action token: throws `invalid-link` (400) when altered or malformed and
     * `expired-link` (410) when too old. The caller checks the action still exists.
     */
    verifyAction(token: string): ActClaims {
      const { id, personId, expiresAt } = verifyPair(token, 'a', 'it is not an action link');
      return { actionId: id, personId, expiresAt };
    },

    /** A token for `/act/reply/<token>`: the owner confirming a held reply (`held_replies.id`). */
    signHeldReply(heldId: number, personId: number): string {
      return signPair('h', heldId, personId);
    },

    /** Checks a held-reply token. Same errors as `verifyAction`. */
    verifyHeldReply(token: string): { heldId: number; personId: number; expiresAt: Date } {
      const { id, personId, expiresAt } = verifyPair(token, 'h', 'it is not a reply confirmation link');
      return { heldId: id, personId, expiresAt };
    },

    /** The local-part token of a digest's reply address. */
    signReply(digestId: number): string {
      const body = `d${digestId}-${expiry().toString(36)}`;
      return `${body}-${mac(`r.${body}`).toString('hex').slice(0, 20)}`;
    },

    /** Checks a reply token (case-insensitive). Same errors as `verifyAction`. */
    verifyReply(token: string): ReplyClaims {
      const m = /^(d(\d{1,12})-([0-9a-z]{1,10}))-([0-9a-f]{20})$/.exec(token.toLowerCase());
      if (!m) throw invalid('the reply address is incomplete or was changed');
      const want = Buffer.from(mac(`r.${m[1]}`).toString('hex').slice(0, 20));
      if (!timingSafeEqual(Buffer.from(m[4]), want)) throw invalid('the reply address was changed');
      const expiresAt = new Date(parseInt(m[3], 36) * 1000);
      if (expiresAt.getTime() <= clock.now().getTime()) throw expired();
      return { digestId: Number(m[2]), expiresAt };
    },
  };
}

export type LinkTokenService = ReturnType<typeof createLinkTokenService>;
