import type { Request, RequestHandler, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Services } from '../container.js';
import { roleAtLeast, type Role } from '../../domain/roles.js';
import { SESSION_DAYS } from '../services/auth/session-service.js';

/** Who is making the request. `personId` is null for an API token not tied to a person. */
export interface CurrentUser {
  personId: number | null;
  role: Role;
  name: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: CurrentUser;
      /** How `user` was established: a browser session or an API token. */
      authMethod?: 'session' | 'token';
      /** The raw session id from the cookie (to sign out). */
      sessionId?: string;
      /** The CSRF token for this browser (pages only). */
      csrfToken?: () => string;
    }
  }
}

export const SESSION_COOKIE = 'minutes_session';
/** Pre-session seed for CSRF tokens on forms shown before sign-in (the sign-in form). */
const PRE_COOKIE = 'minutes_pre';

const cookieOptions = (secure: boolean) => ({ signed: true, httpOnly: true, sameSite: 'lax' as const, secure, path: '/' });

/** Sets the session cookie after sign-in. `Secure` when the site is served over https. */
export function setSessionCookie(res: Response, sessionId: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...cookieOptions(secure), maxAge: SESSION_DAYS * 86_400_000 });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** True when `user` holds at least `role`. */
export function hasRole(user: CurrentUser | undefined, role: Role): boolean {
  return !!user && roleAtLeast(user.role, role);
}

/** What `loadUser` uses of the services. */
export type LoadUserDeps = Pick<Services, 'config' | 'sessions' | 'auth' | 'tokens'>;

/**
 * Establishes `req.user` from `Authorization: Bearer <token>` (API) or the signed session
 * cookie (pages), and gives page requests a CSRF token. Never rejects: requireRole does.
 */
export function loadUser(services: LoadUserDeps): RequestHandler {
  const secure = services.config.baseUrl.startsWith('https:');
  return async (req, res, next) => {
    const header = req.headers.authorization;
    // Only `Bearer` is ours: another scheme (Basic auth of a proxy in front of the site) is
    // left to whoever asked for it, and the session cookie still counts.
    if (header !== undefined && /^Bearer(?:\s|$)/i.test(header)) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const row = m ? await services.tokens.verify(m[1]) : undefined;
      if (!row) return next(new AppError('bad-token', 'the Authorization header does not hold a valid API token', 401));
      req.user = { personId: row.personId, role: row.role, name: row.personName ?? row.name ?? `token ${row.id}` };
      req.authMethod = 'token';
      return next();
    }
    const cookies = req.signedCookies as Record<string, unknown>;
    const raw = cookies[SESSION_COOKIE];
    let seed: string | undefined;
    if (typeof raw === 'string') {
      const person = await services.sessions.resolve(raw);
      if (person) {
        req.user = { personId: person.id, role: person.role, name: person.name };
        req.authMethod = 'session';
        req.sessionId = raw;
        seed = `s:${raw}`;
      } else {
        clearSessionCookie(res);
      }
    }
    if (!seed && !req.path.startsWith('/api/')) {
      let pre = cookies[PRE_COOKIE];
      if (typeof pre !== 'string') {
        pre = randomBytes(18).toString('base64url');
        res.cookie(PRE_COOKIE, pre, cookieOptions(secure));
      }
      seed = `p:${pre as string}`;
    }
    if (seed) {
      const s = seed;
      let token: string | undefined;
      req.csrfToken = () => (token ??= services.auth.csrfToken(s));
    }
    next();
  };
}

/**
 * Lets the request through when the user holds `role` (admin > notetaker > member): 401
 * when nobody is signed in (pages redirect to sign-in), 403 when the role is too low.
 */
export function requireRole(role: Role): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new AppError('unauthenticated', 'sign in first (session cookie or Authorization: Bearer token)', 401));
    if (!hasRole(req.user, role)) {
      return next(new AppError('forbidden', `this needs the ${role} role; you are ${req.user.role}`, 403));
    }
    next();
  };
}

/** The CSRF token to put in a form's hidden `_csrf` field (empty for API requests). */
export function csrfToken(req: Request): string {
  return req.csrfToken ? req.csrfToken() : '';
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What `verifyCsrf` uses of the services. */
export type VerifyCsrfDeps = Pick<Services, 'auth'>;

/** Routes whose multipart form may carry its CSRF token in the `_csrf` field (see `verifyCsrf`). */
const FILE_FORM_ROUTES = new Set(['/upload']);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** A file form's CSRF token is in its body: `verifyCsrfField` checks it once the body is read. */
      csrfPending?: boolean;
    }
  }
}

function csrfOk(services: VerifyCsrfDeps, req: Request, given: unknown): boolean {
  const seed = req.sessionId ? `s:${req.sessionId}` : (req.signedCookies as Record<string, unknown>)[PRE_COOKIE];
  return typeof seed === 'string' && services.auth.verifyCsrf(req.sessionId ? seed : `p:${seed}`, given);
}

const badCsrf = () => new AppError('bad-csrf', 'the form expired or came from another site; reload the page and try again', 403);

/**
 * Rejects a state-changing browser request without the right CSRF token (`_csrf` field,
 * `_csrf` query parameter, or `X-CSRF-Token` header). API calls with a Bearer token carry no
 * ambient credential and need none. `/act/:token` links are capabilities (the unguessable
 * token is in the URL), so a forged request cannot use them either.
 *
 * Multipart bodies are not read here (nor anywhere but the file routes): their token must be
 * in the query or header, except on a file form route (`/upload`), whose handler reads the
 * bounded body after its role check and then calls `verifyCsrfField`.
 */
export function verifyCsrf(services: VerifyCsrfDeps): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method) || req.authMethod === 'token') return next();
    if (req.path.startsWith('/act/')) return next();
    // An anonymous API call has no cookie to abuse; let requireRole answer 401.
    if (req.path.startsWith('/api/') && req.authMethod !== 'session') return next();
    const body = req.body as Record<string, unknown> | undefined;
    const given = (body && typeof body === 'object' ? body._csrf : undefined) ?? req.query._csrf ?? req.get('x-csrf-token');
    if (given === undefined && req.is('multipart/form-data') && FILE_FORM_ROUTES.has(req.path)) {
      req.csrfPending = true;
      return next();
    }
    if (!csrfOk(services, req, given)) return next(badCsrf());
    next();
  };
}

/** The deferred check of a file form's `_csrf` field, once `readMultipart` has read it. */
export function verifyCsrfField(services: VerifyCsrfDeps, req: Request): void {
  if (!req.csrfPending) return;
  const body = req.body as Record<string, unknown> | undefined;
  if (!csrfOk(services, req, body && typeof body === 'object' ? body._csrf : undefined)) throw badCsrf();
  req.csrfPending = false;
}
