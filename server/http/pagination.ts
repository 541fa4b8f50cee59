import type { Request, Response } from 'express';
import { MAX_PAGE_SIZE, type Page } from '../../domain/cursor.js';
import { QueryInt, QueryString } from './route-helpers.js';

/**
 * The query fields of a paginated list: `cursor` (the `next` of the previous page, opaque) and
 * `limit` (1..500, default 50). Spread into a list's zod object.
 */
export const PageQueryFields = {
  cursor: QueryString(1000),
  limit: QueryInt(1, MAX_PAGE_SIZE),
};

/** This request's URL with `cursor` set to `cursor` (or removed when null): the link to another page. */
export function withCursor(req: Request, cursor: string | null): string {
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.delete('cursor');
  if (cursor) url.searchParams.set('cursor', cursor);
  const qs = url.searchParams.toString();
  return url.pathname + (qs ? `?${qs}` : '');
}

/**
 * Sets the page headers of an API list: `X-Total-Count` and, when there is a next page, an
 * RFC 8288 `Link: <...>; rel="next"` (the JSON body carries `next` and `total` as well).
 */
export function setPageHeaders(req: Request, res: Response, page: Pick<Page<unknown>, 'total' | 'next'>): void {
  res.set('X-Total-Count', String(page.total));
  if (page.next) res.set('Link', `<${withCursor(req, page.next)}>; rel="next"`);
}

/** What a list page shows under the list: the count, and links to the first and the next page. */
export interface PageNav {
  total: number;
  shown: number;
  /** Set when this is not the first page. */
  first: string | null;
  next: string | null;
}

/** The navigation of a list page. */
export function pageNav(req: Request, page: Pick<Page<unknown>, 'total' | 'next'> & { items: unknown[] }): PageNav {
  const onFirst = !new URL(req.originalUrl, 'http://x').searchParams.get('cursor');
  return {
    total: page.total,
    shown: page.items.length,
    first: onFirst ? null : withCursor(req, null),
    next: page.next ? withCursor(req, page.next) : null,
  };
}
