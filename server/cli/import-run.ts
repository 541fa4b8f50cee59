import cliProgress from 'cli-progress';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { ISO_DAY } from '../../domain/dates.js';
import { printJson, withContext, type GlobalOptions } from './context.js';
import type { FileImportResult, ImportResult, ImportSummary } from '../services/meetings/import-service.js';

const Options = z.object({
  series: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  date: z.string().regex(ISO_DAY, '--date must be YYYY-MM-DD').optional(),
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

/** A path relative to the working folder when it is inside it. */
export function shortName(file: string) {
  const cwd = process.cwd() + '/';
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

/** One line per meeting on stdout, failures on stderr. */
export function printFile(r: FileImportResult) {
  const name = shortName(r.file);
  for (const m of r.meetings) process.stdout.write(`${name}: ${formatMeeting(m)}\n`);
  for (const e of r.errors) process.stderr.write(`minutes: ${name}${e.date ? ` (${e.date})` : ''}: ${e.message}\n`);
}

/** `2016-12-15 openxt: new (rev 1), 6 actions (+6), 0 decisions, 1 warning`. */
export function formatMeeting(m: ImportResult): string {
  const c = m.changes;
  const delta = [
    c.added.length && `+${c.added.length} new`,
    c.changed.length && `~${c.changed.length} changed`,
    c.removed.length && `-${c.removed.length} removed`,
    c.carried.length && `${c.carried.length} carried over`,
    c.closed.length && `${c.closed.length} closed`,
  ].filter(Boolean);
  // Decisions added / removed against the stored revision (a new meeting's are all new: not repeated).
  const dDelta = m.status === 'revised'
    ? [c.decisionsAdded?.length && `+${c.decisionsAdded.length} new`, c.decisionsRemoved?.length && `-${c.decisionsRemoved.length} removed`].filter(Boolean)
    : [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    `${m.meeting.date} ${m.meeting.seriesSlug}: ${m.status} (rev ${m.meeting.revision}), ` +
    `${plural(m.actions.length, 'action')}${delta.length ? ` (${delta.join(', ')})` : ''}, ` +
    `${plural(m.decisions.length, 'decision')}${dDelta.length ? ` (${dDelta.join(', ')})` : ''}, ${plural(m.warnings.length, 'warning')}` +
    (m.seriesCreated ? ` [series '${m.meeting.seriesSlug}' created]` : '')
  );
}

export function formatSummary(s: ImportSummary): string {
  const lines = [
    `${s.dryRun ? 'dry run, nothing written: ' : ''}files: ${s.files}${s.failedFiles ? ` (${s.failedFiles} failed)` : ''}; ` +
      `meetings: ${s.meetings.new} new, ${s.meetings.revised} revised, ${s.meetings.unchanged} unchanged; ` +
      `actions: ${s.actions}; decisions: ${s.decisions}; warnings: ${s.warnings}`,
  ];
  if (s.slowest) lines.push(`slowest: ${shortName(s.slowest.file)} (${s.slowest.ms} ms)`);
  return lines.join('\n') + '\n';
}
