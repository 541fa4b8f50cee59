/**
 * The project's import graph, read with the TypeScript compiler (no type checking, a parse of
 * each file), and the layer rules of ARCHITECTURE.md checked over it. Used by
 * tests/unit/architecture.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import of one file: `to` is a repo-relative path for local files, else the package name. */
export interface ImportEdge {
  from: string;
  to: string;
  local: boolean;
  /** `import type` / `export type`, or every named binding marked `type`: gone at run time. */
  typeOnly: boolean;
  line: number;
}

export type Layer =
  | 'domain'
  | 'parsers'
  | 'base'
  | 'db'
  | 'adapters'
  | 'services'
  | 'jobs'
  | 'http'
  | 'cli'
  | 'container'
  | 'top';

/** The layer a repo-relative path belongs to; null for files outside the checked folders. */
export function layerOf(path: string): Layer | null {
  if (path.startsWith('domain/')) return 'domain';
  if (path.startsWith('parsers/')) return 'parsers';
  if (/^server\/(config|config-env|clock|errors|paths|versioned-cache)\.ts$/.test(path)) return 'base';
  if (path.startsWith('server/db/')) return 'db';
  if (path.startsWith('server/adapters/')) return 'adapters';
  if (path.startsWith('server/services/')) return 'services';
  if (path.startsWith('server/jobs/')) return 'jobs';
  if (path.startsWith('server/http/')) return 'http';
  if (path.startsWith('server/cli/')) return 'cli';
  if (/^server\/container(-[a-z]+)?\.ts$/.test(path)) return 'container';
  if (/^server\/(app|index|cli)\.ts$/.test(path)) return 'top';
  return null;
}

/**
 * Which layers each layer may import at run time (its own layer always). A type-only import
 * of `container` (the `Services` type) is allowed from the layers above services.
 */
export const ALLOWED: Record<Layer, readonly Layer[]> = {
  domain: [],
  parsers: ['domain'],
  base: ['domain'],
  db: ['domain', 'base'],
  adapters: ['domain', 'base'],
  services: ['db', 'adapters', 'parsers', 'domain', 'base'],
  jobs: ['services', 'adapters', 'domain', 'base'],
  http: ['services', 'adapters', 'domain', 'base'],
  cli: ['services', 'parsers', 'domain', 'base'],
  container: ['db', 'adapters', 'services', 'domain', 'base'],
  top: ['domain', 'parsers', 'base', 'db', 'adapters', 'services', 'jobs', 'http', 'cli', 'container'],
};

/** Layers that may name `container.ts` in a type-only import. */
const TYPE_ONLY_CONTAINER: readonly Layer[] = ['jobs', 'http', 'cli'];

/**
 * Single files allowed one import their layer otherwise may not make, each with why.
 * Keep this list short: a new entry is a design decision.
 */
export const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'parsers/nlp.ts',
    to: 'node:module',
    why: 'createRequire loads the NLP library and its model lazily and synchronously, on the first sentence that needs them; no file or network I/O of its own',
  },
  {
    from: 'parsers/load-on-use.ts',
    to: 'node:module',
    why: 'createRequire loads yaml and chrono-node synchronously on first use (front matter, a date phrase the rules do not read); no file or network I/O of its own',
  },
  { from: 'server/cli/context.ts', to: 'server/db/open.ts', why: 'the CLI opens the configured database (SQLite or PostgreSQL) once for every command' },
  { from: 'server/cli/context.ts', to: 'server/db/connection.ts', why: 'the type of the database it opens' },
  { from: 'server/cli/context.ts', to: 'server/container.ts', why: 'the CLI builds the services once for every command' },
  { from: 'server/cli/context.ts', to: 'server/container-core.ts', why: '`minutes actions` builds only the core services' },
  { from: 'server/cli/serve-run.ts', to: 'server/index.ts', why: '`minutes serve` starts the server' },
];

/** npm packages and Node built-ins with effects: domain/ and parsers/ must stay pure. */
const IMPURE_PACKAGE = /^(node:|fs$|path$|child_process$|worker_threads$|better-sqlite3$|nodemailer$|express|smtp-server$|mailparser$|multer$|croner$)/;

const ROOTS = ['domain', 'parsers', 'server'];

function listTs(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(root, rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const named = clause.namedBindings;
  return !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** Every import, re-export and dynamic `import()` of the source files under domain/, parsers/, server/. */
export function readImportGraph(root: string, files?: Record<string, string>): ImportEdge[] {
  const sources = files ?? Object.fromEntries(ROOTS.flatMap((r) => listTs(root, r)).map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  const edges: ImportEdge[] = [];
  for (const [from, text] of Object.entries(sources)) {
    const sf = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const add = (spec: string, typeOnly: boolean, node: ts.Node) => {
      const local = spec.startsWith('.');
      const to = local ? relative(root, resolve(root, dirname(from), spec)).replace(/\.js$/, '.ts') : spec;
      edges.push({ from, to, local, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, isTypeOnlyImport(node), node);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly, node);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments.length === 1 &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        add(node.arguments[0].text, false, node);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text, true, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return edges;
}

/** Each import that breaks a layer rule, as `file:line imports target (layer -> layer)`. */
export function layerViolations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.from);
    if (!from) continue;
    const where = `${e.from}:${e.line}`;
    if (!e.local) {
      if ((from === 'domain' || from === 'parsers') && IMPURE_PACKAGE.test(e.to) && !EXCEPTIONS.some((x) => x.from === e.from && x.to === e.to)) out.push(`${where} imports '${e.to}': ${from}/ must stay pure (no I/O)`);
      continue;
    }
    const to = layerOf(e.to);
    if (!to) {
      out.push(`${where} imports ${e.to}, which is outside domain/, parsers/ and server/`);
      continue;
    }
    if (to === from || ALLOWED[from].includes(to)) continue;
    if (to === 'container' && e.typeOnly && TYPE_ONLY_CONTAINER.includes(from)) continue;
    if (EXCEPTIONS.some((x) => x.from === e.from && x.to === e.to)) continue;
    out.push(`${where} imports ${e.to} (${from} -> ${to}${e.typeOnly ? ', type only' : ''}), not an allowed direction`);
  }
  return out;
}

/** Import cycles among run-time imports of files under `prefix`, each as `a -> b -> ... -> a`. */
export function importCycles(edges: ImportEdge[], prefix: string): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!e.local || e.typeOnly || !e.from.startsWith(prefix) || !e.to.startsWith(prefix)) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to].join(' -> '));
      else if (!state.has(to)) walk(to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}
