import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { createMailCapture } from '../adapters/mail-capture.js';
import { hasRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { parseWith } from './validate.js';

const FileParam = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,80}\.eml$/, 'not a captured message name') });
const NameParam = z.object({ name: z.string().regex(/^[a-z0-9-]{1,60}$/, 'not a template name') });

/** What `templateName` uses of the services. */
export type TemplateNameDeps = Pick<Services, 'emailTemplates'>;

function templateName(services: TemplateNameDeps, params: unknown): string {
  const { name } = parseWith(NameParam, params);
  if (!services.emailTemplates.names().includes(name)) throw new AppError('not-found', `no email template '${name}'`, 404);
  return name;
}

// Email HTML uses inline styles; it is shown as its own document with a CSP that allows them
// and nothing else (no scripts, no remote loads).
const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

/** True for a loopback address or host name (what "on this machine" means). */
export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return false;
  const a = addr.replace(/^::ffff:/, '');
  return a === '::1' || a === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(a);
}

/**
 * Captured mail is readable by people at the machine or by an admin: it holds sign-in links,
 * so the page must not be open to anyone who reaches a dev server. "At the machine" uses the
 * client address the rest of the app trusts (`req.ip` under the app's `trust proxy`), so a
 * reverse proxy on the same host does not make every visitor local; and when the server
 * listens on more than loopback, only an admin reads it.
 */
const localOrAdmin = (host: string): RequestHandler => (req, _res, next) => {
  if (hasRole(req.user, 'admin')) return next();
  // A request that came through a proxy is not "at the machine", whatever address it claims.
  const forwarded = req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined || req.get('x-real-ip') !== undefined;
  if (isLoopback(host) && isLoopback(req.ip) && !forwarded) return next();
  next(new AppError('forbidden', 'captured mail is shown only to an admin (or, when the server listens on loopback only, on this machine)', 403));
};

/** What `devMailRoutes` uses of the services. */
export type DevMailDeps = Pick<Services, 'mailer' | 'emailTemplates' | 'config'>;

/**
 * `/dev/mail`: the development mailbox, mounted only when `SMTP_URL` is unset. Lists the
 * captured messages, shows each as text and as HTML, and previews every email template with
 * its sample data (`/dev/mail/templates`).
 */
export function devMailRoutes(services: DevMailDeps): Router {
  const r = Router();
  if (services.mailer.kind !== 'file' || !services.mailer.dir) return r;
  const capture = createMailCapture(services.mailer.dir);
  r.use('/dev/mail', localOrAdmin(services.config.host));

  r.get('/dev/mail', async (_req, res) => {
    renderPage(res, 'dev-mail-list', { title: 'Dev mail', messages: await capture.list(), dir: services.mailer.dir });
  });

  r.get('/dev/mail/templates', (_req, res) => {
    renderPage(res, 'dev-mail-templates', { title: 'Email templates', names: services.emailTemplates.names() });
  });

  r.get('/dev/mail/templates/:name', (req, res) => {
    const name = templateName(services, req.params);
    const email = services.emailTemplates.render(name, services.emailTemplates.sample(name));
    renderPage(res, 'dev-mail-message', {
      title: `Template ${name}`, name, kind: 'template',
      message: { subject: email.subject, text: email.text, to: '(sample)', from: services.mailer.from, date: '', replyTo: '', messageId: '' },
      htmlUrl: `/dev/mail/templates/${name}/html`,
    });
  });

  r.get('/dev/mail/templates/:name/html', (req, res) => {
    const name = templateName(services, req.params);
    const email = services.emailTemplates.render(name, services.emailTemplates.sample(name));
    res.set('Content-Security-Policy', EMAIL_CSP).type('html').send(email.html);
  });

  r.get('/dev/mail/:file', async (req, res) => {
    const { file } = parseWith(FileParam, req.params);
    const message = await capture.read(file);
    renderPage(res, 'dev-mail-message', {
      title: message.subject, name: file, kind: 'captured', message,
      htmlUrl: message.html ? `/dev/mail/${file}/html` : null, rawUrl: `/dev/mail/${file}/raw`,
    });
  });

  r.get('/dev/mail/:file/html', async (req, res) => {
    const { file } = parseWith(FileParam, req.params);
    const message = await capture.read(file);
    if (!message.html) throw new AppError('not-found', `${file} has no HTML part`, 404);
    res.set('Content-Security-Policy', EMAIL_CSP).type('html').send(message.html);
  });

  r.get('/dev/mail/:file/raw', async (req, res) => {
    const { file } = parseWith(FileParam, req.params);
    const message = await capture.read(file);
    res.type('text/plain; charset=utf-8').send(message.raw);
  });

  return r;
}
