import { Router } from 'express';
import type { Services } from '../container.js';
import { requireRole } from './auth-middleware.js';
import { renderPage } from './render.js';
import { SearchQuery } from './search-api-routes.js';
import { parseWith } from './validate.js';
import { pageNav } from './pagination.js';

/** What `searchPageRoutes` uses of the services. */
export type SearchRouteDeps = Pick<Services, 'search'>;

/** `/search`: full text across minutes, decisions and actions. */
export function searchPageRoutes(services: SearchRouteDeps): Router {
  const r = Router();
  r.get('/search', requireRole('member'), async (req, res) => {
    const q = parseWith(SearchQuery, req.query);
    const result = q.q ? await services.search.search(q.q, { kind: q.kind, series: q.series, limit: q.limit, offset: q.offset, cursor: q.cursor }) : null;
    const nav = result ? pageNav(req, { items: result.hits, total: result.total, next: result.next }) : null;
    renderPage(res, 'search', { title: q.q ? `Search: ${q.q}` : 'Search', q: q.q ?? '', kind: q.kind ?? '', result, nav });
  });
  return r;
}
