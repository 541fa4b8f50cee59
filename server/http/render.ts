import type { Request, Response } from 'express';
import { Eta } from 'eta';
import { join } from 'node:path';
import { templatesDir } from '../paths.js';
import { csrfToken } from './auth-middleware.js';

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
}

const FLASH_COOKIE = 'minutes_flash';

/**
 * Shows `text` on the next page this browser renders (post/redirect/get). Kept in a short-lived
 * signed cookie, so it survives the redirect without server state.
 */
export function flash(res: Response, kind: FlashMessage['kind'], text: string, near?: string): void {
  const current = (res.locals.pendingFlash as FlashMessage[] | undefined) ?? [];
  current.push({ kind, text: text.slice(0, 500), ...(near ? { near: near.slice(0, 40) } : {}) });
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
  plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  },
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
 * `_csrf` field), `flash`, `path`, `url`, `fmt` and `title`.
 */
export function renderPage(res: Response, name: string, data: Record<string, unknown> = {}): void {
  const req = res.req;
  const it = {
    user: req.user ?? null,
    csrf: csrfToken(req),
    flash: takeFlash(req, res),
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
