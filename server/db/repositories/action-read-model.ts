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

/**
 * The listing order over columns `status`, `due` and the action's id (`id`, or `action_id` in
 * `action_owner_keys`), each with the table's prefix `t`; with one status (or overdue, always
 * open), its first term is constant and left out.
 */
const ORDER_ALL = (t: string, id: string) => `ORDER BY ${t}status <> 'open', ${t}due IS NULL, ${t}due, ${t}${id}`;
const ORDER_ONE_STATUS = (t: string, id: string) => `ORDER BY ${t}due IS NULL, ${t}due, ${t}${id}`;

export interface ReadModelListing {
  /** `SELECT id, status, due ...` of every match, unordered and uncut. */
  matches: string;
  /** `matches` in list order, cut by `@limit` and `@offset`. */
  page: string;
  /**
   * The page's JSON, one text per action in list order: each `json_head` completed with
   * `"overdue"` (against `@today`) and the closing brace.
   */
  json: string;
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
  let json: string | undefined;
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
    // owner is not: it keeps the index's order, and the page stops at its limit). The single
    // owner's DISTINCT names the index's columns in the index's order (`due IS NULL, due,
    // action_id`): SQLite then sees that equal rows come one after another and drops repeats as
    // it walks, instead of keeping every row seen in a temporary b-tree.
    const select = owners.length === 1
      ? 'SELECT DISTINCT due IS NULL AS undated, due, action_id AS id, status FROM action_owner_keys'
      : 'SELECT action_id AS id, status, due FROM action_owner_keys';
    const owned = owners.map((o) => select + where('action_id', [o])).join(' UNION ');
    matches = owners.length === 1 && dialect === 'sqlite' ? owned : `SELECT id, status, due FROM (${owned}) AS owned`;
    // One owner and one status: the page's JSON in one walk of the index, already in list order
    // (with every status the order starts with the status, which the index cannot give: every
    // match would get its JSON read before the sort, so that page keeps the general form). An
    // owner's repeated rows are one group (the action's columns are equal in each), and each
    // action's JSON is read by primary key as its row is sent. PostgreSQL wants every column the
    // select reads in the GROUP BY (`status`, equal in each group anyway); SQLite, given it there,
    // would sort the groups again.
    if (owners.length === 1 && (q.status || q.overdueBefore)) {
      json = `SELECT (SELECT json_head FROM action_views WHERE id = action_id) || ${OVERDUE_TAIL('')} FROM action_owner_keys${where('action_id', [owners[0]])}
        GROUP BY due IS NULL, due, action_id${dialect === 'postgres' ? ', status' : ''} ${ORDER(q, 'action_id')} LIMIT @limit OFFSET @offset`;
    }
  } else {
    matches = 'SELECT id, status, due FROM action_views' + where('id', []);
  }
  const page = `${matches} ${ORDER(q)} LIMIT @limit OFFSET @offset`;
  return { matches, page, json: json ?? pageJson(dialect, page), params };
}

/** The list order of `q`'s matches. */
const ORDER = (q: ActionQuery, id = 'id') => (q.status || q.overdueBefore ? ORDER_ONE_STATUS : ORDER_ALL)('', id);

/** What completes a `json_head`: `"overdue"` (against `@today`) and the closing brace; `t` is the table's prefix. */
const OVERDUE_TAIL = (t: string) =>
  `CASE WHEN ${t}status = 'open' AND ${t}due IS NOT NULL AND ${t}due < @today THEN ',"overdue":true}' ELSE ',"overdue":false}' END`;

/** The JSON of each action of `page` (its `id, status, due` in list order), in that order. */
function pageJson(dialect: Dialect, page: string): string {
  // SQLite's CROSS JOIN keeps the page as the outer loop; PostgreSQL has no CROSS JOIN ... ON.
  return `SELECT v.json_head || ${OVERDUE_TAIL('k.')}
  FROM (${page}) k ${dialect === 'sqlite' ? 'CROSS JOIN' : 'JOIN'} action_views v ON v.id = k.id
  ${ORDER_ALL('k.', 'id')}`;
}
