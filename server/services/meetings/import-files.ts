import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../../errors.js';

/** Extensions taken from folders; a file named explicitly is taken whatever its extension. */
export const MINUTES_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** Repository boilerplate found beside minutes in folders; never minutes (named explicitly, it is taken). */
const NOT_MINUTES = /^(readme|license|licence|changelog|contributing|code_of_conduct|security|authors|notice)(\.[a-z]+)?$/i;

/**
 * The files to import for the given paths: files as given, folders walked recursively for
 * minutes extensions (hidden entries and README/LICENSE-style files skipped), each sorted by path so meetings named by date
 * are imported oldest first. Throws `path-not-found` for a path that does not exist.
 */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new AppError('path-not-found', `${p}: no such file or folder`, 404);
    }
    if (st.isDirectory()) walk(abs).forEach(push);
    else push(abs);
  }
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(full));
    else if (e.isFile() && MINUTES_EXTENSIONS.has(extname(e.name).toLowerCase()) && !NOT_MINUTES.test(e.name)) files.push(full);
  }
  return files;
}
