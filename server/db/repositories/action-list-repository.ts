import type { Db } from '../connection.js';
import { inJsonList } from '../sql-lists.js';
import type { Dialect, Statement } from '../database.js';
import type { ActionRecord, ActionRepository, ActionStatus, OwnerRecord } from './action-repository.js';
import { SELECT, SELECT_COLUMNS, SELECT_FROM, toAction, toOwner, type ActionRow } from './action-rows.js';
import { readModelListing } from './action-read-model.js';
import { PEOPLE_BY_KEY } from './people-repository.js';
import { foldName } from '../../../domain/names.js';

/*
 * How the action listings are written in SQL (the joined row, the filters of a listing per
 * dialect, its order and keyset, and the shapes SQLite and PostgreSQL answer in), and the
 * repository that runs them.
 */

export interface ActionQuery {
  status?: ActionStatus | null;
  /** Actions owned by any of these people (uses the action_owners_person index). */
  ownerIds?: number[] | null;
  /** Or owned under this unresolved name (as written, case-insensitive). */
  ownerName?: string | null;
  seriesId?: number | null;
  /** Open actions with a due date before this date. */
  overdueBefore?: string | null;
  limit?: number;
  offset?: number;
  /** Only actions after this sort key (keyset pagination; see `actionSortKey`). */
  after?: ActionSortKey | null;
}

/**
 * `SELECT` with each action's owners as one more column (PostgreSQL): a JSON array of
 * `[position, person_id, written name, directory name, email]` in written order, which pg
 * parses. One statement instead of the listing and then `owners`: a round trip less per list.
 */
const SELECT_WITH_OWNERS = `${SELECT_COLUMNS},
    (SELECT json_agg(json_build_array(o.position, o.person_id, o.name, p.name, p.email) ORDER BY o.position)
       FROM action_owners o LEFT JOIN people p ON p.id = o.person_id WHERE o.action_id = a.id) AS owners_json${SELECT_FROM}`;

/** The WHERE terms and parameters of a listing (shared by `list` and `listJson`). */
function listFilter(dialect: Dialect, q: ActionQuery): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit ?? 500, offset: q.offset ?? 0 };
  if (q.status) {
    where.push('a.status = @status');
    params.status = q.status;
  }
  if (q.overdueBefore) {
    where.push(`a.status = 'open' AND a.due IS NOT NULL AND a.due < @overdueBefore`);
    params.overdueBefore = q.overdueBefore;
  }
  // The owner filter: owning person ids, or an unresolved written name.
  const owner: string[] = [];
  if (q.ownerIds && q.ownerIds.length > 0) {
    owner.push(`SELECT action_id FROM action_owners WHERE ${inJsonList(dialect, 'person_id', '@ownerIds', 'id')}`);
    params.ownerIds = JSON.stringify(q.ownerIds);
  }
  if (q.ownerName) {
    // Each database's own case-insensitive form, matching its index: SQLite's action_owners_unresolved
    // is on `name COLLATE NOCASE`, PostgreSQL's on `lower(name)` (both fold ASCII letters alike).
    const same = dialect === 'sqlite' ? 'name = @ownerName COLLATE NOCASE' : 'lower(name) = lower(@ownerName)';
    owner.push(`SELECT action_id FROM action_owners WHERE person_id IS NULL AND ${same}`);
    params.ownerName = q.ownerName;
  }
  if (owner.length === 0 && (q.ownerIds || q.ownerName)) where.push('1 = 0');
  // SQLite answers an OR of two IN lists from the indexes. PostgreSQL would check every action
  // against both lists (an OR of subplans cannot be a join), and even one IN is planned as a
  // scan of all open actions (it cannot know how few ids the list holds), so there the owner's
  // action ids are computed first and looked up by primary key: `a.id = ANY(ARRAY(...))`.
  else if (owner.length > 0 && dialect === 'sqlite') where.push(`(${owner.map((o) => `a.id IN (${o})`).join(' OR ')})`);
  else if (owner.length > 0) where.push(`a.id = ANY(ARRAY(${owner.join(' UNION ALL ')}))`);
  if (q.seriesId != null) {
    where.push('m.series_id = @seriesId');
    params.seriesId = q.seriesId;
  }
  if (q.after) {
    // Keyset: strictly after the last row of the previous page, in ORDER's terms.
    where.push(`(a.status <> 'open', a.due IS NULL, coalesce(a.due, ''), a.id) > (@k0, @k1, @k2, @k3)`);
    [params.k0, params.k1, params.k2, params.k3] = q.after;
  }
  return { where, params };
}

/** The keyset sort key of an action row, as `ActionQuery.after` takes it (see ORDER). */
export function actionSortKey(a: { status: string; due: string | null; id: number }): ActionSortKey {
  return [a.status !== 'open' ? 1 : 0, a.due === null ? 1 : 0, a.due ?? '', a.id];
}

/** `[not open, no due date, due date or '', id]`: the listing order as values. */
export type ActionSortKey = [number, number, string, number];

/** Open first, then by due date (unknown last) and id. */
const ORDER = `ORDER BY a.status <> 'open', a.due IS NULL, a.due, a.id`;

/** Open actions counted per owner (the dashboard): see `ActionListRepository.openOwnerCounts`. */
export interface OpenOwnerCounts {
  people: { personId: number; name: string; email: string | null; open: number; overdue: number }[];
  names: { name: string; actionId: number; overdue: number }[];
  none: { open: number; overdue: number };
  total: { open: number; overdue: number };
}

/** One owner in `SELECT_WITH_OWNERS`'s `owners_json`: position, person id, written name, directory name, email. */
type OwnerTuple = [number, number | null, string, string | null, string | null];

/**
 * The action listings: filtered and paged lists (as records, with owners, or as the API's JSON),
 * their counts, and the dashboard's counts per owner. Statements per combination of filters
 * are prepared on first use and kept.
 */
export class ActionListRepository {
  /** Listing statements, one per combination of filters, prepared on first use. */
  private readonly listCache = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** For the owners of listed actions where they are read apart (SQLite). */
    private readonly actions: Pick<ActionRepository, 'owners' | 'getMany'>,
  ) {}

  /** Filtered listing; open first, then by due date (unknown last) and id. */
  async list(q: ActionQuery = {}): Promise<ActionRecord[]> {
    const { where, params } = listFilter(this.db.dialect, q);
    return (await this.listStatement(SELECT, where).all(params) as ActionRow[]).map(toAction);
  }

  /**
   * `list(q)` and `owners` of its rows. On PostgreSQL in one statement (`SELECT_WITH_OWNERS`),
   * a round trip less than the two calls, which SQLite makes in-process.
   */
  async listWithOwners(q: ActionQuery = {}): Promise<{ rows: ActionRecord[]; owners: Map<number, OwnerRecord[]> }> {
    if (this.db.dialect === 'sqlite') {
      const rows = await this.list(q);
      return { rows, owners: await this.actions.owners(rows.map((r) => r.id)) };
    }
    const { where, params } = listFilter(this.db.dialect, q);
    const found = (await this.listStatement(SELECT_WITH_OWNERS, where).all(params)) as Array<ActionRow & { owners_json: OwnerTuple[] | null }>;
    const owners = new Map<number, OwnerRecord[]>();
    for (const r of found) {
      if (r.owners_json === null) continue; // no owners: absent, as `owners` answers
      owners.set(r.id, r.owners_json.map(([position, personId, writtenName, personName, email]) => toOwner(r.id, position, personId, writtenName, personName, email)));
    }
    return { rows: found.map(toAction), owners };
  }

  /**
   * The same listing as `list`, each action as the JSON of its `ActionView` (owners included,
   * `overdue` against `today`), paged and read from the read model (action-read-model.ts): the
   * API list sends these bytes without reading an action row, building an object per row and
   * owner, or serialising it. Key order and escaping are those of `JSON.stringify` over
   * `ActionService.views` (pinned by tests, on both databases).
   */
  async listJson(q: ActionQuery, today: string): Promise<string[]> {
    const { json, params } = readModelListing(this.db.dialect, q);
    return await this.prepared(json).pluck().all({ ...params, today }) as string[];
  }

  /**
   * Who `written` names as an owner, in one statement: the people whose name or an alias folds
   * to the same key (people-repository's lookup, `PEOPLE_BY_KEY`), and whether an owner not tied
   * to a person is written so (case aside): a listing reads that owner's rows only then.
   */
  async ownersNamed(written: string): Promise<{ ids: number[]; unresolved: boolean }> {
    const name = written.trim();
    const same = this.db.dialect === 'sqlite' ? 'name = @name COLLATE NOCASE' : 'lower(name) = lower(@name)';
    const found = await this.prepared(
      `SELECT id FROM (${PEOPLE_BY_KEY}) AS named
       UNION ALL SELECT NULL WHERE EXISTS (SELECT 1 FROM action_owners WHERE person_id IS NULL AND ${same})`,
    ).pluck().all({ key: foldName(name), name }) as (number | null)[];
    return { ids: [...new Set(found.filter((id): id is number => id !== null))], unresolved: found.includes(null) };
  }

  /** How many actions match `q` (its limit, offset and cursor aside), from the read model. */
  async count(q: ActionQuery): Promise<number> {
    const { matches, params } = readModelListing(this.db.dialect, { ...q, after: null });
    delete params.limit;
    delete params.offset;
    return await this.prepared(`SELECT count(*) FROM (${matches}) AS matching`).pluck().get(params) as number;
  }

  /** Listing statements, one per combination of filters, prepared on first use. */
  private listStatement(select: string, where: string[]): Statement {
    return this.prepared(`${select} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${ORDER} LIMIT @limit OFFSET @offset`);
  }

  private prepared(sql: string): Statement {
    let stmt = this.listCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.listCache.set(sql, stmt);
    }
    return stmt;
  }

  /** Actions by id, in the order given (ids not found are left out). */
  async byIds(ids: number[]): Promise<ActionRecord[]> {
    return await this.actions.getMany(ids);
  }

  /**
   * Open actions counted per owner without reading them (the dashboard): per resolved person
   * (with the person's name and email), per written name not tied to a person (one row per
   * name and action, to be grouped by the caller's key), and those without any owner.
   */
  async openOwnerCounts(today: string): Promise<OpenOwnerCounts> {
    const OVERDUE = `a.due IS NOT NULL AND a.due < @today`;
    return {
      people: await this.prepared(
        `SELECT p.id AS personId, p.name AS name, p.email AS email, count(DISTINCT a.id) AS open,
           count(DISTINCT CASE WHEN ${OVERDUE} THEN a.id END) AS overdue
         FROM action_owners o JOIN actions a ON a.id = o.action_id JOIN people p ON p.id = o.person_id
         WHERE a.status = 'open' AND o.person_id IS NOT NULL GROUP BY p.id ORDER BY p.id`,
      ).all({ today }) as { personId: number; name: string; email: string | null; open: number; overdue: number }[],
      names: await this.prepared(
        `SELECT o.name AS name, a.id AS actionId, CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END AS overdue
         FROM action_owners o JOIN actions a ON a.id = o.action_id
         WHERE a.status = 'open' AND o.person_id IS NULL ORDER BY a.id, o.position`,
      ).all({ today }) as { name: string; actionId: number; overdue: number }[],
      none: await this.prepared(
        `SELECT count(*) AS open, count(CASE WHEN ${OVERDUE} THEN 1 END) AS overdue FROM actions a
         WHERE a.status = 'open' AND NOT EXISTS (SELECT 1 FROM action_owners o WHERE o.action_id = a.id)`,
      ).get({ today }) as { open: number; overdue: number },
      total: await this.prepared(`SELECT count(*) AS open, count(CASE WHEN ${OVERDUE} THEN 1 END) AS overdue FROM actions a WHERE a.status = 'open'`).get({ today }) as {
        open: number;
        overdue: number;
      },
    };
  }

  /**
   * Ids of the most urgent open actions of one owner: a person, written names not tied to a
   * person, or nobody (`owner` null). Overdue first, then by due date (none last), then oldest.
   */
  async mostUrgentOpen(owner: { personId: number } | { names: string[] } | null, today: string, limit: number): Promise<number[]> {
    const who =
      owner === null
        ? `NOT EXISTS (SELECT 1 FROM action_owners o WHERE o.action_id = a.id)`
        : 'personId' in owner
          ? `a.id IN (SELECT action_id FROM action_owners WHERE person_id = @personId)`
          : `a.id IN (SELECT action_id FROM action_owners WHERE person_id IS NULL AND ${inJsonList(this.db.dialect, 'name', '@names', 'text')})`;
    return await this.prepared(
      `SELECT a.id FROM actions a WHERE a.status = 'open' AND ${who}
       ORDER BY (a.due IS NOT NULL AND a.due < @today) DESC, a.due IS NULL, a.due, a.id LIMIT @limit`,
    )
      .pluck()
      .all({
        today,
        limit,
        personId: owner && 'personId' in owner ? owner.personId : null,
        names: owner && 'names' in owner ? JSON.stringify(owner.names) : null,
      }) as number[];
  }
}
