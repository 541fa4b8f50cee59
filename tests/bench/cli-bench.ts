/**
 * CLI start-up, as whole processes spawned from the built `bin/minutes.js`, against baselines
 * spawned in the same rounds (interleaved, median of ROUNDS each):
 *
 * - `minutes --help` vs `node -e 0`: target <= 2x.
 * - `minutes parse` of the OpenXT example vs a script that imports unified + remark-parse +
 *   remark-gfm and parses the same file: target <= 1.5x.
 * - `minutes actions` on a database of 10,000 actions vs `node -e 0` plus the same listing
 *   timed in-process (first query on a fresh connection): target <= 2x.
 *
 * Each child reports its own CPU time (user + system, whole process, all threads) through a
 * tiny `-r` preload that every process gets alike; the ratios use CPU time because the machine
 * is shared (wall-clock medians are printed next to them). The files each process loads
 * (modules of our own and of packages, counted once from Node's `NODE_DEBUG=esm` trace) are
 * printed too: `bin/minutes.js` runs the esbuild bundle (`dist/bundle/`), and a jump in the
 * count says something escaped it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/connection.js';
import { createServices } from '../../server/container.js';
import { formatAction } from '../../server/cli/actions-run.js';
import { repoRoot, sharedDir, tempDataDir } from '../helpers/env.js';
import { writeGeneratedMinutes } from '../helpers/generate-minutes.js';

const ROUNDS = Number(process.env.CLI_BENCH_ROUNDS ?? 7);
const ACTIONS = 10_000;
const EXAMPLE = join(sharedDir, 'examples', 'openxt-2016-12-15.md');
const BIN = join(repoRoot, 'bin', 'minutes.js');

interface Sample {
  wall: number;
  cpu: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export async function run(): Promise<void> {
  // Scratch space inside node_modules so the remark-only script resolves the same packages.
  const scratch = join(repoRoot, 'node_modules', '.cache', `minutes-cli-bench-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const data = tempDataDir('minutes-cli-bench-');
  try {
    const cpuFile = join(scratch, 'cpu.txt');
    const preload = join(scratch, 'cpu-report.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1000)); });\n`,
    );
    const remarkOnly = join(scratch, 'remark-only.mjs');
    writeFileSync(
      remarkOnly,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { unified } from 'unified';`,
        `import remarkParse from 'remark-parse';`,
        `import remarkGfm from 'remark-gfm';`,
        `const processor = unified().use(remarkParse).use(remarkGfm);`,
        `const tree = processor.runSync(processor.parse(readFileSync(process.argv[2], 'utf8')));`,
        `process.stdout.write(String(tree.children.length) + '\\n');`,
      ].join('\n'),
    );

    const seedMs = await seed(data.dir);
    const queryMs: number[] = [];
    const spawn = (args: string[]): Sample => {
      rmSync(cpuFile, { force: true });
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MINUTES_DATA_DIR: data.dir } });
      const wall = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')) };
    };
    const cases = {
      node: ['-e', '0'],
      help: [BIN, '--help'],
      remark: [remarkOnly, EXAMPLE],
      parse: [BIN, 'parse', EXAMPLE],
      actions: [BIN, '--data-dir', data.dir, 'actions'],
    } as const;
    type Name = keyof typeof cases;
    const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as Sample[]])) as Record<Name, Sample[]>;
    const names = Object.keys(cases) as Name[];
    spawn([...cases.actions]); // warm the page cache and run the migrations check once
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no command always runs right after the same neighbour.
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length];
        samples[name].push(spawn([...cases[name]]));
      }
      queryMs.push(await timeQuery(data.dir));
    }

    const loaded = (n: Name): number => {
      const r = spawnSync(process.execPath, [...cases[n]], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MINUTES_DATA_DIR: data.dir, NODE_DEBUG: 'esm' } });
      return (r.stderr.match(/^ESM \d+: Translating \w+ file:/gm) ?? []).length;
    };
    const files = names.filter((n) => n !== 'node').map((n) => `${n} ${loaded(n)}`);

    const cpu = (n: Name) => median(samples[n].map((s) => s.cpu));
    const wall = (n: Name) => median(samples[n].map((s) => s.wall));
    const q = median(queryMs);
    const line = (label: string, num: Name, base: Name, extra: number, target: number) => {
      const ratio = cpu(num) / (cpu(base) + extra);
      const wallRatio = wall(num) / (wall(base) + extra);
      console.log(
        `${label.padEnd(44)} ${cpu(num).toFixed(0).padStart(5)} ms cpu vs ${(cpu(base) + extra).toFixed(0).padStart(5)} ms  ` +
          `ratio ${ratio.toFixed(2)}x (wall ${wall(num).toFixed(0)} vs ${(wall(base) + extra).toFixed(0)} ms: ${wallRatio.toFixed(2)}x)  ` +
          `target <= ${target}x  ${ratio <= target ? 'PASS' : 'FAIL'}`,
      );
    };
    console.log(
      `${ROUNDS} interleaved rounds, medians; database of ${ACTIONS.toLocaleString('en')} actions seeded by import in ${(seedMs / 1000).toFixed(1)} s; ` +
        `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
    );
    console.log(`node -e 0: ${cpu('node').toFixed(0)} ms cpu, ${wall('node').toFixed(0)} ms wall; in-process listing of open actions: ${q.toFixed(1)} ms`);
    console.log(`files loaded (not counting node: built-ins): ${files.join(', ')}`);
    line('minutes --help vs node -e 0', 'help', 'node', 0, 2);
    line('minutes parse OpenXT vs remark-only script', 'parse', 'remark', 0, 1.5);
    line('minutes actions vs node -e 0 + query', 'actions', 'node', q, 2);
  } finally {
    data.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Seeds the data folder through the real import: 2,000 generated files of 5 actions each. */
async function seed(dir: string): Promise<number> {
  const files = join(tmpdir(), `minutes-cli-bench-files-${process.pid}`);
  mkdirSync(files, { recursive: true });
  try {
    writeGeneratedMinutes(files, ACTIONS / 5);
    const config = loadConfig({ MINUTES_DATA_DIR: dir });
    const db = openDatabase(config.dbFile);
    try {
      const t0 = performance.now();
      const out = await createServices({ db, config }).imports.importPaths([files], { source: 'cli' });
      if (out.summary.failedFiles || out.summary.actions !== ACTIONS) {
        throw new Error(`seeding: ${out.summary.failedFiles} files failed, ${out.summary.actions} actions`);
      }
      return performance.now() - t0;
    } finally {
      await db.close();
    }
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

/** The listing `minutes actions` prints, timed in-process on a freshly opened connection. */
async function timeQuery(dir: string): Promise<number> {
  const config = loadConfig({ MINUTES_DATA_DIR: dir });
  const db = openDatabase(config.dbFile);
  try {
    const services = createServices({ db, config });
    const t0 = performance.now();
    const list = await services.actions.list({ status: 'open', limit: 5000 });
    const text = list.map((a) => formatAction(a) + '\n').join('');
    const ms = performance.now() - t0;
    if (!text) throw new Error('no open actions to list');
    return ms;
  } finally {
    await db.close();
  }
}
