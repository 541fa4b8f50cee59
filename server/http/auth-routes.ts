import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { clearSessionCookie, requireRole, setSessionCookie } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { parseWith } from './validate.js';
import { safeNextPath, type SignInMail } from '../services/auth/auth-service.js';

const SignInForm = z.object({
  email: z.email('enter a valid email address').max(320),
  next: z.string().max(500).optional(),
});
const BootstrapForm = z.object({
  name: z.string().trim().max(200).optional(),
  email: z.union([z.literal(''), z.email('enter a valid email address').max(320)]).optional(),
});
const TokenForm = z.object({
  role: z.enum(['admin', 'notetaker', 'member']),
  name: z.string().trim().max(200).optional(),
});
const RoleForm = z.object({ role: z.enum(['admin', 'notetaker', 'member']) });
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const TokenParam = z.object({ token: z.string().min(10).max(200) });

/** What `queueSignInMail` uses of the services. */
export type SignInMailDeps = Pick<Services, 'emailTemplates' | 'outbox'>;

/** Queues the sign-in email through the outbox and starts sending it right away. */
async function queueSignInMail(services: SignInMailDeps, mail: SignInMail): Promise<void> {
  const rendered = services.emailTemplates.render('sign-in', { name: mail.name, url: mail.url, expiresMinutes: mail.expiresMinutes });
  await services.outbox.enqueue({ dedupeKey: `sign-in:${randomUUID()}`, kind: 'sign-in', to: mail.to, ...rendered });
  services.outbox.kick();
}

/** What `authRoutes` uses of the services. */
export type AuthRouteDeps = Pick<Services, 'auth' | 'config' | 'emailTemplates' | 'outbox' | 'tokens' | 'rateLimits'>;

/**
 * Sign-in by emailed one-time link, the first-start admin link, sign-out, and the admin's
 * API tokens page. Links are confirmed with a POST so mail scanners that fetch links do
 * not use them up.
 */
export function authRoutes(services: AuthRouteDeps, opts: { signInLimit?: number; signInAddressLimit?: number } = {}): Router {
  const r = Router();
  const secure = services.config.baseUrl.startsWith('https:');
  // Per IP per 15 minutes: asking for links (each sends an email) and using them (guessing).
  // The counts are kept in the database (`rateLimits`), so every instance on it shares them.
  const limit = (n: number, name: string) =>
    rateLimit({
      windowMs: 15 * 60_000,
      limit: n,
      store: services.rateLimits(`${name}:`),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('rate-limited', 'too many sign-in attempts; wait a few minutes and try again', 429)),
    });
  const requestLimiter = limit(opts.signInLimit ?? 10, 'sign-in-request');
  const confirmLimiter = limit((opts.signInLimit ?? 10) * 3, 'sign-in-confirm');
  // Per target address, whatever the IP: many clients cannot flood one mailbox with links.
  const addressLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: opts.signInAddressLimit ?? 5,
    store: services.rateLimits('sign-in:'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `address:${String((req.body as Record<string, unknown> | undefined)?.email ?? '').trim().toLowerCase()}`,
    skip: (req) => typeof (req.body as Record<string, unknown> | undefined)?.email !== 'string',
    handler: (_req, _res, next) =>
      next(new AppError('rate-limited', 'too many sign-in links were asked for this address; use the newest email, or wait 15 minutes', 429)),
  });

  r.get('/sign-in', (req, res) => {
    if (req.user) return res.redirect(303, safeNextPath(req.query.next) ?? '/');
    renderPage(res, 'sign-in', { title: 'Sign in', next: safeNextPath(req.query.next) ?? '', email: '', sent: false });
  });

  r.post('/sign-in', requestLimiter, addressLimiter, (req, res) => {
    const parsed = SignInForm.safeParse(req.body);
    if (!parsed.success) {
      // Not an address: the form again, the reason next to the field, what was typed kept.
      const typed = (req.body as Record<string, unknown> | undefined)?.email;
      const next = (req.body as Record<string, unknown> | undefined)?.next;
      res.status(400);
      return renderPage(res, 'sign-in', {
        title: 'Sign in',
        sent: false,
        email: typeof typed === 'string' ? typed.slice(0, 320) : '',
        next: safeNextPath(next) ?? '',
        error: typed ? 'Enter a valid email address, such as name@example.org: check this one for typing mistakes.' : 'Enter your email address.',
      });
    }
    const form = parsed.data;
    // Same answer, in the same time, whether or not the address is known (the form must not
    // reveal the directory): the page goes out first; the link and the email are made after.
    renderPage(res, 'sign-in', { title: 'Check your email', sent: true, email: form.email, next: '' });
    setImmediate(async () => {
      try {
        const mail = await services.auth.requestSignIn(form.email, form.next);
        if (mail) await queueSignInMail(services, mail);
      } catch (err) {
        console.error(err);
      }
    });
  });

  r.get('/sign-in/:token', async (req, res) => {
    const { token } = parseWith(TokenParam, req.params);
    const check = await services.auth.checkLink(token);
    if (!check.ok) res.status(400);
    renderPage(res, 'sign-in-confirm', { title: 'Sign in', token, check });
  });

  r.post('/sign-in/:token', confirmLimiter, async (req, res) => {
    const { token } = parseWith(TokenParam, req.params);
    const form = parseWith(BootstrapForm, req.body);
    const { sessionId, person, next } = await services.auth.signInWithLink(token, form.name, form.email || undefined);
    if (req.sessionId) await services.auth.signOut(req.sessionId);
    setSessionCookie(res, sessionId, secure);
    flash(res, 'ok', `Signed in as ${person.name} (${person.role}).`);
    res.redirect(303, safeNextPath(next) ?? '/');
  });

  r.post('/sign-out', async (req, res) => {
    if (req.sessionId) await services.auth.signOut(req.sessionId);
    clearSessionCookie(res);
    res.redirect(303, '/sign-in');
  });

  r.get('/tokens', requireRole('admin'), async (_req, res) => {
    renderPage(res, 'tokens', { title: 'API tokens', tokens: await services.tokens.list(), created: null });
  });

  r.post('/tokens', requireRole('admin'), async (req, res) => {
    const form = parseWith(TokenForm, req.body);
    const created = await services.tokens.create({ role: form.role, name: form.name || null });
    res.setHeader('Cache-Control', 'no-store');
    renderPage(res, 'tokens', { title: 'API tokens', tokens: await services.tokens.list(), created });
  });

  r.post('/tokens/:id/revoke', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    await services.tokens.revoke(id);
    flash(res, 'ok', `Token ${id} revoked.`);
    res.redirect(303, '/tokens');
  });

  r.post('/people/:id/role', requireRole('admin'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const { role } = parseWith(RoleForm, req.body);
    await services.auth.setRole(id, role);
    flash(res, 'ok', `Role set to ${role}.`);
    res.redirect(303, `/people/${id}`);
  });

  return r;
}
