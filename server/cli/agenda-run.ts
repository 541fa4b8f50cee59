import { z } from 'zod';
import { AppError } from '../errors.js';
import { ISO_DAY } from '../../domain/dates.js';
import { fixedClock } from '../clock.js';
import { type GlobalOptions, withContext } from './context.js';
import { parseOptions } from './options.js';

const Options = z.object({
  series: z.string().min(1, '--series is required'),
  date: z
    .string()
    .regex(ISO_DAY, '--date must be YYYY-MM-DD')
    .optional(),
  format: z.enum(['md', 'html', 'json'], { message: '--format must be md, html or json' }).default('md'),
  skeleton: z.boolean().optional(),
  send: z.boolean().optional(),
  now: z.string().optional(),
});

function nowClock(iso: string) {
  try {
    return fixedClock(iso);
  } catch {
    throw new AppError('bad-input', `--now must be an ISO date-time, got "${iso}"`);
  }
}

/** `minutes agenda`: the agenda, the skeleton, or the agenda sent. */
export async function agendaCommand(global: GlobalOptions, raw: Record<string, unknown>): Promise<void> {
  const o = parseOptions(Options, raw);
  if (o.skeleton && o.send) throw new AppError('bad-input', '--skeleton and --send cannot be combined');
  const clock = o.now ? nowClock(o.now) : undefined;
  await withContext(
    global,
    async ({ services }) => {
      const q = { series: o.series, date: o.date };
      if (o.skeleton) {
        process.stdout.write(await services.skeleton.skeleton(q));
      } else if (o.send) {
        const r = await services.agenda.send(q);
        process.stdout.write(
          r.status === 'queued'
            ? `agenda for ${r.date} sent to ${r.to}\n`
            : `agenda for ${r.date} was already sent to ${r.to}; not sent again\n`,
        );
      } else {
        process.stdout.write((await services.agenda.render(q, o.format)).body);
      }
    },
    clock,
    // The agenda links to meetings and actions: the same server the links of every email reach.
    { links: true },
  );
}
