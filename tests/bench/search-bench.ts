/**
 * Full-text search speed on SQLite (FTS5) and PostgreSQL (tsvector + GIN), the same rows on
 * both: the HTTP bench's 100,000 actions, plus the minutes text of its 1,000 meetings
 * (generated minutes of about 4 KB each, indexed by the triggers). Each query of a mix (a
 * word in every action, a word in a tenth of them, a rare pair, a prefix, a word only the
 * minutes hold, a phrase, nothing, with a kind or series filter) is run through the search
 * service, first page of 20, median of 9 after a warm-up; the PostgreSQL side reads over
 * connections of its own (as a server started after the migration would), not the copier's.
 * Printed: each query's time on both, and the PostgreSQL/SQLite speed ratio (SQLite time /
 * PostgreSQL time) per query and as their geometric mean. Target: >= 0.5x.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/connection.js';
import { createServices } from '../../server/container.js';
import { generateMeeting } from '../helpers/generate-minutes.js';
import { benchPostgres, postgresCopyOf } from './bench-postgres.js';
import { seedActions, BENCH_SHAPE } from './bench-seed.js';

const RUNS = 9;
const SECRET = 'bench-secret-0123456789abcdef-0123456789';

/** [label, query, options]: what people type, from everything to nothing. */
const MIX: [string, string, { kind?: 'minutes' | 'decision' | 'action'; series?: string }][] = [
  ['a word in every action', 'upstream', {}],
  ['a word in every action, actions of one series', 'maintainers', { series: 's3' }],
  ['a tenth of the actions', 'item 4*', {}],
  ['one action', 'item 4711', {}],
  ['a prefix', 'mileston', {}],
  ['a word of the minutes only', 'schedule', { kind: 'minutes' }],
  ['a phrase of the minutes', '"release checklist"', {}],
  ['nothing', 'zanzibar', {}],
];

/** The seeded actions, and a minutes revision (generated text) as the current one of each meeting. */
export async function seedSearch(db: Db): Promise<void> {
  await seedActions(db);
  const now = '2026-01-05T09:00:00.000Z';
  await db.transaction(async () => {
    const revision = db.prepare(
      `INSERT INTO minutes_revisions (meeting_id, revision, text, hash, filename, uploaded_by, source, created_at)
       VALUES (?, 1, ?, ?, ?, 'bench', 'cli', ?) RETURNING id`,
    );
    const current = db.prepare('UPDATE meetings SET current_revision_id = ? WHERE id = ?');
    for (let id = 1; id <= BENCH_SHAPE.meetings; id++) {
      const g = generateMeeting(id);
      const rev = (await revision.get(id, g.text, `hash${id}`, g.file, now)) as { id: number };
      await current.run(rev.id, id);
    }
  });
}

/** Median milliseconds of each query of the mix on the services given. */
async function measure(services: ReturnType<typeof createServices>): Promise<{ ms: number; total: number }[]> {
  const out: { ms: number; total: number }[] = [];
  for (const [, q, opts] of MIX) {
    let total = 0;
    for (let i = 0; i < 2; i++) total = (await services.search.search(q, { limit: 20, ...opts })).total;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await services.search.search(q, { limit: 20, ...opts });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.push({ ms: times[Math.floor(RUNS / 2)], total });
  }
  return out;
}

export async function run(): Promise<void> {
  const pg = await benchPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'minutes-search-bench-'));
  try {
    const config = loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: SECRET });
    const sqlite = openDatabase(config.dbFile);
    const t0 = performance.now();
    await seedSearch(sqlite);
    console.log(`seeded ${BENCH_SHAPE.actions.toLocaleString('en')} actions and ${BENCH_SHAPE.meetings.toLocaleString('en')} minutes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const lite = await measure(createServices({ db: sqlite, config }));
    let onPg: { ms: number; total: number }[] | null = null;
    if (pg) {
      const url = await pg.fresh();
      const db = await postgresCopyOf(sqlite, url);
      try {
        onPg = await measure(createServices({ db, config: loadConfig({ MINUTES_DATA_DIR: dir, MINUTES_SECRET: SECRET, DATABASE_URL: url }) }));
      } finally {
        await db.close();
      }
    } else {
      console.log('PostgreSQL: off (BENCH_POSTGRES=off), or not installed and MINUTES_TEST_DATABASE_URL unset; SQLite only');
    }
    await sqlite.close();
    const ratios: number[] = [];
    MIX.forEach(([label, q, opts], i) => {
      const a = lite[i];
      const b = onPg?.[i];
      const what = `${label} (${JSON.stringify(q)}${opts.kind ? `, ${opts.kind}` : ''}${opts.series ? `, series ${opts.series}` : ''}; ${a.total.toLocaleString('en')} hits)`;
      if (!b) {
        console.log(`${what.padEnd(90)} SQLite ${a.ms.toFixed(1)} ms`);
        return;
      }
      if (b.total !== a.total) throw new Error(`${label}: ${b.total} hits on PostgreSQL, ${a.total} on SQLite`);
      // Sub-0.2 ms answers (nothing found) are round-trip bound on PostgreSQL: shown, and counted at 0.2 ms.
      const ratio = Math.max(a.ms, 0.2) / Math.max(b.ms, 0.2);
      ratios.push(ratio);
      console.log(`${what.padEnd(90)} SQLite ${a.ms.toFixed(1).padStart(6)} ms  PostgreSQL ${b.ms.toFixed(1).padStart(6)} ms  ${ratio.toFixed(2)}x`);
    });
    if (ratios.length > 0) {
      const mean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
      const worst = Math.min(...ratios);
      console.log(`search PostgreSQL/SQLite speed: geometric mean ${mean.toFixed(2)}x, slowest query ${worst.toFixed(2)}x (target >= 0.5x)  ${mean >= 0.5 ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
