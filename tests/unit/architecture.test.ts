import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importCycles, layerViolations, readImportGraph } from '../helpers/import-graph.js';

// The import directions of ARCHITECTURE.md, checked over the real source tree.
const root = fileURLToPath(new URL('../..', import.meta.url));
const edges = readImportGraph(root);

describe('architecture', () => {
  it('reads the import graph of domain/, parsers/ and server/', () => {
    expect(edges.some((e) => e.from === 'server/app.ts' && e.to === 'server/container.ts')).toBe(true);
    expect(edges.some((e) => e.from.startsWith('domain/'))).toBe(true);
  });

  it('every import follows the allowed layer directions', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  // Cycles parsers/ had when this check came; the parser rewrite in progress removes them
  // (parsers/ is not edited here). No other cycle may appear; delete an entry once it is gone.
  const knownParserCycles = [
    'parsers/blocks.ts -> parsers/line-blocks.ts -> parsers/blocks.ts',
    'parsers/items.ts -> parsers/item-readers.ts -> parsers/items.ts',
    'parsers/items.ts -> parsers/item-tables.ts -> parsers/items.ts',
  ];
  it('has no import cycles inside parsers/ beyond the known ones', () => {
    expect(importCycles(edges, 'parsers/').filter((c) => !knownParserCycles.includes(c))).toEqual([]);
  });

  it('has no import cycles inside server/', () => {
    expect(importCycles(edges, 'server/')).toEqual([]);
  });

  it('catches a bad import and a cycle (the check itself)', () => {
    const bad = readImportGraph(root, {
      'server/db/repositories/x-repository.ts': "import { createMailer } from '../../adapters/mailer.js';",
      'server/http/x-routes.ts': "import type { Db } from '../db/connection.js';",
      'domain/x.ts': "import { readFileSync } from 'node:fs';",
      'server/services/a/a-service.ts': "import { b } from '../b/b-service.js';",
      'server/services/b/b-service.ts': "export { a } from '../a/a-service.js';",
    });
    expect(layerViolations(bad)).toEqual([
      expect.stringContaining('server/db/repositories/x-repository.ts:1 imports server/adapters/mailer.ts (db -> adapters)'),
      expect.stringContaining('server/http/x-routes.ts:1 imports server/db/connection.ts (http -> db, type only)'),
      expect.stringContaining("domain/x.ts:1 imports 'node:fs'"),
    ]);
    expect(importCycles(bad, 'server/')).toEqual(['server/services/a/a-service.ts -> server/services/b/b-service.ts -> server/services/a/a-service.ts']);
  });
});
