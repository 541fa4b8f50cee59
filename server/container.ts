import type { Db } from './db/connection.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';

export interface Deps {
  db: Db;
  config: Config;
  clock?: Clock;
}

/**
 * Builds every repository and service once, passing each its dependencies. The server and
 * every CLI command go through here, so both see the same behaviour.
 */
export function createServices(deps: Deps) {
  const clock = deps.clock ?? systemClock;
  const { db, config } = deps;
  return {
    db,
    config,
    clock,
  };
}

export type Services = ReturnType<typeof createServices>;
