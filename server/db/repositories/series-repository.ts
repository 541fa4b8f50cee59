import type { Db } from '../connection.js';

export interface SeriesFields {
  slug: string;
  name: string;
  cadence: string | null;
  timezone: string;
  /** `HH:MM` wall-clock time of the calls in `timezone`, or null (all-day). */
  timeOfDay: string | null;
  chairPersonId: number | null;
  listEmail: string | null;
  standingItems: string[];
}

/** A stored series: the fields plus id and times. */
export interface SeriesRecord extends SeriesFields {
  id: number;
  createdAt: string;
  updatedAt: string;
}

interface SeriesRow {
  id: number;
  slug: string;
  name: string;
  cadence: string | null;
  timezone: string;
  time_of_day: string | null;
  chair_person_id: number | null;
  list_email: string | null;
  standing_items: string;
  created_at: string;
  updated_at: string;
}

const toSeries = (r: SeriesRow): SeriesRecord => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  cadence: r.cadence,
  timezone: r.timezone,
  timeOfDay: r.time_of_day ?? null,
  chairPersonId: r.chair_person_id,
  listEmail: r.list_email,
  standingItems: parseItems(r.standing_items),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function parseItems(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** All SQL over `series`. */
export class SeriesRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      bySlug: db.prepare<[string], SeriesRow>('SELECT * FROM series WHERE slug = ?'),
      list: db.prepare<[], SeriesRow>('SELECT * FROM series ORDER BY slug'),
      insert: db.prepare(
        `INSERT INTO series (slug, name, cadence, timezone, time_of_day, chair_person_id, list_email, standing_items, created_at, updated_at)
         VALUES (@slug, @name, @cadence, @timezone, @timeOfDay, @chairPersonId, @listEmail, @standingItems, @now, @now)
         ON CONFLICT (slug) DO NOTHING`,
      ),
      update: db.prepare(
        `UPDATE series SET name = @name, cadence = @cadence, timezone = @timezone, time_of_day = @timeOfDay, chair_person_id = @chairPersonId,
           list_email = @listEmail, standing_items = @standingItems, updated_at = @now WHERE slug = @slug`,
      ),
    };
  }

  async get(slug: string): Promise<SeriesRecord | undefined> {
    const r = await this.s.bySlug.get(slug);
    return r && toSeries(r);
  }

  async list(): Promise<SeriesRecord[]> {
    return (await this.s.list.all()).map(toSeries);
  }

  /** Inserts unless the slug exists (two importers may race); returns the stored record. */
  async insertIfMissing(f: SeriesFields, now: string): Promise<SeriesRecord> {
    await this.s.insert.run({ ...f, standingItems: JSON.stringify(f.standingItems), now });
    return (await this.get(f.slug))!;
  }

  async update(f: SeriesFields, now: string): Promise<SeriesRecord> {
    await this.s.update.run({ ...f, standingItems: JSON.stringify(f.standingItems), now });
    return (await this.get(f.slug))!;
  }
}
