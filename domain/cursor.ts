/**
 * Keyset pagination cursors: the sort key of the last row of a page (plus its id, so ties are
 * broken), as opaque base64url JSON. Stable under inserts: the next page starts after that key,
 * not after N rows, so a row added meanwhile neither repeats nor hides one.
 */

/** One value of a sort key. */
export type KeyPart = string | number | null;

/** The opaque cursor of a sort key, e.g. `encodeCursor([0, 0, '2026-05-01', 42])`. */
export function encodeCursor(key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key in `cursor`, or null when it is not a cursor of `arity` parts of the expected
 * kinds (`'s'` string, `'n'` number, `'s?'`/`'n?'` nullable). Callers turn null into a 400.
 */
export function decodeCursor(cursor: string, kinds: readonly ('s' | 'n' | 's?' | 'n?')[]): KeyPart[] | null {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(key) || key.length !== kinds.length) return null;
  const ok = key.every((v, i) => {
    const k = kinds[i];
    if (v === null) return k.endsWith('?');
    return k.startsWith('s') ? typeof v === 'string' && v.length <= 500 : typeof v === 'number' && Number.isFinite(v);
  });
  return ok ? (key as KeyPart[]) : null;
}

/** A page of a keyset listing: the rows, how many match in all, and the cursor after the last row (null at the end). */
export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

/**
 * The page of `rows` fetched with `limit + 1` (the extra row only says there is more): cut to
 * `limit`, with the cursor of the last kept row.
 */
export function pageOf<T>(rows: T[], limit: number, total: number, keyOf: (row: T) => readonly KeyPart[]): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  return { items, total, next: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

/** The default and the largest page size of lists (API and pages). */
export const PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
