/** What an account may do, lowest first: members read, note-takers edit, admins manage. */
export type Role = 'admin' | 'notetaker' | 'member';

/** Every role, lowest first. */
export const ROLES: readonly Role[] = ['member', 'notetaker', 'admin'];

/** Rank of each role: a higher role may do everything a lower one may. */
export const ROLE_RANK: Record<Role, number> = { member: 1, notetaker: 2, admin: 3 };

/** True when `value` names a role (`admin`, `notetaker`, `member`). */
export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLE_RANK, value);
}

/** True when `role` is at least `needed` (an admin is also a note-taker and a member). */
export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
  return !!role && ROLE_RANK[role] >= ROLE_RANK[needed];
}
