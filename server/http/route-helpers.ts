import { ISO_DAY, isCalendarDay } from '../../domain/dates.js';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Actor } from '../services/actions/actor.js';
import { mayChangeAction, type ActionOp } from '../../domain/action-policy.js';
import { flash } from './render.js';

/** Refusals a person can fix on the form itself (the resource exists; the input did not fit). */
const fixable = (err: unknown): err is AppError =>
  err instanceof AppError &&
  ([400, 409, 413, 415].includes(err.status) || (err.status === 404 && err.code !== 'not-found' && err.code !== 'action-not-found'));

/** Field names as a form's labels say them. */
const FIELD_WORDS: Record<string, string> = {
  date: 'Date', due: 'Due date', text: 'Text', name: 'Name', person: 'Person', series: 'Series', email: 'Email',
  note: 'Note', until: 'Snooze until', owners: 'Owners', alias: 'Alias', file: 'File', into: 'Merge into', org: 'Organisation',
};

/** Validation-library wording ("Invalid input: expected string, received undefined"), never shown on a page. */
const RAW_VALIDATION = /^(?:invalid (?:input|option|type|string|number|date|format)|too (?:big|small)|unrecognized key)/i;

/**
 * An error in words for a page, and the form field it is about: validation issues become one
 * plain sentence ("Date: not a date on the calendar", "Name is missing"), command-line hints
 * ("pass --date YYYY-MM-DD") become what to do on the form.
 */
export function webMessage(err: AppError): { message: string; field: string | null } {
  const details = err.details as { path?: string; message?: string; code?: string; field?: string }[] | { field?: string } | undefined;
  if (err.code === 'bad-input' && Array.isArray(details) && details[0]) {
    const d = details[0];
    const field = d.path ? d.path.split('.')[0] : null;
    const label = field ? (FIELD_WORDS[field] ?? field) : null;
    let what = d.message ?? '';
    if (!what || RAW_VALIDATION.test(what)) {
      what = d.code === 'too_big' ? 'is too long' : d.code === 'too_small' || d.code === 'invalid_type' ? 'is missing' : 'is not valid';
      return { message: label ? `${label} ${what}.` : `The form ${what}.`, field };
    }
    return { message: label ? `${label}: ${what}.` : `${what[0].toUpperCase()}${what.slice(1)}.`, field };
  }
  const field = details && !Array.isArray(details) && typeof details.field === 'string' ? details.field : null;
  const message = err.message
    .replace(/;?\s*pass --date YYYY-MM-DD/g, '; choose the meeting date')
    .replace(/--date must be YYYY-MM-DD, got/g, 'the date must be a day of the calendar, not')
    .replace(/\b(?:with )?--date\b/g, 'with the date field')
    .replace(/\(or give the series one: minutes series add [^)]*\)/g, '')
    .replace(/: set one with series add --list EMAIL/g, ': set one on the series page')
    .replace(/; use people list and an id/g, '; type the full name, an email or an id');
  return { message: message[0].toUpperCase() + message.slice(1), field };
}

/** The values a person typed in a form, to fill it in again (not the CSRF token; short values only). */
export function typedValues(body: unknown, maxEach = 1000): Record<string, string> {
  const out: Record<string, string> = {};
  let room = 2000; // they travel in the flash cookie
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf' || k === '_form' || typeof v !== 'string' || v.length > maxEach || v.length > room) continue;
    out[k] = v;
    room -= v.length;
  }
  return out;
}

/** A local path a form says it is on (`_form`), or null: never another site. */
function formPage(req: Request): string | null {
  const v = (req.body as Record<string, unknown> | undefined)?._form;
  return typeof v === 'string' && /^\/(?!\/)[^\s\\]{0,500}$/.test(v) ? v : null;
}

/**
 * A page form handler whose fixable refusals (bad input, conflicts, an unknown name) come back
 * to the page the form is on (its hidden `_form` field, else `backTo`), post/redirect/get:
 * the reason in web words (`webMessage`), the field at fault and the values typed travel in
 * the flash and reach the page as `it.refused`, so the form shows the reason next to the field
 * and keeps the input. Sign-in, permission and server errors still go to the error middleware.
 */
export function formRoute(
  backTo: (req: Request) => string,
  handler: (req: Request, res: Response) => void | Promise<void>,
  /** Says which form failed, e.g. "Could not add the person". */
  what?: string,
): RequestHandler {
  return (req, res, next) => {
    const refuse = (err: unknown) => {
      if (!fixable(err)) return next(err);
      const back = formPage(req) ?? backTo(req);
      const { message, field } = webMessage(err);
      // Landing on an anchor far down the page: say it there, where the form is.
      flash(res, 'error', what ? `${what}: ${message}` : message, back.split('#')[1], { field, values: typedValues(req.body) });
      res.redirect(303, back);
    };
    try {
      // An async handler (one that sends mail, say) is refused the same way when it rejects.
      const done = handler(req, res);
      if (done instanceof Promise) done.catch(refuse);
    } catch (err) {
      refuse(err);
    }
  };
}

/** `/<base>/<id>` from the route's `:id` when it is a plain number, else `/<base>`. */
export const pageOf = (base: string) => (req: Request) => (/^\d{1,15}$/.test(String(req.params.id)) ? `/${base}/${req.params.id}` : `/${base}`);

/**
 * The actor of this request: who is signed in (session or API token) and with which role. The
 * action service decides with it what may change (`domain/action-policy.ts`); routes do not.
 */
export function actorOf(req: Request): Actor {
  const user = req.user;
  if (!user) throw new AppError('unauthenticated', 'sign in first', 401);
  return { personId: user.personId, role: user.role, label: user.name, source: req.authMethod === 'token' ? 'api' : 'web' };
}

/** Which buttons a page shows: the action policy's answer for this request's actor. */
export function mayChangeFor(req: Request): (action: { id: number; owners: readonly { personId: number | null }[] }, op?: ActionOp) => boolean {
  const actor = actorOf(req);
  return (action, op = 'close') => mayChangeAction(actor, action, op);
}

export const IdParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
/** `YYYY-MM-DD` by shape only (where the service names a bad date itself, e.g. imports' `bad-date`). */
export const DateShape = z.string().regex(ISO_DAY, 'expected a date YYYY-MM-DD');
/** A calendar date `YYYY-MM-DD` (2026-02-30 is refused, not rolled over). */
export const DateString = DateShape.refine((v) => {
  if (!ISO_DAY.test(v)) return true; // the shape check has said so already
  return isCalendarDay(v);
}, 'not a date on the calendar');
/** Query flags: `1`, `true`, `yes`, `on` are true; absent or anything else false. */
export const Flag = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v[v.length - 1] : v))
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
/** A single optional query string (a repeated parameter takes its last value). */
export const QueryString = (max = 200) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v[v.length - 1] : v))
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .pipe(z.string().max(max).optional());
/** An optional whole number in the query string, within [min, max]. */
export const QueryInt = (min: number, max: number) =>
  QueryString(20)
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number({ error: 'expected a whole number' }).int('expected a whole number').min(min).max(max).optional());

/**
 * A `Content-Disposition` value for any file name (RFC 6266): an ASCII `filename` fallback
 * (other characters as `_`) plus `filename*` in UTF-8 (RFC 5987) when the name needs it.
 * Header values must be Latin-1, so a raw non-Latin-1 name would fail the response.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (ascii === filename) return `${type}; filename="${filename}"`;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
