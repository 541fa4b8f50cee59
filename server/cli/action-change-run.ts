import { z } from 'zod';
import { AppError } from '../errors.js';
import { cliActor } from '../services/actions/actor.js';
import { printJson, withContext, type GlobalOptions } from './context.js';
import { formatAction, parseId } from './actions-run.js';
import { calendarDayOption } from './options.js';

const SnoozeOptions = z.object({ until: z.string().optional(), clear: z.boolean().optional(), json: z.boolean().optional() });

/** `minutes snooze ID --until D` (or `--clear`), through the action service as the CLI admin. */
export async function snoozeAction(global: GlobalOptions, raw: string, opts: unknown): Promise<void> {
  const id = parseId(raw);
  const o = SnoozeOptions.parse(opts);
  if (!o.until && !o.clear) throw new AppError('bad-input', 'give --until YYYY-MM-DD (or --clear to end the snooze)');
  if (o.until && o.clear) throw new AppError('bad-input', 'give --until or --clear, not both');
  const until = o.until ? calendarDayOption('--until', o.until) : null;
  await withContext(global, async ({ services }) => {
    const a = await services.actions.snooze(id, until, cliActor());
    if (o.json) return printJson(a);
    process.stdout.write(until ? `snoozed until ${until}: ${formatAction(a)}\n` : `snooze cleared: ${formatAction(a)}\n`);
  });
}

/** `minutes comment ID TEXT`. */
export async function commentAction(global: GlobalOptions, raw: string, text: string, opts: unknown): Promise<void> {
  const id = parseId(raw);
  const o = z.object({ json: z.boolean().optional() }).parse(opts);
  if (!text.trim()) throw new AppError('bad-input', 'a comment needs text');
  await withContext(global, async ({ services }) => {
    await services.actions.comment(id, cliActor(), text);
    const a = await services.actions.get(id);
    if (o.json) return printJson(a);
    process.stdout.write(`commented on ${formatAction(a)}\n`);
  });
}

// commander gives `due: false` for --no-due and the string for --due.
const EditOptions = z.object({
  text: z.string().optional(),
  due: z.union([z.string(), z.boolean()]).optional(),
  owner: z.array(z.string()).optional(),
  json: z.boolean().optional(),
});

/** `minutes edit ID [--text T] [--due D | --no-due] [--owner NAME]...`. */
export async function editAction(global: GlobalOptions, raw: string, opts: unknown): Promise<void> {
  const id = parseId(raw);
  const o = EditOptions.parse(opts);
  const patch: { text?: string; due?: string | null; owners?: string[] } = {};
  if (o.text !== undefined) {
    if (!o.text.trim()) throw new AppError('bad-input', '--text must not be empty');
    patch.text = o.text;
  }
  if (typeof o.due === 'string') patch.due = calendarDayOption('--due', o.due);
  if (o.due === false) patch.due = null;
  if (o.owner) {
    if (o.owner.some((n) => !n.trim())) throw new AppError('bad-input', '--owner must not be empty');
    patch.owners = o.owner;
  }
  if (Object.keys(patch).length === 0) throw new AppError('bad-input', 'give at least one of --text, --due, --no-due, --owner');
  await withContext(global, async ({ services }) => {
    const a = await services.actions.update(id, patch, cliActor());
    if (o.json) return printJson(a);
    process.stdout.write(a.changed ? `edited ${formatAction(a)}\n` : `action ${id} already says that; nothing changed\n`);
  });
}

/** `minutes drop ID [--note T]`: a correction of the minutes, kept across re-uploads. */
export async function dropAction(global: GlobalOptions, raw: string, opts: unknown): Promise<void> {
  const id = parseId(raw);
  const o = z.object({ note: z.string().optional(), json: z.boolean().optional() }).parse(opts);
  await withContext(global, async ({ services }) => {
    const a = await services.actions.drop(id, cliActor(), o.note);
    if (o.json) return printJson(a);
    process.stdout.write(a.changed ? `dropped ${formatAction(a)}\n` : `action ${id} was already dropped; nothing changed\n`);
  });
}
