import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/env.js';

/**
 * yaml and chrono-node load on first use (parsers/load-on-use.ts). Checked in a fresh Node
 * process on the built parser (as `minutes parse` runs it): which of the two packages are in
 * the require cache after one parse, and what the parse read.
 */
function parseInFreshProcess(text: string): { loaded: string[]; date: string | null; due: (string | null)[] } {
  const script = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    const { parseMinutes } = await import(${JSON.stringify(join(repoRoot, 'dist/parsers/index.js'))});
    const r = parseMinutes(readFileSync(0, 'utf8'), {});
    const cache = Object.keys(createRequire(import.meta.url).cache);
    const loaded = ['yaml', 'chrono-node'].filter((p) => cache.some((f) => f.includes('/node_modules/' + p + '/')));
    process.stdout.write(JSON.stringify({ loaded, date: r.date, due: r.actions.map((a) => a.due) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', input: text }));
}

describe('packages the parser loads on first use', () => {
  it('loads neither yaml nor chrono-node for minutes without front matter or a date phrase its rules do not read', () => {
    const r = parseInFreshProcess('# Call 2024-03-07\n\n## Actions\n\n- ACTION: Ann Lee to review the patch by 2024-03-14\n');
    expect(r).toEqual({ loaded: [], date: '2024-03-07', due: ['2024-03-14'] });
  });

  it('loads yaml for front matter and chrono-node for a phrase only it reads, with the same results', () => {
    const r = parseInFreshProcess('---\ndate: 2024-03-07\n---\n# Call\n\n## Actions\n\n- ACTION: Ann Lee to review the patch by March 21st\n');
    expect(r).toEqual({ loaded: ['yaml', 'chrono-node'], date: '2024-03-07', due: ['2024-03-21'] });
  });
});
