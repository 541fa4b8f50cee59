import type { z } from 'zod';
import { AppError } from '../errors.js';
import { isCalendarDay } from '../../domain/dates.js';

/** A command's options checked by its zod schema, or a `bad-input` error naming the first problem. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
  return parsed.data;
}

/** A date option's value when it is a real calendar day, else a `bad-input` error naming `flag`. */
export function calendarDayOption(flag: string, d: string): string {
  if (!isCalendarDay(d)) throw new AppError('bad-input', `${flag} must be a calendar date YYYY-MM-DD, got '${d}'`);
  return d;
}
