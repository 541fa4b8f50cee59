import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { decideActionChange } from '../../../domain/action-policy.js';
import { addDays, isoDay } from '../../../domain/dates.js';
import type { Actor } from '../actions/actor.js';
import type { LinkTokenService } from './link-token-service.js';
import type { ReminderRepository } from '../../db/repositories/reminder-repository.js';
import type { HeldReply, HeldReplyRepository } from '../../db/repositories/held-reply-repository.js';
import type { Db } from '../../db/connection.js';
import type { OutboxService } from './outbox-service.js';
import type { EmailTemplateService } from './email-template-service.js';
import { checkSenderAuthentication } from './sender-authentication.js';

/** The part of the action service that answers to emails. */
export interface ActionCommands {
  get(id: number): Promise<{
    id: number;
    text: string;
    due: string | null;
    status: 'open' | 'done' | 'dropped';
    owners: { personId: number | null; name: string; email: string | null }[];
    originMeeting: { id: number; date: string; title: string | null; seriesSlug: string };
    carriedCount: number;
    snoozedUntil: string | null;
    overdue: boolean;
  }>;
  /** These three apply `domain/action-policy.ts` inside their transaction (403 `not-owner`). */
  close(id: number, actor: Actor, note?: string, opts?: { openOnly?: boolean }): Promise<{ changed: boolean }>;
  snooze(id: number, untilDate: string | null, actor: Actor): Promise<{ changed: boolean }>;
  comment(id: number, actor: Actor, text: string): Promise<{ changed: boolean }>;
  reopen(id: number, actor: Actor, note?: string): Promise<{ changed: boolean }>;
}

/** The part of `services.people` needed to name the person acting. */
export interface PeopleLookup {
  get(id: number): Promise<{ id: number; name: string; email: string | null }>;
}

export type EmailOp = 'done' | 'snooze';

/** What an `/act/<token>` page shows. */
export interface ActLinkView {
  action: Awaited<ReturnType<ActionCommands['get']>>;
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
  /** `Authentication-Results` header values, topmost first (none when no relay recorded any). */
  authResults?: string[];
  /** The reply's Message-ID, when it has one: one acknowledgement per reply, however often it is delivered. */
  messageId?: string;
}

export interface ReplyOutcome {
  /** 'held': not verified, nothing done; the owner was sent a link to confirm it. */
  op: 'done' | 'snooze' | 'comment' | 'reopen' | 'held';
  actionId: number;
  position: number;
  changed: boolean;
}

const SNOOZE_DAYS = 7;
/** Unconfirmed held replies per digest: beyond this, forged replies are refused, not mailed on. */
const MAX_HELD_PER_DIGEST = 3;

/** What the owner's confirmation page of a held reply shows. */
export interface HeldReplyView {
  heldId: number;
  person: { id: number; name: string };
  fromAddress: string;
  reason: string;
  body: string;
  receivedAt: string;
  confirmed: boolean;
  expiresAt: string;
}

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
  db: Db;
  held: HeldReplyRepository;
  outbox: OutboxService;
  templates: EmailTemplateService;
  baseUrl: string;
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
  async function inspectLink(token: string): Promise<ActLinkView> {
    const claims = tokens.verifyAction(token);
    let action: ActLinkView['action'];
    try {
      action = await deps.actions().get(claims.actionId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        throw new AppError('action-gone', 'The action this link was for no longer exists.', 404);
      }
      throw err;
    }
    const person = await deps.people().get(claims.personId);
    const decision = decideActionChange(boundActor(person, 'email'), action, 'close');
    if (!decision.allowed) throw new AppError(decision.code, decision.reason, 403);
    return { action, person: { id: person.id, name: person.name }, expiresAt: claims.expiresAt.toISOString() };
  }

  /**
   * Closes or snoozes an open action; false (nothing changed) when it is no longer open. The
   * action service checks the owners and the status inside its transaction.
   */
  async function apply(actionId: number, op: EmailOp, actor: Actor): Promise<boolean> {
    if (op === 'done') return (await deps.actions().close(actionId, actor, undefined, { openOnly: true })).changed;
    try {
      return (await deps.actions().snooze(actionId, snoozeUntil(), actor)).changed;
    } catch (err) {
      if (err instanceof AppError && err.code === 'action-not-open') return false;
      throw err;
    }
  }

  /** The held reply a token names, and its confirmation page (`GET /act/reply/:token`). */
  async function loadHeld(token: string): Promise<{ held: HeldReply; person: { id: number; name: string }; view: HeldReplyView }> {
    const claims = tokens.verifyHeldReply(token);
    const held = await deps.held.get(claims.heldId);
    if (!held || held.personId !== claims.personId) throw new AppError('invalid-link', 'This link is not valid: the held reply is gone.', 404);
    const person = await deps.people().get(held.personId);
    const view: HeldReplyView = {
      heldId: held.id, person: { id: person.id, name: person.name }, fromAddress: held.fromAddress, reason: held.reason,
      body: held.body, receivedAt: held.createdAt, confirmed: held.confirmedAt !== null, expiresAt: claims.expiresAt.toISOString(),
    };
    return { held, person, view };
  }

  /** The action a reply's first line names, and what to do with it (null: a comment). */
  async function planReply(digestId: number, body: string): Promise<{ actionId: number; position: number; op: EmailOp | 'reopen' | null }> {
    const ids = await reminders.digestActionIds(digestId);
    const first = body.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
    const m = /^(done|snooze|reopen)\b\s*#?(\d+)?\s*[.!]?\s*$/i.exec(first);
    const position = itemOf(ids, m?.[2] ? Number(m[2]) : 1, m?.[1].toLowerCase() === 'reopen');
    return { actionId: ids[position - 1], position, op: m ? (m[1].toLowerCase() as EmailOp | 'reopen') : null };
  }

  /** Applies a verified (or confirmed) reply as the digest's owner. */
  async function act(digestId: number, person: { id: number; name: string }, body: string): Promise<ReplyOutcome> {
    const { actionId, position, op } = await planReply(digestId, body);
    // Only a current owner acts on an action: the action service refuses others (403 not-owner).
    const actor = boundActor(person, 'reply');
    if (op === 'reopen') return { op, actionId, position, changed: (await deps.actions().reopen(actionId, actor)).changed };
    if (op) return { op, actionId, position, changed: await apply(actionId, op, actor) };
    if (!body.trim()) throw new AppError('empty-reply', 'the reply has no text', 400);
    await deps.actions().comment(actionId, actor, body.trim().slice(0, 4000));
    return { op: 'comment', actionId, position, changed: true };
  }

  /**
   * The short answer to a reply that was applied ("Marked #12 done. Reply 'reopen 2' to
   * undo."), through the outbox, with the same reply address so the undo works by reply too.
   * Auto-Submitted keeps responders from answering it.
   */
  async function acknowledge(o: ReplyOutcome, to: { to: string; replyAddress: string; digestId: number; messageId?: string; name: string }): Promise<void> {
    const a = await deps.actions().get(o.actionId);
    const email = deps.templates.render('reply-ack', {
      name: to.name,
      op: o.op,
      changed: o.changed,
      position: o.position,
      action: { id: a.id, text: a.text, status: a.status, snoozedUntil: a.snoozedUntil },
    });
    // Scoped to the digest: a Message-ID is the sender's choice, so it cannot silence another owner's answer.
    const key = to.messageId ? `reply-ack:${to.digestId}:${to.messageId.slice(0, 200)}` : `reply-ack:${to.digestId}:${o.op}:${o.actionId}:${clock.now().toISOString()}`;
    await deps.outbox.enqueue({
      dedupeKey: key,
      kind: 'reply-ack',
      to: to.to,
      ...email,
      headers: { 'X-Minutes-Kind': 'reply-ack', 'Auto-Submitted': 'auto-replied', 'Reply-To': to.replyAddress },
    });
    deps.outbox.kick();
  }

  /**
   * Keeps an unverified reply and mails its owner a confirmation link (through the outbox, to
   * the owner's own address, never to the sender). Refused once a digest has a few waiting.
   */
  async function hold(
    digest: { id: number; toAddress: string },
    person: { id: number; name: string; email: string | null },
    reply: InboundReply,
    body: string,
    reason: string,
  ): Promise<boolean> {
    if (!body.trim()) throw new AppError('empty-reply', 'the reply has no text', 400);
    const heldId = await deps.db.transaction(async () => {
      if ((await deps.held.countWaiting(digest.id)) >= MAX_HELD_PER_DIGEST) {
        throw new AppError('too-many-held', 'replies to this reminder are waiting for the owner to confirm them; not accepting more', 403);
      }
      const id = await deps.held.insert({
        digestId: digest.id, personId: person.id, fromAddress: reply.from.slice(0, 320), body: body.trim().slice(0, 4000), reason,
        now: clock.now().toISOString(),
      });
      const url = `${deps.baseUrl}/act/reply/${tokens.signHeldReply(id, person.id)}`;
      const mail = deps.templates.render('held-reply', { name: person.name, from: reply.from, reason, body: body.trim().slice(0, 4000), url });
      await deps.outbox.enqueue({ dedupeKey: `held-reply:${id}`, kind: 'held-reply', to: person.email ?? digest.toAddress, ...mail });
      return id;
    });
    deps.outbox.kick();
    return heldId > 0;
  }

  return {
    inspectLink,

    /** The POST of the confirmation page: closes or snoozes (a week) as the link's person. */
    async applyLink(token: string, op: EmailOp): Promise<ActLinkView & { changed: boolean }> {
      const view = await inspectLink(token);
      const changed = await apply(view.action.id, op, boundActor(view.person, 'email'));
      return { ...await inspectLink(token), changed };
    },

    /**
     * Handles a reply to a digest. The first non-empty line decides: `done [N]` closes action
     * N (default 1), `snooze [N]` snoozes it a week, `reopen [N]` reopens it, anything else is
     * a comment on action 1. An applied reply is acknowledged by email (`reply-ack`).
     * Throws AppError (the listener answers 550 with its message) when the address is not a
     * valid reply address. A reply is acted on only when it is verified: the From is the
     * owner's address and, when the relay in front recorded `Authentication-Results`, DKIM,
     * SPF or DMARC passed for it. Anything else is held (op 'held'): the owner gets a link by
     * email and the reply applies only when they confirm it.
     */
    async handleReply(reply: InboundReply): Promise<ReplyOutcome> {
      const replyAddress = reply.recipients.map((r) => r.trim()).find((r) => /^reply\+[^@]+@/i.test(r));
      const token = replyAddress && /^reply\+([^@]+)@/i.exec(replyAddress)?.[1];
      if (!replyAddress || !token) throw new AppError('not-a-reply-address', 'no reply+<token> recipient', 404);
      const { digestId } = tokens.verifyReply(token);
      const digest = await reminders.getDigest(digestId);
      if (!digest) throw new AppError('unknown-digest', 'this reply address belongs to no reminder', 404);
      const person = await deps.people().get(digest.personId);
      const body = stripQuoted(reply.text);
      const unverified = whyUnverified(reply, [person.email, digest.toAddress]);
      if (unverified) {
        const plan = await planReply(digestId, body);
        return { op: 'held', actionId: plan.actionId, position: plan.position, changed: await hold(digest, person, reply, body, unverified) };
      }
      const outcome = await act(digestId, person, body);
      await acknowledge(outcome, { to: reply.from.trim(), replyAddress, digestId, messageId: reply.messageId, name: person.name });
      return outcome;
    },

    /** The confirmation page of a held reply (`GET /act/reply/:token`). */
    async inspectHeld(token: string): Promise<HeldReplyView> {
      return (await loadHeld(token)).view;
    },

    /** The owner confirms a held reply: it applies now, as they would have by replying. Once only. */
    async confirmHeld(token: string): Promise<HeldReplyView & { outcome: ReplyOutcome | null }> {
      const { held, person, view } = await loadHeld(token);
      if (!await deps.held.confirm(held.id, clock.now().toISOString())) return { ...view, outcome: null };
      const outcome = await act(held.digestId, person, held.body);
      return { ...view, confirmed: true, outcome };
    },
  };
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

/**
 * Why a reply cannot be trusted as its owner's, or null when it can: the From must be one of
 * the owner's addresses, and when a relay recorded `Authentication-Results`, DKIM, SPF or
 * DMARC must pass for the From domain (services/mail/sender-authentication.ts).
 */
function whyUnverified(reply: InboundReply, ownAddresses: (string | null)[]): string | null {
  const from = reply.from.trim().toLowerCase();
  const allowed = ownAddresses.filter(Boolean).map((a) => a!.toLowerCase());
  if (!allowed.includes(from)) return `it came from ${reply.from || 'no address'}, not from your address`;
  const auth = checkSenderAuthentication(reply.authResults ?? [], from);
  if (auth.verdict === 'fail') return `the sending mail server could not be verified for ${from} (${auth.detail})`;
  return null;
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
