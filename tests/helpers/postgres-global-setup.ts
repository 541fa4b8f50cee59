import type { TestProject } from 'vitest/node';
import { DATABASE_URL_ENV, postgresBinDir, startCluster, type Cluster } from './postgres-cluster.js';

/**
 * vitest globalSetup: one throw-away PostgreSQL cluster for the whole run (started in ~2 s),
 * unless MINUTES_TEST_DATABASE_URL already names a server. Its URL reaches the test workers
 * through the environment (forked workers inherit it) and `inject('postgresUrl')`. Without
 * Debian's PostgreSQL binaries the PostgreSQL tests skip, saying so once here.
 */
let cluster: Cluster | null = null;

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export async function setup(project: TestProject): Promise<void> {
  let url = process.env[DATABASE_URL_ENV] || null;
  if (url === null) {
    const bin = postgresBinDir();
    if (bin === null) {
      console.warn('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL tests are skipped');
    } else {
      const started = Date.now();
      cluster = await startCluster(bin);
      url = cluster.url;
      process.env[DATABASE_URL_ENV] = url;
      if (process.env.MINUTES_TEST_VERBOSE) console.log(`PostgreSQL test cluster up in ${Date.now() - started} ms at ${url}`);
    }
  }
  project.provide('postgresUrl', url);
}

export async function teardown(): Promise<void> {
  cluster?.stop();
  cluster = null;
}
