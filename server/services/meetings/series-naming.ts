/**
 * Which series an import goes to when nobody said: a slug from `--series` or front matter, else
 * one implied by the file name; and whether two texts of one date are about different calls.
 */
import { basename } from 'node:path';
import { MONTH_WORD } from '../../../domain/dates.js';
import { AppError } from '../../errors.js';

export const DEFAULT_SERIES = 'default';

/** Words of file names that say what kind of text it is, not which calls ("-raw-notes", "meeting-minutes"). */
const GENERIC_WORD = /^(?:index|readme|minutes|notes|meeting|meetings|raw|draft|final|md|txt)$/;

/**
 * The series a file's name implies when neither `--series` nor front matter gives one: the
 * name without dates, month names, generic words and extensions ("openxt-2016-12-15.md" and
 * "openxt-2016-12-15.raw.txt" -> `openxt`, "kubernetes-sig-docs-2020.md" ->
 * `kubernetes-sig-docs`), so an archive of several projects' minutes lands in one series per
 * project and carry-over works within each. Names that are only a date or generic words
 * ("2024-03-07.md", "meeting-notes.md") give `default`.
 */
export function seriesFromFilename(filename: string | null): string {
  if (!filename) return DEFAULT_SERIES;
  const stem = basename(filename).replace(/(?:\.(?:md|markdown|txt|rst|text))+$/i, '');
  const words = stem
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !/^\d+$/.test(w) && !MONTH_WORD.test(w) && !GENERIC_WORD.test(w) && !/^\d{1,2}(?:st|nd|rd|th)$/.test(w));
  const slug = words.join('-').slice(0, 64).replace(/-+$/, '');
  return slug.length >= 2 ? slug : DEFAULT_SERIES;
}

/** `--series`/front matter value to a slug; front matter may hold a display name. */
export function seriesSlug(value: string | null, filename: string | null = null): string {
  if (!value) return seriesFromFilename(filename);
  const v = value.trim();
  if (/^[a-z0-9][a-z0-9-]*$/.test(v)) return v;
  const slug = v.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!slug) throw new AppError('bad-series-slug', `series '${value}' has no letters or digits`, 400);
  return slug.slice(0, 64);
}

/**
 * Below this share of common words (of the shorter text) two minutes are about different
 * things: unrelated calls of the corpus share 0.17-0.21, two write-ups of one call 0.40,
 * two calls of one series 0.34-0.47.
 */
const UNRELATED_OVERLAP = 0.25;

/** True when two minutes share too few words to be two write-ups (or revisions) of one call. */
export function unrelatedTexts(a: string, b: string): boolean {
  return overlap(words(a), words(b)) < UNRELATED_OVERLAP;
}

/** Words of four letters or more, lower-cased: enough to tell what a text is about. */
function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/\p{L}[\p{L}\p{N}'’-]{3,}/gu) ?? []);
}

/** Share of the smaller word set found in the other (1 when one text contains the other). */
function overlap(a: Set<string>, b: Set<string>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 1;
  let common = 0;
  for (const w of small) if (big.has(w)) common++;
  return common / small.size;
}
