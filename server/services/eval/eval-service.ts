/**
 * Parser accuracy over folders of labelled minutes (`minutes eval`, `npm run eval`, the
 * baseline test). A folder holds either
 * - `NAME.gold.json` next to its minutes `NAME.md` (or `NAME.txt`, `NAME.raw.txt`): the
 *   format of `../shared/dev-set/README.md`; or
 * - `NAME.md.json` (the project's corpus labels, same fields): the minutes are `NAME.md` beside
 *   it, else `../shared/corpus/NAME.md` next to the package.
 * Figures are micro-averaged over the files of a folder (and over all folders for `total`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AppError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import {
  addCounts,
  addShare,
  prf,
  scoreFile,
  shareOf,
  type Counts,
  type FileScore,
  type Finding,
  type GoldFile,
  type Prf,
  type Share,
} from './eval-score.js';

export const sharedDir = resolve(packageRoot, '..', 'shared');
export const devSetDir = join(sharedDir, 'dev-set');
export const corpusDir = join(sharedDir, 'corpus');
export const corpusLabelsDir = join(packageRoot, 'tests', 'fixtures', 'corpus-labels');

/** `../shared/dev-set` (when present) and the project's labelled corpus files. */
export function defaultEvalDirs(): string[] {
  return [devSetDir, corpusLabelsDir].filter((d) => existsSync(d));
}

export interface LabelledFile {
  name: string;
  source: string;
  gold: GoldFile;
}

export interface Totals {
  files: number;
  actions: Counts & Prf;
  decisions: Counts & Prf;
  attendees: Counts & Prf;
  owners: Share & { share: number };
  due: Share & { share: number };
  done: Share & { share: number };
  date: Share & { share: number };
}

export interface FileReport {
  name: string;
  source: string;
  error: string | null;
  score: FileScore | null;
}

export interface FolderReport {
  dir: string;
  label: string;
  totals: Totals;
  files: FileReport[];
}

export interface EvalReport {
  folders: FolderReport[];
  total: Totals;
}

/** The labelled files of one folder; a missing folder is a one-line AppError. */
export function listLabelled(dir: string): LabelledFile[] {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new AppError('not-found', `eval: no such folder: ${dir}`, 404);
  const out: LabelledFile[] = [];
  for (const f of readdirSync(abs).sort()) {
    let base: string;
    let sources: string[];
    if (f.endsWith('.gold.json')) {
      base = f.slice(0, -'.gold.json'.length);
      sources = [`${base}.md`, `${base}.txt`, `${base}.raw.txt`, `${base}.markdown`].map((s) => join(abs, s));
    } else if (/\.(md|txt|markdown)\.json$/.test(f)) {
      base = f.slice(0, -'.json'.length);
      sources = [join(abs, base), join(corpusDir, base)];
    } else continue;
    const source = sources.find((s) => existsSync(s)) ?? sources[0];
    let gold: GoldFile;
    try {
      gold = JSON.parse(readFileSync(join(abs, f), 'utf8')) as GoldFile;
    } catch (err) {
      throw new AppError('bad-input', `eval: ${join(dir, f)} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    out.push({ name: base.replace(/\.(md|txt|markdown)$/, ''), source, gold });
  }
  return out;
}

const emptyTotals = (): Totals => {
  const c = () => ({ tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
  const s = () => ({ right: 0, total: 0, share: 1 });
  return { files: 0, actions: c(), decisions: c(), attendees: c(), owners: s(), due: s(), done: s(), date: s() };
};

function total(scores: FileScore[]): Totals {
  const t = emptyTotals();
  t.files = scores.length;
  for (const k of ['actions', 'decisions', 'attendees'] as const) {
    const c = scores.reduce<Counts>((acc, s) => addCounts(acc, s[k]), { tp: 0, fp: 0, fn: 0 });
    t[k] = { ...c, ...prf(c) };
  }
  for (const k of ['owners', 'due', 'done', 'date'] as const) {
    const s = scores.reduce<Share>((acc, x) => addShare(acc, x[k]), { right: 0, total: 0 });
    t[k] = { ...s, share: shareOf(s) };
  }
  return t;
}

type Parse = (text: string | Buffer, opts: { filename?: string }) => Parameters<typeof scoreFile>[0];

/** Parses and scores every labelled file of `dirs`. The parser is passed in or loaded on demand. */
export async function runEval(
  dirs: string[],
  deps: { parse?: Parse; fold?: (s: string) => string } = {},
): Promise<EvalReport> {
  let { parse, fold } = deps;
  if (!parse || !fold) {
    const parser = await import('../../../parsers/index.js');
    parse ??= parser.parseMinutes;
    fold ??= parser.foldName;
  }
  const listed = dirs.map((d) => ({ dir: d, files: listLabelled(d) }));
  const folders: FolderReport[] = [];
  const all: FileScore[] = [];
  for (const { dir, files } of listed) {
    const reports: FileReport[] = files.map((lf) => {
      if (!existsSync(lf.source)) return { name: lf.name, source: lf.source, error: `minutes not found: ${lf.source}`, score: null };
      try {
        const parsed = parse!(readFileSync(lf.source), { filename: basename(lf.source) });
        return { name: lf.name, source: lf.source, error: null, score: scoreFile(parsed, lf.gold, fold!) };
      } catch (err) {
        return { name: lf.name, source: lf.source, error: `parse failed: ${(err as Error).message.split('\n')[0]}`, score: null };
      }
    });
    const scores = reports.flatMap((r) => (r.score ? [r.score] : []));
    all.push(...scores);
    folders.push({ dir: resolve(dir), label: basename(resolve(dir)), totals: total(scores), files: reports });
  }
  return { folders, total: total(all) };
}

/** The figures the baseline test guards, per folder label: F1s and shares, rounded to 3 places. */
export function figures(report: EvalReport): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  for (const f of report.folders) {
    const t = f.totals;
    out[f.label] = {
      actions_f1: r(t.actions.f1),
      decisions_f1: r(t.decisions.f1),
      attendees_f1: r(t.attendees.f1),
      owners: r(t.owners.share),
      dates: r(t.date.share),
      due: r(t.due.share),
      done: r(t.done.share),
    };
  }
  return out;
}

const pct = (x: number): string => x.toFixed(2);

/** The readable report: a small table per folder; with `verbose`, every miss, extra and wrong field. */
export function formatReport(report: EvalReport, verbose = false): string {
  const out: string[] = [];
  const table = (label: string, t: Totals): void => {
    out.push(`${label} (${t.files} files)`);
    out.push(`  ${'category'.padEnd(11)} ${'P'.padStart(5)} ${'R'.padStart(5)} ${'F1'.padStart(5)}   ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)}`);
    for (const k of ['actions', 'decisions', 'attendees'] as const) {
      const c = t[k];
      out.push(`  ${k.padEnd(11)} ${pct(c.precision).padStart(5)} ${pct(c.recall).padStart(5)} ${pct(c.f1).padStart(5)}   ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}`);
    }
    const share = (name: string, s: Share & { share: number }): string => `${name} ${s.right}/${s.total} (${pct(s.share)})`;
    out.push(`  ${share('dates', t.date)}   ${share('due', t.due)}   ${share('done', t.done)}   ${share('owners', t.owners)}`);
  };
  for (const f of report.folders) {
    table(`${f.label}: ${f.dir}`, f.totals);
    for (const r of f.files) if (r.error) out.push(`  ! ${r.name}: ${r.error}`);
    if (verbose) {
      for (const r of f.files) {
        if (!r.score || !r.score.findings.length) continue;
        out.push(`  ${r.name}`);
        for (const x of r.score.findings) out.push(`    ${describe(r.source, x)}`);
      }
    }
    out.push('');
  }
  if (report.folders.length > 1) table('all folders', report.total);
  return out.join('\n').replace(/\n*$/, '\n');
}

function describe(source: string, x: Finding): string {
  const where = x.line !== null ? `${basename(source)}:${x.line}` : basename(source);
  return `${x.category.padEnd(9)} ${x.kind.padEnd(5)} ${where}  ${x.text}`;
}
