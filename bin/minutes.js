#!/usr/bin/env node
// Entry for `npx minutes`: runs the compiled CLI (built by `npm install` through "prepare").
import { main } from '../dist/server/cli.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`minutes: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
