/**
 * Packages the parser needs only for some inputs, loaded on first use: yaml for front matter,
 * chrono-node for a date phrase the parser's own rules do not read. Minutes without either
 * (`minutes parse` of most files) do not pay about 20 ms each to load them. `require` (both
 * packages ship CommonJS) keeps the parser synchronous; no file or network I/O of its own.
 */
import { createRequire } from 'node:module';
import type * as ChronoEnglish from 'chrono-node/en';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);

let chrono: typeof ChronoEnglish | undefined;
let yaml: typeof Yaml | undefined;

/** chrono-node's English module (casual, as `chrono.parse` is); the root module loads every locale. */
export function chronoEnglish(): typeof ChronoEnglish {
  return (chrono ??= require('chrono-node/en') as typeof ChronoEnglish);
}

/** The yaml package. */
export function yamlPackage(): typeof Yaml {
  return (yaml ??= require('yaml') as typeof Yaml);
}
