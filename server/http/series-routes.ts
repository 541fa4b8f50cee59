import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../container.js';
import { AppError } from '../errors.js';
import { hasRole, requireRole } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { parseWith } from './validate.js';
import { cadenceOf, choiceOf, describeCadence, WEEKDAYS, type CadenceChoice } from '../../domain/cadence-patterns.js';
import type { SeriesInput, SeriesView } from '../services/series/series-service.js';

const SlugParam = z.object({ slug: z.string().trim().min(1).max(100) });
const optionalText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullable().optional();

/** `POST /api/series` and `PATCH /api/series/:slug`: the fields to set (all but slug optional on PATCH). */
const SeriesBody = z.object({
  name: z.string().max(200, 'must be at most 200 characters').optional(),
  cadence: optionalText(500),
  timezone: z.string().max(100).optional(),
  timeOfDay: optionalText(5),
  chair: optionalText(200),
  listEmail: optionalText(320),
  standingItems: z.array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(50).optional(),
});
const CreateBody = SeriesBody.extend({ slug: z.string().max(100), name: z.string().max(200) });

/** The page form as posted: strings only; read leniently so a refusal can show them again. */
const SeriesForm = z.object({
  slug: z.string().max(100).optional(),
  name: z.string().max(200).default(''),
  pattern: z.enum(['none', 'weekly', 'biweekly', 'monthly-nth', 'monthly-last', 'rrule']).default('none'),
  weekday: z.enum(WEEKDAYS.map(([code]) => code) as [string, ...string[]]).default('TH'),
  nth: z.coerce.number().int().min(1).max(4).default(1),
  rrule: z.string().max(500).default(''),
  time: z.string().max(5).default(''),
  timezone: z.string().max(100).default('UTC'),
  chair: z.string().max(200).default(''),
  list: z.string().max(320).default(''),
  standing: z.string().max(10_000).default(''),
  do: z.enum(['save', 'preview']).default('save'),
});
type SeriesFormValues = z.output<typeof SeriesForm>;

/** Which form field a service refusal is about (its message is shown next to that field). */
function fieldOf(err: AppError): string {
  const byCode: Record<string, string> = {
    'bad-series-slug': 'slug',
    'bad-cadence': 'cadence',
    'no-next-meeting': 'cadence',
    'bad-timezone': 'timezone',
    'bad-time': 'time',
    'ambiguous-name': 'chair',
    'series-exists': 'slug',
  };
  const detail = (err.details as { field?: string } | undefined)?.field;
  if (detail === 'listEmail') return 'list';
  if (detail === 'timeOfDay') return 'time';
  if (detail) return detail;
  if (/^chair /.test(err.message)) return 'chair';
  return byCode[err.code] ?? 'form';
}

const lines = (s: string) => [...new Set(s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];

/** Form values of a stored series (for the edit form). */
function formOf(s: SeriesView): SeriesFormValues {
  const c = choiceOf(s.cadence);
  return {
    slug: s.slug,
    name: s.name,
    pattern: c.pattern,
    weekday: c.weekday,
    nth: c.nth,
    rrule: c.rrule,
    time: s.timeOfDay ?? '',
    timezone: s.timezone,
    chair: s.chair?.name ?? '',
    list: s.listEmail ?? '',
    standing: s.standingItems.join('\n'),
    do: 'save',
  };
}

/** IANA zones for the time-zone type-ahead; UTC first (Intl lists only geographic zones). */
let zones: string[] | undefined;
const timeZones = () => (zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]);

/** What `seriesRoutes` uses of the services. */
export type SeriesRouteDeps = Pick<Services, 'series' | 'people'>;

/**
 * Series on the web and the API: the list (`/series`, `GET /api/series`), one series
 * (`/series/:slug`, `GET /api/series/:slug`), creating (`/series/new`, `POST /api/series`) and
 * editing (`POST /series/:slug`, `PATCH /api/series/:slug`). Members read; note-takers and
 * admins edit. Every write goes through `SeriesService.upsert`, as `minutes series add` does.
 */
export function seriesRoutes(services: SeriesRouteDeps): Router {
  const r = Router();
  const { series } = services;

  /** The body of the form as the service takes it, and the cadence it chose. */
  const inputOf = (slug: string, f: SeriesFormValues): SeriesInput => ({
    slug,
    name: f.name,
    cadence: cadenceOf({ pattern: f.pattern, weekday: f.weekday, nth: f.nth, rrule: f.rrule } as CadenceChoice),
    timezone: f.timezone.trim() || 'UTC',
    timeOfDay: f.time.trim() || null,
    chairName: f.chair.trim() || null,
    listEmail: f.list.trim() || null,
    standingItems: lines(f.standing),
  });

  async function renderForm(req: Request, res: Response, data: { existing: SeriesView | null; form: SeriesFormValues; errors?: Record<string, string>; preview?: string[] | null }) {
    const people = await services.people.list();
    renderPage(res, 'series-form', {
      title: data.existing ? `${data.existing.name} · Series` : 'New series',
      existing: data.existing,
      form: data.form,
      errors: data.errors ?? {},
      preview: data.preview ?? (data.existing?.cadence ? safePreview(data.existing.cadence, data.existing.timezone) : null),
      canEdit: hasRole(req.user, 'notetaker'),
      weekdays: WEEKDAYS,
      zones: timeZones(),
      people: people.map((p) => p.name),
      describeCadence,
    });
  }

  const safePreview = (cadence: string, tz: string): string[] | null => {
    try {
      return series.preview(cadence, tz);
    } catch {
      return null;
    }
  };

  /** Saves (or previews) a posted form; a refusal re-renders it with the reason by the field. */
  async function submit(req: Request, res: Response, existing: SeriesView | null): Promise<void> {
    const f = parseWith(SeriesForm, req.body);
    const slug = existing?.slug ?? (f.slug ?? '').trim();
    const errors: Record<string, string> = {};
    if (!existing && await series.find(slug)) errors.slug = `Series '${slug}' already exists.`;
    const input = inputOf(slug, f);
    let preview: string[] | null = null;
    const refused = (err: unknown) => {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      const all = (err.details as { problems?: { field: string; code: string; message: string }[] } | undefined)?.problems;
      for (const p of all ?? [{ field: fieldOf(err), code: err.code, message: err.message }]) {
        const field = all ? fieldOf(new AppError(p.code, p.message, 400, { field: p.field })) : p.field;
        errors[field] ??= p.message;
      }
    };
    try {
      if (input.cadence) preview = series.preview(input.cadence, input.timezone!);
    } catch (err) {
      // Saving reports it with every other problem; a preview says it alone.
      if (f.do === 'preview') refused(err);
    }
    if (f.do === 'save' && !errors.slug) {
      try {
        const saved = await series.upsert(input);
        flash(res, 'ok', existing ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
        res.redirect(303, `/series/${encodeURIComponent(saved.slug)}`);
        return;
      } catch (err) {
        refused(err);
      }
    }
    if (Object.keys(errors).length) res.status(400);
    await renderForm(req, res, { existing, form: f, errors, preview });
  }

  // --- API ---
  r.get('/api/series', requireRole('member'), async (_req, res) => {
    res.json({ series: await series.list() });
  });

  r.get('/api/series/:slug', requireRole('member'), async (req, res) => {
    const { slug } = parseWith(SlugParam, req.params);
    res.json(await series.get(slug));
  });

  r.post('/api/series', requireRole('notetaker'), async (req, res) => {
    const b = parseWith(CreateBody, req.body);
    if (await series.find(b.slug.trim())) throw new AppError('series-exists', `series '${b.slug.trim()}' already exists; PATCH /api/series/${b.slug.trim()} changes it`, 409);
    if (!b.name.trim()) throw new AppError('bad-input', 'name: a series needs a name', 400, [{ path: 'name', message: 'a series needs a name' }]);
    res.status(201).json(await series.upsert(apiInput(b.slug, b)));
  });

  r.patch('/api/series/:slug', requireRole('notetaker'), async (req, res) => {
    const { slug } = parseWith(SlugParam, req.params);
    const b = parseWith(SeriesBody, req.body);
    await series.get(slug); // 404 before anything else
    res.json(await series.upsert(apiInput(slug, b)));
  });

  // --- Pages ---
  r.get('/series', requireRole('member'), async (req, res) => {
    renderPage(res, 'series-list', {
      title: 'Series',
      series: (await series.list()).map((s) => ({ ...s, cadenceText: describeCadence(s.cadence), next: s.cadence ? safePreview(s.cadence, s.timezone)?.[0] ?? null : null })),
      canEdit: hasRole(req.user, 'notetaker'),
    });
  });

  r.get('/series/new', requireRole('notetaker'), async (req, res) => {
    await renderForm(req, res, { existing: null, form: SeriesForm.parse({}) });
  });

  r.post('/series', requireRole('notetaker'), (req, res) => submit(req, res, null));

  r.get('/series/:slug', requireRole('member'), async (req, res) => {
    const { slug } = parseWith(SlugParam, req.params);
    const s = await series.get(slug);
    await renderForm(req, res, { existing: s, form: formOf(s) });
  });

  r.post('/series/:slug', requireRole('notetaker'), async (req, res) => {
    const { slug } = parseWith(SlugParam, req.params);
    await submit(req, res, await series.get(slug));
  });

  return r;
}

/** An API body as the service takes it: absent fields stay as they are, null or '' clears. */
function apiInput(slug: string, b: z.output<typeof SeriesBody>): SeriesInput {
  return {
    slug: slug.trim(),
    name: b.name,
    cadence: b.cadence === undefined ? undefined : b.cadence || null,
    timezone: b.timezone,
    timeOfDay: b.timeOfDay === undefined ? undefined : b.timeOfDay || null,
    chairName: b.chair === undefined ? undefined : b.chair || null,
    listEmail: b.listEmail === undefined ? undefined : b.listEmail || null,
    standingItems: b.standingItems,
  };
}
