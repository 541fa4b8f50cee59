import type { Command } from 'commander';
import type { FileImportResult, ImportResult, ImportSummary } from '../services/meetings/import-service.js';

// The import (services, parser threads, progress bar) loads when the command runs.
const run = () => import('./import-run.js');

/**
 * `minutes import PATH... [--series S] [--dry-run] [--json] [--date D]`: files and folders;
 * one line per meeting (failures on stderr), then a summary. Exits 1 when any file failed.
 */
export function register(program: Command): void {
  program
    .command('import')
    .description('import minutes files and folders (.md, .markdown, .txt) into the database')
    .argument('<paths...>', 'files or folders')
    .option('--series <slug>', 'series of the meetings (default: front matter `series`, else "default")')
    .option('--date <YYYY-MM-DD>', 'meeting date when a file gives none or only a month')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--json', 'machine output: every file result and the summary')
    .option('--threads <n>', 'parser threads (0: parse in the main thread)')
    .action(async (paths: string[], raw: unknown) => (await run()).importCommand(program.opts(), paths, raw));
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
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    `${m.meeting.date} ${m.meeting.seriesSlug}: ${m.status} (rev ${m.meeting.revision}), ` +
    `${plural(m.actions.length, 'action')}${delta.length ? ` (${delta.join(', ')})` : ''}, ` +
    `${plural(m.decisions.length, 'decision')}, ${plural(m.warnings.length, 'warning')}` +
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
