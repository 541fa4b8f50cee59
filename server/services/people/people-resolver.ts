/**
 * Ties names written in one meeting's minutes to the people directory, inside the import's
 * transaction. Order (DESIGN.md): attendees of the same minutes, then directory names and
 * aliases (folded: case- and accent-insensitive). Unknown attendees become people without
 * email; an ambiguous name stays unresolved, never guessed.
 */
import { foldName } from '../../../domain/names.js';
import type { ParsedMinutes } from '../../../parsers/types.js';
import type { PeopleRepository, PersonRecord } from '../../db/repositories/people-repository.js';
import type { NewAttendance } from '../../db/repositories/attendance-repository.js';

/**
 * Owner names that stand for a group rather than a person ("ALL", "Chairs", "TSC members").
 * Such an owner becomes (or matches) a `kind='group'` directory entry, as does an owner that
 * is the organisation of an attendee ("AIS Burlington").
 */
const GROUP_WORDS = new Set(
  `all everyone everybody anyone chairs cochairs maintainers maintainer team tsc tc toc cpc board
   staff group wg sig council committee members reviewers owners editors organizers organisers admins
   volunteers contributors steering leads folks community`.split(/\s+/),
);

export interface ResolvedName {
  personId: number | null;
  name: string;
}

export class PeopleResolver {
  /** Attendee key -> person id (null: the attendee name itself was ambiguous). */
  private readonly attendees = new Map<string, number | null>();
  /** First word / handle of attendees -> person ids, for owners written by first name. */
  private readonly shortNames = new Map<string, Set<number | null>>();
  private readonly orgs = new Set<string>();
  /** Names created or looked up during this meeting (cache of directory answers). */
  private readonly cache = new Map<string, ResolvedName>();

  constructor(
    private readonly repo: PeopleRepository,
    private readonly now: string,
  ) {}

  /** Resolves (creating where unknown) attendees and absentees; returns attendance rows. */
  async attendance(parsed: ParsedMinutes): Promise<NewAttendance[]> {
    const rows: NewAttendance[] = [];
    const seen = new Set<string>();
    const add = async (name: string, status: 'present' | 'absent', org: string | null, handle: string | null, role: string | null) => {
      const key = foldName(name);
      if (!key || seen.has(key)) return;
      seen.add(key);
      const personId = await this.attendee(name, org, handle);
      this.attendees.set(key, personId);
      const short = [key.split(' ')[0], handle ? foldName(handle) : ''].filter(Boolean);
      for (const s of short) {
        const set = this.shortNames.get(s) ?? new Set();
        set.add(personId);
        this.shortNames.set(s, set);
      }
      if (org) this.orgs.add(foldName(org));
      rows.push({ personId, name: name.trim(), status, role, org, handle });
    };
    for (const a of parsed.attendees) await add(a.name, 'present', a.org, a.handle, a.role);
    for (const a of parsed.absent) await add(a.name, 'absent', null, null, null);
    return rows;
  }

  /** An action's owners (`owner` each), without the blank ones. */
  async owners(written: readonly string[]): Promise<ResolvedName[]> {
    const out: ResolvedName[] = [];
    for (const o of written) {
      const r = await this.owner(o);
      if (foldName(r.name)) out.push(r);
    }
    return out;
  }

  /** An owner: this meeting's attendees, then the directory, then a group, else unresolved. */
  async owner(written: string): Promise<ResolvedName> {
    const name = written.trim().replace(/^@/, '');
    const key = foldName(name);
    if (!key) return { personId: null, name: written.trim() };
    if (this.attendees.has(key)) return { personId: this.attendees.get(key)!, name };
    const short = this.shortNames.get(key);
    if (short) {
      // Two attendees share the first name: say nothing rather than guess.
      return { personId: short.size === 1 ? [...short][0] : null, name };
    }
    const cached = this.cache.get(key);
    if (cached) return { ...cached, name };
    const hits = await this.directory(key);
    let personId: number | null = null;
    if (hits.length === 1) personId = hits[0].id;
    else if (hits.length === 0) {
      if (this.orgs.has(key) || isGroupName(key)) {
        personId = await this.repo.insert({ name, nameKey: key, kind: 'group' }, this.now);
      } else if (looksLikeFullName(name)) {
        personId = await this.repo.insert({ name, nameKey: key }, this.now);
      }
      // A lone unknown first name or handle stays unresolved: it may be anyone.
    }
    const r = { personId, name };
    this.cache.set(key, r);
    return r;
  }

  private async attendee(name: string, org: string | null, handle: string | null): Promise<number | null> {
    const key = foldName(name);
    const cached = this.cache.get(key);
    if (cached) return cached.personId;
    let hits = await this.directory(key);
    if (hits.length === 0 && handle) hits = await this.directory(foldName(handle));
    let id: number | null = null;
    if (hits.length === 1) {
      id = hits[0].id;
      if (org && !hits[0].org) await this.repo.update(id, { org }, this.now);
    } else if (hits.length === 0) {
      id = await this.repo.insert({ name: name.trim(), nameKey: key, org }, this.now);
    }
    if (id !== null && handle && foldName(handle) !== key) await this.repo.addAlias(id, handle, foldName(handle));
    this.cache.set(key, { personId: id, name });
    return id;
  }

  private async directory(key: string): Promise<PersonRecord[]> {
    return await this.repo.findByKey(key);
  }
}

function isGroupName(key: string): boolean {
  const words = key.split(' ');
  return words.some((w) => GROUP_WORDS.has(w));
}

/** Two to four capitalised words ("Ross Philipson", "Kohsuke Kawaguchi"): a new person. */
function looksLikeFullName(name: string): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  return words.length >= 2 && words.length <= 4 && words.every((w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w));
}
