/**
 * The parser's accuracy never drops: `minutes eval` over its default folders (`../shared/dev-set`
 * and `tests/fixtures/corpus-labels`), run in-process, against `tests/eval-baseline.json`.
 * A figure more than 0.01 below its baseline fails. Raise the baseline in the same commit as an
 * improvement: `UPDATE_BASELINE=1 npx vitest run tests/unit/parsers/eval-baseline.test.ts`
 * writes the figures that went up (never lowers one).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusLabelsDir, devSetDir, figures, runEval } from '../../../server/services/eval/eval-service.js';

const baselineFile = resolve(import.meta.dirname, '../../eval-baseline.json');
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as Record<string, Record<string, number>>;
const hasDevSet = existsSync(devSetDir);
const TOLERANCE = 0.01;

describe('eval baseline', () => {
  const title = 'dev-set and corpus-label figures stay at or above tests/eval-baseline.json';
  it.skipIf(!hasDevSet)(hasDevSet ? title : `${title} (skipped: ${devSetDir} is absent)`, async () => {
    const now = figures(await runEval([devSetDir, corpusLabelsDir]));
    const drops: string[] = [];
    for (const [folder, figs] of Object.entries(baseline)) {
      for (const [name, base] of Object.entries(figs)) {
        const value = now[folder]?.[name];
        if (value === undefined) drops.push(`${folder}.${name}: baseline ${base}, now missing`);
        else if (value < base - TOLERANCE) drops.push(`${folder}.${name}: baseline ${base}, now ${value}`);
      }
    }
    if (process.env.UPDATE_BASELINE === '1') {
      const fresh = JSON.parse(readFileSync(baselineFile, 'utf8')) as Record<string, Record<string, number>>;
      for (const [folder, figs] of Object.entries(now)) {
        fresh[folder] ??= {};
        for (const [name, value] of Object.entries(figs)) fresh[folder][name] = Math.max(fresh[folder][name] ?? 0, value);
      }
      writeFileSync(baselineFile, JSON.stringify(fresh, null, 2) + '\n');
    }
    expect(drops, `eval figures below the baseline (more than ${TOLERANCE}); run \`npm run eval -- --verbose\` to see the misses`).toEqual([]);
  });
});
