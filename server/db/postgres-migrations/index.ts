import type { PostgresMigration } from '../postgres-migrate.js';
import m0001 from './0001-create-schema.js';
import m0002 from './0002-create-rate-limit-hits.js';
import m0003 from './0003-create-action-read-model.js';

/**
 * Every PostgreSQL migration, in order (a list of its own: the SQLite one is
 * ../migrations/index.ts). Append new ones; never edit or remove a landed one.
 */
export const postgresMigrations: PostgresMigration[] = [m0001, m0002, m0003];
