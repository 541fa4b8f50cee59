import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, withContext } from './context.js';
import type { SeriesView } from '../services/series/series-service.js';

const AddOptions = z.object({
  name: z.string().min(1, '--name must not be empty').optional(),
  cadence: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
  chair: z.string().min(1).optional(),
  list: z.string().min(1).optional(),
  standing: z.array(z.string().trim().min(1, '--standing must not be empty').max(200, '--standing items are at most 200 characters')).optional(),
  clearStanding: z.boolean().optional(),
});

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `minutes series add SLUG --name N [--cadence RRULE] [--timezone TZ] [--chair NAME] [--list EMAIL]
 * [--standing ITEM]... [--clear-standing]`, `series list`.
 */
export function register(program: Command): void {
  const series = program.command('series').description('recurring calls: create, update, list');
  series
    .command('add')
    .description('create a series, or update the fields given')
    .argument('<slug>', 'short id, e.g. openxt-community-call')
    .option('--name <name>', 'display name (required when creating)')
    .option('--cadence <rrule>', 'RRULE, e.g. FREQ=MONTHLY;BYDAY=2TH')
    .option('--timezone <tz>', 'IANA time zone, e.g. Europe/London')
    .option('--chair <name>', 'chair (a directory name; created if unknown)')
    .option('--list <email>', 'mailing-list address')
    .option('--standing <item>', 'standing agenda item, added to the list (repeatable)', collect)
    .option('--clear-standing', 'empty the standing items first (then --standing ones are added)')
    .action(async (slug: string, raw: unknown) => {
      const parsed = AddOptions.safeParse(raw);
      if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
      const o = parsed.data;
      await withContext(program.opts(), ({ services }) => {
        const existed = services.series.find(slug);
        if (!existed && !o.name) throw new AppError('bad-input', `--name is required to create series '${slug}'`);
        // Adding keeps the items already there (no duplicates); --clear-standing starts afresh.
        const kept = o.clearStanding ? [] : (existed?.standingItems ?? []);
        const standingItems = o.standing || o.clearStanding ? [...new Set([...kept, ...(o.standing ?? [])])] : undefined;
        const s = services.series.upsert({ slug, name: o.name, cadence: o.cadence, timezone: o.timezone, chairName: o.chair, listEmail: o.list, standingItems });
        process.stdout.write(`${existed ? 'updated' : 'created'} ${describe(s)}\n`);
      });
    });
  series
    .command('list')
    .description('all series')
    .option('--json', 'machine output')
    .action(async (raw: { json?: boolean }) => {
      await withContext(program.opts(), ({ services }) => {
        const all = services.series.list();
        if (raw.json) printJson(all);
        else process.stdout.write(all.map((s) => describe(s) + '\n').join('') || 'no series yet\n');
      });
    });
}

function describe(s: SeriesView): string {
  const bits = [
    s.cadence && `cadence ${s.cadence}`,
    `timezone ${s.timezone}`,
    s.chair && `chair ${s.chair.name}`,
    s.listEmail && `list ${s.listEmail}`,
    s.standingItems.length > 0 && `standing: ${s.standingItems.join('; ')}`,
  ];
  return `${s.slug} "${s.name}" (${bits.filter(Boolean).join(', ')})`;
}
