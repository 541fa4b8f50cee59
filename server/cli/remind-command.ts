import type { Command } from 'commander';
import type { ReminderRunResult } from '../services/mail/reminder-service.js';

// The command's work (validation, services, database) is in remind-run.ts, loaded when it runs.
const run = () => import('./remind-run.js');

/** `minutes remind [--dry-run] [--now ISO] [--json]`: one reminder pass; prints who gets what. */
export function register(program: Command): void {
  program
    .command('remind')
    .description('one reminder pass: enqueue and send digests (and escalations); prints who gets what')
    .option('--dry-run', 'only print who would get what; send and record nothing')
    .option('--now <iso>', 'pretend it is this date-time (ISO 8601), e.g. 2026-11-23T09:00:00Z')
    .option('--json', 'machine output')
    .action(async (o: { dryRun?: boolean; now?: string; json?: boolean }) => (await run()).remindCommand(program.opts(), o));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The human report of a pass: digests, escalations, owners nobody can reach, delivery. */
export function formatRun(r: ReminderRunResult): string {
  const out: string[] = [];
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
