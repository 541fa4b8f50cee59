/**
 * Imports minutes: text -> parser (in worker threads for many files) -> people resolution,
 * revision and carry-over matching -> one IMMEDIATE transaction per meeting (on SQLite, a
 * savepoint per meeting in a shared transaction for many files: import-batches.ts). Serves the CLI
 * (`minutes import`) and the HTTP upload alike.
 */
import { SqliteDatabase } from '../../db/sqlite-database.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ISO_DAY, ISO_MONTH, isCalendarDay } from '../../../domain/dates.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connection.js';
import type { ParsedPart, ParseOutcome, ParseJob } from './import-parse.js';
import { collectFiles } from './import-files.js';
import { writeInBatches } from './import-batches.js';
import type { Parser } from './parse-pool.js';
import type { MeetingRecord } from '../../db/repositories/meeting-repository.js';
import type { CorrectionRepository } from '../../db/repositories/correction-repository.js';
import type { ReviewRepository } from '../../db/repositories/review-repository.js';
import { MeetingWriter, hashText } from './meeting-writer.js';
import type { SeriesService } from '../series/series-service.js';
import { applyCorrections, type SuggestionCorrection } from './import-overrides.js';
import type { CorrectionNote, FileImportResult, ImportOptions, ImportResult, PathsImport, TextImportResult } from './import-result.js';
import { summarize } from './import-result.js';
import { alignSent, planKept, staleIn } from './correction-keeping.js';
import { appliedSuggestionNotes, droppedItems, keepCorrections, suggestionNotes, unmatchedIn, unmatchedMessage, withoutWas } from './import-corrections.js';
import { seriesSlug, unrelatedTexts } from './series-naming.js';
import { reviewItemsFor, suggestionKey } from './review-service.js';
import { createBoundedWorker, type BoundedWorker } from '../../adapters/bounded-worker.js';

/** Longest the parse of one uploaded text may take (in a worker thread); real minutes take < 1 s. */
export const PARSE_TIMEOUT_MS = 10_000;

class Rollback extends Error {
  constructor(public readonly result: unknown) {
    super('dry run');
  }
}

/** The parser modules, loaded on first use. */
type ParseModules = typeof import('./import-parse.js') & typeof import('./parse-pool.js');

export class ImportService {
  private readonly writer: MeetingWriter;
  /**
   * The Markdown parser (unified, remark and the item readers) costs ~0.4 s to load. Every CLI
   * command builds this service, most never import: so it is loaded on the first import only.
   */
  private modules: ParseModules | null = null;
  private loading: Promise<ParseModules> | null = null;

  constructor(
    private readonly db: Db,
    repos: ConstructorParameters<typeof MeetingWriter>[0],
    private readonly series: SeriesService,
    private readonly clock: Clock,
    /** The review queue's table: suggestions and days to confirm, written with each meeting. */
    private readonly review: ReviewRepository | null = null,
    /** Corrections kept on top of each meeting's minutes (re-applied to later revisions). */
    private readonly corrections: CorrectionRepository | null = null,
  ) {
    this.writer = new MeetingWriter(repos, () => this.clock.now().toISOString());
    this.meetings = repos.meetings;
  }

  private readonly meetings: ConstructorParameters<typeof MeetingWriter>[0]['meetings'];

  private parser(): Promise<ParseModules> {
    this.loading ??= Promise.all([import('./import-parse.js'), import('./parse-pool.js')]).then(([parse, pool]) => {
      this.modules = { ...parse, ...pool };
      return this.modules;
    });
    return this.loading;
  }

  /**
   * Imports one text (upload, stdin). Rejects with an AppError for refused input (`input-binary`,
   * `input-empty`, `input-too-large`, `no-date`, `month-only-date`, `bad-series-slug`).
   * Async only because the parser is loaded on first use; the work itself is synchronous.
   */
  async importText(text: string | Uint8Array, opts: ImportOptions = {}): Promise<TextImportResult> {
    checkDate(opts.date);
    const outcome = await this.parseBounded({ input: text, filename: opts.filename ?? undefined, date: opts.date ?? undefined });
    const file = await this.writeParsed(outcome, opts);
    if (file.meetings.length === 0) {
      const e = file.errors[0];
      throw new AppError(e.code, e.message, statusOf(e.code), e.unmatched ? { unmatchedCorrections: e.unmatched } : undefined);
    }
    const [first, ...more] = file.meetings;
    return { ...first, more, errors: file.errors };
  }

  private textWorker: BoundedWorker<ParseJob, ParseOutcome> | null = null;

  /**
   * Parses one text in a worker thread within `PARSE_TIMEOUT_MS` (an upload must not stall the
   * server, whatever its Markdown); in-thread only when no compiled worker exists.
   */
  private async parseBounded(job: ParseJob): Promise<ParseOutcome> {
    const { parseJob, workerScript } = await this.parser();
    const script = workerScript();
    if (!script) return parseJob(job);
    this.textWorker ??= createBoundedWorker<ParseJob, ParseOutcome>(script, { timeoutMs: PARSE_TIMEOUT_MS, maxMemoryMb: 512 });
    const out = await this.textWorker.run(job);
    if (out.ok) return out.value;
    return {
      ok: false,
      code: 'input-too-complex',
      message:
        out.reason === 'timeout'
          ? `the minutes could not be read within ${PARSE_TIMEOUT_MS / 1000} s (very deep nesting or very long lines?); simplify them and try again`
          : 'the minutes could not be read: the parser ran out of memory (very deep nesting?); simplify them and try again',
    };
  }

  /** Imports one file; failures are reported in the result, not thrown. */
  async importFile(path: string, opts: ImportOptions = {}): Promise<FileImportResult> {
    checkDate(opts.date);
    const { parseJob } = await this.parser();
    let input: Uint8Array;
    try {
      input = readFileSync(path);
    } catch (err) {
      return { file: path, ok: false, meetings: [], errors: [{ code: 'unreadable-file', message: (err as Error).message }], ms: 0 };
    }
    const outcome = parseJob({ input, filename: basename(path), date: opts.date ?? undefined });
    return { ...await this.writeParsed(outcome, { ...opts, filename: path }), file: path };
  }

  /**
   * Imports files and folders (recursively `.md`, `.markdown`, `.txt`) in path order. Parsing
   * runs in worker threads when there are many files; on SQLite the files already parsed are
   * written together, a few dozen per transaction and each meeting in a savepoint of its own
   * (see import-batches.ts).
   */
  async importPaths(
    paths: string[],
    opts: ImportOptions & { threads?: number; onFile?: (r: FileImportResult, done: number, total: number) => void } = {},
  ): Promise<PathsImport> {
    checkDate(opts.date);
    const files = collectFiles(paths);
    const { createParsePool, inThreadParser } = await this.parser();
    const pool: Parser = files.length >= 8 && opts.threads !== 0 ? createParsePool(opts.threads) : inThreadParser;
    const results: FileImportResult[] = [];
    // Bulk import: checkpoint the WAL every ~40 MB instead of every 4 MB. Each checkpoint copies
    // hot pages (indexes, full-text) again and syncs; commits stay exactly as durable.
    const sqlite = this.db instanceof SqliteDatabase ? this.db.handle : null;
    const checkpointPages = sqlite?.pragma('wal_autocheckpoint', { simple: true }) as number | undefined;
    if (sqlite && files.length > 50 && !opts.dryRun) sqlite.pragma('wal_autocheckpoint = 10000');
    try {
      // Files in flight: results are written in path order, so one slow file holds the writer;
      // a deep window keeps the parser threads busy meanwhile (they idled ~12% with 4 per thread).
      const window = Math.max(pool.threads * 16, 1);
      // By index, dropped once taken: an archive's parsed texts are not all held until the end.
      const pending = new Map<number, Promise<ParseOutcome>>();
      const parsed = new Map<number, ParseOutcome>();
      // The parser (a worker thread) reads the file: an unreadable one comes back as `unreadable-file`.
      const start = (i: number) =>
        pending.set(i, pool.parse({ path: files[i], filename: basename(files[i]), date: opts.date ?? undefined }).then((o) => (parsed.set(i, o), o)));
      const take = (i: number, outcome: ParseOutcome) => {
        pending.delete(i);
        parsed.delete(i);
        if (i + window < files.length) start(i + window);
        return outcome;
      };
      for (let i = 0; i < Math.min(window, files.length); i++) start(i);
      const write = async (outcome: ParseOutcome, i: number) => ({ ...await this.writeParsed(outcome, { ...opts, filename: files[i] }), file: files[i] });
      const report = (r: FileImportResult, i: number) => {
        results.push(r);
        opts.onFile?.(r, i + 1, files.length);
      };
      if (opts.dryRun) {
        // Nothing is committed: one file at a time.
        for (let i = 0; i < files.length; i++) report(await write(take(i, await pending.get(i)!), i), i);
      } else {
        const source = {
          count: files.length,
          next: async (i: number) => take(i, await pending.get(i)!),
          ready: (i: number) => (parsed.has(i) ? take(i, parsed.get(i)!) : undefined),
        };
        await writeInBatches(this.db, source, write, report);
      }
    } finally {
      await pool.close();
      if (sqlite) sqlite.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    }
    return { files: results, summary: summarize(results, !!opts.dryRun) };
  }

  /** Writes the parts of one parsed text; `ms` of the result is parse time plus write time. */
  private async writeParsed(outcome: ParseOutcome, opts: ImportOptions): Promise<FileImportResult> {
    const file = opts.filename ?? '-';
    if (!outcome.ok) return { ...failed(file, outcome.code, outcome.message), ms: outcome.ms ?? 0 };
    const t0 = performance.now();
    const meetings: ImportResult[] = [];
    const errors: FileImportResult['errors'] = [];
    const parts = [...outcome.parts].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
    // Corrections that name no item of any meeting of the text: refused before anything is stored.
    // By line only here: a `was` may be the text a kept correction gave the item (checked per meeting, see alignSent).
    const unmatched = unmatchedIn(parts.map((p) => p.parsed), withoutWas(opts.corrections));
    if (unmatched.length > 0) {
      return { file, ok: false, meetings: [], errors: [{ code: 'correction-unmatched', message: unmatchedMessage(unmatched), unmatched }], ms: outcome.ms };
    }
    for (const part of parts) {
      try {
        meetings.push(await this.writePart(part, opts));
      } catch (err) {
        // One meeting failing (bad date, database busy too long, a bug) must not stop the rest;
        // its transaction rolled back, so nothing of it is stored.
        if (err instanceof AppError) errors.push({ code: err.code, message: err.message, date: part.date });
        else errors.push({ code: busy(err) ? 'database-busy' : 'import-failed', message: (err as Error).message, date: part.date });
      }
    }
    const ok = errors.length === 0;
    return { file, ok, meetings, errors, ms: outcome.ms + performance.now() - t0 };
  }

  private async writePart(part: ParsedPart, opts: ImportOptions): Promise<ImportResult> {
    const slug = seriesSlug(opts.series ?? part.parsed.series ?? null, opts.filename ?? null);
    let date = part.date;
    /** The month a month-only text gave (also when the cadence then gave its day). */
    const stated = date && ISO_MONTH.test(date) ? date : null;
    // Month-only minutes ("September 2017"): the cadence's one meeting that month; without a
    // cadence (or with several meetings that month) the meeting is stored with the month as
    // its date, the day to confirm in the review queue. Never refused.
    let monthOnly: string | null = null;
    if (date && ISO_MONTH.test(date)) {
      const day = await this.series.monthOccurrence(slug, date);
      if (day) {
        date = day;
        // The parser is loaded: this part was parsed by it.
        part = this.modules!.reparse(part, date, opts.filename ?? undefined);
      } else {
        monthOnly = date;
      }
    }
    if (!date || !(ISO_DAY.test(date) || monthOnly)) {
      throw new AppError('no-date', 'no meeting date found in the title, front matter, first lines or file name; pass --date YYYY-MM-DD', 422);
    }
    // Suggestions as parsed (the preview lists these, promoted or not).
    const suggestions = part.parsed.suggestions;
    // No --series and no front matter: the series was guessed from the file name (or is
    // `default`), so unrelated files of one date could still meet in it.
    const implicitSeries = !opts.series && !part.parsed.series;
    const run = async () => {
      const existed = !!await this.series.find(slug);
      const series = await this.series.ensure(slug);
      // Hashed and looked up once, for the collision check and the writer alike (same transaction).
      const hash = hashText(part.text);
      let existing = (monthOnly ? await this.meetings.findMonthOnly(series.id, monthOnly, hash) : await this.meetings.findBySeriesDate(series.id, date!)) ?? null;
      if (!existing && stated && !monthOnly) {
        // The cadence now gives the day of minutes once stored by month only: that meeting
        // (its day still to confirm) moves to the day, rather than a second one beside it.
        const m = await this.meetings.findMonthOnly(series.id, stated, hash);
        if (m?.datePrecision === 'month') {
          const now = this.clock.now().toISOString();
          await this.meetings.confirmDay(m.id, date!, now);
          await this.review?.acceptAll(m.id, 'date', 'cadence', now);
        }
        existing = m ? (await this.meetings.get(m.id))! : null;
      }
      // A month-only meeting whose day was confirmed keeps that day.
      const day = existing?.date ?? date!;
      if (implicitSeries) await this.refuseUnrelated(existing, slug, day, part.text, hash, opts.filename ?? null);
      const now = this.clock.now().toISOString();
      const stored = existing && this.corrections ? await this.corrections.listByMeeting(existing.id) : [];
      const sent = alignSent(opts.corrections, part.parsed, stored);
      // 1. Suggestions: promoted or dropped by this import, and those a person accepted before
      //    (review queue, upload preview) while the text still holds them. The review queue is
      //    the store of suggestion decisions (accepted / dismissed), one mechanism for both.
      const accepted = existing && this.review ? await this.review.keysWithStatus(existing.id, 'suggestion', 'accepted') : new Set<string>();
      const dismissed = existing && this.review ? await this.review.keysWithStatus(existing.id, 'suggestion', 'dismissed') : new Set<string>();
      const sentLines = new Set((sent?.suggestions ?? []).map((x) => x.line));
      const promoted: SuggestionCorrection[] = suggestions
        .filter((x) => accepted.has(suggestionKey(x)) && !sentLines.has(x.line))
        .map((x) => ({ line: x.line, op: 'promote' }));
      const s1 = applyCorrections(part.parsed, { suggestions: [...(sent?.suggestions ?? []), ...promoted] });
      // 2. Actions and decisions: this import's corrections, then the stored ones still kept.
      const plan = planKept(s1.parsed, sent, stored);
      const s2 = applyCorrections(s1.parsed, {
        actions: [...(sent?.actions ?? []), ...plan.actions],
        decisions: [...(sent?.decisions ?? []), ...plan.decisions],
      });
      // A sent correction naming an item of this meeting by a text it no longer has (the form
      // was stale): refused, the transaction rolls back.
      const stale = staleIn(s1.parsed, sent, s2.applied);
      if (stale.length > 0) throw new AppError('correction-unmatched', unmatchedMessage(stale), 422, { unmatched: stale });
      const drops = droppedItems(s1.parsed, s2.applied);
      // Corrections sent with this import that found their item in this meeting (an archive's meetings each find their own).
      const sentSet = new Set<object>([...(sent?.actions ?? []), ...(sent?.decisions ?? []), ...(sent?.suggestions ?? [])]);
      const sentHere = [...s1.applied, ...s2.applied].some((c) => sentSet.has(c));
      const droppedIds = new Map<number, number | null>();
      // Lines of the suggestions this import promoted or dropped (corrections, or accepted before).
      const decided = new Map<number, SuggestionCorrection['op']>();
      for (const x of s1.applied) if ('op' in x) decided.set(x.line, x.op);
      const w = await this.writer.write({
        hash,
        existing,
        series,
        date: day,
        text: part.text,
        parsed: s2.parsed,
        filename: opts.filename ?? null,
        uploadedBy: opts.uploadedBy ?? null,
        source: opts.source ?? 'cli',
        drops,
        droppedIds,
        overrides: plan.overrides,
        // The same text with new corrections is a revision: the corrections must be stored and applied.
        force: sentHere,
      });
      let correctionsApplied: CorrectionNote[] | undefined;
      if (w.status !== 'unchanged') {
        const kept = await keepCorrections(this.corrections, w, s1.parsed, s2.applied, plan, droppedIds, sent, opts, now);
        w.changes.corrections.kept.push(...kept.kept);
        w.changes.corrections.overridden.push(...kept.overridden);
        if (sentHere) correctionsApplied = [...kept.applied, ...appliedSuggestionNotes(part.parsed, new Set([...s1.applied].filter((c) => (sent?.suggestions ?? []).includes(c as SuggestionCorrection))))];
        const notes = suggestionNotes(suggestions, accepted, dismissed, decided);
        w.changes.corrections.kept.push(...notes.kept);
        w.changes.corrections.overridden.push(...notes.overridden);
      }
      if (stated) await this.meetings.markMonthOnly(w.meeting.id, stated);
      const meetingNow = (await this.meetings.get(w.meeting.id))!;
      if (this.review && w.status !== 'unchanged') {
        // A dropped suggestion leaves the queue; a promoted one is in it as accepted.
        const items = reviewItemsFor(suggestions, meetingNow.datePrecision === 'month' ? meetingNow.date : null);
        suggestions.forEach((x, i) => {
          if (decided.get(x.line) === 'promote') items[i].accepted = true;
          if (decided.get(x.line) === 'drop') items[i].dismissed = true;
        });
        await this.review.sync(w.meeting.id, items, now);
      }
      const r: ImportResult = {
        ...w,
        meeting: { ...w.meeting, datePrecision: meetingNow.datePrecision },
        dryRun: !!opts.dryRun,
        filename: opts.filename ?? null,
        suggestions,
        warnings: part.parsed.warnings,
        seriesCreated: !existed,
        ...(correctionsApplied ? { correctionsApplied } : {}),
      };
      if (opts.dryRun) throw new Rollback(r);
      return r;
    };
    try {
      return await this.db.transaction(run);
    } catch (err) {
      if (err instanceof Rollback) return err.result as ImportResult;
      throw err;
    }
  }

  /**
   * Refuses a new revision in the implicit `default` series whose text shares almost nothing
   * with the stored one and comes from another file: two unrelated calls on one date (a
   * SIG archive and another project's notes), not an edit. Nothing is overwritten.
   */
  private async refuseUnrelated(m: MeetingRecord | null, slug: string, date: string, text: string, hash: string, filename: string | null) {
    if (!m?.currentRevisionId || await this.meetings.findRevisionByHash(m.id, hash)) return;
    const cur = (await this.meetings.getRevision(m.currentRevisionId))!;
    const name = (f: string | null) => (f ? basename(f) : null);
    if (name(cur.filename) === name(filename)) return;
    if (!unrelatedTexts(cur.text, text)) return;
    throw new AppError(
      'default-series-collision',
      `the minutes of ${date} in series '${slug}' come from ${cur.filename ? `'${name(cur.filename)}'` : 'another upload'} and share almost nothing with this text; ` +
        `import it with --series SLUG (or a 'series:' front matter line) so unrelated calls do not become revisions of each other`,
      409,
    );
  }
}

// SQLite's busy database; PostgreSQL's lock timeout (55P03), serialization failure (40001) and
// deadlock (40P01), none of which occur while writers queue on the lock, but would mean the same.
const busy = (err: unknown) => /^(SQLITE_BUSY|55P03$|40001$|40P01$)/.test((err as { code?: string }).code ?? '');

function failed(file: string, code: string, message: string): FileImportResult {
  return { file, ok: false, meetings: [], errors: [{ code, message }], ms: 0 };
}

function checkDate(date: string | null | undefined) {
  if (date && !isCalendarDay(date)) {
    throw new AppError('bad-date', `--date must be YYYY-MM-DD, got '${date}'`, 400);
  }
}

function statusOf(code: string): number {
  if (code === 'input-too-large') return 413;
  if (code === 'import-failed') return 500;
  if (code === 'database-busy') return 503;
  if (code === 'input-binary') return 415;
  if (code === 'default-series-collision') return 409;
  if (code === 'no-date' || code === 'month-only-date' || code === 'input-too-complex' || code === 'correction-unmatched') return 422;
  return 400;
}

