import { z } from 'zod';
import { AppError } from '../errors.js';
import { cliActor } from '../services/actions/actor.js';
import { printJson, withActionService, withContext, type GlobalOptions } from './context.js';
import type { ActionView } from '../services/actions/action-service.js';

const ListOptions = z.object({
  status: z.enum(['open', 'done', 'dropped', 'all'], { message: '--status must be open, done, dropped or all' }).default('open'),
  owner: z.string().min(1).optional(),
  series: z.string().min(1).optional(),
  overdue: z.boolean().optional(),
  json: z.boolean().optional(),
});
const Id = z.coerce.number().int().positive();

/** A command's action id argument, or 400 `bad-input`. */
export const parseId = (raw: string) => {
  const id = Id.safeParse(raw);
  if (!id.success) throw new AppError('bad-input', `action id must be a positive number, got '${raw}'`);
  return id.data;
};

/** `minutes actions`: only the action service is built (see `withActionService`). */
export async function listActions(global: GlobalOptions, raw: unknown): Promise<void> {
  const parsed = ListOptions.safeParse(raw);
  if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
  const o = parsed.data;
  await withActionService(global, (actions) => {
    const list = actions.list({ status: o.status, owner: o.owner, series: o.series, overdue: o.overdue, limit: 5000 });
    if (o.json) return printJson(list);
    process.stdout.write(list.map((a) => formatAction(a) + '\n').join('') || 'no actions\n');
  });
}

/** `minutes close ID [--note T]`. */
export async function closeAction(global: GlobalOptions, raw: string, o: { note?: string }): Promise<void> {
  const id = parseId(raw);
  await withContext(global, ({ services }) => {
    const a = services.actions.close(id, cliActor(), o.note);
    process.stdout.write(a.changed ? `closed ${formatAction(a)}\n` : `action ${id} was already done; nothing changed\n`);
  });
}

/** `minutes reopen ID [--note T]`. */
export async function reopenAction(global: GlobalOptions, raw: string, o: { note?: string }): Promise<void> {
  const id = parseId(raw);
  await withContext(global, ({ services }) => {
    const a = services.actions.reopen(id, cliActor(), o.note);
    process.stdout.write(a.changed ? `reopened ${formatAction(a)}\n` : `action ${id} is already open; nothing changed\n`);
  });
}

/** `#12 [open] due 2017-01-01 Ross Philipson, AIS Burlington: find out ... (openxt 2016-12-15, carried x2)`. */
export function formatAction(a: ActionView): string {
  const owners = a.owners.map((o) => o.name).join(', ') || 'no owner';
  const due = a.due ? ` due ${a.due}${a.overdue ? ' (overdue)' : ''}` : '';
  const carried = a.carriedCount ? `, carried x${a.carriedCount}` : '';
  return `#${a.id} [${a.status}]${due} ${owners}: ${a.text} (${a.originMeeting.seriesSlug} ${a.originMeeting.date}${carried})`;
}
