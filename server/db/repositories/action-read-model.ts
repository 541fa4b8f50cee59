import type { Dialect } from '../database.js';
import type { ActionQuery } from './action-list-repository.js';

/*
 * The action listings over the read model (SQLite's migration 0130, PostgreSQL's 0003:
 * `action_views`, one JSON head per action, and `action_owner_keys`, one row per owner with the
 * action's status, due date and series), as the API list pages them: the matching actions'
 * `id, status, due` in list order.
 *
 * One owner's page is one walk of `action_owner_keys_person` (person, status, due) and a
 * series' page one walk of `action_views_series`, both already in list order: no action row is
 * read to filter or sort. Several owners (ids of a name and the name as written, unresolved)
 * are one branch each, merged with UNION (an action owned twice is listed once).
 */

/** The listing order; with one status (or overdue, always open), its first term is constant. */
const ORDER_ALL = `ORDER BY status <> 'open', due IS NULL, due, id`;
const ORDER_ONE_STATUS = `ORDER BY due IS NULL, due, id`;

export interface ReadModelListing {
  /** `SELECT id, status, due ...` of every match, unordered and uncut. */
  matches: string;
  /** `matches` in list order, cut by `@limit` and `@offset`. */
  page: string;
  params: Record<string, unknown>;
}

/** The read-model SQL of a listing (`q.limit` and `q.offset` are bound, not written in). */
export function readModelListing(dialect: Dialect, q: ActionQuery): ReadModelListing {
  const params: Record<string, unknown> = { limit: q.limit ?? 500, offset: q.offset ?? 0 };
  // Filters on status, due and series: the same columns in both tables.
  const terms: string[] = [];
  if (q.status) {
    terms.push('status = @status');
    params.status = q.status;
  }
  if (q.overdueBefore) {
    terms.push(`status = 'open' AND due IS NOT NULL AND due < @overdueBefore`);
    params.overdueBefore = q.overdueBefore;
  }
  if (q.seriesId != null) {
    terms.push('series_id = @seriesId');
    params.seriesId = q.seriesId;
  }
  const keyset = (id: string) => `(status <> 'open', due IS NULL, coalesce(due, ''), ${id}) > (@k0, @k1, @k2, @k3)`;
  if (q.after) [params.k0, params.k1, params.k2, params.k3] = q.after;
  const where = (id: string, first: string[]) => {
    const all = [...first, ...terms, ...(q.after ? [keyset(id)] : [])];
    return all.length ? ` WHERE ${all.join(' AND ')}` : '';
  };

  let matches: string;
  if (q.ownerIds || q.ownerName) {
    // One branch per owner: a person's id, or the name as written where no person is tied.
    const owners: string[] = [];
    (q.ownerIds ?? []).forEach((id, i) => {
      owners.push(`person_id = @owner${i}`);
      params[`owner${i}`] = id;
    });
    if (q.ownerName) {
      // Each database's case-insensitive form, as its action_owner_keys_unresolved index has it.
      owners.push(`person_id IS NULL AND ${dialect === 'sqlite' ? 'name = @ownerName COLLATE NOCASE' : 'lower(name) = lower(@ownerName)'}`);
      params.ownerName = q.ownerName;
    }
    if (owners.length === 0) owners.push('false');
    // One person may own an action twice (two written names resolved to one person): DISTINCT on
    // one owner's rows, UNION across owners. A compound SELECT may only be ordered by its columns,
    // and PostgreSQL's DISTINCT only by its columns too, so those are wrapped (SQLite's single
    // owner is not: it keeps the index's order, and the page stops at its limit).
    const select = `SELECT${owners.length === 1 ? ' DISTINCT' : ''} action_id AS id, status, due FROM action_owner_keys`;
    const owned = owners.map((o) => select + where('action_id', [o])).join(' UNION ');
    matches = owners.length === 1 && dialect === 'sqlite' ? owned : `SELECT id, status, due FROM (${owned}) AS owned`;
  } else {
    matches = 'SELECT id, status, due FROM action_views' + where('id', []);
  }
  const order = q.status || q.overdueBefore ? ORDER_ONE_STATUS : ORDER_ALL;
  return { matches, page: `${matches} ${order} LIMIT @limit OFFSET @offset`, params };
}

/**
 * The page's JSON, one text per action in list order: each `json_head` completed with
 * `"overdue"` (against `@today`) and the closing brace.
 */
export function readModelJson(dialect: Dialect, page: string): string {
  // SQLite's CROSS JOIN keeps the page as the outer loop; PostgreSQL has no CROSS JOIN ... ON.
  return `SELECT v.json_head || CASE WHEN k.status = 'open' AND k.due IS NOT NULL AND k.due < @today THEN ',"overdue":true}' ELSE ',"overdue":false}' END
  FROM (${page}) k ${dialect === 'sqlite' ? 'CROSS JOIN' : 'JOIN'} action_views v ON v.id = k.id
  ORDER BY k.status <> 'open', k.due IS NULL, k.due, k.id`;
}
