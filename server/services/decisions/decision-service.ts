import { isCalendarDay } from '../../../domain/dates.js';
import { csvRecord } from '../../../domain/csv.js';
import { decodeCursor, encodeCursor } from '../../../domain/cursor.js';
import { AppError, badInput } from '../../errors.js';
import type { DecisionRepository, RegisterFilter, RegisterRow } from '../../db/repositories/decision-repository.js';
import type { SeriesRepository } from '../../db/repositories/series-repository.js';
import { toFtsQuery } from '../../db/repositories/search-repository.js';

/** What the register is asked: all optional; dates `YYYY-MM-DD`, inclusive. */
export interface DecisionQuery {
  series?: string;
  from?: string;
  to?: string;
  /** Words that must all occur in the decision (the last as a prefix), as search reads them. */
  q?: string;
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

/** A decision in the register, with the path of its line in the minutes. */
export interface RegisterDecision extends RegisterRow {
  /** `/meetings/:id#L<line>`: the decision's line on the meeting page. */
  path: string;
}

export interface DecisionPage {
  /** Decisions the filters select, over all pages. */
  total: number;
  decisions: RegisterDecision[];
  /** Cursor of the next (older) page, or null on the last page. */
  next: string | null;
}

export const REGISTER_LIMIT_DEFAULT = 50;
export const REGISTER_LIMIT_MAX = 500;

/**
 * The keyset cursor of the register: the meeting date and decision id of a page's last row,
 * as the opaque cursors of `domain/cursor.ts`. Rows inserted meanwhile never shift a page.
 */
function registerCursor(row: { meetingDate: string; id: number }): string {
  return encodeCursor([row.meetingDate, row.id]);
}

/** Reads a register cursor back, or throws 400 `bad-cursor`. */
function readRegisterCursor(cursor: string): { date: string; id: number } {
  const key = decodeCursor(cursor, ['s', 'n']);
  if (!key || !isCalendarDay(key[0] as string)) {
    throw new AppError('bad-cursor', `cursor '${cursor.slice(0, 40)}' is not one this list gave out; start again without it`, 400);
  }
  return { date: key[0] as string, id: key[1] as number };
}

const CSV_HEADER = ['id', 'meeting_date', 'series', 'meeting_title', 'topic', 'decision', 'line', 'superseded_by', 'url'];

/** The decision register: every current decision across meetings, newest first. */
export function createDecisionService(deps: { repo: DecisionRepository; series: SeriesRepository; baseUrl: string }) {
  const { repo } = deps;

  /** Validated filters, or null when the words leave nothing to search (matches nothing). */
  async function filterOf(q: DecisionQuery): Promise<RegisterFilter | null> {
    for (const [name, d] of [['from', q.from], ['to', q.to]] as const) {
      if (d !== undefined && !isCalendarDay(d)) throw new AppError('bad-date', `${name} must be a date YYYY-MM-DD, got "${d}"`, 400);
    }
    if (q.from && q.to && q.from > q.to) throw badInput(`from (${q.from}) is after to (${q.to})`);
    if (q.series && !await deps.series.get(q.series)) throw new AppError('series-not-found', `series '${q.series}' does not exist`, 404);
    const match = q.q ? toFtsQuery(q.q) : null;
    if (q.q && !match) return null;
    return { series: q.series ?? null, from: q.from ?? null, to: q.to ?? null, match };
  }

  const withPath = (r: RegisterRow): RegisterDecision => ({ ...r, path: `/meetings/${r.meetingId}#L${r.line}` });

  return {
    /** One page of the register and the cursor of the next. */
    async list(q: DecisionQuery = {}): Promise<DecisionPage> {
      const limit = q.limit ?? REGISTER_LIMIT_DEFAULT;
      if (!Number.isInteger(limit) || limit < 1 || limit > REGISTER_LIMIT_MAX) throw badInput(`limit must be a whole number from 1 to ${REGISTER_LIMIT_MAX}`);
      const after = q.cursor ? readRegisterCursor(q.cursor) : null;
      const f = await filterOf(q);
      if (!f) return { total: 0, decisions: [], next: null };
      // One row more than asked says whether there is a next page without a second query.
      const rows = await repo.register(f, after, limit + 1);
      const page = rows.slice(0, limit);
      return {
        total: await repo.registerCount(f),
        decisions: page.map(withPath),
        next: rows.length > limit ? registerCursor(page[page.length - 1]) : null,
      };
    },

    /**
     * The whole register as RFC 4180 CSV (header row first), in chunks of 500 rows read by
     * keyset, so a big register is never held in memory at once. Filters are checked before
     * the first chunk, so a bad one throws before anything is sent.
     */
    async csv(q: DecisionQuery = {}): Promise<AsyncIterable<string>> {
      const f = await filterOf(q);
      const base = deps.baseUrl.replace(/\/+$/, '');
      return (async function* () {
        yield csvRecord(CSV_HEADER);
        if (!f) return;
        let after: { date: string; id: number } | null = null;
        for (;;) {
          const rows = await repo.register(f, after, 500);
          let out = '';
          for (const r of rows) {
            out += csvRecord([r.id, r.meetingDate, r.seriesSlug, r.meetingTitle, r.topic, r.text, r.line, r.supersededById, base + withPath(r).path]);
          }
          if (out) yield out;
          if (rows.length < 500) return;
          const last = rows[rows.length - 1];
          after = { date: last.meetingDate, id: last.id };
        }
      })();
    },
  };
}

export type DecisionService = ReturnType<typeof createDecisionService>;
