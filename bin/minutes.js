#!/usr/bin/env node
// Entry for `npx minutes`: runs the bundled CLI (dist/bundle/, built by `npm run build`, which
// `npm install` runs through "prepare"; see scripts/bundle.mjs).
//
// `minutes serve` logs the stack of an unexpected error: with the bundle's source maps read,
// its frames name the TypeScript sources. Other commands print one line per error and skip
// reading the maps (a few ms of start-up); NODE_OPTIONS=--enable-source-maps turns them on.
if (process.argv.slice(2).includes('serve')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/bundle/cli.js');

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`minutes: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
