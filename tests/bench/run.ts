/**
 * `npm run bench`: runs every `tests/bench/*-bench.ts` (or only those whose name contains
 * one of the arguments: `npm run bench -- parse import`). Each module exports
 * `run(): Promise<void>` and prints its own ratios against a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const filters = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('-bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const f of files) {
  console.log(`\n== ${f.replace(/-bench\.ts$/, '')} ==`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
