import { describe, expect, it } from 'vitest';
import { createLinkTokenService } from '../../../../../server/services/mail/link-token-service.js';
import { fixedClock } from '../../../../../server/clock.js';
import { AppError } from '../../../../../server/errors.js';

const at = (iso: string, secret = 'unit-secret-0123456789') => createLinkTokenService({ secret, clock: fixedClock(iso) });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'ok';
};

describe('action link tokens', () => {
  const t = at('2026-11-23T09:00:00Z').signAction(12, 7);

  it('round-trips action, person and a 30-day expiry, URL-safe', () => {
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(at('2026-12-22T09:00:00Z').verifyAction(t)).toEqual({ actionId: 12, personId: 7, expiresAt: new Date('2026-12-23T09:00:00Z') });
  });

  it('expires after 30 days', () => {
    expect(code(() => at('2026-12-23T09:00:00Z').verifyAction(t))).toBe('410 expired-link');
  });

  it('refuses altered tokens, other secrets and garbage', () => {
    const [p, s] = t.split('.');
    const other = Buffer.from(Buffer.from(p, 'base64url').toString().replace('a.12.', 'a.13.')).toString('base64url');
    for (const bad of [`${other}.${s}`, `${p}.${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`, p, '', 'a.b.c', `${p}.${s}x`]) {
      expect(code(() => at('2026-11-24T00:00:00Z').verifyAction(bad)), bad).toBe('400 invalid-link');
    }
    expect(code(() => at('2026-11-24T00:00:00Z', 'another-secret-0123456789').verifyAction(t))).toBe('400 invalid-link');
  });

  it('refuses a non-canonical signature that decodes to the same bytes', () => {
    const [p, s] = t.split('.');
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const i = last.indexOf(s[42]);
    // The last of 43 characters carries 4 bits; flipping its lowest 2 bits keeps the bytes.
    const twin = `${p}.${s.slice(0, 42)}${last[i ^ 1]}`;
    expect(Buffer.from(twin.split('.')[1], 'base64url')).toEqual(Buffer.from(s, 'base64url'));
    expect(code(() => at('2026-11-24T00:00:00Z').verifyAction(twin))).toBe('400 invalid-link');
  });

  it('a reply token is not an action token and vice versa', () => {
    const r = at('2026-11-23T09:00:00Z').signReply(5);
    expect(code(() => at('2026-11-24T00:00:00Z').verifyAction(r))).toBe('400 invalid-link');
    expect(code(() => at('2026-11-24T00:00:00Z').verifyReply(t))).toBe('400 invalid-link');
  });
});

describe('reply tokens', () => {
  const r = at('2026-11-23T09:00:00Z').signReply(4321);

  it('fit a lower-case local part and survive case changes', () => {
    expect(r).toMatch(/^d4321-[0-9a-z]+-[0-9a-f]{20}$/);
    expect(`reply+${r}`.length).toBeLessThanOrEqual(64);
    expect(at('2026-11-24T00:00:00Z').verifyReply(r.toUpperCase()).digestId).toBe(4321);
  });

  it('expire and refuse tampering', () => {
    expect(code(() => at('2026-12-24T00:00:00Z').verifyReply(r))).toBe('410 expired-link');
    expect(code(() => at('2026-11-24T00:00:00Z').verifyReply(r.replace('d4321', 'd4322')))).toBe('400 invalid-link');
  });
});
