import rrule from 'rrule';
import type { Options as RRuleOptions } from 'rrule';
import { foldName } from '../../parsers/normalize.js';
import { AppError, badInput, notFound } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connection.js';
import type { SeriesRecord, SeriesRepository } from '../db/repositories/series-repository.js';
import type { PeopleRepository } from '../db/repositories/people-repository.js';

const { RRule } = rrule;

/** A series as the API, CLI and other services see it. */
export interface SeriesView {
  id: number;
  slug: string;
  name: string;
  cadence: string | null;
  timezone: string;
  chair: { personId: number; name: string; email: string | null } | null;
  listEmail: string | null;
  standingItems: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SeriesInput {
  slug: string;
  name?: string;
  cadence?: string | null;
  timezone?: string;
  chairName?: string | null;
  listEmail?: string | null;
  standingItems?: string[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const DAY = 86_400_000;

/** Parses an RRULE (with or without the `RRULE:` prefix) or throws a one-line AppError. */
export function parseCadence(cadence: string): Partial<RRuleOptions> {
  let opts: Partial<RRuleOptions>;
  try {
    opts = RRule.parseString(cadence.trim());
    if (opts.freq === undefined) throw new Error('FREQ is missing');
    // Building and stepping once catches values parseString lets through (BYDAY=XX).
    new RRule({ ...opts, dtstart: new Date(Date.UTC(2020, 0, 1)) }).after(new Date(Date.UTC(2020, 0, 1)), true);
  } catch (err) {
    throw new AppError(
      'bad-cadence',
      `cadence '${cadence}' is not a valid RRULE (${(err as Error).message}); e.g. FREQ=MONTHLY;BYDAY=2TH`,
      400,
    );
  }
  return opts;
}

/** True when `tz` is an IANA time zone this Node knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Occurrences of a cadence between two dates (inclusive), as `YYYY-MM-DD`. The rule runs in
 * "floating" time (rrule's convention for rules without TZID): its wall-clock dates are the
 * dates in the series timezone, so no conversion is needed for date-only answers.
 */
export function occurrences(cadence: string, from: string, to: string): string[] {
  const opts = parseCadence(cadence);
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T23:59:59Z`);
  const rule = new RRule({ ...opts, dtstart: opts.dtstart ?? new Date(start.getTime() - 366 * DAY) });
  return rule.between(start, end, true).map((d) => d.toISOString().slice(0, 10));
}

/** Series: create/update, list, and date arithmetic over the cadence. */
export class SeriesService {
  constructor(
    private readonly db: Db,
    private readonly repo: SeriesRepository,
    private readonly people: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  private view(s: SeriesRecord): SeriesView {
    const chair = s.chairPersonId ? this.people.get(s.chairPersonId) : undefined;
    return {
      id: s.id,
      slug: s.slug,
      name: s.name,
      cadence: s.cadence,
      timezone: s.timezone,
      chair: chair ? { personId: chair.id, name: chair.name, email: chair.email } : null,
      listEmail: s.listEmail,
      standingItems: s.standingItems,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }

  list(): SeriesView[] {
    return this.repo.list().map((s) => this.view(s));
  }

  /** The series or a 404 AppError `series-not-found`. */
  get(slug: string): SeriesView {
    const s = this.repo.get(slug);
    if (!s) throw new AppError('series-not-found', `series '${slug}' does not exist`, 404);
    return this.view(s);
  }

  getById(id: number): SeriesView {
    const s = this.repo.getById(id);
    if (!s) throw notFound('series', id);
    return this.view(s);
  }

  /** The series, or undefined (no error): for callers that create on demand. */
  find(slug: string): SeriesView | undefined {
    const s = this.repo.get(slug);
    return s && this.view(s);
  }

  /** Creates the series or updates the fields given; validates cadence and timezone. */
  upsert(input: SeriesInput): SeriesView {
    const slug = validSlug(input.slug);
    if (input.cadence) parseCadence(input.cadence);
    if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
      throw new AppError('bad-timezone', `timezone '${input.timezone}' is not an IANA time zone (e.g. Europe/London)`, 400);
    }
    if (input.listEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.listEmail)) {
      throw badInput(`list address '${input.listEmail}' is not an email address`);
    }
    if (input.name !== undefined && !input.name.trim()) throw badInput('series name must not be empty');
    return this.db.transaction(() => {
      const now = this.clock.now().toISOString();
      const cur = this.repo.get(slug);
      const chairPersonId =
        input.chairName === undefined ? (cur?.chairPersonId ?? null) : input.chairName ? this.chairId(input.chairName, now) : null;
      const fields = {
        slug,
        name: input.name?.trim() ?? cur?.name ?? slug,
        cadence: input.cadence === undefined ? (cur?.cadence ?? null) : input.cadence?.trim().replace(/^RRULE:/i, '') || null,
        timezone: input.timezone ?? cur?.timezone ?? 'UTC',
        chairPersonId,
        listEmail: input.listEmail === undefined ? (cur?.listEmail ?? null) : input.listEmail || null,
        standingItems: input.standingItems ?? cur?.standingItems ?? [],
      };
      return this.view(cur ? this.repo.update(fields, now) : this.repo.insertIfMissing(fields, now));
    }).immediate();
  }

  /**
   * The series, created with defaults when missing (imports into a series nobody set up).
   * Safe inside a transaction and against a concurrent creator.
   */
  ensure(slug: string): SeriesRecord {
    const s = validSlug(slug);
    return this.repo.get(s) ?? this.repo.insertIfMissing(
      { slug: s, name: s, cadence: null, timezone: 'UTC', chairPersonId: null, listEmail: null, standingItems: [] },
      this.clock.now().toISOString(),
    );
  }

  /**
   * The meeting date of a month-only date (`2017-09`): the one occurrence of the cadence in
   * that month. Throws `month-only-date` when there is no cadence or it gives 0 or 2+ dates.
   */
  resolveMonth(slug: string, month: string): string {
    const s = this.repo.get(slug);
    const ask = `give the meeting date with --date YYYY-MM-DD`;
    if (!s?.cadence) {
      throw new AppError('month-only-date', `the minutes give only the month ${month} and series '${slug}' has no cadence; ${ask}`, 422);
    }
    const [y, m] = month.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const dates = occurrences(s.cadence, `${month}-01`, last);
    if (dates.length !== 1) {
      throw new AppError(
        'month-only-date',
        `the minutes give only the month ${month}; the cadence of '${slug}' (${s.cadence}) has ${dates.length} dates in it; ${ask}`,
        422,
      );
    }
    return dates[0];
  }

  /** The first cadence date on or after `from` (`YYYY-MM-DD`), or null without a cadence. */
  nextMeetingDate(slug: string, from: string): string | null {
    const s = this.get(slug);
    if (!s.cadence) return null;
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + 400 * DAY).toISOString().slice(0, 10);
    return occurrences(s.cadence, from, to)[0] ?? null;
  }

  private chairId(name: string, now: string): number {
    const key = foldName(name);
    if (!key) throw badInput(`chair '${name}' is not a name`);
    const hits = new Map([...this.people.findByNameKey(key), ...this.people.findByAliasKey(key)].map((p) => [p.id, p]));
    if (hits.size > 1) throw new AppError('ambiguous-name', `chair '${name}' matches ${hits.size} people; add the full name`, 409);
    const [one] = hits.values();
    return one ? one.id : this.people.insert({ name: name.trim(), nameKey: key }, now);
  }
}

function validSlug(slug: string): string {
  const s = (slug ?? '').trim();
  if (!SLUG.test(s)) {
    throw new AppError('bad-series-slug', `series '${slug}' must be lower-case letters, digits and dashes (e.g. openxt-community-call)`, 400);
  }
  return s;
}
