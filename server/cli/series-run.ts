import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import { parseOptions } from './options.js';
import { isoDay } from '../../domain/dates.js';
import type { SeriesView } from '../services/series/series-service.js';

const AddOptions = z.object({
  name: z.string().min(1, '--name must not be empty').optional(),
  cadence: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
  time: z.string().optional(),
  chair: z.string().min(1).optional(),
  list: z.string().min(1).optional(),
  standing: z.array(z.string().trim().min(1, '--standing must not be empty').max(200, '--standing items are at most 200 characters')).optional(),
  clearStanding: z.boolean().optional(),
});

/** `minutes series add SLUG`. */
export async function addSeries(global: GlobalOptions, slug: string, raw: unknown): Promise<void> {
  const o = parseOptions(AddOptions, raw);
  await withContext(global, async ({ services }) => {
    const existed = await services.series.find(slug);
    if (!existed && !o.name) throw new AppError('bad-input', `--name is required to create series '${slug}'`);
    // Adding keeps the items already there (no duplicates); --clear-standing starts afresh.
    const kept = o.clearStanding ? [] : (existed?.standingItems ?? []);
    const standingItems = o.standing || o.clearStanding ? [...new Set([...kept, ...(o.standing ?? [])])] : undefined;
    const s = await services.series.upsert({ slug, name: o.name, cadence: o.cadence, timezone: o.timezone, timeOfDay: o.time, chairName: o.chair, listEmail: o.list, standingItems });
    process.stdout.write(`${existed ? 'updated' : 'created'} ${describe(s)}\n`);
  });
}

/** `minutes series list`. */
export async function listSeries(global: GlobalOptions, raw: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const all = await services.series.list();
    if (raw.json) printJson(all);
    else process.stdout.write(all.map((s) => describe(s) + '\n').join('') || 'no series yet\n');
  });
}

/** `minutes series show SLUG [--json]`. */
export async function showSeries(global: GlobalOptions, slug: string, o: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const s = await services.series.get(slug);
    const today = isoDay(services.clock.now());
    const nextMeeting = await services.series.nextMeetingDate(slug, today);
    const openActions = (await services.actions.page({ series: slug, status: 'open', limit: 1 })).total;
    if (o.json) return printJson({ ...s, nextMeeting, openActions });
    const rows: [string, string][] = [
      ['name', s.name],
      ['slug', s.slug],
      ['cadence', s.cadence ?? 'none'],
      ['time zone', s.timezone],
      ['chair', s.chair ? `${s.chair.name}${s.chair.email ? ` <${s.chair.email}>` : ''}` : 'none'],
      ['mailing list', s.listEmail ?? 'none'],
      ['next meeting', nextMeeting ?? 'unknown (no cadence)'],
      ['open actions', String(openActions)],
      ['standing items', s.standingItems.length ? '' : 'none'],
    ];
    const out = rows.map(([k, v]) => `${(k + ':').padEnd(16)}${v}`.trimEnd());
    for (const item of s.standingItems) out.push(`  - ${item}`);
    process.stdout.write(out.join('\n') + '\n');
  });
}

/** `openxt "OpenXT call" (cadence ..., timezone UTC, chair ...)`. */
export function describe(s: SeriesView): string {
  const bits = [
    s.cadence && `cadence ${s.cadence}`,
    s.timeOfDay && `at ${s.timeOfDay}`,
    `timezone ${s.timezone}`,
    s.chair && `chair ${s.chair.name}`,
    s.listEmail && `list ${s.listEmail}`,
    s.standingItems.length > 0 && `standing: ${s.standingItems.join('; ')}`,
  ];
  return `${s.slug} "${s.name}" (${bits.filter(Boolean).join(', ')})`;
}
