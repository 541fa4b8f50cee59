import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole, verifyCsrfField } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { DateString, webMessage } from './route-helpers.js';
import { checkText, decodeUpload, readMultipart, warnIfUnformattable } from './upload-input.js';
import { parseWith } from './validate.js';
import type { Corrections } from '../services/meetings/import-overrides.js';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const UploadForm = z.object({
  intent: z.enum(['preview', 'save']).default('preview'),
  series: z.preprocess(blank, z.string().trim().max(64).optional()),
  date: z.preprocess(blank, DateString.optional()),
  filename: z.preprocess(blank, z.string().max(255).optional()),
  text: z.string().max(3 * 1024 * 1024).optional(),
});

/** Owner picks and promoted suggestions from the preview form (see upload-preview.eta). */
export interface PreviewEdits {
  corrections: Corrections;
  /** Lines of the suggestions ticked to promote. */
  promote: Set<number>;
  /** line -> owners as written (slot order), to offer "keep as written" again. */
  written: Map<number, string[]>;
  /** line -> picked names by slot ('' = keep). */
  picked: Map<number, string[]>;
}

/**
 * Reads `orig.<line>.<slot>` (owner as written), `owner.<line>.<slot>` (a picked person's
 * name, empty to keep) and `promote` (lines of suggestions) from the form.
 */
export function readPreviewEdits(body: Record<string, unknown>): PreviewEdits {
  const written = new Map<number, string[]>();
  const picked = new Map<number, string[]>();
  for (const [key, value] of Object.entries(body)) {
    const m = /^(orig|owner)\.(\d{1,6})\.(\d{1,2})$/.exec(key);
    if (!m || typeof value !== 'string') continue;
    const map = m[1] === 'orig' ? written : picked;
    const line = Number(m[2]);
    const slots = map.get(line) ?? [];
    slots[Number(m[3])] = value.trim().slice(0, 200);
    map.set(line, slots);
  }
  const actions: NonNullable<Corrections['actions']> = [];
  for (const [line, names] of written) {
    const picks = picked.get(line) ?? [];
    if (!picks.some(Boolean)) continue;
    actions.push({ line, owners: names.map((n, i) => picks[i] || n).filter(Boolean) });
  }
  const raw = body.promote;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const promote = new Set(list.map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 1_000_000));
  return { corrections: { actions, suggestions: [...promote].map((line) => ({ line, op: 'promote' as const })) }, promote, written, picked };
}

/** The minutes of the form: the uploaded file wins over the text box. */
function formText(req: Request, pasted: string | undefined): { text: string; filename: string | null } {
  if (req.file && req.file.size > 0) return { text: decodeUpload(req.file.buffer, `file '${req.file.originalname}'`), filename: req.file.originalname || null };
  return { text: checkText(pasted ?? ''), filename: null };
}

/** The upload form's field a refusal is about, by its code. */
function uploadField(code: string, aboutFile: boolean): string | null {
  if (code === 'no-date' || code === 'bad-date' || code === 'month-only-date') return 'date';
  if (code === 'bad-series-slug' || code === 'default-series-collision') return 'series';
  if (['payload-too-large', 'input-too-large', 'input-binary', 'bad-encoding', 'bad-upload', 'input-empty'].includes(code)) return aboutFile ? 'file' : 'text';
  return null;
}

/** What `uploadPageRoutes` uses of the services. */
export type UploadPageDeps = Pick<Services, 'imports' | 'outbox' | 'people' | 'series' | 'auth' | 'minutesRenderer'>;

/** `/upload`: paste or drop minutes, preview what they give, fix owners, promote, save. */
export function uploadPageRoutes(services: UploadPageDeps): Router {
  const r = Router();

  r.get('/upload', requireRole('notetaker'), (req, res) => {
    const series = typeof req.query.series === 'string' ? req.query.series.slice(0, 64) : '';
    renderPage(res, 'upload', { title: 'Upload minutes', series: services.series.list(), form: { series, date: '', text: '' } });
  });

  r.post('/upload', requireRole('notetaker'), async (req, res) => {
    // The file form's body: read only here, for a signed-in note-taker, within the limits. A
    // body over them is not read at all (so it carries no CSRF field to check: nothing is done
    // with it); the form comes back saying so.
    let tooLarge: AppError | null = null;
    try {
      await readMultipart(req, res);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 413 && err.status !== 411)) throw err;
      res.set('Connection', 'close');
      tooLarge = err;
    }
    if (!tooLarge) verifyCsrfField(services, req);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    // The minutes as read so far: a chosen file's text is kept in the text box if the upload is
    // refused for another reason (a date, the series), so nothing must be chosen again.
    const read: { text: string | null; filename: string | null } = { text: null, filename: null };
    try {
      if (tooLarge) throw tooLarge;
      // The file first: a refused date or series must not lose it.
      if (req.file && req.file.size > 0) Object.assign(read, formText(req, undefined));
      const form = parseWith(UploadForm, req.body);
      await handleUpload(req, res, form, read);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      // Refused minutes: the form again, the reason next to its field, everything typed kept.
      const { message, field } = webMessage(err);
      const sentFile = !!req.file?.size || !!tooLarge;
      res.status(err.status);
      renderPage(res, 'upload', {
        title: 'Upload minutes',
        series: services.series.list(),
        form: {
          series: str(raw.series),
          date: str(raw.date),
          text: read.text ?? str(raw.text),
          filename: read.filename ?? str(raw.filename),
        },
        error: message,
        errorField: field ?? uploadField(err.code, sentFile && read.text === null),
        keptFile: read.text !== null && read.filename ? read.filename : null,
      });
    }
  });

  async function handleUpload(req: Request, res: Response, form: z.output<typeof UploadForm>, read: { text: string | null; filename: string | null }): Promise<void> {
    const { text, filename } = formText(req, form.text);
    read.text = text;
    read.filename = form.filename ?? filename;
    const edits = readPreviewEdits(req.body as Record<string, unknown>);
    const opts = {
      series: form.series ?? null,
      date: form.date ?? null,
      filename: form.filename ?? filename,
      uploadedBy: req.user!.name,
      source: 'web' as const,
    };
    if (form.intent === 'save') {
      const result = await services.imports.importText(text, { ...opts, corrections: edits.corrections });
      services.outbox.kick();
      const unformattable = { warnings: [] as { line: number; message: string }[] };
      await warnIfUnformattable(services.minutesRenderer, text, unformattable);
      if (unformattable.warnings.length) flash(res, 'info', `Note: ${unformattable.warnings[0].message}.`);
      const n = result.changes;
      const what =
        result.status === 'unchanged'
          ? 'Nothing changed: this revision is already stored.'
          : `Saved ${result.status === 'new' ? 'new meeting' : `revision ${result.meeting.revision}`}: ${n.added.length} actions added, ${n.changed.length} changed, ${n.removed.length} removed.`;
      flash(res, 'ok', what + (result.more.length ? ` (${result.more.length} more meetings in this file were saved too.)` : ''));
      res.redirect(303, `/meetings/${result.meeting.id}`);
      return;
    }
    // Preview: one dry run with the edits; its suggestions are those parsed (before promotion),
    // whose indexes the form's promote boxes use.
    const preview = await services.imports.importText(text, { ...opts, dryRun: true, corrections: edits.corrections });
    await warnIfUnformattable(services.minutesRenderer, text, preview);
    renderPage(res, 'upload-preview', {
      title: 'Preview',
      text,
      form: { series: form.series ?? preview.meeting.seriesSlug, date: form.date ?? '', filename: form.filename ?? filename ?? '' },
      base: preview,
      preview,
      promote: edits.promote,
      written: edits.written,
      picked: edits.picked,
      // Attendees of a dry run are not stored yet, so they are offered apart from the directory.
      attendeeNames: [...new Set(preview.attendees.map((a) => a.name))],
      people: services.people.list().map((p) => p.name).filter((n) => !preview.attendees.some((a) => a.name === n)),
    });
  }

  return r;
}
