import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../../errors.js';

/** Extensions taken from folders; a file named explicitly is taken whatever its extension. */
export const MINUTES_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** Repository boilerplate found beside minutes in folders; never minutes (named explicitly, it is taken). */
const NOT_MINUTES = /^(readme|license|licence|changelog|contributing|code_of_conduct|security|authors|notice)(\.[a-z]+)?$/i;

/**
 * The files to import for the given paths: files as given, folders walked recursively for
 * minutes extensions (hidden entries and README/LICENSE-style files skipped), each sorted by path so meetings named by date
 * are imported oldest first. Symbolic links are followed (a folder reached twice, e.g. through a
 * link to its parent, is walked once; a dangling link is skipped), and a file reached by two
 * paths is imported once. Throws `path-not-found` for a path that does not exist.
 */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (f: string) => {
    const real = realOrSame(f);
    if (!seen.has(real)) {
      seen.add(real);
      out.push(f);
    }
  };
  const walked = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new AppError('path-not-found', `${p}: no such file or folder`, 404);
    }
    if (st.isDirectory()) walk(abs, walked).forEach(push);
    else push(abs);
  }
  return out;
}

/** The path with its links resolved; as given when it cannot be (gone meanwhile: reported when read). */
function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function walk(dir: string, walked: Set<string>): string[] {
  const real = realOrSame(dir);
  if (walked.has(real)) return [];
  walked.add(real);
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const target = statSync(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // dangling
      }
    }
    if (isDir) files.push(...walk(full, walked));
    else if (isFile && MINUTES_EXTENSIONS.has(extname(e.name).toLowerCase()) && !NOT_MINUTES.test(e.name)) files.push(full);
  }
  return files;
}
