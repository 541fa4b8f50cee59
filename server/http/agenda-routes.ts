import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { parseWith } from './validate.js';
import { contentDisposition, formRoute } from './route-helpers.js';
import { markdownToHtml } from '../services/agenda/agenda-renderer.js';
import type { AgendaFormat } from '../services/agenda/agenda-service.js';
import { ISO_DAY } from '../../domain/dates.js';

const date = z.string().regex(ISO_DAY, 'must be a date YYYY-MM-DD');
const slug = z.string().trim().min(1, 'is required').max(100);

const AgendaQuery = z.object({
  series: slug,
  date: date.optional(),
  format: z.enum(['md', 'html', 'json']).optional(),
});
const SeriesParam = z.object({ slug });
const PageQuery = z.object({ date: z.union([z.literal(''), date]).optional() });
const ItemBody = z.object({
  text: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
  date: z.union([z.literal(''), date]).optional(),
});

/** `?date=` as given, or undefined for "the next meeting". */
const dateOf = (d: string | undefined) => (d ? d : undefined);

function download(res: Response, filename: string, type: string, body: string): void {
  res.type(type);
  res.set('Content-Disposition', contentDisposition('attachment', filename));
  res.send(body);
}

/** What `agendaRoutes` uses of the services. */
export type AgendaRouteDeps = Pick<Services, 'agenda' | 'skeleton' | 'calendar'>;

/**
 * The agenda: `GET /api/agenda` (Markdown, or JSON with `Accept: application/json`), proposing
 * items (API and form), sending it to the list, the agenda page with copy and download, the
 * note-taker's skeleton, and the series calendar (`calendar.ics`, public so calendar apps,
 * which cannot sign in, can subscribe; it holds only dates and the series name).
 */
export function agendaRoutes(services: AgendaRouteDeps): Router {
  const r = Router();
  const { agenda } = services;

  r.get('/api/agenda', requireRole('member'), async (req, res) => {
    const q = parseWith(AgendaQuery, req.query);
    const format: AgendaFormat =
      q.format ?? (req.accepts(['text/markdown', 'text/plain', 'application/json']) === 'application/json' ? 'json' : 'md');
    const { body } = await agenda.render({ series: q.series, date: q.date }, format);
    const type = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8' }[format];
    res.type(type).set('Vary', 'Accept').send(body);
  });

  /** An item proposed by the signed-in person (API and form alike). */
  const propose = async (req: Request) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const body = parseWith(ItemBody, req.body);
    const item = await agenda.propose(s, {
      text: body.text,
      date: dateOf(body.date),
      proposedBy: req.user?.name ?? null,
      proposedByPersonId: req.user?.personId ?? null,
    });
    return { slug: s, item };
  };

  r.post('/api/series/:slug/agenda-items', requireRole('member'), async (req, res) => {
    res.status(201).json((await propose(req)).item);
  });

  r.post('/api/series/:slug/agenda/send', requireRole('notetaker'), async (req: Request, res: Response) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const q = parseWith(PageQuery, req.query);
    const result = await agenda.send({ series: s, date: dateOf(q.date) });
    res.status(result.status === 'queued' ? 201 : 200).json(result);
  });

  r.get('/agenda', requireRole('member'), async (_req, res) => {
    renderPage(res, 'agenda-index', { title: 'Agenda', series: await agenda.overview() });
  });

  r.get('/series/:slug/agenda', requireRole('member'), async (req, res) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const q = parseWith(PageQuery, req.query);
    const { agenda: model, body } = await agenda.render({ series: s, date: dateOf(q.date) }, 'md');
    renderPage(res, 'agenda', {
      title: `Agenda · ${model.series.name} · ${model.date}`,
      agenda: model,
      sent: await agenda.sentFor(s, model.date),
      canSend: hasRole(req.user, 'notetaker'),
      markdown: body,
      html: markdownToHtml(body),
      // The propose form shows its own refusal (reason and text kept).
      ownsRefusal: true,
    });
  });

  r.get('/series/:slug/agenda.md', requireRole('member'), async (req, res) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const q = parseWith(PageQuery, req.query);
    const { agenda: model, body } = await agenda.render({ series: s, date: dateOf(q.date) }, 'md');
    download(res, `agenda-${model.series.slug}-${model.date}.md`, 'text/markdown; charset=utf-8', body);
  });

  r.get('/series/:slug/skeleton.md', requireRole('member'), async (req, res) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const q = parseWith(PageQuery, req.query);
    const { date: d } = await agenda.resolveDate(s, dateOf(q.date));
    const body = await services.skeleton.skeleton({ series: s, date: d });
    download(res, `minutes-${s}-${d}.md`, 'text/markdown; charset=utf-8', body);
  });

  /** The agenda page a form was sent from (its meeting's `date`, when the form gave one). */
  const agendaOf = (req: Request, anchor = '') => {
    const d = (req.body as { date?: unknown } | undefined)?.date;
    const q = typeof d === 'string' && ISO_DAY.test(d) ? `?date=${d}` : '';
    return `/series/${encodeURIComponent(String(req.params.slug))}/agenda${q}${anchor}`;
  };
  // Refused (empty text, a past meeting): back to the agenda page it came from, text kept.
  r.post('/series/:slug/agenda-items', requireRole('member'), formRoute((req) => agendaOf(req, '#propose'), async (req, res) => {
    const { slug: s, item } = await propose(req);
    flash(res, 'ok', `Added to the agenda of ${item.meetingDate}.`);
    res.redirect(303, `/series/${encodeURIComponent(s)}/agenda?date=${item.meetingDate}`);
  }, 'Could not propose the item'));

  r.post('/series/:slug/agenda/send', requireRole('notetaker'), formRoute((req) => agendaOf(req), async (req: Request, res: Response) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    const body = parseWith(PageQuery, req.body);
    const result = await agenda.send({ series: s, date: dateOf(body.date) });
    flash(
      res,
      result.status === 'queued' ? 'ok' : 'info',
      result.status === 'queued' ? `Agenda sent to ${result.to}.` : `The agenda of ${result.date} was already sent to ${result.to}.`,
    );
    res.redirect(303, `/series/${encodeURIComponent(s)}/agenda?date=${result.date}`);
  }, 'Could not send the agenda'));

  r.get('/series/:slug/calendar.ics', async (req, res) => {
    const { slug: s } = parseWith(SeriesParam, req.params);
    res.type('text/calendar; charset=utf-8');
    res.set('Content-Disposition', contentDisposition('inline', `${s}.ics`));
    res.send(await services.calendar.calendar(s));
  });

  return r;
}
