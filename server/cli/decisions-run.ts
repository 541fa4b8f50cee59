import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, type GlobalOptions, withContext } from './context.js';
import { parseOptions } from './options.js';
import type { RegisterDecision } from '../services/decisions/decision-service.js';

const Options = z.object({
  series: z.string().min(1).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  q: z.string().optional(),
  limit: z.coerce.number({ error: '--limit must be a whole number' }).int('--limit must be a whole number').positive('--limit must be at least 1').optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});

/** `minutes decisions`: the register, read page by page through the service's cursor. */
export async function listDecisions(global: GlobalOptions, raw: unknown): Promise<void> {
  const o = parseOptions(Options, raw);
  if (o.json && o.csv) throw new AppError('bad-input', 'give --json or --csv, not both');
  const filter = { series: o.series, from: o.from, to: o.to, q: o.q };
  await withContext(global, async ({ services }) => {
    if (o.csv) {
      for await (const chunk of await services.decisions.csv(filter)) process.stdout.write(chunk);
      return;
    }
    const all: RegisterDecision[] = [];
    let cursor: string | undefined;
    let total = 0;
    do {
      const page = await services.decisions.list({ ...filter, cursor, limit: Math.min(500, o.limit ? o.limit - all.length : 500) });
      total = page.total;
      all.push(...page.decisions);
      cursor = page.next ?? undefined;
    } while (cursor && (!o.limit || all.length < o.limit));
    if (o.json) return printJson(all);
    if (all.length === 0) {
      process.stdout.write('no decisions\n');
      return;
    }
    const base = services.config.baseUrl.replace(/\/+$/, '');
    process.stdout.write(all.map((d) => `${d.meetingDate} ${d.seriesSlug}  ${d.text}${d.supersededById ? ' (superseded)' : ''}\n    ${base}${d.path}\n`).join(''));
    if (all.length < total) process.stdout.write(`(${all.length} of ${total}; raise --limit for more)\n`);
  });
}
