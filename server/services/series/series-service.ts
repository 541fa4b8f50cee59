import { foldName } from '../../../domain/names.js';
import { AppError, badInput } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connection.js';
import type { SeriesRecord, SeriesRepository } from '../../db/repositories/series-repository.js';
import type { PeopleRepository } from '../../db/repositories/people-repository.js';
import { nextOccurrence, occurrencesInMonth, todayIn, upcomingOccurrences, validateCadence, validateTimezone } from '../agenda/cadence-service.js';

/** A series as the API, CLI and other services see it. */
export interface SeriesView {
  id: number;
  slug: string;
  name: string;
  cadence: string | null;
  timezone: string;
  /** `HH:MM` in `timezone` when the calls have a set time, else null (all-day calendar). */
  timeOfDay: string | null;
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
  /** `HH:MM`, or null / '' to clear. */
  timeOfDay?: string | null;
  chairName?: string | null;
  listEmail?: string | null;
  standingItems?: string[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A 24-hour wall-clock time `HH:MM`. */
export const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Series: create/update, list, and date arithmetic over the cadence. */
export class SeriesService {
  constructor(
    private readonly db: Db,
    private readonly repo: SeriesRepository,
    private readonly people: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  private async view(s: SeriesRecord): Promise<SeriesView> {
    const chair = s.chairPersonId ? await this.people.get(s.chairPersonId) : undefined;
    return {
      id: s.id,
      slug: s.slug,
      name: s.name,
      cadence: s.cadence,
      timezone: s.timezone,
      timeOfDay: s.timeOfDay,
      chair: chair ? { personId: chair.id, name: chair.name, email: chair.email } : null,
      listEmail: s.listEmail,
      standingItems: s.standingItems,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }

  async list(): Promise<SeriesView[]> {
    return Promise.all((await this.repo.list()).map((s) => this.view(s)));
  }

  /** The series or a 404 AppError `series-not-found`. */
  async get(slug: string): Promise<SeriesView> {
    const s = await this.repo.get(slug);
    if (!s) throw new AppError('series-not-found', `series '${slug}' does not exist`, 404);
    return this.view(s);
  }

  /** The series, or undefined (no error): for callers that create on demand. */
  async find(slug: string): Promise<SeriesView | undefined> {
    const s = await this.repo.get(slug);
    return s && await this.view(s);
  }

  /** Creates the series or updates the fields given; validates cadence and timezone. */
  async upsert(input: SeriesInput): Promise<SeriesView> {
    const slug = validSlug(input.slug);
    // Every field is checked before anything is written, and all problems are reported at
    // once (details.problems, each with its field), so a form can mark each field; the error
    // itself is the first problem's code and message.
    const problems: { field: string; code: string; message: string }[] = [];
    const check = (field: string, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.push({ field, code: err.code, message: err.message });
      }
    };
    if (input.name !== undefined && !input.name.trim()) problems.push({ field: 'name', code: 'bad-input', message: 'series name must not be empty' });
    // One cadence implementation (cadence-service): the agenda's next date and import's
    // month resolution read the rule the same way this validation does.
    if (input.cadence) check('cadence', () => validateCadence(input.cadence!));
    if (input.timezone !== undefined) check('timezone', () => validateTimezone(input.timezone!));
    if (input.timeOfDay && !TIME_OF_DAY.test(input.timeOfDay)) {
      problems.push({ field: 'timeOfDay', code: 'bad-time', message: `time of day '${input.timeOfDay}' must be HH:MM on a 24-hour clock (e.g. 16:00)` });
    }
    if (input.listEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.listEmail)) {
      problems.push({ field: 'listEmail', code: 'bad-input', message: `list address '${input.listEmail}' is not an email address` });
    }
    if (problems.length) {
      const [first] = problems;
      throw new AppError(first.code, first.message, 400, { field: first.field, problems });
    }
    return await this.db.transaction(async () => {
      const now = this.clock.now().toISOString();
      const cur = await this.repo.get(slug);
      const chairPersonId =
        input.chairName === undefined ? (cur?.chairPersonId ?? null) : input.chairName ? await this.chairId(input.chairName, now) : null;
      const fields = {
        slug,
        name: input.name?.trim() ?? cur?.name ?? slug,
        cadence: input.cadence === undefined ? (cur?.cadence ?? null) : input.cadence?.trim().replace(/^RRULE:/i, '') || null,
        timezone: input.timezone ?? cur?.timezone ?? 'UTC',
        timeOfDay: input.timeOfDay === undefined ? (cur?.timeOfDay ?? null) : input.timeOfDay || null,
        chairPersonId,
        listEmail: input.listEmail === undefined ? (cur?.listEmail ?? null) : input.listEmail || null,
        standingItems: input.standingItems ?? cur?.standingItems ?? [],
      };
      return this.view(cur ? await this.repo.update(fields, now) : await this.repo.insertIfMissing(fields, now));
    });
  }

  /**
   * The series, created with defaults when missing (imports into a series nobody set up).
   * Safe inside a transaction and against a concurrent creator.
   */
  async ensure(slug: string): Promise<SeriesRecord> {
    const s = validSlug(slug);
    return await this.repo.get(s) ?? await this.repo.insertIfMissing(
      { slug: s, name: s, cadence: null, timezone: 'UTC', timeOfDay: null, chairPersonId: null, listEmail: null, standingItems: [] },
      this.clock.now().toISOString(),
    );
  }

  /**
   * The meeting date of a month-only date (`2017-09`): the one occurrence of the cadence in
   * that month (cadence-service, anchored phase). Throws `month-only-date` when there is no
   * cadence or it gives 0 or 2+ dates: a weekly or fortnightly call is not guessed.
   */
  async resolveMonth(slug: string, month: string): Promise<string> {
    const s = await this.repo.get(slug);
    const ask = `give the meeting date with --date YYYY-MM-DD`;
    if (!s?.cadence) {
      throw new AppError('month-only-date', `the minutes give only the month ${month} and series '${slug}' has no cadence; ${ask} (or give the series one: minutes series add ${slug} --name NAME --cadence RRULE)`, 422);
    }
    const dates = occurrencesInMonth(s.cadence, month);
    if (dates.length !== 1) {
      const which = dates.length ? ` (${dates.join(', ')})` : '';
      throw new AppError(
        'month-only-date',
        `the minutes give only the month ${month}; the cadence of '${slug}' (${s.cadence}) has ${dates.length} dates in it${which}; ${ask}`,
        422,
      );
    }
    return dates[0];
  }

  /**
   * The next `count` meeting dates of a cadence from today in `timezone` (for the series
   * form's preview, before anything is saved). Throws `bad-cadence` / `bad-timezone`.
   */
  preview(cadence: string, timezone: string, count = 3): string[] {
    validateTimezone(timezone);
    return upcomingOccurrences(validateCadence(cadence), todayIn(timezone, this.clock.now()), count);
  }

  /**
   * The cadence's one meeting in `month` (`YYYY-MM`), or null when the series has no cadence
   * or it gives 0 or 2+ dates that month (a weekly call's day is not guessed).
   */
  async monthOccurrence(slug: string, month: string): Promise<string | null> {
    const s = await this.repo.get(slug);
    if (!s?.cadence) return null;
    const dates = occurrencesInMonth(s.cadence, month);
    return dates.length === 1 ? dates[0] : null;
  }

  /** The first cadence date on or after `from` (`YYYY-MM-DD`), or null without a cadence. */
  async nextMeetingDate(slug: string, from: string): Promise<string | null> {
    const s = await this.get(slug);
    return s.cadence ? nextOccurrence(s.cadence, from, { inclusive: true }) : null;
  }

  private async chairId(name: string, now: string): Promise<number> {
    const key = foldName(name);
    if (!key) throw badInput(`chair '${name}' is not a name`);
    const hits = new Map((await this.people.findByKey(key)).map((p) => [p.id, p]));
    if (hits.size > 1) throw new AppError('ambiguous-name', `chair '${name}' matches ${hits.size} people; add the full name`, 409);
    const [one] = hits.values();
    return one ? one.id : await this.people.insert({ name: name.trim(), nameKey: key }, now);
  }
}

function validSlug(slug: string): string {
  const s = (slug ?? '').trim();
  // `/series/new` is the page that creates one, so no series may be called `new`.
  if (!SLUG.test(s) || s === 'new') {
    throw new AppError('bad-series-slug', `series '${slug}' must be lower-case letters, digits and dashes (e.g. openxt-community-call), and not 'new'`, 400);
  }
  return s;
}
