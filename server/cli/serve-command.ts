import type { Command } from 'commander';

// The server (express, mail, every service) loads when the command runs.
const run = () => import('./serve-run.js');

/** `minutes serve`: the web server (`npm start`). Stops cleanly on SIGTERM / SIGINT. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web server (http://localhost:3000 by default)')
    .action(async () => (await run()).serveCommand(program.opts()));
}
