import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { decideActionChange } from '../../../domain/action-policy.js';
import { addDays, isoDay } from '../../../domain/dates.js';
import type { Actor } from '../actions/actor.js';
import type { LinkTokenService } from './link-token-service.js';
import type { ReminderRepository } from '../../db/repositories/reminder-repository.js';
import type { EmailTemplateService } from './email-template-service.js';
import type { OutboxService } from './outbox-service.js';

/** The part of the action service that answers to emails. */
export interface ActionCommands {
  get(id: number): {
    id: number;
    text: string;
    due: string | null;
    status: 'open' | 'done' | 'dropped';
    owners: { personId: number | null; name: string; email: string | null }[];
    originMeeting: { id: number; date: string; title: string | null; seriesSlug: string };
    carriedCount: number;
    snoozedUntil: string | null;
    overdue: boolean;
  };
  /** These three apply `domain/action-policy.ts` inside their transaction (403 `not-owner`). */
  close(id: number, actor: Actor, note?: string, opts?: { openOnly?: boolean }): { changed: boolean };
  snooze(id: number, untilDate: string | null, actor: Actor): { changed: boolean };
  comment(id: number, actor: Actor, text: string): { changed: boolean };
  reopen(id: number, actor: Actor, note?: string): { changed: boolean };
}

/** Where the short answer to a reply goes: rendered from `templates/email/reply-ack.*`, sent through the outbox. */
export interface ReplyAcks {
  templates: Pick<EmailTemplateService, 'render'>;
  outbox: Pick<OutboxService, 'enqueue' | 'kick'>;
}

/** The part of `services.people` needed to name the person acting. */
export interface PeopleLookup {
  get(id: number): { id: number; name: string; email: string | null };
}

export type EmailOp = 'done' | 'snooze';

/** What an `/act/<token>` page shows. */
export interface ActLinkView {
  action: ReturnType<ActionCommands['get']>;
  person: { id: number; name: string };
  expiresAt: string;
}

/** An inbound reply, as the listener hands it over. */
export interface InboundReply {
  /** Envelope recipients (RCPT TO). */
  recipients: string[];
  /** The From header's address. */
  from: string;
  text: string;
  /** The reply's Message-ID, when it has one: one acknowledgement per reply, however often it is delivered. */
  messageId?: string;
}

export interface ReplyOutcome {
  op: 'done' | 'snooze' | 'comment' | 'reopen';
  actionId: number;
  position: number;
  changed: boolean;
}

const SNOOZE_DAYS = 7;

/**
 * What owners do from an email: the signed `/act/` links (confirm page, then POST) and replies
 * to a digest. Every change goes through `services.actions`, recorded with the person and the
 * channel (`email` for links, `reply` for replies).
 */
export function createReplyService(deps: {
  tokens: LinkTokenService;
  reminders: ReminderRepository;
  actions: () => ActionCommands;
  people: () => PeopleLookup;
  clock: Clock;
  /** Without it, replies are applied silently (no acknowledgement). */
  acks?: ReplyAcks;
}) {
  const { tokens, reminders, clock } = deps;
  const snoozeUntil = () => addDays(isoDay(clock.now()), SNOOZE_DAYS);

  /**
   * Email links and replies are bound to one person: they act as that person with member
   * rights (see `domain/action-policy.ts`), whatever role the person has.
   */
  const boundActor = (person: { id: number; name: string }, source: 'email' | 'reply'): Actor => ({
    personId: person.id,
    role: 'member',
    boundToPerson: true,
    label: person.name,
    source,
  });

  /**
   * The action and person of a valid link. The confirmation page is shown only when the policy
   * would let the link's person close the action (the same rule the action service enforces
   * on the POST, inside its transaction).
   */
  function inspectLink(token: string): ActLinkView {
    const claims = tokens.verifyAction(token);
    let action: ActLinkView['action'];
    try {
      action = deps.actions().get(claims.actionId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        throw new AppError('action-gone', 'The action this link was for no longer exists.', 404);
      }
      throw err;
    }
    const person = deps.people().get(claims.personId);
    const decision = decideActionChange(boundActor(person, 'email'), action, 'close');
    if (!decision.allowed) throw new AppError(decision.code, decision.reason, 403);
    return { action, person: { id: person.id, name: person.name }, expiresAt: claims.expiresAt.toISOString() };
  }

  /**
   * Closes or snoozes an open action; false (nothing changed) when it is no longer open. The
   * action service checks the owners and the status inside its transaction.
   */
  function apply(actionId: number, op: EmailOp, actor: Actor): boolean {
    if (op === 'done') return deps.actions().close(actionId, actor, undefined, { openOnly: true }).changed;
    try {
      return deps.actions().snooze(actionId, snoozeUntil(), actor).changed;
    } catch (err) {
      if (err instanceof AppError && err.code === 'action-not-open') return false;
      throw err;
    }
  }

  return {
    inspectLink,

    /** The POST of the confirmation page: closes or snoozes (a week) as the link's person. */
    applyLink(token: string, op: EmailOp): ActLinkView & { changed: boolean } {
      const view = inspectLink(token);
      const changed = apply(view.action.id, op, boundActor(view.person, 'email'));
      return { ...inspectLink(token), changed };
    },

    /**
     * Handles a reply to a digest. The first non-empty line decides: `done [N]` closes action
     * N (default 1), `snooze [N]` snoozes it a week, anything else is a comment on action 1.
     * Throws AppError (the listener answers 550 with its message) when the address is not a
     * valid reply address or the sender is not the owner.
     */
    handleReply(reply: InboundReply): ReplyOutcome {
      const replyAddress = reply.recipients.map((r) => r.trim()).find((r) => /^reply\+[^@]+@/i.test(r));
      const token = replyAddress && /^reply\+([^@]+)@/i.exec(replyAddress)?.[1];
      if (!token) throw new AppError('not-a-reply-address', 'no reply+<token> recipient', 404);
      const { digestId } = tokens.verifyReply(token);
      const digest = reminders.getDigest(digestId);
      if (!digest) throw new AppError('unknown-digest', 'this reply address belongs to no reminder', 404);
      const person = deps.people().get(digest.personId);
      const from = reply.from.trim().toLowerCase();
      const allowed = [person.email, digest.toAddress].filter(Boolean).map((a) => a!.toLowerCase());
      if (!allowed.includes(from)) {
        throw new AppError('wrong-sender', `replies to this reminder must come from the owner's address, not ${reply.from}`, 403);
      }
      const ids = reminders.digestActionIds(digestId);
      const body = stripQuoted(reply.text);
      const first = body.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
      const m = /^(done|snooze|reopen)\b\s*#?(\d+)?\s*[.!]?\s*$/i.exec(first);
      const position = itemOf(ids, m?.[2] ? Number(m[2]) : 1, m?.[1].toLowerCase() === 'reopen');
      const actionId = ids[position - 1];
      // Only a current owner acts on an action: the action service refuses others (403 not-owner).
      const actor = boundActor(person, 'reply');
      let outcome: ReplyOutcome;
      if (m) {
        const op = m[1].toLowerCase() as EmailOp | 'reopen';
        const changed = op === 'reopen' ? deps.actions().reopen(actionId, actor).changed : apply(actionId, op, actor);
        outcome = { op, actionId, position, changed };
      } else {
        if (!body.trim()) throw new AppError('empty-reply', 'the reply has no text', 400);
        deps.actions().comment(actionId, actor, body.trim().slice(0, 4000));
        outcome = { op: 'comment', actionId, position, changed: true };
      }
      acknowledge(outcome, { to: reply.from.trim(), replyAddress: replyAddress!, digestId, messageId: reply.messageId, name: person.name });
      return outcome;
    },
  };

  /**
   * The short answer to a reply that was applied ("Marked #12 done. Reply 'reopen 2' to
   * undo."), through the outbox, with the same reply address so the undo works by reply too.
   * Auto-Submitted keeps responders from answering it.
   */
  function acknowledge(o: ReplyOutcome, to: { to: string; replyAddress: string; digestId: number; messageId?: string; name: string }): void {
    if (!deps.acks) return;
    const a = deps.actions().get(o.actionId);
    const email = deps.acks.templates.render('reply-ack', {
      name: to.name,
      op: o.op,
      changed: o.changed,
      position: o.position,
      action: { id: a.id, text: a.text, status: a.status, snoozedUntil: a.snoozedUntil },
    });
    // Scoped to the digest: a Message-ID is the sender's choice, so it cannot silence another owner's answer.
    const key = to.messageId ? `reply-ack:${to.digestId}:${to.messageId.slice(0, 200)}` : `reply-ack:${to.digestId}:${o.op}:${o.actionId}:${clock.now().toISOString()}`;
    deps.acks.outbox.enqueue({
      dedupeKey: key,
      kind: 'reply-ack',
      to: to.to,
      ...email,
      headers: { 'X-Minutes-Kind': 'reply-ack', 'Auto-Submitted': 'auto-replied', 'Reply-To': to.replyAddress },
    });
    deps.acks.outbox.kick();
  }
}

/**
 * The digest position a reply means by N: the Nth action listed (as `done 2`); for `reopen`
 * also an action id of the digest when N is no position (the acknowledgement names both).
 */
function itemOf(ids: number[], n: number, orId: boolean): number {
  if (n >= 1 && n <= ids.length) return n;
  if (orId && ids.includes(n)) return ids.indexOf(n) + 1;
  throw new AppError('no-such-item', `the reminder lists ${ids.length} action(s); there is no number ${n}`, 400);
}

/** The reply without the quoted message below it ("On ... wrote:", "> " lines, signatures). */
export function stripQuoted(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^>/.test(line)) break;
    if (/^On .{4,200}wrote:\s*$/.test(line)) break;
    if (/^-{2,}\s*Original Message/i.test(line)) break;
    if (line === '-- ') break;
    out.push(line);
  }
  return out.join('\n').trim();
}

export type ReplyService = ReturnType<typeof createReplyService>;
