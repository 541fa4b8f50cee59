import type { z } from 'zod';
import { AppError } from '../errors.js';

/** A command's options checked by its zod schema, or a `bad-input` error naming the first problem. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad-input', parsed.error.issues[0].message);
  return parsed.data;
}
