import { AppError } from '../errors.js';
import { cliActor } from '../services/actions/actor.js';
import { printJson, withActionService, withContext, type GlobalOptions } from './context.js';
import type { ActionView } from '../services/actions/action-views.js';

// No zod here: these are commander's option values (strings and flags), checked by hand so
// that `minutes actions` does not pay about 50 ms to load the schema library.

const STATUSES = ['open', 'done', 'dropped', 'all'] as const;

interface ListOptions {
  status: (typeof STATUSES)[number];
  owner?: string;
  series?: string;
  overdue?: boolean;
  json?: boolean;
}

/** The options of `minutes actions`, or 400 `bad-input` naming the one that is wrong. */
export function parseListOptions(raw: { status?: unknown; owner?: unknown; series?: unknown; overdue?: unknown; json?: unknown }): ListOptions {
  const status = raw.status ?? 'open';
  if (!STATUSES.includes(status as ListOptions['status'])) throw new AppError('bad-input', '--status must be open, done, dropped or all');
  for (const name of ['owner', 'series'] as const) {
    if (raw[name] !== undefined && (typeof raw[name] !== 'string' || raw[name] === '')) throw new AppError('bad-input', `--${name} must not be empty`);
  }
  return {
    status: status as ListOptions['status'],
    owner: raw.owner as string | undefined,
    series: raw.series as string | undefined,
    overdue: raw.overdue === true ? true : undefined,
    json: raw.json === true ? true : undefined,
  };
}

/** A command's action id argument, or 400 `bad-input`. */
export const parseId = (raw: string) => {
  // As `z.coerce.number().int().positive()` read it: Number(raw), a safe integer above 0.
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad-input', `action id must be a positive number, got '${raw}'`);
  return id;
};

/** `minutes actions`: only the action service is built (see `withActionService`). */
export async function listActions(global: GlobalOptions, raw: unknown): Promise<void> {
  const o = parseListOptions((raw ?? {}) as Record<string, unknown>);
  await withActionService(global, async (actions) => {
    const list = await actions.list({ status: o.status, owner: o.owner, series: o.series, overdue: o.overdue, limit: 5000 });
    if (o.json) return printJson(list);
    process.stdout.write(list.map((a) => formatAction(a) + '\n').join('') || 'no actions\n');
  });
}

/** `minutes close ID [--note T]`. */
export async function closeAction(global: GlobalOptions, raw: string, o: { note?: string }): Promise<void> {
  const id = parseId(raw);
  await withContext(global, async ({ services }) => {
    const a = await services.actions.close(id, cliActor(), o.note);
    process.stdout.write(a.changed ? `closed ${formatAction(a)}\n` : `action ${id} was already done; nothing changed\n`);
  });
}

/** `minutes reopen ID [--note T]`. */
export async function reopenAction(global: GlobalOptions, raw: string, o: { note?: string }): Promise<void> {
  const id = parseId(raw);
  await withContext(global, async ({ services }) => {
    const a = await services.actions.reopen(id, cliActor(), o.note);
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
