import { readFileSync, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { ISO_DAY } from '../../domain/dates.js';
import { printJson, withContext, type GlobalOptions } from './context.js';
import { parseOptions } from './options.js';
import type { CorrectionNote, FileImportResult, ImportOptions, ImportResult, ImportSummary } from '../services/meetings/import-result.js';
import type { ImportService } from '../services/meetings/import-service.js';
import type { Corrections } from '../services/meetings/import-overrides.js';
import { plural } from '../../domain/wording.js';

const Options = z.object({
  series: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  date: z.string().regex(ISO_DAY, '--date must be YYYY-MM-DD').optional(),
  threads: z.coerce.number().int().min(0).max(32).optional(),
  corrections: z.string().min(1, '--corrections needs a file name (or - for stdin)').optional(),
});

/** `minutes import PATH...`: runs the import service over files and folders. */
export async function importCommand(global: GlobalOptions, paths: string[], raw: unknown): Promise<void> {
  const o = parseOptions(Options, raw);
  const tty = !o.json && process.stderr.isTTY === true;
  if (o.corrections !== undefined) return importCorrected(global, paths, o);
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
          printFile(r, total === 1);
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

/**
 * `minutes import FILE --corrections FILE.json`: one text (a file, or `-` for stdin) with the
 * corrections of its extracted items; corrections naming no item refuse the whole import.
 */
async function importCorrected(global: GlobalOptions, paths: string[], o: z.output<typeof Options>): Promise<void> {
  if (paths.length !== 1) throw new AppError('bad-input', `--corrections goes with one minutes file (or - for stdin), not ${paths.length} paths`);
  const path = paths[0];
  if (path === '-' && o.corrections === '-') throw new AppError('bad-input', 'the minutes and --corrections cannot both come from stdin (-)');
  if (path !== '-') {
    let dir = false;
    try {
      dir = statSync(path).isDirectory();
    } catch {
      throw new AppError('path-not-found', `'${path}' does not exist`);
    }
    if (dir) throw new AppError('bad-input', `--corrections name lines of one text: give one minutes file, not the folder '${path}'`);
  }
  const corrections = await readCorrections(o.corrections!);
  await withContext(global, async ({ services }) => {
    const opts: ImportOptions = { series: o.series, date: o.date, dryRun: o.dryRun, source: 'cli', uploadedBy: process.env.USER ?? null, corrections };
    const r = path === '-' ? await importStdin(services.imports, opts) : await services.imports.importFile(path, opts);
    const files = [r];
    if (o.json) {
      const { summarize } = await import('../services/meetings/import-result.js');
      printJson({ files, summary: summarize(files, !!o.dryRun) });
    } else {
      printFile(r, true);
      const { summarize } = await import('../services/meetings/import-result.js');
      process.stdout.write(formatSummary(summarize(files, !!o.dryRun)));
    }
    if (!r.ok) process.exitCode = 1;
  });
}

/** The corrections JSON of `--corrections FILE` (`-`: stdin), checked by the shared schema. */
async function readCorrections(file: string): Promise<Corrections> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new AppError('bad-input', `cannot read --corrections ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`);
  }
  const { parseCorrectionsJson } = await import('../services/meetings/corrections-schema.js');
  return parseCorrectionsJson(text, `--corrections ${file}`);
}

/** The minutes on stdin, as one file result named `-`. */
async function importStdin(imports: ImportService, opts: ImportOptions): Promise<FileImportResult> {
  const t0 = Date.now();
  const input = readFileSync(0);
  try {
    const r = await imports.importText(input, opts);
    const { more, errors, ...first } = r;
    return { file: '-', ok: errors.length === 0, meetings: [first, ...more], errors, ms: Date.now() - t0 };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { file: '-', ok: false, meetings: [], errors: [{ code: err.code, message: err.message }], ms: Date.now() - t0 };
  }
}

/** A path relative to the working folder when it is inside it. */
export function shortName(file: string) {
  const cwd = process.cwd() + '/';
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

/**
 * One line per meeting on stdout, failures on stderr; for a revised meeting, one line per kind
 * of change with counts, and with `items` (a single-file import) the items themselves.
 */
export function printFile(r: FileImportResult, items = false) {
  const name = shortName(r.file);
  for (const m of r.meetings) {
    process.stdout.write(`${name}: ${formatMeeting(m)}\n`);
    const detail = formatChanges(m, items);
    if (detail) process.stdout.write(detail);
  }
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
  return (
    `${m.meeting.date} ${m.meeting.seriesSlug}: ${m.status} (rev ${m.meeting.revision}), ` +
    `${plural(m.actions.length, 'action')}${delta.length ? ` (${delta.join(', ')})` : ''}, ` +
    `${plural(m.decisions.length, 'decision')}${dDelta.length ? ` (${dDelta.join(', ')})` : ''}, ${plural(m.warnings.length, 'warning')}` +
    (m.seriesCreated ? ` [series '${m.meeting.seriesSlug}' created]` : '')
  );
}

const q = (t: string) => `"${t.length > 80 ? t.slice(0, 77) + '...' : t}"`;
const noteLine = (n: CorrectionNote) => `${n.what} of ${n.kind} ${q(n.text)}${n.detail ? `: ${n.detail}` : ''}`;

/**
 * The diff of a revised meeting (and the corrections a new one stores): one line per kind with
 * counts, then (with `items`) one line per item. Empty for a meeting with nothing to say.
 */
export function formatChanges(m: ImportResult, items: boolean): string {
  const c = m.changes;
  const lines: string[] = [];
  const list = (sign: string, xs: { text: string }[] | undefined) => (items ? (xs ?? []).map((x) => `    ${sign} ${q(x.text)}`) : []);
  if (m.status === 'revised') {
    lines.push(
      `  actions: ${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed, ${c.closed.length} closed, ${c.carried.length} carried`,
      ...list('+', c.added),
      ...(items ? c.changed.map((x) => `    ~ ${q(x.text)} (was ${Object.entries(x.before).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') || 'nobody' : (v ?? 'none')}`).join('; ')})`) : []),
      ...list('-', c.removed),
      ...list('closed', c.closed),
      ...list('carried', c.carried),
      `  decisions: ${c.decisionsAdded?.length ?? 0} added, ${c.decisionsRemoved?.length ?? 0} removed`,
      ...list('+', c.decisionsAdded),
      ...list('-', c.decisionsRemoved),
    );
    const k = c.corrections ?? { kept: [], overridden: [] };
    if (k.kept.length || k.overridden.length) {
      lines.push(
        `  corrections: ${k.kept.length} kept, ${k.overridden.length} overridden by the new text`,
        ...(items ? k.kept.map((n) => `    kept ${noteLine(n)}`) : []),
        ...(items ? k.overridden.map((n) => `    overridden ${noteLine(n)}`) : []),
      );
    }
  }
  const applied = m.correctionsApplied ?? [];
  if (applied.length) {
    lines.push(`  corrections ${m.dryRun ? 'that would be stored' : 'stored'}: ${applied.length}`, ...(items ? applied.map((n) => `    ${noteLine(n)}`) : []));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
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
