import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { fixedClock } from '../clock.js';
import { withContext } from './context.js';
import { ISO_DAY } from '../../domain/dates.js';

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

/**
 * `minutes agenda --series S [--date D] [--format md|html|json] [--skeleton] [--send]`: the
 * agenda of the next (or given) meeting on stdout, the note-taker's minutes skeleton, or the
 * agenda sent to the series' mailing list (once per meeting).
 */
export function register(program: Command): void {
  program
    .command('agenda')
    .description("the agenda of a series' next (or given) meeting")
    .requiredOption('--series <slug>', 'the series')
    .option('--date <YYYY-MM-DD>', 'meeting date (default: next date of the cadence)')
    .option('--format <format>', 'md, html or json', 'md')
    .option('--skeleton', "print a minutes skeleton for the note-taker instead")
    .option('--send', "send the agenda to the series' mailing list (once per meeting)")
    .option('--now <iso>', 'pretend the current time is this (for "next meeting")')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Options.safeParse(raw);
      if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
      const o = parsed.data;
      if (o.skeleton && o.send) throw new AppError('bad-input', '--skeleton and --send cannot be combined');
      const clock = o.now ? nowClock(o.now) : undefined;
      await withContext(
        program.opts(),
        async ({ services }) => {
          const q = { series: o.series, date: o.date };
          if (o.skeleton) {
            process.stdout.write(services.skeleton.skeleton(q));
          } else if (o.send) {
            const r = await services.agenda.send(q);
            process.stdout.write(
              r.status === 'queued'
                ? `agenda for ${r.date} sent to ${r.to}\n`
                : `agenda for ${r.date} was already sent to ${r.to}; not sent again\n`,
            );
          } else {
            process.stdout.write(services.agenda.render(q, o.format).body);
          }
        },
        clock,
      );
    });
}

function nowClock(iso: string) {
  try {
    return fixedClock(iso);
  } catch {
    throw new AppError('bad-input', `--now must be an ISO date-time, got "${iso}"`);
  }
}
