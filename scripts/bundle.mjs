/**
 * `npm run build`, second step (after tsc): bundles the CLI with esbuild into `dist/bundle/`,
 * which `bin/minutes.js` runs. A command then loads a handful of files instead of ~230 ES
 * modules (our own and the remark/micromark packages), each resolved and compiled on its own.
 *
 * - Entry points: the CLI, and the worker-thread scripts (`new Worker`), which their modules
 *   look for beside themselves (`import-worker.js`, `minutes-render-worker.js`).
 * - Code splitting keeps each command's `import()` lazy: `minutes --help` loads no parser.
 * - ES-module packages are bundled (the many small modules); CommonJS packages stay external
 *   and load through Node as before (they may read files beside themselves, use `__dirname`,
 *   or load native code, as better-sqlite3 does).
 * - Source maps (`*.js.map`) point back to the TypeScript sources: run with
 *   `NODE_OPTIONS=--enable-source-maps` for `.ts` positions in stack traces; without it a
 *   frame names the function and a line of the bundle, where a comment names each source file.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

/**
 * Whether the package holding `file` is an ES-module package (`"type": "module"`). A CommonJS
 * package with an ES-module wrapper (commander's `esm.mjs`) counts as CommonJS: the wrapper
 * imports the CommonJS files beside it.
 */
function isEsmPackage(file) {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (!existsSync(pkg)) continue;
    const json = JSON.parse(readFileSync(pkg, 'utf8'));
    // A package.json without "name" may be a nested marker ({"type": "module"}) inside a package.
    if ('name' in json) return json.type === 'module';
  }
  return false;
}

/** Bundles ES-module packages, leaves CommonJS ones to Node. */
const commonJsExternal = {
  name: 'commonjs-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (r.errors.length > 0 || r.external) return undefined;
      return isEsmPackage(r.path) ? { path: r.path } : { path: args.path, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'server/cli.ts',
    'import-worker': 'server/services/meetings/import-worker.ts',
    'minutes-render-worker': 'server/adapters/minutes-render-worker.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  sourcesContent: false,
  plugins: [commonJsExternal],
  logLevel: 'warning', // silent when all is well, as tsc is: `npm run eval -- --json` prints JSON alone
  metafile: true,
});
const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));

// A chunk built from no source module holds only esbuild's helpers (`__export`, ...), which
// have no side effects, yet every chunk imports it for its side effects: each such import is
// one more module resolution at start-up (Node resolves an import per importing module; the
// fifteen registrations of `--help` paid ≈5 ms for them). A bare import of it is blanked
// (the line stays, so the source maps still match); imports that take its helpers stay.
const helperChunks = outputs.filter(([, o]) => Object.keys(o.inputs).length === 0).map(([f]) => basename(f));
for (const [f] of outputs) {
  const file = join(root, f);
  const text = readFileSync(file, 'utf8');
  let out = text;
  for (const h of helperChunks) out = out.replace(new RegExp(`^import "\\./${h.replace(/[.$]/g, '\\$&')}";$`, 'gm'), '');
  if (out !== text) writeFileSync(file, out);
}
