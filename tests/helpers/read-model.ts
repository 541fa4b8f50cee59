import type { Db } from '../../server/db/connection.js';
import type { Services } from '../../server/container.js';

/**
 * How the read model of the action lists (SQLite's migration 0130, PostgreSQL's 0003) differs
 * from the base tables:
 * an empty list when it matches. Checked against paths that do not read it: the listing of every
 * action as views (`ActionService.list`, from `actions`, `action_owners`, `people`, `meetings`
 * and `series`) serialised by `JSON.stringify`, and each owner row's key recomputed by a join.
 */
export async function readModelDrift(db: Db, services: Services): Promise<string[]> {
  const drift: string[] = [];
  const all = { status: 'all' as const, limit: 5000 };
  const fromViews = (await services.actions.list(all)).map((v) => JSON.stringify(v));
  const fromModel = (JSON.parse(await services.actions.listJson(all)) as { actions: unknown[] }).actions.map((v) => JSON.stringify(v));
  const byId = (rows: string[]) => new Map(rows.map((r) => [(JSON.parse(r) as { id: number }).id, r]));
  const [views, model] = [byId(fromViews), byId(fromModel)];
  for (const [id, json] of views) if (model.get(id) !== json) drift.push(`action ${id}: read model ${model.get(id) ?? 'missing'}, views ${json}`);
  for (const id of model.keys()) if (!views.has(id)) drift.push(`action ${id}: in the read model, not in actions`);
  if (drift.length === 0 && fromViews.join() !== fromModel.join()) drift.push('the read model lists the actions in another order');

  const columns = (await db
    .prepare(
      `SELECT a.id FROM actions a JOIN meetings m ON m.id = a.origin_meeting_id LEFT JOIN action_views v ON v.id = a.id
       WHERE v.id IS NULL OR v.series_id IS DISTINCT FROM m.series_id OR v.status IS DISTINCT FROM a.status OR v.due IS DISTINCT FROM a.due`,
    )
    .pluck()
    .all()) as number[];
  for (const id of columns) drift.push(`action ${id}: action_views' series, status or due differ from the action's`);

  const keys = async (sql: string) => ((await db.prepare(sql).raw().all()) as unknown[][]).map((r) => JSON.stringify(r));
  const kept = await keys('SELECT action_id, position, person_id, name, status, due, series_id FROM action_owner_keys ORDER BY action_id, position');
  const derived = await keys(
    `SELECT o.action_id, o.position, o.person_id, o.name, a.status, a.due, m.series_id
     FROM action_owners o JOIN actions a ON a.id = o.action_id JOIN meetings m ON m.id = a.origin_meeting_id ORDER BY o.action_id, o.position`,
  );
  const keptSet = new Set(kept);
  const derivedSet = new Set(derived);
  for (const k of derived) if (!keptSet.has(k)) drift.push(`owner key missing or stale: ${k}`);
  for (const k of kept) if (!derivedSet.has(k)) drift.push(`owner key without its owner row: ${k}`);
  return drift;
}
