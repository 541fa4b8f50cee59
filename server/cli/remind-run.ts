import { AppError } from '../errors.js';
import { ISO_INSTANT } from '../../domain/dates.js';
import { fixedClock } from '../clock.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import type { ReminderRunResult } from '../services/mail/reminder-service.js';
import { plural } from '../../domain/wording.js';

/** `minutes remind`: one reminder pass; the mailer is closed after it. */
export async function remindCommand(global: GlobalOptions, o: { dryRun?: boolean; now?: string; json?: boolean }): Promise<void> {
  let clock;
  if (o.now !== undefined) {
    if (!ISO_INSTANT.test(o.now) || Number.isNaN(Date.parse(o.now))) {
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
        const d = result.delivery;
        // A pass whose every email failed is a failure, for cron and for whoever runs it.
        if (d && d.sent === 0 && d.failed + d.retried > 0) {
          process.stderr.write(
            `minutes: remind: none of the ${d.failed + d.retried} emails could be sent (${d.failed} failed, ${d.retried} to retry); check SMTP_URL and the outbox on the dashboard\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        services.mailer.close();
      }
    },
    clock,
    { links: true },
  );
}


/** The human report of a pass: digests, escalations, owners nobody can reach, delivery. */
export function formatRun(r: ReminderRunResult): string {
  const out: string[] = [];
  if (r.skipped) return `Reminder pass for ${r.today} skipped: ${r.skipped}; nothing recorded or sent.\n`;
  out.push(`Reminder pass for ${r.today}${r.dryRun ? ' (dry run: nothing recorded or sent)' : ''}`);
  out.push('');
  out.push(r.digests.length ? `Digests (${r.digests.length}):` : 'Digests: none due.');
  for (const d of r.digests) {
    out.push(`  ${d.name} <${d.to}>${d.kind === 'group' ? ' (group)' : ''}: ${plural(d.actions.length, 'action')}${d.overdueCount ? `, ${d.overdueCount} overdue` : ''}`);
    d.actions.forEach((a, i) => {
      const when = a.due ? (a.overdue ? `overdue since ${a.due}` : `due ${a.due}`) : 'no due date';
      out.push(`    ${i + 1}. #${a.id} ${a.text} [${when}; ${a.meeting.title}, ${a.meeting.date}]`);
    });
  }
  if (r.escalations.length) {
    out.push('');
    out.push(`Escalations to chairs (${r.escalations.length}):`);
    for (const e of r.escalations) {
      const to = e.chair.email ? `<${e.chair.email}>` : '(no address: not sent)';
      out.push(`  ${e.chair.name} ${to}, chair of ${e.seriesName}: ${plural(e.actions.length, 'action')}`);
      for (const a of e.actions) out.push(`    #${a.id} ${a.owners}: ${a.text} [due ${a.due}; ${a.overdueDigests} overdue reminders]`);
    }
  }
  out.push('');
  if (r.withoutEmail.length) {
    out.push(`Owners without an email address (${r.withoutEmail.length}), not reminded:`);
    for (const o of r.withoutEmail) {
      const what =
        o.reason === 'not in directory' ? 'name not in the directory'
        : o.reason === 'invalid address' ? `invalid address '${o.email}'`
        : o.kind === 'group' ? 'group without an address' : 'no email';
      out.push(`  ${o.name} (${what}): ${plural(o.openActions, 'open action')}`);
    }
  } else {
    out.push('Owners without an email address: none.');
  }
  if (!r.dryRun) {
    out.push('');
    out.push(`Enqueued ${plural(r.enqueued, 'email')}.`);
    if (r.delivery) {
      out.push(`Delivery: ${r.delivery.sent} sent, ${r.delivery.retried} to retry, ${r.delivery.failed} failed.`);
    }
  }
  return out.join('\n') + '\n';
}
