import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { postgresBinDir } from './tests/helpers/postgres-cluster.js';

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

/**
 * The repository and integration suites run twice: on SQLite (with everything else) and on
 * PostgreSQL (a throw-away cluster, see tests/helpers/postgres-global-setup.ts). Without
 * Debian's PostgreSQL binaries the second run is left out, saying so.
 */
const postgresAvailable = Boolean(process.env.MINUTES_TEST_DATABASE_URL) || postgresBinDir() !== null;
if (!postgresAvailable) console.warn('PostgreSQL is not installed: the repository and integration suites run on SQLite only');
/** Tests of SQLite itself (its file, WAL, backup, integrity check): not run on PostgreSQL. */
const sqliteOnly = [
  'tests/integration/db-open-race.test.ts',
  'tests/integration/import-crash.test.ts',
  'tests/unit/server/db/migrate.test.ts',
  'tests/unit/server/db/reminder-migration.test.ts',
  'tests/unit/server/db/database-drivers.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A throw-away PostgreSQL cluster for the PostgreSQL tests (skipped, saying so, without one).
    globalSetup: ['tests/helpers/postgres-global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/security/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...needShared],
        },
      },
      ...(postgresAvailable
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['tests/unit/server/db/**/*.test.ts', 'tests/integration/**/*.test.ts'],
                exclude: [...configDefaults.exclude, ...needShared, ...sqliteOnly],
                env: { MINUTES_TEST_DATABASE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
