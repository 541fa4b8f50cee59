import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { AuthRepository, Role, TokenRow } from '../../db/repositories/auth-repository.js';

/** SHA-256 hex of a secret: what the database keeps instead of the secret. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A fresh random secret, URL-safe, with a readable prefix (`mnt_` tokens, `msl_` links). */
export const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

// Writing last_used_at on every API call would turn each read into a write (and slow the
// hot path); once every few minutes is precise enough for "when was this token last used".
const TOUCH_EVERY_MS = 5 * 60_000;

/** API tokens (`Authorization: Bearer`): created once, shown once, stored as SHA-256. */
export function createTokenService(deps: { repo: AuthRepository; clock: Clock }) {
  const { repo, clock } = deps;
  return {
    /** Creates a token and returns its secret: the only time the secret exists in clear. */
    async create(input: { role: Role; name?: string | null; personId?: number | null }): Promise<{ id: number; token: string; role: Role; name: string | null }> {
      if (!['admin', 'notetaker', 'member'].includes(input.role)) {
        throw new AppError('bad-role', `role must be admin, notetaker or member, got '${input.role}'`, 400);
      }
      if (input.personId != null && !await repo.personById(input.personId)) {
        throw new AppError('not-found', `person ${input.personId} does not exist`, 404);
      }
      const token = newSecret('mnt_');
      const id = await repo.insertToken(hashSecret(token), input.role, input.name ?? null, input.personId ?? null, clock.now().toISOString());
      return { id, token, role: input.role, name: input.name ?? null };
    },
    /** The token's record when it is valid and not revoked; undefined otherwise. */
    async verify(token: string): Promise<TokenRow | undefined> {
      const row = await repo.tokenByHash(hashSecret(token));
      if (!row || row.revokedAt) return undefined;
      const now = clock.now();
      if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > TOUCH_EVERY_MS) {
        await repo.touchToken(row.id, now.toISOString());
      }
      return row;
    },
    async list(): Promise<TokenRow[]> {
      return await repo.listTokens();
    },
    async revoke(id: number): Promise<void> {
      if (!await repo.revokeToken(id, clock.now().toISOString())) {
        throw new AppError('not-found', `token ${id} does not exist or is already revoked`, 404);
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
