/**
 * Agenda of a series with 120 meetings and 3,000 actions (a second series of the same size
 * sits beside it, so the queries must stay bounded by series). Target: under 50 ms for the
 * whole agenda (model + Markdown). Baseline: one bare query listing the same open actions
 * with their owners, measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../../server/clock.js';
import { openWorld } from '../helpers/env.js';
import { createSeeder } from '../integration/agenda-seed.js';

const MEETINGS = 120;
const ACTIONS = 3000;
const OWNERS = 40;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median milliseconds of `fn`, each run awaited (every call here answers a promise: timing the
 * call alone measured only making the promise, as this bench did after the async conversion).
 */
async function time(fn: () => Promise<unknown>, runs = 30): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

async function fill(seed: ReturnType<typeof createSeeder>, slug: string, people: number[]): Promise<string[]> {
  const sid = await seed.series(slug, { name: `Series ${slug}`, cadence: 'FREQ=MONTHLY;BYDAY=2TH', standing: ['Status', 'AOB'] });
  const meetings: { id: number; date: string }[] = [];
  for (let i = 0; i < MEETINGS; i++) {
    const d = new Date(Date.UTC(2015, i, 10)).toISOString().slice(0, 10);
    meetings.push({ id: await seed.meeting(sid, d, `Call ${d}`), date: d });
  }
  for (let i = 0; i < ACTIONS; i++) {
    const m = meetings[Math.floor((i * MEETINGS) / ACTIONS)];
    const open = i % 3 !== 0;
    const owners = [people[i % OWNERS], ...(i % 5 === 0 ? [people[(i + 7) % OWNERS]] : [])].map((p, k) => ({ personId: p, name: `Person ${(i + k * 7) % OWNERS}` }));
    if (i % 11 === 0) owners.push({ personId: null as unknown as number, name: `Nick${i % 13}` });
    const id = await seed.action(m.id, `action ${i}: write the release notes for component ${i % 97}`, owners, {
      status: open ? 'open' : 'done',
      due: i % 4 === 0 ? m.date : null,
      carried: i % 6,
      line: 10 + (i % 80),
    });
    if (!open) await seed.event(id, 'closed', { actor: 'Person 1', source: 'web', at: `${m.date}T12:00:00.000Z` });
    if (i % 25 === 0) await seed.decision(m.id, `decision ${i}`, 5 + (i % 40));
    if (i % 40 === 0) await seed.topic(m.id, `topic ${i}`, 3, i % 80 === 0 ? 'next' : null);
  }
  return meetings.map((m) => m.date);
}

export async function run(): Promise<void> {
  const world = openWorld({ clock: fixedClock('2024-12-20T12:00:00Z') });
  try {
    const seed = createSeeder(world.db);
    const people: number[] = [];
    for (let i = 0; i < OWNERS; i++) people.push(await seed.person(`Person ${i}`, i % 9 === 0 ? null : `p${i}@example.org`));
    await world.db.transaction(async () => {
      await fill(seed, 'big', people);
      await fill(seed, 'other', people);
      // A typical call: one year of meetings, 48 actions (36 open).
      const sid = await seed.series('typical', { name: 'Typical call', cadence: 'FREQ=MONTHLY;BYDAY=2TH' });
      for (let i = 0; i < 12; i++) {
        const m = await seed.meeting(sid, new Date(Date.UTC(2024, i, 10)).toISOString().slice(0, 10));
        for (let k = 0; k < 4; k++) {
          await seed.action(m, `typical action ${i}.${k}: review the patch queue`, [{ personId: people[(i + k) % OWNERS], name: 'x' }], {
            status: k === 0 ? 'done' : 'open',
          });
        }
      }
    });
    await world.db.exec('ANALYZE');

    const agenda = world.services.agenda;
    const bare = world.db.prepare(
      `SELECT a.id, a.text, a.due, a.carried_count, m.date, o.name, p.email
         FROM meetings m JOIN actions a ON a.origin_meeting_id = m.id AND a.status = 'open'
         LEFT JOIN action_owners o ON o.action_id = a.id LEFT JOIN people p ON p.id = o.person_id
        WHERE m.series_id = (SELECT id FROM series WHERE slug = ?) ORDER BY m.date, a.id, o.position`,
    );
    const openCount = (await agenda.build({ series: 'big' })).counts.openActions;
    const base = await time(() => bare.all('big'));
    const model = await time(() => agenda.build({ series: 'big' }));
    const md = await time(() => agenda.render({ series: 'big' }, 'md'));
    // Distinct dates so the HTML memo of agenda-renderer does not answer from cache.
    let day = 0;
    const html = await time(() => agenda.render({ series: 'big', date: `2025-02-${String(10 + (day++ % 18)).padStart(2, '0')}` }, 'html'), 3);
    let tday = 0;
    const typicalHtml = await time(() => agenda.render({ series: 'typical', date: `2025-03-${String(10 + (tday++ % 18)).padStart(2, '0')}` }, 'html'), 10);
    const skeleton = await time(() => world.services.skeleton.skeleton({ series: 'big' }), 10);
    const row = (name: string, ms: number) =>
      console.log(`${name.padEnd(34)} ${ms.toFixed(2).padStart(8)} ms   x${(ms / base).toFixed(1)} baseline`);
    console.log(`series: ${MEETINGS} meetings, ${ACTIONS} actions (${openCount} open); median of runs`);
    row('baseline: bare open-actions query', base);
    row('agenda model (build)', model);
    row('agenda Markdown (build + template)', md);
    row('agenda HTML, uncached (+ remark/rehype)', html);
    row('minutes skeleton', skeleton);
    row('typical agenda (36 open) as HTML', typicalHtml);
    console.log(`agenda Markdown under 50 ms: ${md < 50 ? 'yes' : 'NO'} (${md.toFixed(1)} ms)`);
  } finally {
    world.close();
  }
}
