import type { Request, Response } from 'express';
import { Eta } from 'eta';
import { join } from 'node:path';
import { templatesDir } from '../paths.js';
import { csrfToken } from './auth-middleware.js';
import { meetingDateLabel } from '../../domain/dates.js';
import { plural } from '../../domain/wording.js';
import { escapeHtml } from '../../domain/html-text.js';

/** Where page templates live; `layout.eta` wraps every page. */
export const pagesDir = join(templatesDir, 'pages');
/** Static files served under `/assets/` (stylesheet, the small upload script). */
export const assetsDir = join(templatesDir, 'assets');

// One engine for the process. `<%= %>` escapes HTML (autoEscape); `<%~ %>` is raw and only for
// HTML we built ourselves (sanitised minutes, the page body in the layout).
const eta = new Eta({
  views: pagesDir,
  autoEscape: true,
  autoTrim: [false, 'nl'],
  cache: process.env.NODE_ENV !== 'development',
});

export interface FlashMessage {
  kind: 'ok' | 'error' | 'info';
  text: string;
  /**
   * Where the page shows it: unset = at the top; a name = beside the part of the page the form
   * came back to (e.g. `unresolved`, when the redirect lands on `#unresolved` far down the page).
   */
  near?: string;
  /** A refused form: the field at fault and the values typed, for the page to fill in again. */
  field?: string;
  values?: Record<string, string>;
}

/** What a page shows next to a refused form: the reason, the field at fault, the values typed. */
export interface FormRefusal {
  message: string;
  field: string | null;
  values: Record<string, string>;
}

const FLASH_COOKIE = 'minutes_flash';

/**
 * Shows `text` on the next page this browser renders (post/redirect/get). Kept in a short-lived
 * signed cookie, so it survives the redirect without server state.
 */
export function flash(res: Response, kind: FlashMessage['kind'], text: string, near?: string, form?: { field?: string | null; values?: Record<string, string> }): void {
  const current = (res.locals.pendingFlash as FlashMessage[] | undefined) ?? [];
  current.push({
    kind,
    text: text.slice(0, 500),
    ...(near ? { near: near.slice(0, 40) } : {}),
    ...(form?.field ? { field: form.field.slice(0, 40) } : {}),
    ...(form?.values ? { values: form.values } : {}),
  });
  res.locals.pendingFlash = current;
  // `Secure` under an https base URL, like the session cookie (app.ts sets `secureCookies`).
  const secure = res.app.get('secureCookies') === true;
  res.cookie(FLASH_COOKIE, JSON.stringify(current), { signed: true, httpOnly: true, sameSite: 'lax', secure, maxAge: 60_000, path: '/' });
}

/** Reads and clears the flash messages of this request (called by renderPage). */
function takeFlash(req: Request, res: Response): FlashMessage[] {
  const raw = (req.signedCookies as Record<string, unknown> | undefined)?.[FLASH_COOKIE];
  if (typeof raw !== 'string') return [];
  res.clearCookie(FLASH_COOKIE, { path: '/', secure: res.app.get('secureCookies') === true });
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as FlashMessage[]).filter((m) => m && typeof m.text === 'string') : [];
  } catch {
    return [];
  }
}

/** Formatting helpers every template gets as `it.fmt`. */
export const fmt = {
  /** `2026-11-21T09:00:00Z` -> `2026-11-21 09:00` (UTC). */
  time(iso: string | null | undefined): string {
    return iso ? iso.replace('T', ' ').slice(0, 16) : '';
  },
  date(iso: string | null | undefined): string {
    return iso ? iso.slice(0, 10) : '';
  },
  /** A meeting date: `2017-09` (month only) -> `September 2017 (day to confirm)`. */
  meetingDate(date: string | null | undefined): string {
    return date ? meetingDateLabel(date) : '';
  },
  /** HTML-escapes text for the few places a template builds markup in a string. */
  escape: escapeHtml,
  plural,
  /** A query string from a filter object, skipping empty values (for links keeping filters). */
  query(params: Record<string, unknown>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  },
};

/**
 * Renders `templates/pages/<name>.eta` inside the shared layout and sends it. Templates see
 * `it` = `data` plus `user` (or null), `csrf` (the token for forms: put it in a hidden
 * `_csrf` field), `flash`, `refused` (a form refused just before: `FormRefusal`, or null;
 * a page that renders a refused form itself passes its own), `path`, `url`, `fmt` and `title`.
 */
export function renderPage(res: Response, name: string, data: Record<string, unknown> = {}): void {
  const req = res.req;
  const flashes = takeFlash(req, res);
  // A form refused on the previous request (post/redirect/get): its reason, field and values.
  const back = flashes.find((f) => f.kind === 'error' && f.values);
  const refused: FormRefusal | null = back ? { message: back.text, field: back.field ?? null, values: back.values ?? {} } : null;
  const it = {
    user: req.user ?? null,
    csrf: csrfToken(req),
    // A page that shows the refusal next to its form (`ownsRefusal: true`) does not get it
    // again among the messages at the top.
    // A form that names itself (`_which`) is shown refused by its page, next to its fields.
    flash: back && (data.ownsRefusal || back.values?._which) ? flashes.filter((f) => f !== back) : flashes,
    refused,
    path: req.path,
    /** Path and query of this page: forms post it as `back` to come back here. */
    url: req.originalUrl,
    fmt,
    devMail: res.locals.devMail ?? false,
    title: 'Minutes',
    error: null,
    ...data,
  };
  // Pages carry a person's data and CSRF token: never keep them in shared or back-button caches.
  if (req.user) res.set('Cache-Control', 'private, no-store');
  const body = eta.render(`./${name}`, it);
  const html = eta.render('./layout', { ...it, body });
  res.type('html').send(html);
}
