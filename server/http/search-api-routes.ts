import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { QueryInt, QueryString } from './route-helpers.js';
import { parseWith } from './validate.js';
import { PageQueryFields, setPageHeaders } from './pagination.js';

export const SearchQuery = z.object({
  q: QueryString(500),
  kind: QueryString(10).pipe(z.enum(['minutes', 'decision', 'action']).optional()),
  series: QueryString(200),
  ...PageQueryFields,
  offset: QueryInt(0, 1e9),
});

/** What `searchApiRoutes` uses of the services. */
export type SearchRouteDeps = Pick<Services, 'search'>;

/** `GET /api/search?q=`: full text over minutes, decisions and actions. */
export function searchApiRoutes(services: SearchRouteDeps): Router {
  const r = Router();
  r.get('/api/search', requireRole('member'), async (req, res) => {
    const { q, ...opts } = parseWith(SearchQuery, req.query);
    if (!q) {
      res.status(400).json({ error: { code: 'bad-input', message: 'q: give some words to search for' } });
      return;
    }
    const result = await services.search.search(q, opts);
    setPageHeaders(req, res, result);
    res.json(result);
  });
  return r;
}
