import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { contentDisposition, QueryInt, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';
import { AppError } from '../errors.js';
import { REGISTER_LIMIT_MAX, type DecisionPage, type DecisionQuery } from '../services/decisions/decision-service.js';

export const DecisionListQuery = z.object({
  series: QueryString(100),
  from: QueryString(10),
  to: QueryString(10),
  q: QueryString(500),
  limit: QueryInt(1, REGISTER_LIMIT_MAX),
  cursor: QueryString(200),
  format: QueryString(10).pipe(z.enum(['json', 'csv'], { error: 'format must be json or csv' }).optional()),
});

/** What `decisionRoutes` uses of the services. */
export type DecisionRouteDeps = Pick<Services, 'decisions' | 'series'>;

/** Sends the register as a CSV download, chunk by chunk, waiting when the socket is full. */
async function sendCsv(res: Response, chunks: AsyncIterable<string>, filename: string): Promise<void> {
  res.status(200);
  res.type('text/csv; charset=utf-8');
  res.set('Content-Disposition', contentDisposition('attachment', filename));
  for await (const chunk of chunks) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

const csvName = (q: DecisionQuery) => `decisions${q.series ? `-${q.series}` : ''}.csv`;

/**
 * The decision register: `GET /api/decisions` (JSON page with `total` and a `next` cursor, or
 * `format=csv` for every matching row) and the `/decisions` page (filters, "Older" link, CSV
 * link with the same filters).
 */
export function decisionRoutes(services: DecisionRouteDeps): Router {
  const r = Router();
  const { decisions } = services;

  r.get('/api/decisions', requireRole('member'), async (req, res) => {
    const { format, ...q } = parseWith(DecisionListQuery, req.query);
    if (format === 'csv') {
      const { cursor: _ignored, limit: _all, ...filters } = q;
      return sendCsv(res, await decisions.csv(filters), csvName(q));
    }
    res.json(await decisions.list(q));
  });

  r.get('/decisions', requireRole('member'), async (req, res) => {
    const { format: _f, ...q } = parseWith(DecisionListQuery, req.query);
    const { cursor: _c, limit: _l, ...filters } = q;
    let page: DecisionPage = { total: 0, decisions: [], next: null };
    let error: string | null = null;
    try {
      page = await decisions.list({ ...q, limit: q.limit ?? 50 });
    } catch (err) {
      // A filter that does not fit (a date range backwards, an unknown series, a stale cursor)
      // is said above the list, with the filters as typed, instead of an error page.
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      error = err.message;
      res.status(err.status);
    }
    renderPage(res, 'decisions', { title: 'Decisions', filter: q, filters, page, error, series: await services.series.list(), first: !q.cursor });
  });

  return r;
}
