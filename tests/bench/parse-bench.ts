/**
 * Parser speed: parseMinutes against plain unified + remark-parse + remark-gfm on the same
 * texts (the corpus and 2,000 generated minutes files), measured in the same run; target
 * >= 0.8x the plain parse rate. Then the two pathological inputs against the 2 s target.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { MAX_INPUT_BYTES, parseMinutes } from '../../parsers/index.js';
import { generatedMinutes, nestedLists, shortLines } from '../helpers/parser-inputs.js';
import { sharedDir } from '../helpers/env.js';

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * CPU time (user + system, ms) of the process while `fn` runs: unlike wall time it does not
 * grow when other processes take the CPU, so the ratio holds on a busy machine.
 */
function cpuIt(fn: () => void): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

const TARGET = 0.8;
const ROUNDS = 5;
const CHUNK = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function run(): Promise<void> {
  const corpusDir = join(sharedDir, 'corpus');
  const texts = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(corpusDir, f), 'utf8'));
  // The labelled dev set too, when it is there: real minutes with more prose for the NLP stage.
  const devSetDir = join(sharedDir, 'dev-set');
  if (existsSync(devSetDir)) {
    for (const f of readdirSync(devSetDir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort()) texts.push(readFileSync(join(devSetDir, f), 'utf8'));
  }
  const corpusCount = texts.length;
  for (let i = 0; i < 2000; i++) texts.push(generatedMinutes(i));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const plain = unified().use(remarkParse).use(remarkGfm).freeze();
  const baseline = (chunk: string[]): void => {
    for (const t of chunk) plain.parse(t);
  };
  const ours = (chunk: string[]): void => {
    for (const t of chunk) parseMinutes(t);
  };
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += CHUNK) chunks.push(texts.slice(i, i + CHUNK));
  baseline(texts);
  ours(texts); // warm up both before measuring

  // Each round alternates the two sides chunk by chunk (50 docs, a few hundred ms), swapping
  // which goes first, so background load and GC pauses fall on both alike; each side is
  // measured in CPU time of this process. The ratio of a round is baseline time /
  // parseMinutes time; the verdict is the median over the rounds.
  const ratios: number[] = [];
  const baseTimes: number[] = [];
  const oursTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let base = 0;
    let mine = 0;
    chunks.forEach((chunk, i) => {
      if ((i + round) % 2 === 0) {
        base += cpuIt(() => baseline(chunk));
        mine += cpuIt(() => ours(chunk));
      } else {
        mine += cpuIt(() => ours(chunk));
        base += cpuIt(() => baseline(chunk));
      }
    });
    baseTimes.push(base);
    oursTimes.push(mine);
    ratios.push(base / mine);
  }
  const rate = (ms: number): string => `${((texts.length / ms) * 1000).toFixed(0).padStart(6)} docs/s  ${((bytes / 1048576 / ms) * 1000).toFixed(2).padStart(6)} MB/s`;
  const ratio = median(ratios);
  console.log(`texts: ${corpusCount} corpus and dev-set + 2000 generated = ${texts.length} docs, ${(bytes / 1048576).toFixed(2)} MB; ${ROUNDS} rounds, interleaved in chunks of ${CHUNK}`);
  console.log(`remark-parse + remark-gfm  ${rate(median(baseTimes))}  (median round, CPU time)`);
  console.log(`parseMinutes               ${rate(median(oursTimes))}  (median round, CPU time)`);
  console.log(`rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(`ratio parseMinutes/plain   ${ratio.toFixed(2)}x median (target >= ${TARGET.toFixed(2)}x): ${ratio >= TARGET ? 'PASS' : 'FAIL'}`);

  for (const [name, text] of [
    ['2 MB nested lists', nestedLists(MAX_INPUT_BYTES - 1024)],
    ['100k short lines', shortLines(100_000)],
  ] as const) {
    const base = timeIt(() => plain.parse(text));
    const ms = timeIt(() => parseMinutes(text));
    console.log(`${name.padEnd(18)} parseMinutes ${ms.toFixed(0).padStart(6)} ms (target < 2000 ms) ${ms < 2000 ? 'PASS' : 'FAIL'}  plain remark ${base.toFixed(0)} ms`);
  }
}
