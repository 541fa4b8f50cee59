/**
 * The built CLI runs from the esbuild bundle (`dist/bundle/`, scripts/bundle.mjs): what a
 * command loads, that each command's `import()` stays lazy, that worker threads run the
 * bundle's own worker entry, and that stack traces map back to the TypeScript sources.
 *
 * What a process loads is read from Node's own `NODE_DEBUG=esm` trace (one "Translating"
 * line per module, worker threads included), as `bin/minutes.js` is spawned.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDataDir } from '../helpers/env.js';
import { writeGeneratedMinutes } from '../helpers/generate-minutes.js';

const data = tempDataDir('minutes-bundle-');
afterAll(() => data.cleanup());

/** The files (package-relative) a traced run loaded, in order. */
function loadedFiles(stderr: string): string[] {
  return [...stderr.matchAll(/^ESM \d+: Translating \w+ (file:\/\/\S+)$/gm)].map((m) => fileURLToPath(m[1]).slice(repoRoot.length + 1));
}

const MINUTES = '# Weekly call 2024-03-07\n\nAttendees: Ann Lee, Bo Chen\n\n## Actions\n\n- [ ] Ann Lee to review the patch by 2024-03-14\n';

describe('the bundled CLI', () => {
  it('parses loading a few bundle files: no dist/ module, no yaml or chrono-node, and the result of the compiled parser', async () => {
    const file = join(data.dir, 'call.md');
    writeFileSync(file, MINUTES);
    const r = await runCli(['parse', file, '--json'], { env: { NODE_DEBUG: 'esm' } });
    expect(r.code).toBe(0);
    const files = loadedFiles(r.stderr);
    expect(files[0]).toBe('bin/minutes.js');
    expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bundle/'))).toEqual([]);
    // ~230 ES modules before bundling (our own and remark's); commander and two small CommonJS
    // packages of remark's stay outside the bundle.
    expect(files.length).toBeLessThan(30);
    expect(files.filter((f) => /node_modules\/(yaml|chrono-node)\//.test(f))).toEqual([]);
    const { parseMinutes } = (await import(pathToFileURL(join(repoRoot, 'dist/parsers/index.js')).href)) as typeof import('../../parsers/index.js');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(parseMinutes(MINUTES, {}))));
    expect(JSON.parse(r.stdout).actions[0]).toMatchObject({ owners: ['Ann Lee'], due: '2024-03-14' });
  });

  it('keeps each command lazy: --help loads no parser and no database code', async () => {
    const r = await runCli(['--help'], { env: { NODE_DEBUG: 'esm' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: minutes');
    const bundled = loadedFiles(r.stderr).filter((f) => f.startsWith('dist/bundle/'));
    expect(bundled.length).toBeGreaterThan(10); // the registration of each command
    // esbuild heads each bundled module with a comment naming its source file.
    const sources = bundled.flatMap((f) => [...readFileSync(join(repoRoot, f), 'utf8').matchAll(/^\/\/ (\S+\.(?:ts|js|mjs))$/gm)].map((m) => m[1]));
    expect(sources).toContain('server/cli.ts');
    expect(sources).toContain('server/cli/parse-command.ts');
    expect(sources.filter((s) => /^parsers\/|^server\/db\/|node_modules\/(micromark|better-sqlite3|zod)/.test(s))).toEqual([]);
  });

  it("runs import's parser threads from the bundle's worker entry", async () => {
    const files = join(data.dir, 'files');
    writeGeneratedMinutes(files, 10, 2);
    const r = await runCli(['import', files, '--threads', '2'], { dataDir: join(data.dir, 'db'), env: { NODE_DEBUG: 'esm' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^files: 10; meetings: 10 new/m);
    const workers = loadedFiles(r.stderr).filter((f) => f.endsWith('import-worker.js'));
    expect(workers).toEqual(['dist/bundle/import-worker.js', 'dist/bundle/import-worker.js']);
  });

  it('builds every worker script the sources start as an entry beside the chunks', () => {
    // Workers look for their script beside the module that starts them (`compiledScript(...)`,
    // `new URL('./x-worker.js', import.meta.url)`): in the bundle, beside the chunks.
    const server = join(repoRoot, 'server');
    const sources = readdirSync(server, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(server, f), 'utf8'));
    const scripts = sources.flatMap((text) => [...text.matchAll(/compiledScript\(import\.meta\.url, '([^']+)'|new URL\('\.\/([^']+-worker\.js)'/g)].map((m) => m[1] ?? m[2])).sort();
    expect(scripts).toEqual(['import-worker.js', 'minutes-render-worker.js']);
    for (const s of scripts) expect(existsSync(join(repoRoot, 'dist', 'bundle', s)), s).toBe(true);
  });

  it('maps stack traces back to the TypeScript sources when source maps are read', () => {
    const script = `
      process.setSourceMapsEnabled(true);
      const { commandName } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/bundle/cli.js')).href)});
      try { commandName(undefined); } catch (err) { process.stdout.write(err.stack); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[1]).toMatch(new RegExp(`at commandName \\(${join(repoRoot, 'server', 'cli.ts').replace(/[/.]/g, '\\$&')}:\\d+:\\d+\\)`));
  });
});
