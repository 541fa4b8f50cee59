import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import type { MarkedItem } from '../adapters/minutes-html.js';
import { renderPage } from './render.js';
import { IdParam } from './route-helpers.js';
import { parseWith } from './validate.js';
import { MeetingListQuery } from './meeting-api-routes.js';
import { pageNav } from './pagination.js';

const RevisionParams = z.object({ id: z.coerce.number().int().positive(), rev: z.coerce.number().int().positive() });

/** What `meetingPageRoutes` uses of the services. */
export type MeetingPageDeps = Pick<Services, 'search' | 'series' | 'minutesRenderer'>;

/** Meetings pages: list (series, dates, words), one meeting's minutes with items, a revision. */
export function meetingPageRoutes(services: MeetingPageDeps): Router {
  const r = Router();

  r.get('/meetings', requireRole('member'), async (req, res) => {
    const q = parseWith(MeetingListQuery, req.query);
    const page = await services.search.meetingPage(q);
    renderPage(res, 'meetings', {
      title: 'Meetings',
      filter: q,
      meetings: page.items,
      nav: pageNav(req, page),
      series: await services.series.list(),
    });
  });

  r.get('/meetings/:id', requireRole('member'), async (req, res) => {
    const { id } = parseWith(IdParam, req.params);
    const m = await services.search.meeting(id);
    const items: MarkedItem[] = [
      ...m.decisions.map((d) => ({ kind: 'decision' as const, id: d.id, line: d.line, label: 'decision' })),
      ...m.actions.filter((a) => a.line != null).map((a) => ({ kind: 'action' as const, id: a.id, line: a.line!, label: `#${a.id} ${a.status}` })),
      // Topics get their line's anchor, so the page's topic list can link to them.
      ...m.topics.map((t) => ({ kind: 'topic' as const, id: null, line: t.line, label: t.deferredTo ? `deferred to ${t.deferredTo}` : undefined })),
    ];
    renderPage(res, 'meeting', {
      title: m.title || `${m.seriesName} ${m.date}`,
      meeting: m,
      // Rendered off the event loop, within a time bound; plain text (with why) past it.
      html: m.text ? (await services.minutesRenderer.render(m.text, items)).html : '',
      // Most minutes open with their own "# Title"; then the page does not repeat it.
      ownTitle: !!m.text && /^(?:---\n[\s\S]*?\n---\n)?\s*# /.test(m.text),
    });
  });

  r.get('/meetings/:id/revisions/:rev', requireRole('member'), async (req, res) => {
    const { id, rev } = parseWith(RevisionParams, req.params);
    const m = await services.search.meeting(id);
    const text = await services.search.revisionText(id, rev);
    renderPage(res, 'meeting-revision', { title: `Revision ${rev} · ${m.title || m.date}`, meeting: m, rev, text, html: (await services.minutesRenderer.render(text)).html });
  });

  return r;
}
