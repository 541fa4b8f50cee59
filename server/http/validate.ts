import type { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Parses `input` with a zod schema or throws a 400 `bad-input` naming each problem:
 * `details` lists `{path, message, code}` so API clients can point at the field (and pages
 * can say it in their own words: `webMessage` in route-helpers).
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
  const first = details[0];
  throw new AppError('bad-input', first.path ? `${first.path}: ${first.message}` : first.message, 400, details);
}
