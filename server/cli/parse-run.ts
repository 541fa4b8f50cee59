import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../errors.js';
import { printJson } from './context.js';
import { formatSummary } from './parse-command.js';
import { MAX_INPUT_BYTES, ParseInputError, parseMinutes, type ParsedMinutes } from '../../parsers/index.js';

// A regular expression, not a zod schema: `minutes parse` loads the parser and nothing else.
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

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
