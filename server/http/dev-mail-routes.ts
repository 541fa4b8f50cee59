import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { createMailCapture } from '../adapters/mail-capture.js';
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

/**
 * Captured mail is readable by people at the machine (loopback) or by an admin: it holds
 * sign-in links, so the page must not be open to anyone who reaches a dev server.
 */
const localOrAdmin: RequestHandler = (req, _res, next) => {
  const ip = req.socket.remoteAddress ?? '';
  const local = ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
  if (local || req.user?.role === 'admin') return next();
  next(new AppError('forbidden', 'captured mail is shown only on this machine or to an admin', 403));
};

/** What `devMailRoutes` uses of the services. */
export type DevMailDeps = Pick<Services, 'mailer' | 'emailTemplates'>;

/**
 * `/dev/mail`: the development mailbox, mounted only when `SMTP_URL` is unset. Lists the
 * captured messages, shows each as text and as HTML, and previews every email template with
 * its sample data (`/dev/mail/templates`).
 */
export function devMailRoutes(services: DevMailDeps): Router {
  const r = Router();
  if (services.mailer.kind !== 'file' || !services.mailer.dir) return r;
  const capture = createMailCapture(services.mailer.dir);
  r.use('/dev/mail', localOrAdmin);

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
