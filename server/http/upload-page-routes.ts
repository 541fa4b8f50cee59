import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import { z } from 'zod';
import type { Services } from '../container.js';
import { requireRole, verifyCsrfField } from './auth-middleware.js';
import { flash, renderPage } from './render.js';
import { DateString, webMessage } from './route-helpers.js';
import { checkText, fileMinutes, readMultipart, warnIfUnformattable } from './upload-input.js';
import { parseWith } from './validate.js';
import type { Corrections } from '../services/meetings/import-overrides.js';
import { correctionsOf, describeChanges, previewRows, readPreviewEdits, sameText, type PreviewEdits } from './preview-form.js';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const UploadForm = z.object({
  intent: z.enum(['preview', 'save']).default('preview'),
  series: z.preprocess(blank, z.string().trim().max(64).optional()),
  date: z.preprocess(blank, DateString.optional()),
  filename: z.preprocess(blank, z.string().max(255).optional()),
  text: z.string().max(3 * 1024 * 1024).optional(),
});

/** The minutes of the form: the uploaded file wins over the text box. */
function formText(req: Request, pasted: string | undefined): { text: string; filename: string | null } {
  if (req.file && req.file.size > 0) return fileMinutes(req.file);
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

  r.get('/upload', requireRole('notetaker'), async (req, res) => {
    const series = typeof req.query.series === 'string' ? req.query.series.slice(0, 64) : '';
    renderPage(res, 'upload', { title: 'Upload minutes', series: await services.series.list(), form: { series, date: '', text: '' } });
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
        series: await services.series.list(),
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
    const view = { text, form: { series: form.series ?? '', date: form.date ?? '', filename: form.filename ?? filename ?? '' } };
    if (form.intent === 'save') {
      // A row the form cannot take (an impossible due date, an empty text): the preview again,
      // the reason next to that field, nothing saved.
      if (edits.actions.some((a) => a.problem)) {
        res.status(400);
        return preview(res, opts, view, edits, 'Nothing was saved: fix the field marked below, then save.');
      }
      let result;
      try {
        result = await services.imports.importText(text, { ...opts, corrections: correctionsOf(edits) });
      } catch (err) {
        // The text was edited since the preview, so some edits name items it no longer has:
        // the preview of the text as it is now, with the edits that still fit.
        if (!(err instanceof AppError) || err.code !== 'correction-unmatched') throw err;
        res.status(err.status);
        return preview(res, opts, view, edits, `Nothing was saved: ${webMessage(err).message} The minutes text changed since the preview; check the items below and save again.`);
      }
      services.outbox.kick();
      const unformattable = { warnings: [] as { line: number; message: string }[] };
      await warnIfUnformattable(services.minutesRenderer, text, unformattable);
      if (unformattable.warnings.length) flash(res, 'info', `Note: ${unformattable.warnings[0].message}.`);
      flash(res, 'ok', describeChanges(result) + (result.more.length ? ` (${result.more.length} more meetings in this file were saved too.)` : ''));
      res.redirect(303, `/meetings/${result.meeting.id}`);
      return;
    }
    return preview(res, opts, view, edits, null);
  }

  /**
   * The preview: the rows come from a dry run without the form's edits (what the parser
   * extracted, named by line and text), the edits that still match an item are laid on them,
   * and a second dry run with those corrections gives what saving would store and the diff.
   */
  async function preview(
    res: Response,
    opts: Parameters<UploadPageDeps['imports']['importText']>[1] & object,
    view: { text: string; form: { series: string; date: string; filename: string } },
    edits: PreviewEdits,
    notice: string | null,
  ): Promise<void> {
    const base = await services.imports.importText(view.text, { ...opts, dryRun: true });
    const rows = previewRows(base, edits);
    // A row refused on save keeps what was typed and its reason.
    for (const e of edits.actions) {
      if (!e.problem) continue;
      const i = rows.actions.findIndex((a) => a.line === e.line && sameText(a.was, e.was));
      if (i >= 0) rows.actions[i] = { ...e, was: rows.actions[i].was };
    }
    const corrections: Corrections = correctionsOf(rows);
    const hasEdits = Object.keys(corrections).length > 0;
    const result = hasEdits ? await services.imports.importText(view.text, { ...opts, dryRun: true, corrections }) : base;
    await warnIfUnformattable(services.minutesRenderer, view.text, result);
    renderPage(res, 'upload-preview', {
      title: 'Preview',
      text: view.text,
      form: { ...view.form, series: view.form.series || result.meeting.seriesSlug },
      preview: result,
      rows,
      notice,
      // Offered in each owner field's list before typing: the attendees of these minutes (not
      // stored yet, so the directory's type-ahead does not know them).
      attendeeNames: [...new Set(result.attendees.map((a) => a.name))],
      // People the dry run would add to the directory (full names it does not know yet).
      known: new Set((await services.people.list()).map((x) => x.id)),
    });
  }

  return r;
}
