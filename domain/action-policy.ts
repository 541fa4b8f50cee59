import { roleAtLeast, type Role } from './roles.js';

/** The ways an action can be changed by a person (imports change actions by the minutes, not here). */
export type ActionOp = 'close' | 'reopen' | 'comment' | 'snooze' | 'edit';

/**
 * Who asks to change an action.
 * - A signed-in account (session or API token): its person (null for a token tied to nobody)
 *   and its role.
 * - A channel bound to one person (a signed `/act/` email link, a `reply+` address):
 *   `boundToPerson: true`; it acts as that person with member rights, whatever role the person
 *   has, because whoever holds the mail holds the link.
 * - The local operator (CLI): role `admin` — it has the database in hand anyway.
 */
export interface PolicyActor {
  personId: number | null;
  role: Role;
  boundToPerson?: boolean;
}

export type PolicyDecision =
  | { allowed: true }
  | { allowed: false; code: 'forbidden' | 'not-owner'; reason: string };

/**
 * Who may change an action, the one home of the rule:
 * members (and email links/replies, which act as their person) close, reopen, comment on and
 * snooze the actions they own; note-takers and admins any action; editing text, due date or
 * owners needs a note-taker.
 */
export function decideActionChange(
  actor: PolicyActor,
  action: { id: number; owners: readonly { personId: number | null }[] },
  op: ActionOp,
): PolicyDecision {
  const staff = !actor.boundToPerson && roleAtLeast(actor.role, 'notetaker');
  if (op === 'edit') {
    return staff
      ? { allowed: true }
      : { allowed: false, code: 'forbidden', reason: `editing action ${action.id} needs the notetaker role` };
  }
  if (staff) return { allowed: true };
  const owns = actor.personId != null && action.owners.some((o) => o.personId === actor.personId);
  if (owns) return { allowed: true };
  return actor.boundToPerson
    ? { allowed: false, code: 'not-owner', reason: `this link or reply was sent to someone who is no longer an owner of action ${action.id}` }
    : { allowed: false, code: 'forbidden', reason: `action ${action.id} is not yours; members may change only their own actions` };
}

/** True when `decideActionChange` allows `op` (which buttons a page shows). */
export function mayChangeAction(
  actor: PolicyActor,
  action: { id: number; owners: readonly { personId: number | null }[] },
  op: ActionOp,
): boolean {
  return decideActionChange(actor, action, op).allowed;
}
