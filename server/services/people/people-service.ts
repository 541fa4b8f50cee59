import { z } from 'zod';
import { foldName } from '../../../domain/names.js';
import { AppError, notFound, badInput } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../actions/actor.js';
import type { AliasRecord, PeopleRepository, PersonKind, PersonRecord } from '../../db/repositories/people-repository.js';
import type { ActionRepository } from '../../db/repositories/action-repository.js';
import { ISO_DAY } from '../../../domain/dates.js';
import { decodeCursor, pageOf, MAX_PAGE_SIZE, PAGE_SIZE, type Page } from '../../../domain/cursor.js';
import { plural } from '../../../domain/wording.js';

/** A person (or group) as the API, CLI and other services see it. */
export interface PersonView {
  id: number;
  name: string;
  email: string | null;
  org: string | null;
  kind: PersonKind;
  aliases: string[];
  remindersPausedUntil: string | null;
  mergedIntoId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewPersonInput {
  name: string;
  email?: string | null;
  org?: string | null;
  aliases?: string[];
  kind?: PersonKind;
}

export interface PersonPatchInput {
  name?: string;
  email?: string | null;
  org?: string | null;
  kind?: PersonKind;
  remindersPausedUntil?: string | null;
}

/** What `merge` answers: the survivor, and what happened to the merged record's account. */
export type MergeResult = PersonView & {
  merge: { from: number; roleCarried: string | null; sessionsEnded: number; tokensRevoked: number; message: string };
};


/** A name written in minutes that could not be tied to one person. */
export interface UnresolvedName {
  name: string;
  /** Actions owned under this name. */
  actions: { id: number; text: string; status: string; meetingDate: string; seriesSlug: string }[];
  /** Meetings where an attendee of this name could not be resolved. */
  attended: { meetingId: number; meetingDate: string; seriesSlug: string }[];
  /** Directory entries sharing the name, its first word or an alias: who it might be. */
  candidates: { id: number; name: string }[];
}

/** What `resolveName` did. */
export interface ResolveNameResult {
  /** The name as given (trimmed). */
  name: string;
  person: PersonView;
  /** Actions where the name was an owner and now points at the person. */
  actionIds: number[];
  /** Attendance rows tied to the person. */
  attendance: number;
  /** True when the name became an alias; false when it was one already, is the person's name, or names someone else too. */
  aliasAdded: boolean;
  /** Why the alias was not added, when that matters (it names someone else as well). */
  aliasNote: string | null;
}

const emailSchema = z.email('not an email address');
const dateSchema = z.string().regex(ISO_DAY, 'expected YYYY-MM-DD');

/**
 * The people directory: names, aliases (case- and accent-insensitive through `foldName`),
 * emails, groups, and merging of duplicates.
 */
export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly repo: PeopleRepository,
    /** The owner of `action_events`: the edits of owner links are recorded through it. */
    private readonly actions: Pick<ActionRepository, 'addEvent' | 'touch'>,
    private readonly clock: Clock,
  ) {}

  private now() {
    return this.clock.now().toISOString();
  }

  /** `aliases`: the person's alias records, when the caller already has them. */
  private async view(p: PersonRecord, known?: AliasRecord[]): Promise<PersonView> {
    const aliases = known ?? (await this.repo.aliasesOf(p.id));
    return {
      id: p.id,
      name: p.name,
      email: p.email,
      org: p.org,
      kind: p.kind,
      aliases: aliases.map((a) => a.alias),
      remindersPausedUntil: p.remindersPausedUntil,
      mergedIntoId: p.mergedIntoId,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  /** Live people and groups, by name (merged records are left out). */
  async list(): Promise<PersonView[]> {
    const aliases = await this.repo.aliasesByPerson();
    return Promise.all((await this.repo.list()).map((p) => this.view(p, aliases.get(p.id) ?? [])));
  }

  /** How many entries `list()` has (live people and groups), without reading them. */
  async count(): Promise<number> {
    return await this.repo.count();
  }

  /** One page of `list()` (default 50, at most 500) after `cursor`, with the total and the next cursor. */
  async page(opts: { cursor?: string; limit?: number } = {}): Promise<Page<PersonView>> {
    let after: [string, number] | null = null;
    if (opts.cursor) {
      after = decodeCursor(opts.cursor, ['s', 'n']) as [string, number] | null;
      if (!after) throw badInput('cursor: not a cursor of this list (use the "next" of the previous page)');
    }
    const limit = Math.min(Math.max(opts.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const rows = await Promise.all((await this.repo.page(after, limit + 1)).map((p) => this.view(p)));
    return pageOf(rows, limit, await this.repo.count(), (p) => [p.name, p.id]);
  }

  /**
   * Type-ahead: at most `limit` (20) live people whose name (any word), alias or email starts
   * with `typed`, those whose name starts with it first.
   */
  async suggest(typed: string, limit = 20): Promise<PersonView[]> {
    return Promise.all((await this.repo.findByPrefix(typed, Math.min(Math.max(limit, 1), 20))).map((p) => this.view(p)));
  }

  /** One person; a merged id answers the record it was merged into. */
  async get(id: number): Promise<PersonView> {
    let p = await this.repo.get(id);
    for (let hops = 0; p?.mergedIntoId && hops < 10; hops++) p = await this.repo.get(p.mergedIntoId);
    if (!p) throw notFound('person', id);
    return this.view(p);
  }

  /** The person with this address, or whose aliases hold it (a merged duplicate's address). */
  async findByEmail(email: string): Promise<PersonView | null> {
    const p = await this.repo.findByEmail(email.trim());
    if (p) return p.mergedIntoId ? await this.get(p.mergedIntoId) : await this.view(p);
    const byAlias = email.includes('@') ? await this.repo.findByAliasKey(foldName(email)) : [];
    return byAlias.length === 1 ? await this.view(byAlias[0]) : null;
  }

  /** Live people whose name or an alias folds to the same key as `name`. */
  async lookup(name: string): Promise<PersonRecord[]> {
    return await this.repo.findByKey(name);
  }

  /** A person by id (number or digits) or by a name/alias matching exactly one person. */
  async find(idOrName: number | string): Promise<PersonView> {
    if (typeof idOrName === 'number' || /^\d+$/.test(idOrName)) return await this.get(Number(idOrName));
    const hits = await this.lookup(idOrName);
    if (hits.length === 0) throw new AppError('person-not-found', `no person named '${idOrName}'`, 404);
    if (hits.length > 1) {
      throw new AppError(
        'ambiguous-name',
        `'${idOrName}' matches ${hits.length} people: ${hits.map((h) => `${h.name} (#${h.id})`).join(', ')}; use an id`,
        409,
      );
    }
    return await this.view(hits[0]);
  }

  /** Creates a person; refuses a name or email already in the directory. */
  async create(input: NewPersonInput): Promise<PersonView> {
    const v = this.validate(input);
    return await this.db.transaction(async () => {
      if ((await this.lookup(v.name)).some((p) => foldName(p.name) === foldName(v.name))) {
        throw new AppError('person-exists', `'${v.name}' is already in the directory`, 409);
      }
      await this.checkEmailFree(v.email ?? null, null);
      await this.checkAliasesFree(v.aliases, null);
      const id = await this.repo.insert({ ...v, nameKey: foldName(v.name) }, this.now());
      for (const a of v.aliases ?? []) await this.insertAlias(id, a);
      return this.view((await this.repo.get(id))!);
    });
  }

  /**
   * `people add`: creates the person, or fills in email/org/aliases of the one person of that
   * name (imports create people without email; this is how an operator completes them).
   */
  async upsert(input: NewPersonInput): Promise<{ person: PersonView; created: boolean }> {
    const v = this.validate(input);
    return await this.db.transaction(async () => {
      const same = await this.repo.findByNameKey(foldName(v.name));
      if (same.length > 1) {
        throw new AppError('ambiguous-name', `'${v.name}' matches ${same.length} people; use people list and an id`, 409);
      }
      const now = this.now();
      if (same.length === 0) {
        await this.checkEmailFree(v.email ?? null, null);
        await this.checkAliasesFree(v.aliases, null);
        const id = await this.repo.insert({ ...v, nameKey: foldName(v.name) }, now);
        for (const a of v.aliases ?? []) await this.insertAlias(id, a);
        return { person: await this.view((await this.repo.get(id))!), created: true };
      }
      const p = same[0];
      if (v.email !== undefined) await this.checkEmailFree(v.email, p.id);
      await this.checkAliasesFree(v.aliases, p.id);
      await this.repo.update(p.id, { email: v.email, org: v.org, kind: input.kind }, now);
      for (const a of v.aliases ?? []) await this.insertAlias(p.id, a);
      return { person: await this.view((await this.repo.get(p.id))!), created: false };
    });
  }

  async update(id: number, patch: PersonPatchInput): Promise<PersonView> {
    const cur = await this.get(id);
    if (patch.name !== undefined && !patch.name.trim()) throw badInput('name must not be empty');
    if (patch.email) {
      const e = emailSchema.safeParse(patch.email.trim());
      if (!e.success) throw badInput(`email '${patch.email}' is not an email address`);
    }
    if (patch.remindersPausedUntil && !dateSchema.safeParse(patch.remindersPausedUntil).success) {
      throw badInput(`remindersPausedUntil '${patch.remindersPausedUntil}' must be YYYY-MM-DD`);
    }
    return await this.db.transaction(async () => {
      if (patch.email) await this.checkEmailFree(patch.email.trim(), cur.id);
      await this.repo.update(
        cur.id,
        {
          ...patch,
          name: patch.name?.trim(),
          nameKey: patch.name ? foldName(patch.name) : undefined,
          email: patch.email === undefined ? undefined : patch.email?.trim() || null,
        },
        this.now(),
      );
      return this.view((await this.repo.get(cur.id))!);
    });
  }

  /** Adds an alias (first name, nick, handle, email) to a person given by id or name. */
  async addAlias(idOrName: number | string, alias: string): Promise<PersonView> {
    const a = alias.trim();
    if (!foldName(a)) throw badInput(`alias '${alias}' has no letters or digits`);
    return await this.db.transaction(async () => {
      const p = await this.find(idOrName);
      await this.checkAliasesFree([a], p.id);
      await this.insertAlias(p.id, a);
      return this.view((await this.repo.get(p.id))!);
    });
  }

  /**
   * Merges a duplicate into another person: aliases, attendance, action ownership, chairs and
   * move; the old name becomes an alias; the old record stays with `mergedIntoId`. The merged
   * record's sessions, sign-in links and API tokens end (it can no longer sign in), and its
   * role goes to the survivor when higher (highest role wins); `merge.message` says so.
   */
  async merge(from: number | string, into: number | string): Promise<MergeResult> {
    return await this.db.transaction(async () => {
      const a = await this.find(from);
      const b = await this.find(into);
      if (a.id === b.id) throw new AppError('same-person', `'${a.name}' and '${b.name}' are the same person`, 409);
      const now = this.now();
      const accounts = await this.repo.mergeInto(a.id, b.id, now);
      if (foldName(a.name) !== foldName(b.name)) await this.insertAlias(b.id, a.name);
      if (a.email && !b.email) await this.repo.update(b.id, { email: a.email }, now);
      else if (a.email && a.email.toLowerCase() !== b.email?.toLowerCase()) await this.insertAlias(b.id, a.email);
      if (a.org && !b.org) await this.repo.update(b.id, { org: a.org }, now);
      const notes = [`Merged ${a.name} into ${b.name}: actions, attendance and aliases moved.`];
      if (accounts.roleCarried) notes.push(`${b.name} is now ${accounts.roleCarried} (from the merged record).`);
      if (accounts.sessionsEnded || accounts.tokensRevoked) {
        notes.push(`${a.name}'s ${plural(accounts.sessionsEnded, 'session')} ended and ${plural(accounts.tokensRevoked, 'API token')} revoked.`);
      }
      return { ...await this.view((await this.repo.get(b.id))!), merge: { from: a.id, ...accounts, message: notes.join(' ') } };
    });
  }

  /** Names written in minutes that stayed unresolved, with who they might be. */
  async unresolved(): Promise<UnresolvedName[]> {
    const byKey = await this.unresolvedByKey();
    if (byKey.size === 0) return [];
    // Candidates: people of the same name, or the same first name, found through one index of
    // the directory by first name (not a pass over every person per name).
    const byFirst = new Map<string, PersonRecord[]>();
    for (const p of await this.repo.list()) {
      const first = p.nameKey.split(' ')[0];
      (byFirst.get(first) ?? byFirst.set(first, []).get(first)!).push(p);
    }
    for (const [key, e] of byKey) {
      e.candidates = (byFirst.get(key.split(' ')[0]) ?? []).map((p) => ({ id: p.id, name: p.name }));
      for (const p of await this.lookup(e.name)) {
        if (!e.candidates.some((c) => c.id === p.id)) e.candidates.push({ id: p.id, name: p.name });
      }
    }
    return [...byKey.values()].sort((x, y) => x.name.localeCompare(y.name));
  }

  /** How many distinct unresolved names there are (the dashboard's count): `unresolved()` without its candidates. */
  async unresolvedCount(): Promise<number> {
    return (await this.unresolvedByKey()).size;
  }

  /** Unresolved owner and attendee names grouped by their folded form, without candidates. */
  private async unresolvedByKey(): Promise<Map<string, UnresolvedName>> {
    const byKey = new Map<string, UnresolvedName>();
    const entry = (name: string) => {
      const key = foldName(name);
      let e = byKey.get(key);
      if (!e) {
        e = { name, actions: [], attended: [], candidates: [] };
        byKey.set(key, e);
      }
      return e;
    };
    for (const r of await this.repo.unresolvedOwners()) {
      entry(r.name).actions.push({ id: r.actionId, text: r.text, status: r.status, meetingDate: r.meetingDate, seriesSlug: r.seriesSlug });
    }
    for (const r of await this.repo.unresolvedAttendees()) {
      entry(r.name).attended.push({ meetingId: r.meetingId, meetingDate: r.meetingDate, seriesSlug: r.seriesSlug });
    }
    return byKey;
  }

  /**
   * "This name is that person": ties every unresolved owner and attendee written as `name`
   * (folded: case, accents, punctuation ignored) to the person, records an `edited` event on
   * each action, and keeps the name as the person's alias so later imports resolve it. The
   * alias is skipped (and said so) when it already names someone else, since it would make
   * that name ambiguous; the rows are linked anyway.
   */
  async resolveName(name: string, person: number | string, actor: Actor): Promise<ResolveNameResult> {
    const written = (name ?? '').trim();
    const key = foldName(written);
    if (!key) throw badInput(`name '${name}' has no letters or digits`);
    return await this.db.transaction(async () => {
      const p = await this.find(person);
      const slots = (await this.repo.unresolvedOwnerSlots()).filter((r) => foldName(r.name) === key);
      const seats = (await this.repo.unresolvedAttendanceRows()).filter((r) => foldName(r.name) === key);
      if (slots.length === 0 && seats.length === 0) {
        throw new AppError('name-not-unresolved', `no unresolved owner or attendee is named '${written}'`, 404);
      }
      const now = this.now();
      const byAction = new Map<number, typeof slots>();
      for (const s of slots) byAction.set(s.actionId, [...(byAction.get(s.actionId) ?? []), s]);
      const actionIds: number[] = [];
      for (const [actionId, list] of byAction) {
        const before = await this.repo.ownerNames(actionId);
        let linked = false;
        for (const s of list) linked = await this.repo.linkOwner(actionId, s.position, p.id) || linked;
        if (!linked) continue;
        actionIds.push(actionId);
        await this.actions.addEvent(
          {
            actionId,
            kind: 'edited',
            actorPersonId: actor.personId,
            actor: actor.label,
            source: actor.source,
            note: `'${list[0].name}' is ${p.name}`,
            data: { before: { owners: before }, after: { owners: await this.repo.ownerNames(actionId) } },
          },
          now,
        );
        await this.actions.touch(actionId, now);
      }
      let attendance = 0;
      for (const r of seats) if (await this.repo.linkAttendance(r.id, p.id)) attendance++;
      const record = (await this.repo.get(p.id))!;
      const known = record.nameKey === key || (await this.repo.aliasesOf(p.id)).some((a) => a.aliasKey === key);
      const others = known ? [] : (await this.lookup(written)).filter((o) => o.id !== p.id);
      const aliasAdded = !known && others.length === 0;
      if (aliasAdded) await this.insertAlias(p.id, written);
      return {
        name: written,
        person: await this.view((await this.repo.get(p.id))!),
        actionIds,
        attendance,
        aliasAdded,
        aliasNote: others.length
          ? `'${written}' also names ${others.map((o) => o.name).join(', ')}, so it was not added as an alias`
          : null,
      };
    });
  }

  /** Removes an alias of a person (links already made through it stay). */
  async removeAlias(id: number | string, alias: string): Promise<PersonView> {
    const key = foldName(alias ?? '');
    if (!key) throw badInput(`alias '${alias}' has no letters or digits`);
    return await this.db.transaction(async () => {
      const p = await this.find(id);
      if (!await this.repo.removeAlias(p.id, key)) {
        throw new AppError('alias-not-found', `${p.name} has no alias '${alias.trim()}'`, 404);
      }
      await this.repo.update(p.id, {}, this.now());
      return this.view((await this.repo.get(p.id))!);
    });
  }

  /** Refuses aliases that already name someone else (they would make the name ambiguous). */
  private async checkAliasesFree(aliases: string[] | undefined, selfId: number | null) {
    for (const a of aliases ?? []) {
      const others = (await this.lookup(a)).filter((o) => o.id !== selfId);
      if (others.length > 0) throw new AppError('alias-taken', `'${a.trim()}' already names ${others.map((o) => o.name).join(', ')}`, 409);
    }
  }

  private async insertAlias(personId: number, alias: string) {
    const key = foldName(alias);
    if (key) await this.repo.addAlias(personId, alias.trim(), key);
  }

  private async checkEmailFree(email: string | null, selfId: number | null) {
    if (!email) return;
    const other = await this.repo.findByEmail(email);
    if (other && other.id !== selfId) {
      throw new AppError('email-taken', `${email} already belongs to ${other.name}`, 409);
    }
  }

  private validate(input: NewPersonInput): NewPersonInput & { name: string } {
    const name = (input.name ?? '').trim();
    if (!name || !foldName(name)) throw badInput('a person needs a name with letters or digits');
    let email = input.email === undefined ? undefined : input.email?.trim() || null;
    if (email) {
      const e = emailSchema.safeParse(email);
      if (!e.success) throw badInput(`email '${input.email}' is not an email address`);
      email = e.data;
    }
    if (input.kind && input.kind !== 'person' && input.kind !== 'group') {
      throw badInput(`kind must be person or group, got '${String(input.kind)}'`);
    }
    return { ...input, name, email, org: input.org?.trim() || (input.org === undefined ? undefined : null) };
  }
}
