import { Router } from 'express';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { SearchQuery } from './search-api-routes.js';
import { parseWith } from './validate.js';

/** What `searchPageRoutes` uses of the services. */
export type SearchRouteDeps = Pick<Services, 'search'>;

/** `/search`: full text across minutes, decisions and actions. */
export function searchPageRoutes(services: SearchRouteDeps): Router {
  const r = Router();
  r.get('/search', requireRole('member'), (req, res) => {
    const q = parseWith(SearchQuery, req.query);
    const result = q.q ? services.search.search(q.q, { kind: q.kind, series: q.series, limit: q.limit ?? 50, offset: q.offset ?? 0 }) : null;
    renderPage(res, 'search', { title: q.q ? `Search: ${q.q}` : 'Search', q: q.q ?? '', kind: q.kind ?? '', result });
  });
  return r;
}
