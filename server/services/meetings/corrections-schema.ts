/**
 * The one schema of `corrections` (POST /api/meetings, `minutes import --corrections FILE.json`):
 * bounded, and its refusals in plain words naming the field (`corrections.actions[2].due`),
 * never the validation library's own text.
 */
import { z } from 'zod';
import { isCalendarDay } from '../../../domain/dates.js';
import { AppError } from '../../errors.js';
import type { Corrections } from './import-overrides.js';

/** At most this many corrections of each kind (minutes hold a few dozen items). */
export const MAX_CORRECTIONS = 500;
const MAX_OWNERS = 20;
const MAX_NAME = 200;
const MAX_TEXT = 5000;
const MAX_LINE = 1_000_000;

const line = z
  .number({ error: 'must be a line number (1 or more)' })
  .int({ error: 'must be a whole line number' })
  .min(1, { error: 'must be a line number (1 or more)' })
  .max(MAX_LINE, { error: `must be at most ${MAX_LINE}` });
const was = z.string({ error: 'must be the text the item had' }).max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` }).optional();

/** An object's refusal: not an object, or a field it does not know. */
const objectError = (fields: string) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `has a field it does not know (${(iss.keys ?? []).join(', ')}); it may hold ${fields}` : `must be an object with ${fields}`;

const ActionCorrection = z.strictObject(
  {
    line,
    was,
    owners: z
      .array(
        z
          .string({ error: 'must be a name' })
          .trim()
          .min(1, { error: 'must not be empty' })
          .max(MAX_NAME, { error: `must be at most ${MAX_NAME} characters` }),
        { error: 'must be a list of names' },
      )
      .max(MAX_OWNERS, { error: `must name at most ${MAX_OWNERS} owners` })
      .optional(),
    due: z
      .string({ error: 'must be a date YYYY-MM-DD or null' })
      .refine(isCalendarDay, { error: 'must be a calendar date YYYY-MM-DD' })
      .nullable()
      .optional(),
    text: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
      .optional(),
    drop: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: objectError('line, was, owners, due, text, drop') },
);

const DecisionCorrection = z.strictObject(
  { line, was, drop: z.literal(true, { error: 'must be true (a decision correction drops it)' }) },
  { error: objectError('line, was, drop') },
);

const SuggestionCorrection = z.strictObject(
  { line, was, op: z.enum(['promote', 'drop'], { error: "must be 'promote' or 'drop'" }) },
  { error: objectError('line, was, op') },
);

const list = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: 'must be a list' }).max(MAX_CORRECTIONS, { error: `must hold at most ${MAX_CORRECTIONS} corrections` }).optional();

export const CorrectionsSchema = z.strictObject(
  { actions: list(ActionCorrection), decisions: list(DecisionCorrection), suggestions: list(SuggestionCorrection) },
  { error: objectError('actions, decisions, suggestions') },
);

/** `corrections.actions[2].due` from a zod path. */
function fieldName(path: PropertyKey[]): string {
  let out = 'corrections';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/**
 * Reads corrections (already parsed JSON) or throws a 400 `bad-corrections` whose message
 * names the field: "corrections.actions[0].due must be a calendar date YYYY-MM-DD".
 */
export function parseCorrections(input: unknown): Corrections {
  const r = CorrectionsSchema.safeParse(input);
  if (r.success) return r.data as Corrections;
  const details = r.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message }));
  const first = details[0];
  throw new AppError('bad-corrections', `${first.field} ${first.message}`, 400, details);
}

/** Reads corrections from JSON text (a form field, a file): 400 when it is not JSON. */
export function parseCorrectionsJson(text: string, what = 'corrections'): Corrections {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad-corrections', `${what} is not JSON: give an object like {"actions":[{"line":12,"owners":["Ada"]}]}`, 400);
  }
  return parseCorrections(value);
}
