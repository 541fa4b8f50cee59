import { AppError } from '../errors.js';
import { fixedClock } from '../clock.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import { formatRun } from './remind-command.js';

/** `minutes remind`: one reminder pass; the mailer is closed after it. */
export async function remindCommand(global: GlobalOptions, o: { dryRun?: boolean; now?: string; json?: boolean }): Promise<void> {
  let clock;
  if (o.now !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(o.now) || Number.isNaN(Date.parse(o.now))) {
      throw new AppError('bad-input', `--now must be an ISO date-time like 2026-11-23T09:00:00Z, got '${o.now}'`);
    }
    clock = fixedClock(o.now);
  }
  await withContext(
    global,
    async ({ services }) => {
      try {
        const result = await services.reminders.run({ dryRun: o.dryRun });
        if (o.json) printJson(result);
        else process.stdout.write(formatRun(result));
      } finally {
        services.mailer.close();
      }
    },
    clock,
  );
}
