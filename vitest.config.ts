import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/** Test files below `dir`. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The real minutes the project is measured on live in `../shared` beside the repository, read
 * at run time only. A clone without it (a contributor's fresh checkout) skips the test files
 * that read it, saying so, rather than failing them; CI has it.
 */
const needShared = existsSync(resolve(root, '..', 'shared'))
  ? []
  : testFiles(join(root, 'tests')).filter((f) => /sharedDir|\.\.\/shared\//.test(readFileSync(f, 'utf8')));
if (needShared.length > 0) {
  console.warn(`../shared is missing beside the repository: skipping the ${needShared.length} test files that read its corpus and examples`);
}

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/security/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...needShared],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A throw-away PostgreSQL cluster for the PostgreSQL tests (skipped, saying so, without one).
    globalSetup: ['tests/helpers/postgres-global-setup.ts'],
  },
});
