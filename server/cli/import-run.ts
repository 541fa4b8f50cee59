import cliProgress from 'cli-progress';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { printJson, withContext, type GlobalOptions } from './context.js';
import { formatSummary, printFile, shortName } from './import-command.js';

const Options = z.object({
  series: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--date must be YYYY-MM-DD').optional(),
  threads: z.coerce.number().int().min(0).max(32).optional(),
});

/** `minutes import PATH...`: runs the import service over files and folders. */
export async function importCommand(global: GlobalOptions, paths: string[], raw: unknown): Promise<void> {
  const parsed = Options.safeParse(raw);
  if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
  const o = parsed.data;
  const tty = !o.json && process.stderr.isTTY === true;
  await withContext(global, async ({ services }) => {
    let bar: cliProgress.SingleBar | null = null;
    const out = await services.imports.importPaths(paths, {
      series: o.series,
      date: o.date,
      dryRun: o.dryRun,
      threads: o.threads,
      source: 'cli',
      uploadedBy: process.env.USER ?? null,
      onFile: (r, done, total) => {
        if (tty && !bar && total > 1) {
          bar = new cliProgress.SingleBar(
            { stream: process.stderr, format: 'importing [{bar}] {value}/{total} files  {file}', clearOnComplete: true, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0, { file: '' });
        }
        if (!o.json) {
          if (bar) bar.stop();
          printFile(r);
          if (bar) bar.start(total, done, { file: shortName(r.file) });
        }
        if (bar && done === total) bar.stop();
      },
    });
    if (o.json) printJson(out);
    else process.stdout.write(formatSummary(out.summary));
    if (out.summary.failedFiles > 0) process.exitCode = 1;
  });
}
