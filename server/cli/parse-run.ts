import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../errors.js';
import { printJson } from './context.js';
import { ISO_DAY } from '../../domain/dates.js';
import { MAX_INPUT_BYTES, ParseInputError, parseMinutes, type ParsedMinutes } from '../../parsers/index.js';


/** `minutes parse FILE [--date D] [--json]`: the parser alone, no config, database or services. */
export async function parseCommand(file: string, o: { date?: string; json?: boolean }): Promise<void> {
  if (o.date !== undefined && !ISO_DAY.test(o.date)) throw new AppError('bad-input', `--date must be YYYY-MM-DD, got "${o.date}"`);
  const result = parseFile(file, o.date);
  if (o.json) printJson(result);
  else process.stdout.write(formatSummary(file, result));
}

function parseFile(file: string, date: string | undefined): ParsedMinutes {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new AppError('bad-input', `${file} is a folder, not a minutes file`);
    if (st.size > MAX_INPUT_BYTES) {
      throw new AppError('input-too-large', `${file} is ${(st.size / 1048576).toFixed(1)} MB; the limit is ${(MAX_INPUT_BYTES / 1048576).toFixed(1)} MB`, 413);
    }
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AppError('file-unreadable', `cannot read ${file}: ${why}`, 400);
  }
  try {
    return parseMinutes(bytes, { meetingDate: date, filename: file });
  } catch (err) {
    if (err instanceof ParseInputError) throw new AppError(err.code, `${file}: ${err.message}`, 400);
    throw err;
  }
}

const clip = (s: string, n: number): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
};

/** The readable summary: a header of aligned fields, then one aligned line per item. */
export function formatSummary(file: string, r: ParsedMinutes): string {
  const out: string[] = [];
  const field = (k: string, v: string): void => {
    out.push(`${k.padEnd(12)}${v}`);
  };
  const who = (a: ParsedMinutes['attendees'][number]): string => {
    const extra = [a.org, a.handle ? '@' + a.handle : null, a.role].filter(Boolean).join(', ');
    return extra ? `${a.name} (${extra})` : a.name;
  };
  field('File', file);
  field('Title', r.title ?? '-');
  field('Date', r.date ?? '- (none found: pass --date)');
  if (r.series) field('Series', r.series);
  field('Attendees', r.attendees.length ? `${r.attendees.length}: ${r.attendees.map(who).join('; ')}` : '0');
  field('Absent', r.absent.length ? `${r.absent.length}: ${r.absent.map((a) => a.name).join('; ')}` : '0');
  field('Topics', String(r.topics.length));
  field('Decisions', String(r.decisions.length));
  field('Actions', String(r.actions.length));
  field('Suggestions', String(r.suggestions.length));
  field('Warnings', String(r.warnings.length));

  const section = (title: string, rows: string[][]): void => {
    if (!rows.length) return;
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    out.push('', title);
    for (const row of rows) out.push('  ' + row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
  };
  const line = (n: number): string => `L${n}`;
  section('Topics', r.topics.map((t) => [line(t.line), clip(t.title, 70), t.deferredTo ? `deferred to ${t.deferredTo}` : '']));
  section('Decisions', r.decisions.map((d) => [line(d.line), clip(d.text, 90)]));
  section(
    'Actions',
    r.actions.map((a) => [
      line(a.line),
      a.done ? '[x]' : '[ ]',
      clip(a.owners.join(', ') || '(no owner)', 40),
      clip(a.text, 70),
      a.due ? `due ${a.due}` : '',
    ]),
  );
  section('Suggestions', r.suggestions.map((s) => [line(s.line), s.kind, clip(s.owners.join(', ') || '-', 30), clip(s.text, 70)]));
  section('Warnings', r.warnings.map((w) => [line(w.line), w.message]));
  return out.join('\n') + '\n';
}
