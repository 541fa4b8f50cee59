import type BetterSqlite3 from 'better-sqlite3';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * Copies every table of a SQLite database into an empty, migrated PostgreSQL database, in ONE
 * PostgreSQL transaction (`minutes migrate-to-postgres`):
 *
 * - tables in foreign-key order (read from PostgreSQL's constraints), rows in primary-key order,
 *   ids kept; a self-reference (people.merged_into_id, decisions.superseded_by_id) is written
 *   NULL first and set once the whole table is in, since a row may point to a later one;
 * - batched multi-row INSERTs (up to `batchRows` rows, under PostgreSQL's 65,535 parameters);
 * - `schema_migrations` is not copied (the target has its own list of PostgreSQL migrations);
 * - `search_fts` is not copied: the PostgreSQL schema's triggers fill it as decisions and
 *   actions are inserted; minutes are indexed when a meeting's `current_revision_id` is set, and
 *   meetings are copied before their revisions, so that column is set again (to the same value)
 *   once the revisions are in, which fires the schema's own trigger;
 * - each identity sequence is set past the largest id copied; after COMMIT, ANALYZE;
 * - before COMMIT each table's row count and a checksum of its primary key (sum of integer key
 *   columns, total length of text ones) are compared on both sides, and `search_fts`'s row
 *   count and rowid sum with SQLite's FTS table; a difference throws (naming the table), which
 *   rolls everything back.
 *
 * The SQLite side is read in one read transaction (a consistent snapshot even while a server
 * writes to it). The caller checks the source is a Minutes database at the current schema.
 */
export interface CopyProgress {
  table: string;
  /** Rows copied so far, over all tables, and the total to copy. */
  done: number;
  total: number;
}

export interface CopiedTable {
  table: string;
  rows: number;
}

export interface CopyResult {
  tables: CopiedTable[];
  rows: number;
  /** Rows of search_fts the triggers wrote. */
  searchRows: number;
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

/** Tables never copied: the migrations list of each database, the full-text index (see above), and the action lists' read model (rebuilt from the copied rows). */
const NOT_COPIED = new Set(['schema_migrations', 'search_fts', 'action_views', 'action_owner_keys']);
const PG_MAX_PARAMETERS = 65_535;

interface TargetTable {
  name: string;
  /** Columns to write (generated columns left out), in PostgreSQL's order. */
  columns: string[];
  identity: string | null;
  primaryKey: { column: string; integer: boolean }[];
  /** Columns referencing this same table. */
  selfRefs: string[];
}

type Row = unknown[];

export async function copySqliteToPostgres(
  source: BetterSqlite3.Database,
  target: PostgresDatabase,
  opts: { batchRows?: number; onProgress?: (p: CopyProgress) => void } = {},
): Promise<CopyResult> {
  const batchRows = opts.batchRows ?? 1000;
  const tables = await targetTables(target);
  checkSameTables(source, tables);

  source.exec('BEGIN');
  try {
    // The read snapshot starts at the first read.
    const counts = new Map(tables.map((t) => [t.name, (source.prepare(`SELECT count(*) FROM "${t.name}"`).pluck().get() as number) ?? 0]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const result = await target.transaction(async () => {
      // The read model's triggers wait (see postgres-migrations/0003): rebuilt in one pass below.
      await target.exec(`SET LOCAL minutes.read_model_deferred = 'on'`);
      for (const t of [...tables.map((x) => x.name), 'search_fts']) {
        if (await target.get(`SELECT 1 FROM "${t}" LIMIT 1`)) {
          throw new CopyRefused(`the PostgreSQL database already holds data (table ${t} is not empty); migrate into a new, empty database`);
        }
      }
      let done = 0;
      const copied: CopiedTable[] = [];
      opts.onProgress?.({ table: tables[0]?.name ?? '', done, total });
      for (const t of tables) {
        let rows: number;
        try {
          rows = await copyTable(source, target, t, batchRows, (n) => {
            done += n;
            opts.onProgress?.({ table: t.name, done, total });
          });
        } catch (err) {
          throw new CopyRefused(`table ${t.name}: ${(err as Error).message.split('\n')[0]}; nothing was migrated`);
        }
        copied.push({ table: t.name, rows });
      }
      // Index the minutes text: the meetings trigger fires on an UPDATE naming current_revision_id.
      await target.run('UPDATE meetings SET current_revision_id = current_revision_id WHERE current_revision_id IS NOT NULL');
      await target.exec(`SET LOCAL minutes.read_model_deferred = 'off'`);
      await target.exec('SELECT action_read_model_rebuild()');
      for (const t of tables) if (t.identity) await setSequence(target, t.name, t.identity);
      await verify(source, target, tables);
      const searchRows = await verifySearch(source, target);
      return { tables: copied, rows: done, searchRows };
    });
    // Planner statistics now, not when autovacuum gets to the new tables: the first requests
    // after the switch are planned on the real row counts.
    await target.exec('ANALYZE');
    return result;
  } finally {
    if (source.inTransaction) source.exec('ROLLBACK');
  }
}

/** The target's tables to fill, parents before children, each with its columns and keys. */
async function targetTables(target: PostgresDatabase): Promise<TargetTable[]> {
  const names = (
    await target.all<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  )
    .map((r) => r.name)
    .filter((n) => !NOT_COPIED.has(n));
  const cols = await target.all<{ t: string; c: string; generated: string; identity: string }>(
    `SELECT table_name AS t, column_name AS c, is_generated AS generated, is_identity AS identity
       FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const keys = await target.all<{ t: string; c: string; type: string }>(
    `SELECT cl.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos)
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY cl.relname, k.pos`,
  );
  const fks = await target.all<{ child: string; parent: string; c: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS c
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const byName = new Map<string, TargetTable>(
    names.map((name) => [
      name,
      {
        name,
        columns: cols.filter((c) => c.t === name && c.generated !== 'ALWAYS').map((c) => c.c),
        identity: cols.find((c) => c.t === name && c.identity === 'YES')?.c ?? null,
        primaryKey: keys.filter((k) => k.t === name).map((k) => ({ column: k.c, integer: /^(bigint|integer|smallint)$/.test(k.type) })),
        selfRefs: fks.filter((f) => f.child === name && f.parent === name).map((f) => f.c),
      },
    ]),
  );
  // Depth-first topological order over the foreign keys (self-references aside).
  const parents = new Map(names.map((n) => [n, new Set(fks.filter((f) => f.child === n && f.parent !== n && byName.has(f.parent)).map((f) => f.parent))]));
  const ordered: TargetTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, path: string[]): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, n].join(' -> ')}`);
    state.set(n, 'visiting');
    for (const p of [...parents.get(n)!].sort()) visit(p, [...path, n]);
    state.set(n, 'done');
    ordered.push(byName.get(n)!);
  };
  for (const n of names) visit(n, []);
  return ordered;
}

/** Refuses when a table or column of one side is missing on the other (schemas out of step). */
function checkSameTables(source: BetterSqlite3.Database, tables: TargetTable[]): void {
  const sourceTables = new Set(
    (source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_fts%' ESCAPE '\\'`).pluck().all() as string[]).filter(
      (n) => !NOT_COPIED.has(n),
    ),
  );
  for (const t of tables) {
    if (!sourceTables.has(t.name)) throw new CopyRefused(`the SQLite database has no table ${t.name}; its schema does not match this version of Minutes`);
    const sourceCols = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t.name) as string[]));
    for (const c of t.columns) {
      if (!sourceCols.has(c)) throw new CopyRefused(`the SQLite table ${t.name} has no column ${c}; its schema does not match this version of Minutes`);
    }
    for (const c of sourceCols) {
      if (!t.columns.includes(c)) throw new CopyRefused(`the PostgreSQL table ${t.name} has no column ${c} (the SQLite one has); the two schemas are out of step`);
    }
    sourceTables.delete(t.name);
  }
  if (sourceTables.size > 0) throw new CopyRefused(`the PostgreSQL schema has no table ${[...sourceTables].sort().join(', ')} (the SQLite one has)`);
}

/** Copies one table in batches of multi-row INSERTs; answers the rows copied. */
async function copyTable(
  source: BetterSqlite3.Database,
  target: PostgresDatabase,
  t: TargetTable,
  batchRows: number,
  progress: (n: number) => void,
): Promise<number> {
  const cols = t.columns;
  const list = cols.map((c) => `"${c}"`).join(', ');
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(PG_MAX_PARAMETERS / cols.length)));
  const selfIdx = t.selfRefs.map((c) => cols.indexOf(c));
  // Keyset pagination on rowid (every Minutes table is a rowid table): no iterator held open
  // across awaits, each page one indexed range scan.
  const page = source.prepare(`SELECT rowid, ${list} FROM "${t.name}" WHERE rowid > ? ORDER BY rowid LIMIT ${perBatch}`).raw();
  const texts = new Map<number, string>();
  const insertText = (n: number): string => {
    let text = texts.get(n);
    if (text === undefined) {
      const rows: string[] = [];
      for (let r = 0; r < n; r++) rows.push(`(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`);
      text = `INSERT INTO "${t.name}" (${list}) VALUES ${rows.join(', ')}`;
      texts.set(n, text);
    }
    return text;
  };
  const later: { key: unknown[]; values: unknown[] }[] = [];
  let last = Number.MIN_SAFE_INTEGER;
  let copied = 0;
  for (;;) {
    const rows = page.all(last) as Row[];
    if (rows.length === 0) break;
    const values: unknown[] = [];
    for (const row of rows) {
      const data = row.slice(1);
      if (selfIdx.some((i) => data[i] !== null)) {
        later.push({ key: t.primaryKey.map((k) => data[cols.indexOf(k.column)]), values: selfIdx.map((i) => data[i]) });
        for (const i of selfIdx) data[i] = null;
      }
      for (const v of data) values.push(v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v);
    }
    await target.send(insertText(rows.length), values, 'object');
    last = rows[rows.length - 1]![0] as number;
    copied += rows.length;
    progress(rows.length);
  }
  if (later.length > 0) {
    const where = t.primaryKey.map((k, i) => `"${k.column}" = $${i + 1}`).join(' AND ');
    const set = t.selfRefs.map((c, i) => `"${c}" = $${t.primaryKey.length + i + 1}`).join(', ');
    for (const l of later) await target.send(`UPDATE "${t.name}" SET ${set} WHERE ${where}`, [...l.key, ...l.values], 'object');
  }
  return copied;
}

async function setSequence(target: PostgresDatabase, table: string, column: string): Promise<void> {
  // An empty table keeps the sequence at its start (the next id is 1, as on a new database).
  await target.get(
    `SELECT setval(pg_get_serial_sequence('"${table}"', '${column}'), m, true) FROM (SELECT max("${column}") AS m FROM "${table}") x WHERE m IS NOT NULL`,
  );
}

/** Row count and a key checksum per table, equal on both sides, else a CopyRefused naming the table. */
async function verify(source: BetterSqlite3.Database, target: PostgresDatabase, tables: TargetTable[]): Promise<void> {
  for (const t of tables) {
    const sums = t.primaryKey.map((k) => (k.integer ? `coalesce(sum("${k.column}"), 0)` : `coalesce(sum(length("${k.column}")), 0)`));
    const sql = `SELECT ${['count(*)', ...sums].join(', ')} FROM "${t.name}"`;
    const a = (source.prepare(sql).raw().get() as unknown[]).map(Number);
    const b = ((await target.send(sql, [], 'raw')).rows[0] as unknown[]).map(Number);
    if (a[0] !== b[0]) throw new CopyRefused(`table ${t.name}: ${a[0]} rows in SQLite but ${b[0]} in PostgreSQL after the copy; nothing was migrated`);
    if (a.some((x, i) => x !== b[i])) throw new CopyRefused(`table ${t.name}: the ids copied differ from SQLite's (key checksum); nothing was migrated`);
  }
}

/** The triggers' search_fts against SQLite's FTS table: same rows (count and rowid sum). */
async function verifySearch(source: BetterSqlite3.Database, target: PostgresDatabase): Promise<number> {
  const sql = 'SELECT count(*), coalesce(sum(rowid), 0) FROM search_fts';
  const a = (source.prepare(sql).raw().get() as unknown[]).map(Number);
  const b = ((await target.send(sql, [], 'raw')).rows[0] as unknown[]).map(Number);
  if (a[0] !== b[0] || a[1] !== b[1]) {
    throw new CopyRefused(`table search_fts: ${a[0]} rows in SQLite's full-text index but ${b[0]} indexed in PostgreSQL after the copy; nothing was migrated`);
  }
  return b[0]!;
}
