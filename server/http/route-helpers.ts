import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Actor } from '../services/actor.js';
import { hasRole } from './auth-middleware.js';

/** The actor recorded on changes made through this request. */
export function actorOf(req: Request): Actor {
  const user = req.user;
  if (!user) throw new AppError('unauthenticated', 'sign in first', 401);
  return { personId: user.personId, label: user.name, source: req.authMethod === 'token' ? 'api' : 'web' };
}

/** True when the signed-in person is one of the action's owners. */
export function ownsAction(req: Request, action: { owners: { personId: number | null }[] }): boolean {
  const id = req.user?.personId;
  return id != null && action.owners.some((o) => o.personId === id);
}

/**
 * Members may close, reopen and comment on their own actions only; note-takers and admins
 * on any. Throws 403 naming the rule otherwise.
 */
export function assertMayChangeAction(req: Request, action: { id: number; owners: { personId: number | null }[] }): void {
  if (hasRole(req.user, 'notetaker') || ownsAction(req, action)) return;
  throw new AppError('forbidden', `action ${action.id} is not yours; members may change only their own actions`, 403);
}

export const IdParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
/** Query flags: `1`, `true`, `yes`, `on` are true; absent or anything else false. */
export const Flag = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v[v.length - 1] : v))
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
/** A single optional query string (a repeated parameter takes its last value). */
export const QueryString = (max = 200) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v[v.length - 1] : v))
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .pipe(z.string().max(max).optional());
/** An optional whole number in the query string, within [min, max]. */
export const QueryInt = (min: number, max: number) =>
  QueryString(20)
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number({ error: 'expected a whole number' }).int('expected a whole number').min(min).max(max).optional());
