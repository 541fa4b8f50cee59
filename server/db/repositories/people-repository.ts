import { foldName } from '../../../domain/names.js';
import type { Db } from '../connection.js';
import { ROLE_RANK, type Role } from '../../../domain/roles.js';

export type PersonKind = 'person' | 'group';

export interface PersonRecord {
  id: number;
  name: string;
  nameKey: string;
  email: string | null;
  org: string | null;
  kind: PersonKind;
  remindersPausedUntil: string | null;
  mergedIntoId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface AliasRecord {
  id: number;
  personId: number;
  alias: string;
  aliasKey: string;
}

export interface UnresolvedOwnerRow {
  name: string;
  actionId: number;
  text: string;
  status: string;
  meetingId: number;
  meetingDate: string;
  seriesSlug: string;
}

/** One owner position of an action whose name is not tied to a person. */
export interface UnresolvedSlot {
  actionId: number;
  position: number;
  name: string;
}

interface PersonRow {
  id: number;
  name: string;
  name_key: string;
  email: string | null;
  org: string | null;
  kind: PersonKind;
  reminders_paused_until: string | null;
  merged_into_id: number | null;
  created_at: string;
  updated_at: string;
}

/** Ids of live people (merged records hidden) whose name folds (`foldName`) to `@key`. */
const BY_NAME_KEY = `SELECT id, 0 AS via FROM people WHERE name_key = @key AND merged_into_id IS NULL`;
/** Ids of live people with an alias folding to `@key`. */
const BY_ALIAS_KEY = `SELECT p.id, 1 AS via FROM person_aliases a JOIN people p ON p.id = a.person_id WHERE a.alias_key = @key AND p.merged_into_id IS NULL`;

/**
 * The ids of live people whose name (`via` 0) or an alias (`via` 1) folds to `@key`: the rule
 * of `findByKey`, written once, also used inside the action list's owner lookup
 * (`ActionListRepository.ownersNamed`). A person may come twice.
 */
export const PEOPLE_BY_KEY = `${BY_NAME_KEY}\n  UNION ALL\n  ${BY_ALIAS_KEY}`;

const toPerson = (r: PersonRow): PersonRecord => ({
  id: r.id,
  name: r.name,
  nameKey: r.name_key,
  email: r.email,
  org: r.org,
  kind: r.kind,
  remindersPausedUntil: r.reminders_paused_until,
  mergedIntoId: r.merged_into_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAlias = (r: { id: number; person_id: number; alias: string; alias_key: string }): AliasRecord => ({
  id: r.id,
  personId: r.person_id,
  alias: r.alias,
  aliasKey: r.alias_key,
});

export interface NewPerson {
  name: string;
  nameKey: string;
  email?: string | null;
  org?: string | null;
  kind?: PersonKind;
}

export interface PersonPatch {
  name?: string;
  nameKey?: string;
  email?: string | null;
  org?: string | null;
  kind?: PersonKind;
  remindersPausedUntil?: string | null;
}

/** What a merge did to the merged record's account. */
export interface MergeAccounts {
  /** The role the survivor got from the merged record, when it was higher than its own. */
  roleCarried: Role | null;
  sessionsEnded: number;
  tokensRevoked: number;
}

/** All SQL over `people` and `person_aliases`. Merged records are hidden from lookups. */
export class PeopleRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[number], PersonRow>('SELECT * FROM people WHERE id = ?'),
      list: db.prepare<[], PersonRow>('SELECT * FROM people WHERE merged_into_id IS NULL ORDER BY lower(name), id'),
      // Keyset page of `list`: after (lower(name), id). lower() folds ASCII like NOCASE on SQLite
      // (PostgreSQL folds every letter); both sides fold the same way, so the keyset holds.
      page: db.prepare<{ kName: string | null; kId: number | null; limit: number }, PersonRow>(
        `SELECT * FROM people WHERE merged_into_id IS NULL
           AND (CAST(@kName AS TEXT) IS NULL OR lower(name) > lower(@kName) OR (lower(name) = lower(@kName) AND id > @kId))
         ORDER BY lower(name), id LIMIT @limit`,
      ),
      count: db.prepare('SELECT count(*) FROM people WHERE merged_into_id IS NULL').pluck(),
      // Type-ahead: a word of the name, an alias or the email starting with what was typed.
      prefix: db.prepare<{ key: string; email: string; limit: number }, PersonRow>(
        `SELECT * FROM people p WHERE p.merged_into_id IS NULL AND (
           p.name_key LIKE @key || '%' OR p.name_key LIKE '% ' || @key || '%'
           OR (@email <> '' AND p.email LIKE @email || '%' ESCAPE '\\')
           OR EXISTS (SELECT 1 FROM person_aliases a WHERE a.person_id = p.id AND (a.alias_key LIKE @key || '%')))
         ORDER BY p.name_key NOT LIKE @key || '%', lower(p.name), p.id LIMIT @limit`,
      ),
      byNameKey: db.prepare<{ key: string }, PersonRow>(`SELECT p.* FROM (${BY_NAME_KEY}) AS found JOIN people p ON p.id = found.id ORDER BY p.id`),
      byAliasKey: db.prepare<{ key: string }, PersonRow>(`SELECT p.* FROM (${BY_ALIAS_KEY}) AS found JOIN people p ON p.id = found.id ORDER BY p.id`),
      byKey: db.prepare<{ key: string }, PersonRow>(`SELECT p.* FROM (${PEOPLE_BY_KEY}) AS found JOIN people p ON p.id = found.id ORDER BY found.via, p.id`),
      byEmail: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE email = ?'),
      insert: db.prepare(
        `INSERT INTO people (name, name_key, email, org, kind, created_at, updated_at)
         VALUES (@name, @nameKey, @email, @org, @kind, @now, @now) RETURNING id`,
      ),
      update: db.prepare(
        `UPDATE people SET name = @name, name_key = @nameKey, email = @email, org = @org, kind = @kind,
           reminders_paused_until = @remindersPausedUntil, updated_at = @now WHERE id = @id`,
      ),
      aliasesOf: db.prepare<[number], { id: number; person_id: number; alias: string; alias_key: string }>(
        'SELECT * FROM person_aliases WHERE person_id = ? ORDER BY id',
      ),
      allAliases: db.prepare<[], { id: number; person_id: number; alias: string; alias_key: string }>(
        'SELECT * FROM person_aliases ORDER BY person_id, id',
      ),
      insertAlias: db.prepare(
        'INSERT INTO person_aliases (person_id, alias, alias_key) VALUES (?, ?, ?) ON CONFLICT (person_id, alias_key) DO NOTHING',
      ),
      moveAliases: db.prepare(
        // Aliases the target already has stay behind (and `dropAliases` removes them).
        `UPDATE person_aliases SET person_id = @into WHERE person_id = @from
           AND alias_key NOT IN (SELECT alias_key FROM person_aliases WHERE person_id = @into)`,
      ),
      dropAliases: db.prepare('DELETE FROM person_aliases WHERE person_id = ?'),
      moveAttendance: db.prepare('UPDATE attendance SET person_id = @into WHERE person_id = @from'),
      moveOwners: db.prepare('UPDATE action_owners SET person_id = @into WHERE person_id = @from'),
      moveChairs: db.prepare('UPDATE series SET chair_person_id = @into WHERE chair_person_id = @from'),
      // A merged record signs nobody in: its tokens are revoked, its sessions and unused links end.
      revokeTokens: db.prepare('UPDATE api_tokens SET revoked_at = @now WHERE person_id = @from AND revoked_at IS NULL'),
      endSessions: db.prepare('DELETE FROM sessions WHERE person_id = @from'),
      endLinks: db.prepare('UPDATE sign_in_links SET used_at = @now WHERE person_id = @from AND used_at IS NULL'),
      roleOf: db.prepare<[number], { role: Role }>('SELECT role FROM person_roles WHERE person_id = ?'),
      setRole: db.prepare(`INSERT INTO person_roles (person_id, role, updated_at) VALUES (@into, @role, @now)
        ON CONFLICT (person_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`),
      dropRole: db.prepare('DELETE FROM person_roles WHERE person_id = ?'),
      markMerged: db.prepare(
        'UPDATE people SET merged_into_id = @into, email = NULL, updated_at = @now WHERE id = @from',
      ),
      unresolvedOwners: db.prepare<[], UnresolvedOwnerRow>(
        `SELECT o.name AS name, a.id AS actionId, a.text AS text, a.status AS status,
                m.id AS meetingId, m.date AS meetingDate, s.slug AS seriesSlug
         FROM action_owners o
         JOIN actions a ON a.id = o.action_id
         JOIN meetings m ON m.id = a.origin_meeting_id
         JOIN series s ON s.id = m.series_id
         WHERE o.person_id IS NULL
         ORDER BY lower(o.name), a.id`,
      ),
      unresolvedOwnerSlots: db.prepare<[], UnresolvedSlot>(
        'SELECT action_id AS actionId, position, name FROM action_owners WHERE person_id IS NULL ORDER BY action_id, position',
      ),
      unresolvedAttendanceRows: db.prepare<[], { id: number; name: string }>(
        'SELECT id, name FROM attendance WHERE person_id IS NULL ORDER BY id',
      ),
      linkOwner: db.prepare(
        'UPDATE action_owners SET person_id = @personId WHERE action_id = @actionId AND position = @position AND person_id IS NULL',
      ),
      linkAttendance: db.prepare('UPDATE attendance SET person_id = @personId WHERE id = @id AND person_id IS NULL'),
      ownerNames: db.prepare<[number], { name: string }>(
        `SELECT COALESCE(p.name, o.name) AS name FROM action_owners o LEFT JOIN people p ON p.id = o.person_id
         WHERE o.action_id = ? ORDER BY o.position`,
      ),
      deleteAlias: db.prepare('DELETE FROM person_aliases WHERE person_id = ? AND alias_key = ?'),
      unresolvedAttendees: db.prepare<[], { name: string; meetingId: number; meetingDate: string; seriesSlug: string }>(
        `SELECT t.name AS name, m.id AS meetingId, m.date AS meetingDate, s.slug AS seriesSlug
         FROM attendance t JOIN meetings m ON m.id = t.meeting_id JOIN series s ON s.id = m.series_id
         WHERE t.person_id IS NULL ORDER BY lower(t.name), m.date`,
      ),
    };
  }

  async get(id: number): Promise<PersonRecord | undefined> {
    const r = await this.s.get.get(id);
    return r && toPerson(r);
  }

  /** A page of `list()` after `[name, id]` (keyset), at most `limit` rows. */
  async page(after: [string, number] | null, limit: number): Promise<PersonRecord[]> {
    return (await this.s.page.all({ kName: after?.[0] ?? null, kId: after?.[1] ?? null, limit })).map(toPerson);
  }

  /** How many live people (and groups) there are. */
  async count(): Promise<number> {
    return await this.s.count.get() as number;
  }

  /**
   * Live people whose name (a word of it), an alias or the email starts with `typed`
   * (folded as names are), names starting with it first; at most `limit`.
   */
  async findByPrefix(typed: string, limit = 20): Promise<PersonRecord[]> {
    const key = foldName(typed).replace(/[%_]/g, '');
    const email = typed.includes('@') ? typed.trim().replace(/[\\%_]/g, (c) => `\\${c}`) : '';
    if (!key && !email) return [];
    return (await this.s.prefix.all({ key, email, limit })).map(toPerson);
  }

  /** Live (not merged) people, by name. */
  async list(): Promise<PersonRecord[]> {
    return (await this.s.list.all()).map(toPerson);
  }

  /**
   * The one lookup of people by name or alias: live people (merged records hidden) whose name
   * or an alias folds (`foldName`) to the same key as `nameOrAlias`, each once, name matches
   * first. Empty for text with no letters or digits.
   */
  async findByKey(nameOrAlias: string): Promise<PersonRecord[]> {
    const key = foldName(nameOrAlias);
    if (!key) return [];
    const seen = new Map<number, PersonRecord>();
    for (const r of await this.s.byKey.all({ key })) if (!seen.has(r.id)) seen.set(r.id, toPerson(r));
    return [...seen.values()];
  }

  /** Live people whose own name (not an alias) folds to `key`. */
  async findByNameKey(key: string): Promise<PersonRecord[]> {
    return (await this.s.byNameKey.all({ key })).map(toPerson);
  }

  /** Live people with an alias folding to `key` (e.g. a merged duplicate's email address). */
  async findByAliasKey(key: string): Promise<PersonRecord[]> {
    return (await this.s.byAliasKey.all({ key })).map(toPerson);
  }

  async findByEmail(email: string): Promise<PersonRecord | undefined> {
    const r = await this.s.byEmail.get(email);
    return r && toPerson(r);
  }

  async insert(p: NewPerson, now: string): Promise<number> {
    const info = (await this.s.insert.get({
      name: p.name,
      nameKey: p.nameKey,
      email: p.email ?? null,
      org: p.org ?? null,
      kind: p.kind ?? 'person',
      now,
    })) as { id: number };
    return info.id;
  }

  /** Applies `patch` over the stored record. */
  async update(id: number, patch: PersonPatch, now: string): Promise<void> {
    const cur = await this.get(id);
    if (!cur) return;
    await this.s.update.run({
      id,
      name: patch.name ?? cur.name,
      nameKey: patch.nameKey ?? cur.nameKey,
      email: patch.email !== undefined ? patch.email : cur.email,
      org: patch.org !== undefined ? patch.org : cur.org,
      kind: patch.kind ?? cur.kind,
      remindersPausedUntil:
        patch.remindersPausedUntil !== undefined ? patch.remindersPausedUntil : cur.remindersPausedUntil,
      now,
    });
  }

  async aliasesOf(personId: number): Promise<AliasRecord[]> {
    return (await this.s.aliasesOf.all(personId)).map(toAlias);
  }

  /** Every alias, grouped by person id (for listings without N+1 queries). */
  async aliasesByPerson(): Promise<Map<number, AliasRecord[]>> {
    const map = new Map<number, AliasRecord[]>();
    for (const a of (await this.s.allAliases.all()).map(toAlias)) {
      const list = map.get(a.personId) ?? [];
      list.push(a);
      map.set(a.personId, list);
    }
    return map;
  }

  /** Adds an alias; a second identical alias of the same person is ignored. */
  async addAlias(personId: number, alias: string, aliasKey: string): Promise<void> {
    await this.s.insertAlias.run(personId, alias, aliasKey);
  }

  /**
   * Moves everything that points at `from` to `into` and marks `from` merged. Caller wraps
   * this in a transaction and adds the old name as an alias.
   */
  async mergeInto(from: number, into: number, now: string): Promise<MergeAccounts> {
    const p = { from, into };
    await this.s.moveAliases.run(p);
    await this.s.dropAliases.run(from); // duplicates the target already had
    await this.s.moveAttendance.run(p);
    await this.s.moveOwners.run(p);
    await this.s.moveChairs.run(p);
    const tokensRevoked = (await this.s.revokeTokens.run({ from, now })).changes;
    const sessionsEnded = (await this.s.endSessions.run({ from })).changes;
    await this.s.endLinks.run({ from, now });
    // The higher of the two roles survives (no row = member).
    const rank = (r: Role | undefined) => (r ? ROLE_RANK[r] : ROLE_RANK.member);
    const fromRole = (await this.s.roleOf.get(from))?.role;
    const intoRole = (await this.s.roleOf.get(into))?.role;
    let roleCarried: Role | null = null;
    if (fromRole && rank(fromRole) > rank(intoRole)) {
      await this.s.setRole.run({ into, role: fromRole, now });
      roleCarried = fromRole;
    }
    await this.s.dropRole.run(from);
    await this.s.markMerged.run({ from, into, now });
    return { roleCarried, sessionsEnded, tokensRevoked };
  }

  async unresolvedOwners(): Promise<UnresolvedOwnerRow[]> {
    return await this.s.unresolvedOwners.all();
  }

  async unresolvedAttendees() {
    return await this.s.unresolvedAttendees.all();
  }

  /** Every owner slot still holding an unresolved name (the caller matches folded names). */
  async unresolvedOwnerSlots(): Promise<UnresolvedSlot[]> {
    return await this.s.unresolvedOwnerSlots.all();
  }

  /** Attendance rows whose name is unresolved. */
  async unresolvedAttendanceRows(): Promise<{ id: number; name: string }[]> {
    return await this.s.unresolvedAttendanceRows.all();
  }

  /**
   * Ties one unresolved owner slot to a person (like `mergeInto`, the people directory
   * rewrites ownership here). False when the slot was resolved meanwhile.
   */
  async linkOwner(actionId: number, position: number, personId: number): Promise<boolean> {
    return (await this.s.linkOwner.run({ actionId, position, personId })).changes === 1;
  }

  async linkAttendance(id: number, personId: number): Promise<boolean> {
    return (await this.s.linkAttendance.run({ id, personId })).changes === 1;
  }

  /** An action's owners as shown: the person's name when resolved, else the name as written. */
  async ownerNames(actionId: number): Promise<string[]> {
    return (await this.s.ownerNames.all(actionId)).map((r) => r.name);
  }

  /** Removes one alias (by folded key); false when the person had no such alias. */
  async removeAlias(personId: number, aliasKey: string): Promise<boolean> {
    return (await this.s.deleteAlias.run(personId, aliasKey)).changes > 0;
  }
}
