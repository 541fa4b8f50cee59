import { AppError } from '../errors.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import type { ReviewItemRecord } from '../services/meetings/review-service.js';

/** One line per item: `#ID series date: what`. */
export function describeItem(it: ReviewItemRecord): string {
  const where = `${it.seriesSlug} ${it.meetingDate}`;
  if (it.kind === 'date') return `#${it.id} ${where}: minutes dated ${it.data.month} only; confirm the day (minutes review accept ${it.id} --date YYYY-MM-DD)`;
  const owners = (it.data.owners as string[] | undefined)?.length ? ` (${(it.data.owners as string[]).join(', ')})` : '';
  return `#${it.id} ${where}: suggested ${it.data.kind}${owners}: ${it.data.text} [line ${it.data.line}]`;
}

const itemId = (raw: string, what = 'review item id') => {
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('bad-input', `${what} must be a number, got '${raw}'`);
  return Number(raw);
};

/** `minutes review [--json]`. */
export async function listQueue(global: GlobalOptions, raw: { json?: boolean }): Promise<void> {
  await withContext(global, async ({ services }) => {
    const q = await services.review.queue();
    if (raw.json) return printJson(q);
    if (q.total === 0) return void process.stdout.write('nothing to review\n');
    for (const it of q.items) process.stdout.write(describeItem(it) + '\n');
    for (const u of q.unresolved) {
      process.stdout.write(`name '${u.name}': ${u.actions.length} action(s), ${u.attended.length} attendance; tie it with: minutes people resolve '${u.name}' PERSON\n`);
    }
    process.stdout.write(`${q.total} to review (${q.items.length} items, ${q.unresolved.length} unresolved names)\n`);
  });
}

/** `minutes review accept ID [--date D]`. */
export async function acceptItem(global: GlobalOptions, id: string, raw: { date?: string }): Promise<void> {
  const n = itemId(id);
  await withContext(global, async ({ services }) => {
    const it = await services.review.accept(n, 'cli', { date: raw.date ?? null });
    const r = it.result ?? {};
    const what = r.actionId ? `action #${r.actionId} created` : r.decisionId ? `decision #${r.decisionId} recorded` : `meeting moved to ${r.date}`;
    process.stdout.write(`accepted #${it.id}: ${what}\n`);
  });
}

/** `minutes review dismiss ID... | --meeting N`. */
export async function dismissItems(global: GlobalOptions, ids: string[], raw: { meeting?: string }): Promise<void> {
  if ((ids.length > 0) === (raw.meeting !== undefined)) {
    throw new AppError('bad-input', 'give review item ids or --meeting N (not both)');
  }
  const nums = ids.map((id) => itemId(id));
  const meeting = raw.meeting === undefined ? null : itemId(raw.meeting, '--meeting');
  await withContext(global, async ({ services }) => {
    if (meeting !== null) {
      const n = await services.review.dismissMeeting(meeting, 'cli');
      return void process.stdout.write(`dismissed ${n} suggestion(s) of meeting ${meeting}\n`);
    }
    for (const n of nums) process.stdout.write(`dismissed #${(await services.review.dismiss(n, 'cli')).id}\n`);
  });
}
