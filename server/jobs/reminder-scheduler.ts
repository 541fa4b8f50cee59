import { Cron } from 'croner';
import type { ReminderService } from '../services/mail/reminder-service.js';
import type { OutboxService } from '../services/mail/outbox-service.js';

export interface ReminderScheduler {
  stop(): void;
}

/**
 * The in-server jobs: a reminder pass on `REMIND_CRON`, and an outbox flush every minute so
 * retries with backoff and emails enqueued by other processes (the CLI) go out. `protect`
 * keeps a slow run from overlapping the next.
 */
export async function startReminderScheduler(deps: {
  reminders: ReminderService;
  outbox: OutboxService;
  cron: string;
  log?: (line: string) => void;
}): Promise<ReminderScheduler> {
  const log = deps.log ?? ((line: string) => console.log(line));
  let remind: Cron;
  try {
    remind = new Cron(deps.cron, { protect: true, catch: (err) => console.error('reminder pass failed:', err) }, async () => {
      const r = await deps.reminders.run();
      if (r.skipped) return log(`reminders: pass skipped (${r.skipped})`);
      log(`reminders: ${r.digests.length} digest(s), ${r.escalations.length} escalation(s), ${r.withoutEmail.length} owner(s) without an address`);
    });
  } catch (err) {
    throw new Error(`invalid configuration: REMIND_CRON '${deps.cron}' is not a cron pattern (${(err as Error).message})`);
  }
  const flush = new Cron('* * * * *', { protect: true, catch: (err) => console.error('outbox flush failed:', err) }, async () => {
    await deps.outbox.flush();
  });
  // Send whatever a previous run left behind (crash, restart) right away.
  deps.outbox.kick();
  return {
    stop() {
      remind.stop();
      flush.stop();
    },
  };
}
